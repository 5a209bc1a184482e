//! Comparing output with the scoring contract's example files.
//!
//! Kept in the crate so that the published package tests itself; the CLI's tests include
//! this file too (`#[path]`), so both hold output to the contract the same way.

use serde_json::Value;

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
