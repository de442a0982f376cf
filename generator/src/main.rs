//! The `generator` command. Without arguments it regenerates
//! `generated-client/` from `spec/invent.yaml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use generator::Layout;
use generator::cli::Args;

/// The repository root: the generator crate's parent, so the default run
/// works from any directory inside the workspace.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let args = Args::parse();
    let root = workspace_root();
    let config = args.config(&root);
    let out = args.out_dir(&root);
    let generated = match config.generate() {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("{error}");
            eprintln!("error: generation failed; nothing was written");
            return ExitCode::FAILURE;
        }
    };
    if !args.quiet {
        for warning in &generated.warnings {
            eprintln!("{warning}");
        }
    }
    if args.emit_rerun_if_changed {
        println!("cargo:rerun-if-changed={}", args.spec_path(&root).display());
    }
    if args.check {
        let drift = generated.files.check(&out);
        if drift.is_empty() {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "{} is not what the generator makes from {}:",
            out.display(),
            args.spec_path(&root).display()
        );
        for item in &drift {
            eprintln!("  {item}");
        }
        let command = if args.is_default_run() {
            "cargo run -p generator".to_owned()
        } else {
            std::env::args()
                .filter(|a| a != "--check")
                .collect::<Vec<_>>()
                .join(" ")
        };
        eprintln!("run `{command}` to regenerate it");
        return ExitCode::FAILURE;
    }
    match generated.files.write(&out) {
        Ok(written) => {
            if !args.quiet {
                let what = match config_layout(&args) {
                    Layout::Crate => "files",
                    Layout::Module => "module files",
                };
                eprintln!(
                    "{}: {} {what} up to date, {} written",
                    out.display(),
                    generated.files.files.len() - written.len(),
                    written.len()
                );
            }
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

fn config_layout(args: &Args) -> Layout {
    if args.module {
        Layout::Module
    } else {
        Layout::Crate
    }
}
