//! `generated-client/` must be exactly what the generator makes from
//! `spec/invent.yaml`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

#[test]
fn generated_client_is_fresh() {
    let root = support::root();
    let config = generator::Config::new(root.join("spec/invent.yaml"))
        .crate_name("invent-client")
        .regenerate_command("cargo run -p generator");
    let generated = generator::generate(&config).expect("spec/invent.yaml generates");
    let drift = generated.files.check(&root.join("generated-client"));
    assert!(
        drift.is_empty(),
        "generated-client/ is stale:\n{}\nRun `cargo run -p generator` to regenerate it.",
        drift
            .iter()
            .map(|d| format!("  {d}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn generation_is_deterministic() {
    let root = support::root();
    let config = generator::Config::new(root.join("spec/invent.yaml")).crate_name("invent-client");
    let first = generator::generate(&config).unwrap().files;
    let second = generator::generate(&config).unwrap().files;
    assert_eq!(first, second);
}

#[test]
fn openapi_30_and_31_forms_generate_the_same_client() {
    let root = support::root();
    let v31 = generator::generate(
        &generator::Config::new(root.join("spec/invent.yaml"))
            .crate_name("invent-client")
            .regenerate_command("x"),
    )
    .unwrap();
    let v30 = generator::generate(
        &generator::Config::new(root.join("tests/fixtures/invent-3.0.yaml"))
            .crate_name("invent-client")
            .regenerate_command("x"),
    )
    .unwrap();
    assert_eq!(
        v31.files.files.keys().collect::<Vec<_>>(),
        v30.files.files.keys().collect::<Vec<_>>()
    );
    for (path, contents) in &v31.files.files {
        assert_eq!(
            contents, &v30.files.files[path],
            "{path} differs between the 3.1 and 3.0 forms"
        );
    }
}
