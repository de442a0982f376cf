//! The `generator` command. Without arguments it regenerates
//! `generated-client/` from `spec/invent.yaml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;

/// Generate a typed async Rust client crate from an OpenAPI 3.0/3.1 spec.
#[derive(Debug, Parser)]
#[command(name = "generator", version)]
struct Cli {
    /// The OpenAPI file (YAML or JSON). Default: spec/invent.yaml.
    #[arg(long)]
    spec: Option<PathBuf>,
    /// Directory of the crate to write. Default: generated-client.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Package name of the generated crate. Default: invent-client for the
    /// default spec, else the output directory's name.
    #[arg(long)]
    crate_name: Option<String>,
    /// Write nothing; exit 1 and list the files that differ.
    #[arg(long)]
    check: bool,
    /// Treat warnings as errors.
    #[arg(long)]
    strict: bool,
}

/// The repository root: the generator crate's parent, so the default run
/// works from any directory inside the workspace.
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let defaults = cli.spec.is_none() && cli.out.is_none() && cli.crate_name.is_none();
    let root = workspace_root();
    let spec = cli
        .spec
        .clone()
        .unwrap_or_else(|| root.join("spec/invent.yaml"));
    let out = cli
        .out
        .clone()
        .unwrap_or_else(|| root.join("generated-client"));
    let crate_name = cli.crate_name.clone().unwrap_or_else(|| {
        if cli.spec.is_none() {
            "invent-client".to_owned()
        } else {
            out.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| "client".to_owned())
        }
    });
    // What the user typed, for the hint after a failed `--check`; the
    // files' header names only the spec's file name (see `Config`).
    let typed = std::env::args().collect::<Vec<_>>().join(" ");
    let mut config = generator::Config::new(&spec, crate_name).strict(cli.strict);
    if defaults {
        config = config.regenerate_command("cargo run -p generator");
    }
    let command = if defaults {
        "cargo run -p generator".to_owned()
    } else {
        typed.replace(" --check", "")
    };
    let generated = match generator::generate(&config) {
        Ok(generated) => generated,
        Err(error) => {
            eprintln!("{error}");
            eprintln!("error: generation failed; nothing was written");
            return ExitCode::FAILURE;
        }
    };
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    if cli.check {
        let drift = generated.files.check(&out);
        if drift.is_empty() {
            return ExitCode::SUCCESS;
        }
        eprintln!(
            "{} is not what the generator makes from {}:",
            out.display(),
            spec.display()
        );
        for item in &drift {
            eprintln!("  {item}");
        }
        eprintln!("run `{command}` to regenerate it");
        return ExitCode::FAILURE;
    }
    match generated.files.write(&out) {
        Ok(written) => {
            eprintln!(
                "{}: {} files up to date, {} written",
                out.display(),
                generated.files.files.len() - written.len(),
                written.len()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
