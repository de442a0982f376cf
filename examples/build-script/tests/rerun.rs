//! The build script reruns when the spec changes, and only then (it prints
//! `cargo:rerun-if-changed` for the spec).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Command;

/// `cargo check -v` of this crate in the workspace's target directory,
/// where `cargo clippy` (CI's step before the tests) or an earlier check
/// has built the dependencies' metadata already; whether the build script
/// ran. `cargo test` builds every test before running any, so it holds no
/// lock on that directory while this runs.
fn build_script_ran(root: &Path) -> bool {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
    let output = Command::new(cargo)
        .args(["check", "-v", "-p", "build-script-example", "--lib"])
        .current_dir(root)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let log = String::from_utf8_lossy(&output.stderr);
    log.lines().any(|line| {
        line.contains("Running")
            && line.contains("build-script-example")
            && line.contains("build-script-build")
    })
}

#[test]
fn touching_the_spec_reruns_the_build_script() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let spec = root.join("spec/invent.yaml");
    build_script_ran(&root);
    assert!(
        !build_script_ran(&root),
        "an unchanged spec must not rerun the build script"
    );
    // Touch: same contents, a new modification time.
    let file = std::fs::File::options().append(true).open(&spec).unwrap();
    file.set_modified(std::time::SystemTime::now()).unwrap();
    assert!(
        build_script_ran(&root),
        "a touched spec must rerun the build script"
    );
    assert!(!build_script_ran(&root));
}
