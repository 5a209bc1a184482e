//! What the property tests share: how many cases to run, and documents to and from JSON as
//! the crate's features allow. Included by `properties.rs` and `sessions.rs` (`#[path]`).

use cascade_core::Assessment;
use proptest::test_runner::Config as ProptestConfig;

/// Reads a document as `Assessment::from_json` does; without the `json` feature, through
/// serde, which makes the same checks.
#[cfg(feature = "json")]
pub(crate) fn doc_from_json(text: &str) -> Result<Assessment, cascade_core::Error> {
    Assessment::from_json(text)
}

#[cfg(not(feature = "json"))]
pub(crate) fn doc_from_json(text: &str) -> Result<Assessment, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(feature = "json")]
pub(crate) fn doc_to_json(a: &Assessment) -> String {
    a.to_json()
}

#[cfg(not(feature = "json"))]
pub(crate) fn doc_to_json(a: &Assessment) -> String {
    serde_json::to_string_pretty(a).unwrap_or_default()
}

/// `cases` per property, or `PROPTEST_CASES` when set, for a longer search.
pub(crate) fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(cases);
    // No regression files: a failure prints its minimal case, which belongs in a named test.
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}
