//! Comparing output with the scoring contract's example files, shared by the core's and the
//! CLI's tests (each includes this file with `#[path]`).

use serde_json::Value;

/// The path of a file under `tests/fixtures/`, from a crate two folders below the root.
pub(crate) fn fixture(manifest_dir: &str, name: &str) -> String {
    format!("{manifest_dir}/../../tests/fixtures/{name}")
}

/// Every field of `theirs` (the contract's example) must be in `ours` with the same value,
/// `3` and `3.0` being the same number; extra fields in `ours` are welcome, as the contract says.
pub(crate) fn assert_contract(ours: &Value, theirs: &Value, at: &str) {
    match (ours, theirs) {
        (Value::Number(a), Value::Number(b)) => assert_eq!(a.as_f64(), b.as_f64(), "{at}"),
        (Value::Object(a), Value::Object(b)) => {
            for (k, v) in b {
                let mine = a.get(k).unwrap_or_else(|| panic!("{at}.{k} is missing"));
                assert_contract(mine, v, &format!("{at}.{k}"));
            }
            // Groups are keyed by group id: only groups with ratings may appear.
            if at.ends_with(".groups") {
                assert_eq!(a.len(), b.len(), "{at}: groups differ");
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            assert_eq!(a.len(), b.len(), "{at}: length");
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                assert_contract(x, y, &format!("{at}[{i}]"));
            }
        }
        _ => assert_eq!(ours, theirs, "{at}"),
    }
}
