//! Snapshots of the generated code: the Invent client and one per fixture.
//! Review changes with `cargo insta review`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

/// All files but the runtime (identical for every spec; covered by the
/// Invent snapshot) joined with their paths.
fn render(generated: &generator::Generated, with_runtime: bool) -> String {
    let mut out = String::new();
    for (path, contents) in &generated.files.files {
        if path == "src/runtime.rs" && !with_runtime {
            continue;
        }
        out.push_str(&format!("=== {path} ===\n{contents}\n"));
    }
    if !generated.warnings.is_empty() {
        out.push_str("=== warnings ===\n");
        for warning in &generated.warnings {
            let text = warning
                .to_string()
                .replace(&support::root().display().to_string(), "<root>");
            out.push_str(&format!("{text}\n"));
        }
    }
    out
}

#[test]
fn invent_client() {
    let generated = support::generate_fixture(&support::root().join("spec/invent.yaml"));
    insta::assert_snapshot!("invent", render(&generated, true));
}

#[test]
fn fixtures() {
    let fixtures = support::fixtures();
    assert!(!fixtures.is_empty(), "no fixtures found");
    for spec in fixtures {
        let generated = support::generate_fixture(&spec);
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, render(&generated, false));
    }
}

/// Specs the generator must refuse: the error names the file and the JSON
/// pointer of the problem, and nothing is generated.
#[test]
fn invalid_fixtures() {
    let fixtures = support::invalid_fixtures();
    assert!(!fixtures.is_empty(), "no invalid fixtures found");
    for spec in fixtures {
        let name = spec.file_stem().unwrap().to_string_lossy().into_owned();
        let config = generator::Config::new(&spec).crate_name("invalid");
        let error = match generator::generate(&config) {
            Ok(_) => panic!("{} generated, but must be refused", spec.display()),
            Err(error) => error,
        };
        let generator::Error::Spec(diagnostics) = &error else {
            panic!("{}: not a spec error: {error}", spec.display());
        };
        assert!(
            diagnostics
                .iter()
                .any(|d| d.severity == generator::Severity::Error && !d.location.pointer.is_empty()),
            "{}: no located error in {error}",
            spec.display()
        );
        let text = error
            .to_string()
            .replace(&support::root().display().to_string(), "<root>");
        insta::assert_snapshot!(format!("invalid_{name}"), text);
    }
}
