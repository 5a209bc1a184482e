//! `cargo xtask bench`: placeholder, written by the benchmark work.

pub(crate) fn run(_args: &[String]) -> Result<(), String> {
    Err("bench is not written yet".into())
}
