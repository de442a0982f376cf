//! Generates the Invent client into `OUT_DIR` on every build that needs it.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    generator::Config::new("../../spec/invent.yaml")
        .emit_rerun_if_changed(true)
        .compile()?;
    Ok(())
}
