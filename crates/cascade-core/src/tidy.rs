//! Tidy CSV: one rating per row, the format evaluators exchange.
//!
//! The header names exactly the columns `area,round,respondent,group,domain,level`, in any
//! order. Files as spreadsheets save them read the same as clean ones: a byte-order mark,
//! CRLF line ends, quoted fields, spaces around values, blank rows, empty trailing columns,
//! header names in any letter case, and `;` or tab separators are all accepted.
//! Anything else is an error that names the line, and nothing is half-read.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Read};

use crate::assessment::{Assessment, Rating, Respondent, Round, Score};
use crate::dataset::Dataset;
use crate::error::Error;
use crate::framework::Framework;
use crate::group::Group;

/// The columns of a tidy CSV file, in the order this crate writes them.
pub const COLUMNS: [&str; 6] = ["area", "round", "respondent", "group", "domain", "level"];

const AREA: usize = 0;
const ROUND: usize = 1;
const RESPONDENT: usize = 2;
const GROUP: usize = 3;
const DOMAIN: usize = 4;
const LEVEL: usize = 5;

/// One data row, checked against the framework.
struct Row<'a> {
    area: &'a str,
    round: &'a str,
    respondent: Option<&'a str>,
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
pub fn read<R: Read>(input: R, framework: &Framework) -> Result<Dataset, Error> {
    let mut data = Dataset::new(framework);
    // Rows usually come grouped by area, round and respondent; remembering the last of
    // each skips most hash lookups on large files.
    let mut last_area: Option<(String, usize)> = None;
    let mut last_round: Option<(usize, String, usize)> = None;
    let mut last_who: Option<(usize, String, u32)> = None;
    for_each_row(input, framework, |row| {
        let area = match &last_area {
            Some((name, i)) if name == row.area => *i,
            _ => {
                let i = data.area_index(row.area);
                last_area = Some((row.area.to_owned(), i));
                i
            }
        };
        let round = match &last_round {
            Some((a, id, i)) if *a == area && id == row.round => *i,
            _ => {
                let i = data.round_index(area, row.round);
                last_round = Some((area, row.round.to_owned(), i));
                i
            }
        };
        let who = row.respondent.map(|id| match &last_who {
            Some((a, last, i)) if *a == area && last == id => *i,
            _ => {
                let i = data.respondent_index(area, id);
                last_who = Some((area, id.to_owned(), i));
                i
            }
        });
        data.add(area, round, who, row.group, row.domain, row.score).map_err(|_| duplicate(row, framework))
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
pub fn read_assessments<R: Read>(input: R, framework: &Framework) -> Result<Vec<Assessment>, Error> {
    // The dataset finds duplicate ratings exactly as `read` does.
    let mut data = Dataset::new(framework);
    let mut docs: Vec<Assessment> = Vec::new();
    for_each_row(input, framework, |row| {
        let area = data.area_index(row.area);
        if area == docs.len() {
            let mut doc = Assessment::new(row.area, framework);
            doc.rounds.clear();
            docs.push(doc);
        }
        let doc = &mut docs[area];
        let round = data.round_index(area, row.round);
        if round == doc.rounds.len() {
            doc.rounds.push(Round { id: row.round.to_owned(), label: row.round.to_owned(), date: None });
        }
        let who = row.respondent.map(|id| data.respondent_index(area, id));
        data.add(area, round, who, row.group, row.domain, row.score).map_err(|_| duplicate(row, framework))?;
        if let Some(id) = row.respondent {
            if !doc.respondents.iter().any(|r| r.id == id) {
                doc.respondents.push(Respondent { id: id.to_owned(), group: row.group });
            }
        }
        doc.ratings.push(Rating {
            round: row.round.to_owned(),
            respondent: row.respondent.map(str::to_owned),
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
/// place in the format and are left out.
pub fn to_string(assessments: &[Assessment]) -> String {
    let mut out = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = out.write_record(COLUMNS);
    for a in assessments {
        for r in &a.ratings {
            let level = r.score.to_string();
            let who = r.respondent.as_deref().unwrap_or("");
            let _ = out.write_record([&a.area, &r.round, who, r.group.as_str(), &r.domain, &level]);
        }
        for t in &a.tallies {
            let unsure = std::iter::repeat_n("unsure".to_owned(), t.unsure as usize);
            let levels = t.counts.iter().enumerate().flat_map(|(i, &c)| std::iter::repeat_n((i + 1).to_string(), c as usize));
            for level in unsure.chain(levels) {
                let _ = out.write_record([&a.area, &t.round, "", t.group.as_str(), &t.domain, &level]);
            }
        }
    }
    String::from_utf8(out.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn duplicate(row: &Row<'_>, fw: &Framework) -> String {
    format!(
        "respondent {:?} already rated {} in round {:?}",
        row.respondent.unwrap_or_default(),
        fw.domains[row.domain].id,
        row.round
    )
}

/// Picks the separator from the header line: commas unless the line has none but has
/// semicolons (European spreadsheets) or tabs.
fn sniff(head: &[u8]) -> u8 {
    let line = head.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |c: u8| line.iter().filter(|&&b| b == c).count();
    match (count(b','), count(b';'), count(b'\t')) {
        (0, s, t) if s > 0 && s >= t => b';',
        (0, _, t) if t > 0 => b'\t',
        _ => b',',
    }
}

fn trim(b: &[u8]) -> &[u8] {
    b.trim_ascii()
}

fn text<'a>(b: &'a [u8], column: &str) -> Result<&'a str, String> {
    std::str::from_utf8(b).map_err(|_| format!("{column} is not valid UTF-8 text; save the file as \"CSV UTF-8\""))
}

/// Passes bytes through unchanged, noting where each line ends, so that rows get their
/// true line numbers: the csv crate reports the position just after the previous row,
/// which is a line early in CRLF files and before any blank lines.
struct LineTracker<R> {
    inner: R,
    /// Offsets of `\n` bytes not yet behind the current row; the top bit marks a `\r\n`.
    ends: VecDeque<u64>,
    /// Offset of the next byte to be read.
    offset: u64,
    /// Line ends already behind the current row.
    passed: u64,
    last: u8,
}

const CR: u64 = 1 << 63;

impl<R: Read> Read for LineTracker<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        for i in memchr::memchr_iter(b'\n', &buf[..n]) {
            let before = if i > 0 { buf[i - 1] } else { self.last };
            self.ends.push_back((self.offset + i as u64) | if before == b'\r' { CR } else { 0 });
        }
        if n > 0 {
            self.last = buf[n - 1];
        }
        self.offset += n as u64;
        Ok(n)
    }
}

impl<R> LineTracker<R> {
    /// The line of a row the csv crate says starts at byte `start`: blank lines at `start` are
    /// skipped, as the csv crate skips them.
    fn line_at(&mut self, start: u64) -> u64 {
        while self.ends.front().is_some_and(|&e| e & !CR < start) {
            self.ends.pop_front();
            self.passed += 1;
        }
        let mut line = self.passed + 1;
        let mut at = start;
        for &e in &self.ends {
            let (offset, crlf) = (e & !CR, e & CR != 0);
            if offset == at || (crlf && offset == at + 1) {
                line += 1;
                at = offset + 1;
            } else {
                break;
            }
        }
        line
    }
}

/// Calls `f` with every data row, checked; stops at the first problem, naming its line.
fn for_each_row<R: Read>(
    input: R,
    fw: &Framework,
    mut f: impl FnMut(&Row<'_>) -> Result<(), String>,
) -> Result<(), Error> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let read_err = |e: io::Error| Error::Read { message: e.to_string() };
    let delimiter = sniff(input.fill_buf().map_err(read_err)?);
    let tracker = LineTracker { inner: input, ends: VecDeque::new(), offset: 0, passed: 0, last: 0 };
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .buffer_capacity(1 << 16)
        .from_reader(tracker);
    let line_of = |csv: &mut csv::Reader<LineTracker<_>>, record: &csv::ByteRecord| {
        let start = record.position().map_or(0, |p| p.byte());
        csv.get_mut().line_at(start)
    };
    let mut record = csv::ByteRecord::new();
    let next = |csv: &mut csv::Reader<_>, record: &mut csv::ByteRecord| -> Result<bool, Error> {
        csv.read_byte_record(record).map_err(|e| match e.into_kind() {
            csv::ErrorKind::Io(e) => read_err(e),
            other => Error::Read { message: format!("{other:?}") },
        })
    };
    let blank = |r: &csv::ByteRecord| r.iter().all(|f| trim(f).is_empty());

    // The header: the first row that is not blank.
    let mut columns = [usize::MAX; 6];
    let width;
    loop {
        if !next(&mut csv, &mut record)? {
            return Err(Error::Empty);
        }
        if !blank(&record) {
            break;
        }
    }
    {
        let line = line_of(&mut csv, &record);
        let header_err = |message: String| Error::Header { line, message };
        let expected = "the header must be area,round,respondent,group,domain,level, in any order";
        width = record.len();
        for (i, name) in record.iter().enumerate() {
            let name = trim(name.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(name));
            if name.is_empty() {
                continue;
            }
            let Some(c) = COLUMNS.iter().position(|c| c.as_bytes().eq_ignore_ascii_case(name)) else {
                let shown = String::from_utf8_lossy(name);
                return Err(header_err(format!("unknown column {shown:?}; {expected}")));
            };
            if columns[c] != usize::MAX {
                return Err(header_err(format!("column {:?} appears twice", COLUMNS[c])));
            }
            columns[c] = i;
        }
        if let Some(c) = columns.iter().position(|&i| i == usize::MAX) {
            return Err(header_err(format!("missing column {:?}; {expected}", COLUMNS[c])));
        }
    }

    let scale = fw.scale();
    let domains: Vec<&[u8]> = fw.domains.iter().map(|d| d.id.as_bytes()).collect();
    let mut row_of = |record: &csv::ByteRecord| -> Result<(), String> {
        // Spreadsheets pad or trim empty cells at the end of a row; only values count.
        let short = columns.iter().any(|&c| c >= record.len());
        if short || record.iter().skip(width).any(|f| !trim(f).is_empty()) {
            return Err(format!("has {} fields; the header has {width}", record.len()));
        }
        let len = record.len().min(width);
        if let Some(i) = (0..len).find(|&i| !columns.contains(&i) && !trim(&record[i]).is_empty()) {
            return Err(format!("column {} has a value but no header", i + 1));
        }
        let field = |c: usize| trim(&record[columns[c]]);
        let area = text(field(AREA), "area")?;
        if area.is_empty() {
            return Err("area is empty".into());
        }
        let round = text(field(ROUND), "round")?;
        if round.is_empty() {
            return Err("round is empty".into());
        }
        let respondent = text(field(RESPONDENT), "respondent")?;
        let group = Group::parse_bytes(field(GROUP)).ok_or_else(|| {
            format!(
                "unknown group {:?}; expected one of {}, or empty for other",
                String::from_utf8_lossy(field(GROUP)),
                Group::list()
            )
        })?;
        let domain = field(DOMAIN);
        let domain = domains.iter().position(|d| *d == domain).ok_or_else(|| {
            if domain.is_empty() {
                "domain is empty".to_owned()
            } else {
                format!("unknown domain {:?}; expected one of {}", String::from_utf8_lossy(domain), fw.domain_list())
            }
        })?;
        let level = field(LEVEL);
        let score = Score::parse_bytes(level, scale).ok_or_else(|| {
            if level.is_empty() {
                format!("level is empty; expected a whole number from 1 to {scale} or \"unsure\"")
            } else {
                format!(
                    "level {:?} is not a whole number from 1 to {scale} or \"unsure\"",
                    String::from_utf8_lossy(level)
                )
            }
        })?;
        f(&Row { area, round, respondent: (!respondent.is_empty()).then_some(respondent), group, domain, score })
    };
    while next(&mut csv, &mut record)? {
        if blank(&record) {
            continue;
        }
        if let Err(message) = row_of(&record) {
            return Err(Error::Row { line: line_of(&mut csv, &record), message });
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
