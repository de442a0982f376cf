//! The `generator` command. Without arguments it regenerates
//! `generated-client/` from `spec/invent.yaml`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use generator::cli::Args;
use generator::diagnostics::render_report;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t`: C ABI, numbered
/// the same in mimalloc 2 and 3 (retired options keep their numbers).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory mapped for the rest of the run. By default mimalloc
/// returns pages unused for a second to the OS, and formatting the next
/// files faults them in again, each fault zeroing a 2 MB huge page: for
/// graph-beta that was 30,000 faults and seconds of system time. A run
/// lasts seconds and its peak is what it is either way.
#[allow(unsafe_code)]
fn keep_freed_memory() {
    // SAFETY: sets one integer option before any other thread exists;
    // mimalloc reads it when it next considers purging.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
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
    keep_freed_memory();
    let started = Instant::now();
    let args = Args::parse();
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let root = workspace_root();
    let config = args.config(&root);
    let out = args.out_dir(&root);
    let generated = match config.generate() {
        Ok(generated) => generated,
        Err(generator::Error::Spec(diagnostics)) => {
            eprintln!("{}", render_report(&diagnostics, true, color));
            eprintln!("error: generation failed; nothing was written");
            return ExitCode::FAILURE;
        }
        Err(error) => {
            eprintln!("error: {error}");
            eprintln!("error: generation failed; nothing was written");
            return ExitCode::FAILURE;
        }
    };
    if !args.quiet && !generated.warnings.is_empty() {
        eprintln!(
            "{}",
            render_report(&generated.warnings, args.verbose, color)
        );
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
            if args.verbose {
                let phases: Vec<String> = generated
                    .timings
                    .iter()
                    .map(|(phase, took)| format!("{phase} {:.0} ms", took.as_secs_f64() * 1000.0))
                    .collect();
                eprintln!("phases: {}", phases.join(", "));
            }
            if !args.quiet {
                let total = generated.files.files.len();
                eprintln!(
                    "{}: {} types, {} operations; {} files written, {} unchanged; {} warnings; {:.2} s",
                    out.display(),
                    generated.types,
                    generated.operations,
                    written.len(),
                    total - written.len(),
                    generated.warnings.len(),
                    started.elapsed().as_secs_f64()
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
