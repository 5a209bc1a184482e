//! Reading a large CSV file in two halves at once, one per core.
//!
//! Only the plain case is split: a regular file of several megabytes with no quotes and LF or
//! CRLF line ends. The two halves are read as separate files (the second given the header)
//! and merged. Anything unusual (quotes, which could make the split land inside a field, any
//! error, a respondent whose ratings straddle the split twice) returns `None`, and the caller
//! reads the file whole, so messages and line numbers are exactly those of a plain read.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::Path;

use cascade_core::{tidy, Dataset, Framework};

/// Files smaller than this are read whole: a second thread would not pay for itself.
const MIN_SIZE: u64 = 8 << 20;

/// Passes bytes through, noting whether any is a double quote.
struct QuoteWatch<R> {
    inner: R,
    seen: bool,
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.seen |= buf[..n].contains(&b'"');
        Ok(n)
    }
}

/// Up to `len` bytes from `offset`.
fn peek(file: &mut File, offset: u64, len: usize) -> Option<Vec<u8>> {
    file.seek(SeekFrom::Start(offset)).ok()?;
    let mut buf = Vec::with_capacity(len);
    file.take(len as u64).read_to_end(&mut buf).ok()?;
    Some(buf)
}

pub(crate) fn read(path: &Path, fw: &Framework) -> Option<Dataset> {
    if path == Path::new("-") {
        return None;
    }
    let size = std::fs::metadata(path).ok().filter(|m| m.is_file())?.len();
    if size < MIN_SIZE {
        return None;
    }
    let mut file = File::open(path).ok()?;
    // The header: the first line with text on it, which the second half needs too.
    let head = peek(&mut file, 0, 1 << 16)?;
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    if text.first() == Some(&b'{') || text.first() == Some(&b'[') {
        return None;
    }
    let mut start = 0;
    let header = loop {
        let end = start + text[start..].iter().position(|&b| b == b'\n')?;
        let line = &text[start..end];
        if !line.trim_ascii().is_empty() {
            break line;
        }
        start = end + 1;
    };
    if header.contains(&b'"') || header.iter().filter(|&&b| b == b'\r').count() > usize::from(header.ends_with(b"\r")) {
        return None;
    }
    let mut header = header.to_vec();
    header.push(b'\n');
    // Split just after the first line end past the middle.
    let middle = size / 2;
    let after = peek(&mut file, middle, 1 << 16)?;
    let split = middle + after.iter().position(|&b| b == b'\n')? as u64 + 1;
    if split >= size {
        return None;
    }
    let (first, second) = std::thread::scope(|s| {
        let second = s.spawn(|| {
            let mut f = File::open(path).ok()?;
            f.seek(SeekFrom::Start(split)).ok()?;
            let mut watch = QuoteWatch { inner: f, seen: false };
            let data = tidy::read(io::Cursor::new(&header).chain(&mut watch), fw).ok()?;
            (!watch.seen).then_some(data)
        });
        let first = (|| {
            let mut watch = QuoteWatch { inner: File::open(path).ok()?.take(split), seen: false };
            let data = tidy::read(&mut watch, fw).ok()?;
            (!watch.seen).then_some(data)
        })();
        (first, second.join().ok().flatten())
    });
    let mut data = first?;
    data.merge(second?).ok()?;
    Some(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(name: &str, body: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("cascade-halves-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join(name);
        std::fs::write(&path, body).expect("write");
        path
    }

    fn rows(quote_at: Option<usize>) -> String {
        let mut csv = String::from("\nrespondent,area,round,group,domain,level\n");
        let mut i = 0;
        while csv.len() < MIN_SIZE as usize + 1000 {
            let area = if Some(i) == quote_at { "\"Vale, North\"".to_owned() } else { format!("Area {}", i / 140) };
            csv.push_str(&format!("r{},{area},baseline,,clarity,{}\n", i % 140, i % 5 + 1));
            i += 1;
        }
        csv
    }

    #[test]
    fn halves_give_the_whole_answer() {
        let fw = Framework::cascade();
        let body = rows(None);
        let path = file("plain.csv", &body);
        let halves = read(&path, &fw).expect("a plain large file is split");
        let whole = tidy::read(body.as_bytes(), &fw).expect("valid");
        assert_eq!(halves.summary(), whole.summary());
        assert_eq!(halves.rating_count(), whole.rating_count());
        // A quote anywhere could put the split inside a field: read whole instead.
        let quoted = file("quoted.csv", &rows(Some(100_000)));
        assert!(read(&quoted, &fw).is_none());
        // Small files are not worth a thread.
        let small = file("small.csv", "area,round,respondent,group,domain,level\nVale,b,,,clarity,2\n");
        assert!(read(&small, &fw).is_none());
    }
}
