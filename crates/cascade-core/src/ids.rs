//! The rules every id and name in a framework, a document or a CSV file keeps.
//!
//! Ids (domain, round and respondent ids) become keys: in this crate's maps, in the page's
//! tables and in spreadsheets. So an id may not be one of the names JavaScript objects
//! carry on their prototype (`__proto__`, `constructor`, `prototype`), may not hide
//! characters that make two ids look the same or turn the text round it backwards
//! (zero-width and direction control characters, other control characters, the
//! non-characters U+FFFE and U+FFFF), and is at most [`MAX_ID_CHARS`] characters long.
//! Names (an area, a round's label, a framework's titles) keep the same character rules and
//! a length cap; free text (notes, actions, descriptors) only the cap.
//!
//! ```
//! use cascade_core::ids;
//!
//! assert_eq!(ids::check_id("ana"), Ok(()));
//! assert_eq!(ids::check_id("__proto__").unwrap_err(), "is a reserved name");
//! assert_eq!(ids::check_id("ana\u{200b}").unwrap_err(), "has an invisible or direction control character (U+200B)");
//! assert_eq!(ids::check_name("Vale", ids::MAX_NAME_CHARS), Ok(()));
//! ```

/// The longest id, in characters.
pub const MAX_ID_CHARS: usize = 100;
/// The longest name (area, round label, framework name and titles), in characters.
pub const MAX_NAME_CHARS: usize = 200;
/// The longest free text (a note, an action, a description or descriptor), in characters.
pub const MAX_TEXT_CHARS: usize = 10_000;

/// Names that JavaScript objects inherit, which a table keyed by id would confuse with its own.
pub const RESERVED: [&str; 3] = ["__proto__", "constructor", "prototype"];

/// Characters that are invisible or change the direction of the text round them: control
/// characters, the soft hyphen, the Arabic letter mark, zero-width characters and direction
/// marks, embeddings, overrides and isolates, line and paragraph separators, word joiners,
/// the byte-order mark, and the non-characters U+FFFE and U+FFFF (not allowed in XML).
#[must_use]
pub fn hidden(c: char) -> bool {
    matches!(u32::from(c),
        0..=0x1f | 0x7f..=0x9f | 0xad | 0x61c | 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x2064
        | 0x2066..=0x2069 | 0xfeff | 0xfffe | 0xffff)
}

/// Checks an id; the error is a phrase to follow the id's name ("round 1: id ...").
///
/// # Errors
///
/// When the id is `__proto__`, `constructor` or `prototype`, holds a hidden character, or
/// is longer than the limit for ids; see [`check_name`].
pub fn check_id(id: &str) -> Result<(), String> {
    if RESERVED.contains(&id) {
        return Err("is a reserved name".to_owned());
    }
    check_name(id, MAX_ID_CHARS)
}

/// Checks a name: no hidden characters, at most `max` characters.
///
/// # Errors
///
/// When the name holds an invisible or direction control character (tabs and line breaks
/// are allowed), or has more than `max` characters.
pub fn check_name(name: &str, max: usize) -> Result<(), String> {
    // Line breaks and tabs are what a spreadsheet cell may hold, and show as what they are.
    if let Some(c) = name.chars().find(|&c| hidden(c) && !matches!(c, '\t' | '\n' | '\r')) {
        return Err(format!("has an invisible or direction control character (U+{:04X})", u32::from(c)));
    }
    check_len(name, max)
}

/// Checks only the length of free text.
///
/// # Errors
///
/// When the text has more than `max` characters.
pub fn check_len(text: &str, max: usize) -> Result<(), String> {
    // Bytes bound characters from above, so most text is passed without counting.
    if text.len() > max && crate::quote::char_count(text) > max {
        return Err(format!("is longer than the limit of {max} characters"));
    }
    Ok(())
}
