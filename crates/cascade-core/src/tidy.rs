//! Tidy CSV: one rating per row, the format evaluators exchange.
//!
//! The header names exactly the columns `area,round,respondent,group,domain,level`, in any
//! order. Files as spreadsheets save them read the same as clean ones: a byte-order mark,
//! CRLF line ends, quoted fields, spaces around values, blank rows, empty trailing columns,
//! header names in any letter case, and `;` or tab separators are all accepted.
//! Anything else is an error that names the line, and nothing is half-read.

use std::fmt;
use std::io::{self, BufReader, Read, Write};

use crate::assessment::{Assessment, Rating, Respondent, Round, Score};
use crate::dataset::{Dataset, Refused};
use crate::error::{Error, ErrorKind};
use crate::quote::Quoted;
use crate::framework::Framework;
use crate::group::Group;
use crate::ids;
use crate::records::{write_field, Input, Records, Stop};

/// The columns of a tidy CSV file, in the order this crate writes them.
///
/// ```
/// use cascade_core::tidy;
///
/// assert_eq!(tidy::COLUMNS.join(","), "area,round,respondent,group,domain,level");
/// ```
pub const COLUMNS: [&str; 6] = ["area", "round", "respondent", "group", "domain", "level"];

const AREA: usize = 0;
const ROUND: usize = 1;
const RESPONDENT: usize = 2;
const GROUP: usize = 3;
const DOMAIN: usize = 4;
const LEVEL: usize = 5;

/// One data row, checked against the framework. Names stay bytes until a reader needs
/// them as text, so a name repeated on many rows is checked as UTF-8 once, not per row.
struct Row<'a> {
    area: &'a [u8],
    round: &'a [u8],
    respondent: Option<&'a [u8]>,
    group: Group,
    domain: usize,
    score: Score,
}

/// Reads a tidy CSV file into a [`Dataset`], folding rows into counts as it goes, so a file
/// of any size is read in memory proportional to its areas and respondents, not its rows.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// // As a spreadsheet saves it: byte-order mark, CRLF, quotes, a blank row.
/// let csv = "\u{feff}Area,Round,Respondent,Group,Domain,Level\r\n\
///            \"Vale, North\",baseline,ana,education,clarity,2\r\n\
///            ,,,,,\r\n\
///            \"Vale, North\",baseline,ben,,clarity, Unsure \r\n";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let s = data.summary();
/// assert_eq!(s.areas[0].area, "Vale, North");
/// assert_eq!((s.areas[0].rounds[0].domains[0].n, s.areas[0].rounds[0].domains[0].unsure), (1, 1));
/// # Ok::<(), cascade_core::Error>(())
/// ```
///
/// # Errors
///
/// At the first problem, with its [`line`](Error::line): [`ErrorKind::EmptyFile`],
/// [`ErrorKind::Header`], and for a row a kind such as [`ErrorKind::UnknownDomain`],
/// [`ErrorKind::Level`], [`ErrorKind::DuplicateRating`] (a respondent rated a domain twice in
/// a round), [`ErrorKind::GroupMismatch`] (a respondent's rows name two groups),
/// [`ErrorKind::FieldCount`] or [`ErrorKind::NotUtf8`]; [`ErrorKind::Io`] if reading fails,
/// with the [`io::Error`] as its [`source`](std::error::Error::source).
pub fn read<R: Read>(input: R, framework: &Framework) -> Result<Dataset, Error> {
    dataset(Reader(input), framework)
}

/// [`read`] for a file already in memory: the same result, without `std::io`, which the
/// WebAssembly module leaves out. Not part of the stable API.
#[doc(hidden)]
pub fn read_bytes(input: &[u8], framework: &Framework) -> Result<Dataset, Error> {
    dataset(Bytes(input), framework)
}

fn dataset(input: impl Rows, framework: &Framework) -> Result<Dataset, Error> {
    let mut data = Dataset::new(framework);
    // Rows usually come grouped by area, round and respondent; remembering the last of
    // each skips most hash lookups and UTF-8 checks on large files.
    let mut last_area: (Vec<u8>, usize) = (Vec::new(), usize::MAX);
    let mut last_round: (usize, Vec<u8>, usize) = (usize::MAX, Vec::new(), 0);
    let mut last_who: (usize, Vec<u8>, u32) = (usize::MAX, Vec::new(), 0);
    input.each(framework, |row| {
        if last_area.1 == usize::MAX || last_area.0 != row.area {
            let i = data.area_index(text(row.area, "area")?);
            last_area = (row.area.to_vec(), i);
        }
        let area = last_area.1;
        if last_round.0 != area || last_round.1 != row.round {
            let i = data.round_index(area, text(row.round, "round")?);
            last_round = (area, row.round.to_vec(), i);
        }
        let who = match row.respondent {
            None => None,
            Some(id) => {
                if last_who.0 != area || last_who.1 != id {
                    let i = data.respondent_index(area, text(id, "respondent")?, row.group);
                    last_who = (area, id.to_vec(), i);
                }
                Some(last_who.2)
            }
        };
        data.add(area, last_round.2, who, row.group, row.domain, row.score).map_err(|r| refused(&r, row, framework))
    })?;
    Ok(data)
}

/// Reads a tidy CSV file into one assessment document per area, in order of first
/// appearance: rounds in order of first appearance, respondents with the group of their
/// first row, ratings in file order.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,baseline,ana,education,clarity,2\n";
/// let docs = tidy::read_assessments(csv.as_bytes(), &Framework::cascade())?;
/// assert_eq!(docs[0].area, "Vale");
/// assert_eq!(docs[0].respondents[0].id, "ana");
/// assert_eq!(tidy::to_string(&docs), csv);
/// # Ok::<(), cascade_core::Error>(())
/// ```
///
/// Every document read is valid on `framework` ([`Assessment::validate`]), and a file reads
/// without error here exactly when [`read`] reads it.
///
/// # Errors
///
/// As [`read`].
pub fn read_assessments<R: Read>(input: R, framework: &Framework) -> Result<Vec<Assessment>, Error> {
    assessments(Reader(input), framework)
}

/// [`read_assessments`] for a file already in memory, without `std::io`. Not part of the
/// stable API.
#[doc(hidden)]
pub fn read_assessments_bytes(input: &[u8], framework: &Framework) -> Result<Vec<Assessment>, Error> {
    assessments(Bytes(input), framework)
}

fn assessments(input: impl Rows, framework: &Framework) -> Result<Vec<Assessment>, Error> {
    // The dataset finds duplicate ratings exactly as `read` does.
    let mut data = Dataset::new(framework);
    let mut docs: Vec<Assessment> = Vec::new();
    input.each(framework, |row| {
        let (area_name, round_id) = (text(row.area, "area")?, text(row.round, "round")?);
        let respondent = row.respondent.map(|id| text(id, "respondent")).transpose()?;
        let area = data.area_index(area_name);
        if area == docs.len() {
            let mut doc = Assessment::new(area_name, framework);
            doc.rounds.clear();
            docs.push(doc);
        }
        let doc = &mut docs[area];
        let round = data.round_index(area, round_id);
        if round == doc.rounds.len() {
            doc.rounds.push(Round { id: round_id.to_owned(), label: round_id.to_owned(), date: None });
        }
        let who = respondent.map(|id| data.respondent_index(area, id, row.group));
        data.add(area, round, who, row.group, row.domain, row.score).map_err(|r| refused(&r, row, framework))?;
        // The dataset numbers an area's respondents in order of first appearance, as the
        // document lists them, so a new number is a new respondent: no search per row.
        if let (Some(id), Some(who)) = (respondent, who) {
            if who as usize == doc.respondents.len() {
                doc.respondents.push(Respondent { id: id.to_owned(), group: row.group });
            }
        }
        doc.ratings.push(Rating {
            round: round_id.to_owned(),
            respondent: respondent.map(str::to_owned),
            group: row.group,
            domain: framework.domains[row.domain].id.clone(),
            score: row.score,
        });
        Ok(())
    })?;
    Ok(docs)
}

/// Writes assessments as tidy CSV: a header, each document's ratings in order, then each
/// tally as that many anonymous rows. Agreed levels, targets, notes and actions have no
/// place in the format and are left out. Fields are quoted where CSV needs it.
///
/// The file is safe to open in a spreadsheet: a value that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (which Excel, LibreOffice and Google Sheets would run as a
/// formula) is written with a `'` before it, as [`spreadsheet_safe`] does. The readers of
/// this module take that `'` off again, so the file reads back exactly as it was written.
///
/// ```
/// use cascade_core::{tidy, Assessment, Framework, Group, Rating, Score};
///
/// let mut doc = Assessment::new("Vale, North", &Framework::cascade());
/// doc.ratings.push(Rating::new("baseline", None, Group::Education, "clarity", Score::Level(2)));
/// let mut out = Vec::new();
/// tidy::write(&mut out, &[doc])?;
/// assert_eq!(
///     String::from_utf8(out).unwrap(),
///     "area,round,respondent,group,domain,level\n\"Vale, North\",baseline,,education,clarity,2\n"
/// );
/// # Ok::<(), std::io::Error>(())
/// ```
///
/// # Errors
///
/// Any error of `out`.
pub fn write<W: Write>(out: W, assessments: &[Assessment]) -> io::Result<()> {
    let mut sink = IoSink { out, error: None };
    if write_to(&mut sink, assessments).is_err() {
        return Err(sink.error.unwrap_or_else(|| io::Error::other("formatting failed")));
    }
    sink.out.flush()
}

/// [`write()`] to a `String`.
///
/// ```
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\n'=1+1,baseline,'@SUM(A1),other,clarity,2\n";
/// let docs = tidy::read_assessments(csv.as_bytes(), &Framework::cascade())?;
/// assert_eq!((docs[0].area.as_str(), docs[0].respondents[0].id.as_str()), ("=1+1", "@SUM(A1)"));
/// assert_eq!(tidy::to_string(&docs), csv);
/// # Ok::<(), cascade_core::Error>(())
/// ```
#[must_use]
pub fn to_string(assessments: &[Assessment]) -> String {
    let mut out = String::new();
    // Writing to a String cannot fail.
    let _ = write_to(&mut out, assessments);
    out
}

/// An `io::Write` as a `fmt::Write`, keeping the first I/O error.
struct IoSink<W> {
    out: W,
    error: Option<io::Error>,
}

impl<W: Write> fmt::Write for IoSink<W> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.out.write_all(s.as_bytes()).map_err(|e| {
            self.error = Some(e);
            fmt::Error
        })
    }
}

fn write_to(out: &mut impl fmt::Write, assessments: &[Assessment]) -> fmt::Result {
    let mut line = |fields: [&str; 6]| -> fmt::Result {
        for (i, f) in fields.iter().enumerate() {
            if i > 0 {
                out.write_char(',')?;
            }
            write_field(out, &spreadsheet_safe(f))?;
        }
        out.write_char('\n')
    };
    line(COLUMNS)?;
    for a in assessments {
        for r in &a.ratings {
            let level = r.score.to_string();
            let who = r.respondent.as_deref().unwrap_or("");
            line([&a.area, &r.round, who, r.group.as_str(), &r.domain, &level])?;
        }
        for t in &a.tallies {
            let unsure = std::iter::repeat_n("unsure".to_owned(), t.unsure as usize);
            let levels = t.counts.iter().enumerate().flat_map(|(i, &c)| std::iter::repeat_n((i + 1).to_string(), c as usize));
            for level in unsure.chain(levels) {
                line([&a.area, &t.round, "", t.group.as_str(), &t.domain, &level])?;
            }
        }
    }
    Ok(())
}

fn refused(why: &Refused, row: &Row<'_>, fw: &Framework) -> Error {
    let who = shown(row.respondent.unwrap_or_default());
    let domain = &fw.domains[row.domain].id;
    match why {
        Refused::Duplicate => Error::new(
            ErrorKind::DuplicateRating,
            format!(
                "respondent {} already rated {domain} in round {}",
                Quoted(&who),
                Quoted(&shown(row.round))
            ),
        ),
        Refused::Group(first) => Error::new(
            ErrorKind::GroupMismatch,
            format!("group {} is not respondent {}'s group on earlier rows, {first}", row.group, Quoted(&who)),
        ),
    }
    .in_domain(domain)
}

/// The bytes up to and including the header, the first line that is not blank (or 64 KiB,
/// or the whole input if shorter), read before anything is decided from them.
fn head<R: Read>(input: &mut R) -> io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut chunk = [0u8; 4096];
    while head.len() < 1 << 16 {
        let n = match input.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        head.extend_from_slice(&chunk[..n]);
        let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
        let mut lines = text.split(|&b| b == b'\n' || b == b'\r');
        // The header is complete once a non-blank line is followed by a line end.
        let complete = lines.any(|l| !l.trim_ascii().is_empty()) && lines.next().is_some();
        if complete {
            break;
        }
    }
    Ok(head)
}

/// Whether lines end in a bare CR, as classic Mac spreadsheets save them.
fn cr_only(head: &[u8]) -> bool {
    match head.iter().position(|&b| b == b'\n' || b == b'\r') {
        Some(i) => head[i] == b'\r' && head.get(i + 1).is_some_and(|&b| b != b'\n'),
        None => false,
    }
}

/// Picks the separator from the header line: commas unless the line has none but has
/// semicolons (European spreadsheets) or tabs.
fn sniff(head: &[u8]) -> u8 {
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let line = text.split(|&b| b == b'\n' || b == b'\r').find(|l| !l.trim_ascii().is_empty()).unwrap_or_default();
    let count = |c: u8| line.iter().filter(|&&b| b == c).count();
    match (count(b','), count(b';'), count(b'\t')) {
        (0, s, t) if s > 0 && s >= t => b';',
        (0, _, t) if t > 0 => b'\t',
        _ => b',',
    }
}

/// A failure to read, as an [`Error`]; bytes in memory have none.
struct ReadFailed(Error);

impl From<io::Error> for ReadFailed {
    fn from(e: io::Error) -> ReadFailed {
        ReadFailed(Error::io(e))
    }
}

impl From<std::convert::Infallible> for ReadFailed {
    fn from(never: std::convert::Infallible) -> ReadFailed {
        match never {}
    }
}

/// Turns bare CR line ends into LF.
struct CrToLf<R>(R);

impl<R: Read> Read for CrToLf<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.0.read(buf)?;
        for b in &mut buf[..n] {
            if *b == b'\r' {
                *b = b'\n';
            }
        }
        Ok(n)
    }
}

fn blank<R: Input>(r: &Records<R>) -> bool {
    r.iter().all(|f| trim(f).is_empty())
}

#[inline]
fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

/// A field as a message shows it: the text, or, where it is not UTF-8, each byte beyond ASCII
/// as U+FFFD. (`String::from_utf8_lossy` keeps the valid characters of broken text too, at
/// twice the size in the WebAssembly module, for messages about a file that is refused anyway.)
fn shown(b: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(t) => t.into(),
        Err(_) => b.iter().map(|&c| if c.is_ascii() { char::from(c) } else { '\u{fffd}' }).collect::<String>().into(),
    }
}

fn text<'a>(b: &'a [u8], column: &str) -> Result<&'a str, Error> {
    let t = std::str::from_utf8(b).map_err(|_| {
        Error::new(ErrorKind::NotUtf8, format!("{column} is not valid UTF-8 text; save the file as \"CSV UTF-8\""))
    })?;
    // Called once per distinct value, not per row, so the checks cost nothing on big files.
    let checked = if column == "area" { ids::check_name(t, ids::MAX_NAME_CHARS) } else { ids::check_id(t) };
    checked.map_err(|m| Error::new(ErrorKind::InvalidText, format!("{column} {} {m}", Quoted(t))))?;
    Ok(t)
}

/// A CSV value made safe to open in a spreadsheet: one that starts with `=`, `+`, `-`, `@`,
/// a tab or a carriage return (or with `'` marks before one of those) gets a `'` in front,
/// which spreadsheets show as text and do not run. Every other value is returned as it is.
///
/// ```
/// use cascade_core::tidy::spreadsheet_safe;
///
/// assert_eq!(spreadsheet_safe("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
/// assert_eq!(spreadsheet_safe("+cmd|' /C calc'!A0"), "'+cmd|' /C calc'!A0");
/// assert_eq!(spreadsheet_safe("Vale"), "Vale");
/// assert_eq!(spreadsheet_safe("-0.5"), "'-0.5");
/// ```
#[must_use]
pub fn spreadsheet_safe(value: &str) -> std::borrow::Cow<'_, str> {
    if starts_formula(value.as_bytes()) {
        format!("'{value}").into()
    } else {
        value.into()
    }
}

/// A value as read back from a file this crate wrote: see [`to_string`] for the `'` it
/// puts before a value a spreadsheet would take for a formula.
fn unprotect(b: &[u8]) -> &[u8] {
    match b {
        [b'\'', rest @ ..] if starts_formula(rest) => rest,
        _ => b,
    }
}

/// The first characters that make a spreadsheet read a cell as a formula.
const FORMULA_START: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// Whether a value starts a formula, or is one once `'` marks are taken off its start.
fn starts_formula(b: &[u8]) -> bool {
    match b {
        [first, ..] if FORMULA_START.contains(first) => true,
        [b'\'', rest @ ..] => starts_formula(rest),
        _ => false,
    }
}

/// A CSV file to read row by row: from a reader, or from bytes in memory.
trait Rows {
    /// Calls `f` with every data row, checked; stops at the first problem, naming its line.
    fn each(self, fw: &Framework, f: impl FnMut(&Row<'_>) -> Result<(), Error>) -> Result<(), Error>;
}

struct Reader<R>(R);

impl<R: Read> Rows for Reader<R> {
    fn each(self, fw: &Framework, f: impl FnMut(&Row<'_>) -> Result<(), Error>) -> Result<(), Error> {
        let mut input = self.0;
        let head = head(&mut input).map_err(Error::io)?;
        let delimiter = sniff(&head);
        let cr = cr_only(&head);
        let whole = io::Cursor::new(head).chain(input);
        let input: Box<dyn Read + '_> = if cr { Box::new(CrToLf(whole)) } else { Box::new(whole) };
        for_each_row(Records::new(BufReader::with_capacity(1 << 16, input), delimiter), fw, f)
    }
}

struct Bytes<'a>(&'a [u8]);

impl Rows for Bytes<'_> {
    fn each(self, fw: &Framework, f: impl FnMut(&Row<'_>) -> Result<(), Error>) -> Result<(), Error> {
        // What a reader decides from its first 64 KiB.
        let head = &self.0[..self.0.len().min(1 << 16)];
        let delimiter = sniff(head);
        if cr_only(head) {
            let lf: Vec<u8> = self.0.iter().map(|&b| if b == b'\r' { b'\n' } else { b }).collect();
            for_each_row(Records::new(&lf[..], delimiter), fw, f)
        } else {
            for_each_row(Records::new(self.0, delimiter), fw, f)
        }
    }
}

/// Calls `f` with every data row, checked; stops at the first problem, naming its line.
fn for_each_row<I: Input>(
    mut record: Records<I>,
    fw: &Framework,
    mut f: impl FnMut(&Row<'_>) -> Result<(), Error>,
) -> Result<(), Error>
where
    I::Fail: Into<ReadFailed>,
{
    let next = |record: &mut Records<I>| {
        record.advance().map_err(|stop| match stop {
            Stop::Fail(e) => e.into().0,
            Stop::Unclosed(line) => {
                Error::new(ErrorKind::UnclosedQuote, "a quote opened on this line is never closed").at_line(line)
            }
        })
    };

    // The header: the first row that is not blank.
    let mut columns = [usize::MAX; 6];
    let width;
    loop {
        if !next(&mut record)? {
            return Err(Error::new(
                ErrorKind::EmptyFile,
                "the file is empty; expected a header row: area,round,respondent,group,domain,level",
            ));
        }
        if !blank(&record) {
            break;
        }
    }
    {
        let line = record.line();
        let header_err = |message: String| Error::new(ErrorKind::Header, message).at_line(line);
        let expected = "the header must be area,round,respondent,group,domain,level, in any order";
        width = record.len();
        for (i, name) in record.iter().enumerate() {
            let name = trim(name.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(name));
            if name.is_empty() {
                continue;
            }
            let Some(c) = COLUMNS.iter().position(|c| c.as_bytes().eq_ignore_ascii_case(name)) else {
                let shown = shown(name);
                return Err(header_err(format!("unknown column {}; {expected}", Quoted(&shown))));
            };
            if columns[c] != usize::MAX {
                return Err(header_err(format!("column {} appears twice", Quoted(COLUMNS[c]))));
            }
            columns[c] = i;
        }
        if let Some(c) = columns.iter().position(|&i| i == usize::MAX) {
            return Err(header_err(format!("missing column {}; {expected}", Quoted(COLUMNS[c]))));
        }
    }

    let scale = fw.scale();
    let domains: Vec<&[u8]> = fw.domains.iter().map(|d| d.id.as_bytes()).collect();
    let last_named = columns.iter().copied().max().unwrap_or(0);
    let unnamed: Vec<usize> = (0..width).filter(|i| !columns.contains(i)).collect();
    let fault = |kind: ErrorKind, message: String| Err(Error::new(kind, message));
    // Ok(false) for a blank row, which is skipped.
    let mut row_of = |record: &Records<_>| -> Result<bool, Error> {
        let len = record.len();
        if len > last_named {
            let field = |c: usize| unprotect(trim(record.get(columns[c])));
            let area = field(AREA);
            if area.is_empty() && blank(record) {
                return Ok(false);
            }
            // Spreadsheets pad or trim empty cells at the end of a row; only values count.
            if len > width && record.iter().skip(width).any(|f| !trim(f).is_empty()) {
                return fault(ErrorKind::FieldCount, format!("has {len} fields; the header has {width}"));
            }
            if let Some(i) = unnamed.iter().find(|&&i| i < len && !trim(record.get(i)).is_empty()) {
                return fault(ErrorKind::FieldCount, format!("column {} has a value but no header", i + 1));
            }
            if area.is_empty() {
                return fault(ErrorKind::Empty, "area is empty".into());
            }
            let round = field(ROUND);
            if round.is_empty() {
                return fault(ErrorKind::Empty, "round is empty".into());
            }
            let respondent = field(RESPONDENT);
            let Some(group) = Group::from_id(field(GROUP)) else {
                return fault(
                    ErrorKind::UnknownGroup,
                    format!(
                        "unknown group {}; expected one of {}, or empty for other",
                        Quoted(&shown(field(GROUP))),
                        Group::list()
                    ),
                );
            };
            let domain = field(DOMAIN);
            // Length and first byte first: most ids differ there, which spares a memcmp call.
            let Some(domain) = domains.iter().position(|d| d.len() == domain.len() && d.first() == domain.first() && *d == domain) else {
                if domain.is_empty() {
                    return fault(ErrorKind::Empty, "domain is empty".to_owned());
                }
                let shown = shown(domain);
                return Err(Error::new(
                    ErrorKind::UnknownDomain,
                    format!("unknown domain {}; expected one of {}", Quoted(&shown), fw.domain_list()),
                )
                .in_domain(&shown));
            };
            let level = field(LEVEL);
            let Some(score) = Score::parse_bytes(level, scale) else {
                let message = if level.is_empty() {
                    format!("level is empty; expected a whole number from 1 to {scale} or \"unsure\"")
                } else {
                    format!(
                        "level {} is not a whole number from 1 to {scale} or \"unsure\"",
                        Quoted(&shown(level))
                    )
                };
                return Err(Error::new(ErrorKind::Level, message).in_domain(&fw.domains[domain].id));
            };
            f(&Row { area, round, respondent: (!respondent.is_empty()).then_some(respondent), group, domain, score })?;
            Ok(true)
        } else if blank(record) {
            Ok(false)
        } else {
            fault(ErrorKind::FieldCount, format!("has {len} fields; the header has {width}"))
        }
    };
    while next(&mut record)? {
        if let Err(e) = row_of(&record) {
            return Err(e.at_line(record.line()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "area,round,respondent,group,domain,level\n";

    fn err(body: &str) -> String {
        read(body.as_bytes(), &Framework::cascade()).unwrap_err().to_string()
    }

    #[test]
    fn header_errors() {
        assert_eq!(err(""), "the file is empty; expected a header row: area,round,respondent,group,domain,level");
        assert_eq!(err("\n\n"), "the file is empty; expected a header row: area,round,respondent,group,domain,level");
        assert_eq!(
            err("area,round,respondent,group,domain\n"),
            "line 1: missing column \"level\"; the header must be area,round,respondent,group,domain,level, in any order"
        );
        assert_eq!(
            err("\narea,round,respondent,group,domain,levl\n"),
            "line 2: unknown column \"levl\"; the header must be area,round,respondent,group,domain,level, in any order"
        );
        assert_eq!(
            err("area,round,respondent,group,domain,level,AREA\n"),
            "line 1: column \"area\" appears twice"
        );
    }

    #[test]
    fn row_errors_name_the_line() {
        let cases = [
            ("Vale,baseline,ana,education,clarity,2\n,baseline,ben,,clarity,2\n", "line 3: area is empty"),
            ("Vale, ,ana,education,clarity,2\n", "line 2: round is empty"),
            (
                "Vale,baseline,ana,teacher,clarity,2\n",
                "line 2: unknown group \"teacher\"; expected one of education, mental-health, commissioner, \
                 local-authority, voluntary-sector, other, or empty for other",
            ),
            ("Vale,baseline,ana,education,,2\n", "line 2: domain is empty"),
            ("Vale,baseline,ana,education,clarity,\n", "line 2: level is empty; expected a whole number from 1 to 5 or \"unsure\""),
            ("Vale,baseline,ana,education,clarity,6\n", "line 2: level \"6\" is not a whole number from 1 to 5 or \"unsure\""),
            ("Vale,baseline,ana,education,clarity,2.5\n", "line 2: level \"2.5\" is not a whole number from 1 to 5 or \"unsure\""),
            ("Vale,baseline,ana,education,clarity,0\n", "line 2: level \"0\" is not a whole number from 1 to 5 or \"unsure\""),
            ("Vale,baseline,ana,education,clarity,-1\n", "line 2: level \"-1\" is not a whole number from 1 to 5 or \"unsure\""),
            ("Vale,baseline,ana,education,clarity\n", "line 2: has 5 fields; the header has 6"),
            ("Vale,baseline,ana,education,clarity,2,x\n", "line 2: has 7 fields; the header has 6"),
            (
                "Vale,baseline,ana,education,clarity,2\n\nVale,baseline,ana,education,clarity,3\n",
                "line 4: respondent \"ana\" already rated clarity in round \"baseline\"",
            ),
            (
                "Vale,baseline,ana,education,clarity,unsure\nVale,baseline,ana,education,clarity,unsure\n",
                "line 3: respondent \"ana\" already rated clarity in round \"baseline\"",
            ),
            ("Vale,__proto__,ana,education,clarity,2\n", "line 2: round \"__proto__\" is a reserved name"),
            ("Vale,baseline,ana\u{200b},education,clarity,2\n", "line 2: respondent \"ana\\u{200b}\" has an invisible or direction control character (U+200B)"),
            ("Vale \u{202e}nepo,baseline,ana,,clarity,2\n", "line 2: area \"Vale \\u{202e}nepo\" has an invisible or direction control character (U+202E)"),
            ("Vale,baseline,ana\u{7},education,clarity,2\n", "line 2: respondent \"ana\\u{7}\" has an invisible or direction control character (U+0007)"),
            ("Vale,baseline,\"multi\nline\",education,clarity,2\nVale,b,,x,clarity,2\n", "line 4: unknown group \"x\"; expected one of education, mental-health, commissioner, local-authority, voluntary-sector, other, or empty for other"),
        ];
        for (body, message) in cases {
            assert_eq!(err(&format!("{HEAD}{body}")), message, "{body}");
        }
        let latin1 = b"area,round,respondent,group,domain,level\nCaf\xe9,baseline,,,clarity,2\n";
        assert_eq!(
            read(&latin1[..], &Framework::cascade()).unwrap_err().to_string(),
            "line 2: area is not valid UTF-8 text; save the file as \"CSV UTF-8\""
        );
        // A name that is no domain, and not UTF-8 either, is shown with U+FFFD for each byte
        // beyond ASCII; UTF-8 text is shown as it is.
        let latin1 = b"area,round,respondent,group,domain,level\nVale,baseline,,,caf\xe9,2\nVale,b,,Sch\xc3\xbcle,clarity,2\n";
        assert_eq!(
            read(&latin1[..], &Framework::cascade()).unwrap_err().to_string(),
            "line 2: unknown domain \"caf\u{fffd}\"; expected one of clarity, contact, structures, outcomes, learning, integration, evidence"
        );
        let utf8 = b"area,round,respondent,group,domain,level\nVale,b,,Sch\xc3\xbcle,clarity,2\n";
        assert!(read(&utf8[..], &Framework::cascade()).unwrap_err().to_string().starts_with("line 2: unknown group \"Sch\u{fc}le\""));
    }

    #[test]
    fn unnamed_columns_must_be_empty() {
        let ok = "area,round,respondent,group,domain,level,,\nVale,b,,,clarity,2,,\nVale,b,,,clarity,3\n";
        assert_eq!(read(ok.as_bytes(), &Framework::cascade()).unwrap().rating_count(), 2);
        let bad = "area,,round,respondent,group,domain,level\nVale,x,b,,,clarity,2\n";
        assert_eq!(err(bad), "line 2: column 2 has a value but no header");
    }

    #[test]
    fn separators_and_spreadsheet_quirks() {
        let fw = Framework::cascade();
        let clean = "area,round,respondent,group,domain,level\nVale,baseline,ana,education,clarity,2\nVale,baseline,,,contact,unsure\n";
        let want = read(clean.as_bytes(), &fw).unwrap().summary();
        for messy in [
            "\u{feff}area;round;respondent;group;domain;level\r\nVale;baseline;ana;education;clarity;2\r\nVale;baseline;;;contact;unsure\r\n",
            "area\tround\trespondent\tgroup\tdomain\tlevel\nVale\tbaseline\tana\teducation\tclarity\t2.0\nVale\tbaseline\t\t\tcontact\tUNSURE",
            "LEVEL,Domain,group,respondent,round,area\r\n\"2\",\"clarity\",\"education\",\"ana\",\"baseline\",\"Vale\"\r\n,,,,,\r\n  unsure , contact ,, , baseline , Vale \r\n\r\n",
        ] {
            assert_eq!(read(messy.as_bytes(), &fw).unwrap().summary(), want, "{messy}");
        }
    }

    #[test]
    fn export_expands_tallies() {
        let fw = Framework::cascade();
        let mut a = Assessment::new("Vale", &fw);
        a.tallies.push(crate::Tally {
            round: "baseline".into(),
            domain: "contact".into(),
            group: Group::Other,
            counts: vec![0, 2, 0, 0, 1],
            unsure: 1,
        });
        assert_eq!(
            to_string(&[a]),
            "area,round,respondent,group,domain,level\nVale,baseline,,other,contact,unsure\n\
             Vale,baseline,,other,contact,2\nVale,baseline,,other,contact,2\nVale,baseline,,other,contact,5\n"
        );
    }
}
