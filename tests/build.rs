//! Generates the security fixture's client into `OUT_DIR`, as a user's
//! build script would: the reliability tests `include!` it.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    generator::Config::new("fixtures/security.yaml")
        .emit_rerun_if_changed(true)
        .compile()?;
    Ok(())
}
