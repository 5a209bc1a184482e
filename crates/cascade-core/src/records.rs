//! A small CSV record reader: RFC 4180 quoting, exact line numbers, one record in memory.
//!
//! Hand-written rather than the `csv` crate for two reasons measured on this project's
//! files: the `csv` crate reports a row's line one early in CRLF files and before blank
//! lines, and a line without quotes (nearly every line of a tidy file) can be split with
//! `memchr` alone, which is several times faster than a general CSV state machine.

use std::fmt;
use std::io::{self, BufRead, BufReader, Read};

/// Where records come from: a buffered reader, or bytes already in memory. Bytes need no
/// copying, and keep `std::io` out of the WebAssembly module, which only reads strings.
pub(crate) trait Input {
    /// Why reading failed: an I/O error, or nothing for bytes in memory, which keeps
    /// `io::Error` and its messages out of the WebAssembly module.
    type Fail;
    /// The bytes available, reading more when none are left; empty at the end.
    fn fill_buf(&mut self) -> Result<&[u8], Self::Fail>;
    /// The bytes available, as `fill_buf` last returned them.
    fn buffer(&self) -> &[u8];
    /// Marks `n` of the available bytes as used.
    fn consume(&mut self, n: usize);
}

impl<R: Read> Input for BufReader<R> {
    type Fail = io::Error;

    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        // As `BufRead::read_until` does, a read interrupted by a signal is tried again.
        loop {
            match BufRead::fill_buf(self) {
                // Returning this borrow from inside the loop trips the borrow checker.
                Ok(_) => return Ok(BufReader::buffer(self)),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    fn buffer(&self) -> &[u8] {
        BufReader::buffer(self)
    }

    fn consume(&mut self, n: usize) {
        BufRead::consume(self, n);
    }
}

impl Input for &[u8] {
    type Fail = std::convert::Infallible;

    fn fill_buf(&mut self) -> Result<&[u8], Self::Fail> {
        Ok(self)
    }

    fn buffer(&self) -> &[u8] {
        self
    }

    fn consume(&mut self, n: usize) {
        *self = &self[n..];
    }
}

/// Why a record could not be read.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Stop<F> {
    /// Reading the input failed.
    Fail(F),
    /// A quote opened on this line is never closed before the end of the input.
    Unclosed(u64),
}

/// Appends the input up to and including the next `\n` to `out`; the bytes appended.
fn read_line<I: Input>(input: &mut I, out: &mut Vec<u8>) -> Result<usize, I::Fail> {
    let mut read = 0;
    loop {
        let available = input.fill_buf()?;
        let (done, used) = match memchr::memchr(b'\n', available) {
            Some(i) => (true, i + 1),
            None => (available.is_empty(), available.len()),
        };
        out.extend_from_slice(&available[..used]);
        input.consume(used);
        read += used;
        if done {
            return Ok(read);
        }
    }
}

/// Reads records one at a time from buffered input.
pub(crate) struct Records<R> {
    input: R,
    delimiter: u8,
    /// The bytes the fast path stops at: the separator, `\n` and `"`.
    special: [bool; 256],
    /// Bytes of the input buffer the current record occupies, consumed on the next advance.
    pending: usize,
    /// Whether `fields` index the input buffer (the fast path) or `data`.
    in_buffer: bool,
    /// The current record's unquoted fields, or a line that straddled the buffer's end.
    data: Vec<u8>,
    /// Scratch space for unquoting.
    spare: Vec<u8>,
    /// Field boundaries.
    fields: Vec<(usize, usize)>,
    /// The line the current record starts on.
    line: u64,
    /// The line the next record starts on.
    next_line: u64,
}

impl<R: Input> Records<R> {
    pub(crate) fn new(input: R, delimiter: u8) -> Records<R> {
        let mut special = [false; 256];
        for b in [delimiter, b'\n', b'"'] {
            special[usize::from(b)] = true;
        }
        Records {
            input,
            delimiter,
            special,
            pending: 0,
            in_buffer: false,
            data: Vec::new(),
            spare: Vec::new(),
            fields: Vec::new(),
            line: 0,
            next_line: 1,
        }
    }

    /// Reads the next record; `false` at the end of the input.
    pub(crate) fn advance(&mut self) -> Result<bool, Stop<R::Fail>> {
        self.input.consume(std::mem::take(&mut self.pending));
        self.fields.clear();
        self.line = self.next_line;
        // Fast path: a whole line without quotes in the buffer is split where it lies, in one
        // pass that finds separators, quotes and the line end together (lines are short, so
        // this beats memchr calls, measured).
        let buf = self.input.fill_buf().map_err(Stop::Fail)?;
        let start = if self.line == 1 && buf.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        let delimiter = self.delimiter;
        let mut from = start;
        let special = &self.special;
        for (i, &b) in buf[start..].iter().enumerate() {
            // One table lookup rules out ordinary bytes, nearly all of them.
            if !special[usize::from(b)] {
                continue;
            }
            let at = start + i;
            if b == delimiter {
                self.fields.push((from, at));
                from = at + 1;
            } else if b == b'\n' {
                let end = if at > from && buf[at - 1] == b'\r' { at - 1 } else { at };
                self.fields.push((from, end));
                self.pending = at + 1;
                self.in_buffer = true;
                self.next_line += 1;
                return Ok(true);
            } else if b == b'"' {
                break;
            }
        }
        self.fields.clear();
        // Slow path: quotes, or a line across the buffer's end.
        self.in_buffer = false;
        self.data.clear();
        if read_line(&mut self.input, &mut self.data).map_err(Stop::Fail)? == 0 {
            return Ok(false);
        }
        self.next_line += 1;
        if self.line == 1 && self.data.starts_with(b"\xEF\xBB\xBF") {
            self.data.drain(..3);
        }
        self.unquote()?;
        Ok(true)
    }

    /// Splits a record with quotes, reading further lines while a quoted field is open.
    fn unquote(&mut self) -> Result<(), Stop<R::Fail>> {
        let out = &mut self.spare;
        out.clear();
        let mut i = 0;
        let mut start = 0;
        let mut quoted = false;
        let mut at_field_start = true;
        loop {
            if i == self.data.len() {
                if !quoted {
                    break;
                }
                // A quoted field runs on to the next line; at the end of the input it was never
                // closed, and the rest of the file would silently become one field.
                if read_line(&mut self.input, &mut self.data).map_err(Stop::Fail)? == 0 {
                    return Err(Stop::Unclosed(self.line));
                }
                self.next_line += 1;
                continue;
            }
            let b = self.data[i];
            i += 1;
            if quoted {
                if b == b'"' {
                    if self.data.get(i) == Some(&b'"') {
                        out.push(b'"');
                        i += 1;
                    } else {
                        quoted = false;
                    }
                } else {
                    out.push(b);
                }
            } else if b == b'"' && at_field_start {
                quoted = true;
                at_field_start = false;
            } else if b == self.delimiter {
                self.fields.push((start, out.len()));
                start = out.len();
                at_field_start = true;
            } else if b == b'\n' || (b == b'\r' && matches!(self.data.get(i), None | Some(b'\n'))) {
                break;
            } else {
                out.push(b);
                at_field_start = false;
            }
        }
        self.fields.push((start, out.len()));
        std::mem::swap(&mut self.data, &mut self.spare);
        Ok(())
    }

    /// The line the current record starts on, counting from 1.
    pub(crate) fn line(&self) -> u64 {
        self.line
    }

    pub(crate) fn len(&self) -> usize {
        self.fields.len()
    }

    fn bytes(&self) -> &[u8] {
        if self.in_buffer { self.input.buffer() } else { &self.data }
    }

    pub(crate) fn get(&self, i: usize) -> &[u8] {
        let (a, b) = self.fields[i];
        &self.bytes()[a..b]
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u8]> {
        let bytes = self.bytes();
        self.fields.iter().map(move |&(a, b)| &bytes[a..b])
    }
}

/// Appends one field to a CSV line, quoted when it must be.
pub(crate) fn write_field(out: &mut impl fmt::Write, field: &str) -> fmt::Result {
    let needs = field.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
        || field.starts_with(' ')
        || field.ends_with(' ');
    if needs {
        out.write_char('"')?;
        out.write_str(&field.replace('"', "\"\""))?;
        out.write_char('"')
    } else {
        out.write_str(field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn all(input: &str) -> Vec<(u64, Vec<String>)> {
        let mut r = Records::new(BufReader::with_capacity(8, input.as_bytes()), b',');
        let mut out = Vec::new();
        while r.advance().unwrap_or(false) {
            out.push((r.line(), r.iter().map(|f| String::from_utf8_lossy(f).into_owned()).collect()));
        }
        out
    }

    #[test]
    fn splits_and_numbers_lines() {
        assert_eq!(
            all("a,b\r\n\r\n\"c,\"\"d\"\"\",e\n\"multi\nline\",f\ng"),
            vec![
                (1, vec!["a".into(), "b".into()]),
                (2, vec!["".into()]),
                (3, vec!["c,\"d\"".into(), "e".into()]),
                (4, vec!["multi\nline".into(), "f".into()]),
                (6, vec!["g".into()]),
            ]
        );
        assert_eq!(all("\u{feff}x,\"y\"\r\n"), vec![(1, vec!["x".into(), "y".into()])]);
        // A quote inside an unquoted field is kept, as spreadsheets do.
        assert_eq!(all("a\"b,c\n"), vec![(1, vec!["a\"b".into(), "c".into()])]);
        // An unterminated quote is an error naming the line it opened on.
        assert_eq!(all("a\n\"open,x\ny"), vec![(1, vec!["a".into()])]);
        let mut r = Records::new(BufReader::with_capacity(8, "a\n\"open,x\ny".as_bytes()), b',');
        assert!(matches!(r.advance(), Ok(true)));
        assert!(matches!(r.advance(), Err(Stop::Unclosed(2))));
    }

    #[test]
    fn writes_quotes_only_where_needed() {
        let mut s = String::new();
        for f in ["plain", "a,b", "say \"hi\"", " pad", "two\nlines"] {
            write_field(&mut s, f).unwrap();
            s.push('|');
        }
        assert_eq!(s, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\" pad\"|\"two\nlines\"|");
    }
}
