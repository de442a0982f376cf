//! Helpers shared by the test files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

/// Every fixture spec, sorted.
pub fn fixtures() -> Vec<PathBuf> {
    specs_in(&root().join("tests/fixtures"))
}

/// Every spec the generator must refuse with a located error, sorted.
pub fn invalid_fixtures() -> Vec<PathBuf> {
    specs_in(&root().join("tests/fixtures/invalid"))
}

fn specs_in(dir: &Path) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("yaml" | "yml" | "json")
            )
        })
        .collect();
    specs.sort();
    specs
}

/// The crate name used for a fixture.
pub fn crate_name(spec: &Path) -> String {
    let stem = spec
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("fixture-{}", stem.replace(['_', '.'], "-"))
}

/// Generates a fixture with a fixed header command, so snapshots do not
/// depend on where the repository lives.
pub fn generate_fixture(spec: &Path) -> generator::Generated {
    let relative = spec
        .strip_prefix(root())
        .unwrap_or(spec)
        .display()
        .to_string();
    let name = crate_name(spec);
    // Fixtures named `example_tests*` turn their examples into tests.
    let example_tests = name.starts_with("fixture-example-tests");
    // Fixtures named `tag_features*` gate each tag behind a feature.
    let tag_features = name.starts_with("fixture-tag-features");
    let config = generator::Config::new(spec)
        .crate_name(name.clone())
        .example_tests(example_tests)
        .tag_features(tag_features)
        .regenerate_command(format!(
            "generator --spec {relative} --out <dir> --crate-name {name}{}{}",
            if example_tests {
                " --example-tests"
            } else {
                ""
            },
            if tag_features { " --tag-features" } else { "" }
        ));
    match generator::generate(&config) {
        Ok(generated) => generated,
        Err(error) => panic!("{} does not generate:\n{error}", spec.display()),
    }
}
