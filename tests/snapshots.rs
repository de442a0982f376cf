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
