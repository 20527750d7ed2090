//! Generates the customer identification processes client into OUT_DIR:
//! `src/lib.rs` includes it. Cargo runs this again when the spec changes.

fn main() -> Result<(), apiforge::Error> {
    apiforge::Builder::new("../../spec/customer-identification-processes.yaml")
        .name("identification")
        .server(false)
        .write_modules()?;
    Ok(())
}
