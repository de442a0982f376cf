//! Multi-file specs: external `$ref`s to local files are bundled in.

#![allow(clippy::panic)]

use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/multifile")
        .join(name)
}

fn spec_errors(spec: &Path) -> Vec<generator::Diagnostic> {
    match generator::Config::new(spec)
        .crate_name("multifile")
        .generate()
    {
        Err(generator::Error::Spec(diagnostics)) => diagnostics,
        Err(other) => panic!("{}: expected spec errors, got {other}", spec.display()),
        Ok(_) => panic!("{}: expected spec errors", spec.display()),
    }
}

/// The multi-file fixture gives the same client as its form bundled by
/// `@redocly/cli` (see the comment at the top of `bundled.yaml`); remote
/// references and missing files are errors located at the `$ref`.
#[test]
fn multi_file_spec_matches_its_bundled_form() {
    let generate = |name: &str| {
        generator::Config::new(fixture(name))
            .crate_name("multifile")
            .regenerate_command("generator --spec multifile")
            .generate()
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let multi = generate("openapi.yaml");
    let bundled = generate("bundled.yaml");
    // File by file first, for a readable failure.
    for ((path, text), (bundled_path, bundled_text)) in
        multi.files.files.iter().zip(&bundled.files.files)
    {
        assert_eq!(path, bundled_path);
        assert_eq!(text, bundled_text, "{path} differs");
    }
    assert_eq!(multi.files.files, bundled.files.files);
    // The imported schemas became types, not `serde_json::Value`s.
    let types = multi
        .files
        .files
        .values()
        .map(String::as_str)
        .collect::<String>();
    for name in [
        "pub struct Pet",
        "pub struct Owner",
        "pub struct Error",
        "pub enum Kind",
    ] {
        assert!(types.contains(name), "no `{name}` in the generated code");
    }
    assert!(
        !multi
            .warnings
            .iter()
            .any(|w| w.message.contains("external")),
        "{:?}",
        multi.warnings
    );

    // A remote reference is never fetched: an error at the `$ref`, in the
    // file that holds it.
    let errors = spec_errors(&fixture("broken/remote.yaml"));
    let remote = errors
        .iter()
        .find(|d| {
            d.message
                .contains("https://example.com/schemas/remote.yaml#/Remote")
        })
        .unwrap_or_else(|| panic!("no remote-reference error in {errors:?}"));
    assert!(remote.message.contains("not fetched"), "{}", remote.message);
    assert_eq!(remote.location.pointer, "/Thing/properties/remote/$ref");
    assert!(
        remote.location.file.ends_with("broken/remote_part.yaml"),
        "{}",
        remote.location.file.display()
    );
    assert_eq!(remote.location.line_column.map(|(line, _)| line), Some(5));

    // A missing file: an error at the `$ref` that names it.
    let errors = spec_errors(&fixture("broken/missing.yaml"));
    let missing = errors
        .iter()
        .find(|d| d.message.contains("no_such_file.yaml"))
        .unwrap_or_else(|| panic!("no missing-file error in {errors:?}"));
    assert_eq!(
        missing.location.pointer,
        "/paths/~1things/get/responses/200/content/application~1json/schema/$ref"
    );
    assert!(missing.location.file.ends_with("broken/missing.yaml"));
    assert_eq!(missing.location.line_column.map(|(line, _)| line), Some(14));
}
