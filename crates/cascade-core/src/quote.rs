//! User text in messages.

use std::fmt::{self, Write};

/// Text in double quotes, as every message of this crate shows a name or value it was given.
///
/// Quotes, backslashes, control characters and the invisible characters that spreadsheets
/// leave in cells (zero-width spaces, byte-order marks, direction marks) are escaped, so a
/// message shows exactly what differs:
///
/// ```
/// use cascade_core::__private::Quoted;
///
/// assert_eq!(Quoted("Vale").to_string(), r#""Vale""#);
/// assert_eq!(Quoted("say \"hi\"\n").to_string(), r#""say \"hi\"\n""#);
/// assert_eq!(Quoted("clarity\u{200b}").to_string(), r#""clarity\u{200b}""#);
/// assert_eq!(Quoted("Ébène").to_string(), r#""Ébène""#);
/// ```
///
/// Text longer than 80 characters is cut, with its length after the quotes:
///
/// ```
/// # use cascade_core::__private::Quoted;
/// assert_eq!(Quoted(&"a".repeat(100)).to_string(), format!("\"{}…\" (100 characters)", "a".repeat(80)));
/// ```
///
/// Otherwise this is what `{:?}` gives for such text. It is written out because `{:?}` carries tables
/// of every Unicode character, which the WebAssembly module would have to ship.
#[derive(Debug, Clone, Copy)]
pub struct Quoted<'a>(pub &'a str);

impl fmt::Display for Quoted<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_char('"')?;
        // A message quotes a cell, not a file: long text is cut, and says how long it was.
        // By characters, never by slicing the text: a slice's check would bring the panic
        // message's `{:?}` of a char, and with it the Unicode tables, into the module.
        let cut = self.0.chars().nth(MAX_SHOWN).is_some();
        for c in self.0.chars().take(MAX_SHOWN) {
            match c {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                '\0' => f.write_str("\\0")?,
                c if invisible(c) => write!(f, "\\u{{{:x}}}", u32::from(c))?,
                c => f.write_char(c)?,
            }
        }
        if cut {
            write!(f, "…\" ({} characters)", char_count(self.0))
        } else {
            f.write_char('"')
        }
    }
}

/// The most characters of a value a message shows.
const MAX_SHOWN: usize = 80;

/// Control characters, the soft hyphen, zero-width and direction marks, line and paragraph
/// separators, word joiners and the byte-order mark.
fn invisible(c: char) -> bool {
    crate::ids::hidden(c)
}

/// How many characters `text` has: the bytes that do not continue a character. `chars().count()`
/// says the same through a routine three times the size in the WebAssembly module.
pub(crate) fn char_count(text: &str) -> usize {
    text.bytes().filter(|&b| b & 0xC0 != 0x80).count()
}

/// Names for a message, joined by ", ": as `[&str]::join`, whose generic copy is larger.
pub(crate) fn joined<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    joined_by(names, ", ")
}

/// Names joined by `sep`, as `[&str]::join` joins them.
pub fn joined_by<'a>(names: impl IntoIterator<Item = &'a str>, sep: &str) -> String {
    let mut out = String::new();
    for (i, name) in names.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        out.push_str(name);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_debug_for_the_text_people_type() {
        for s in ["", "Vale", "a \"b\"", "back\\slash", "tab\there", "line\r\nend", "\u{feff}bom", "zw\u{200b}sp", "nul\0", "del\u{7f}", "Ébène 北 🙂", "soft\u{ad}hyphen", "rtl\u{202e}"] {
            assert_eq!(Quoted(s).to_string(), format!("{s:?}"), "{s:?}");
        }
    }

    #[test]
    fn counts_and_joins_as_std_does() {
        for s in ["", "Vale", "Ébène 北 🙂", "zw\u{200b}sp", "a\u{10ffff}\u{7f}\u{80}\u{7ff}\u{800}\u{ffff}\u{10000}"] {
            assert_eq!(char_count(s), s.chars().count(), "{s:?}");
        }
        for names in [&[][..], &["a"], &["a", "b", "c"]] {
            assert_eq!(joined(names.iter().copied()), names.join(", "));
            assert_eq!(joined_by(names.iter().copied(), "`, `"), names.join("`, `"));
        }
    }
}
