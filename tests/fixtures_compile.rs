//! Every fixture's generated crate must build, pass
//! `clippy --all-targets -D warnings` and document without a rustdoc
//! warning: a snapshot that does not compile is not worth reviewing.
//!
//! The fixture with example tests (`example_tests.yaml`) also runs them.
//!
//! The crates are generated into one workspace under `target/` and checked
//! with one cargo call and a shared target directory, so dependencies build
//! once. TLS is left out (`--no-default-features`): it does not change the
//! generated code, and `generated-client` is already checked with it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::Command;

#[test]
fn fixture_crates_build_clippy_clean() {
    let root = support::root();
    let workspace = root.join("target/fixture-workspace");
    let mut members = Vec::new();
    let mut specs = support::fixtures();
    // The Invent spec itself, for its docs (its crate is checked in).
    specs.push(root.join("spec/invent.yaml"));
    for spec in specs {
        let name = support::crate_name(&spec);
        let generated = support::generate_fixture(&spec);
        generated.files.write(&workspace.join(&name)).unwrap();
        members.push(name);
    }
    // The repository's dev profile (line tables only): less debug info
    // to compile and link than the default, and the same profile as the
    // root workspace's, so the two share dependencies in one target
    // directory.
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n[profile.dev]\ndebug = \"line-tables-only\"\n\n[profile.dev.build-override]\ndebug = \"line-tables-only\"\n",
        members
            .iter()
            .map(|m| format!("\"{m}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(workspace.join("Cargo.toml"), manifest).unwrap();
    // Start from the repository's lock file so versions match what the
    // generated client was tested with.
    let lock = workspace.join("Cargo.lock");
    if !lock.exists() {
        std::fs::copy(root.join("Cargo.lock"), &lock).unwrap();
    }
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let run = |args: &[&str], rustdocflags: Option<&str>| {
        let mut command = Command::new(&cargo);
        command
            .args(args)
            .current_dir(&workspace)
            // The workspace's own target directory: with the same profile
            // (below), the dependencies' metadata that CI's clippy step
            // built is reused. `cargo test` holds no lock on it while
            // tests run.
            .env("CARGO_TARGET_DIR", root.join("target"));
        if let Some(flags) = rustdocflags {
            command.env("RUSTDOCFLAGS", flags);
        }
        command.output().unwrap()
    };
    // Feature subsets, in the same runs where possible (each extra run
    // recompiles the crates it names): the per-tag fixture with one tag
    // here, and `serialize` on crates whose response types only get
    // `Serialize` with it; below, the per-tag fixture with no tag at all,
    // and with everything plus `serialize` next to Invent with
    // `serialize` (Invent itself is checked without it here).
    let output = run(
        &[
            "clippy",
            "--workspace",
            "--all-targets",
            "--no-default-features",
            "--features",
            "fixture-tag-features/pets,fixture-unions-best-match/serialize,fixture-serialize-members/serialize",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ],
        None,
    );
    assert!(
        output.status.success(),
        "fixture crates fail clippy:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let subsets: [(&[&str], &str); 2] = [
        (&["fixture-tag-features"], ""),
        (
            &["fixture-tag-features", "fixture-invent"],
            "fixture-tag-features/full,fixture-tag-features/serialize,fixture-invent/serialize",
        ),
    ];
    for (packages, features) in subsets {
        let mut args = vec![
            "clippy",
            "--all-targets",
            "--no-default-features",
            "--quiet",
        ];
        for package in packages {
            args.extend(["-p", package]);
        }
        if !features.is_empty() {
            args.extend(["--features", features]);
        }
        args.extend(["--", "-D", "warnings"]);
        let output = run(&args, None);
        assert!(
            output.status.success(),
            "{packages:?} with features [{features}] fail clippy:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    // The crate with example tests runs them (its unit tests only: one
    // crate, so the extra build stays small).
    let output = run(
        &[
            "test",
            "-p",
            "fixture-example-tests",
            "--lib",
            "--no-default-features",
            "--quiet",
        ],
        None,
    );
    assert!(
        output.status.success(),
        "the example tests of fixture-example-tests fail:\n{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    // Docs: spec prose must not become broken links, stray HTML or doc
    // tests that fail.
    let output = run(
        &[
            "doc",
            "--workspace",
            "--no-deps",
            "--no-default-features",
            "--quiet",
        ],
        Some("-D warnings"),
    );
    assert!(
        output.status.success(),
        "fixture crates' docs have warnings:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
