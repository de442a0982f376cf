//! Generates fixture clients into `OUT_DIR`, as a user's build script
//! would (module layout): the reliability and fidelity tests `include!`
//! them and run them against loopback servers.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for spec in [
        "fixtures/security.yaml",
        "fixtures/unions_best_match.yaml",
        "fixtures/schema_keywords.yaml",
        "fixtures/form_encoding.yaml",
    ] {
        generator::Config::new(spec)
            .emit_rerun_if_changed(true)
            .compile()?;
    }
    Ok(())
}
