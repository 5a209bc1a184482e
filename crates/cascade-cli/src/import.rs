//! `cascade import`: survey exports (one row per respondent, one column per domain) to tidy CSV.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};

use cascade_core::__private::Quoted;
use cascade_core::{Framework, Group};
use clap::Args;
use serde::{Deserialize, Serialize};

use crate::input::{framework_of, io_message, not_text, shown};
use crate::{sink, Failure};

pub(crate) const HELP: &str = "\
Reads Microsoft Forms and Google Forms exports (.xlsx or CSV) and spreadsheets with one row per
respondent and one column per domain, and prints tidy CSV. What it read goes to standard error.

Without --mapping it recognises:
  domain       a column whose header contains the domain's title (case, punctuation, spacing and
               numbering such as \"3.\" ignored), or the domain's id
  answers      a level number alone or leading (\"3\", \"3 - Developing\", \"3. Developing\", a number
               cell), a level label (\"Developing\"), or \"Don't know\", \"Not sure\", \"Unsure\" (unsure);
               a blank is no rating
  respondent   an Email column, else a Name column (never the response ID), trimmed and compared
               case-insensitively, so the same person pairs across rounds
  group        an organisation type column: school, college, academy: education; CAMHS, CYPMHS,
               NHS, MHST, mental health: mental health; ICB, integrated care board, CCG,
               commissioner: commissioner; council, local authority: local authority; charity,
               voluntary: voluntary sector; anything else: other (reported)
  round        --round, else a Round or Workshop column
  area         --area, else an Area column
--write-mapping FILE writes what was recognised, to check and to edit: the columns, and every
answer and organisation type the files hold with what it was read as (an unknown answer as
null, no rating); --mapping FILE then says it exactly (see docs/mapping.schema.json).

Examples:
  cascade import --round baseline --area 'North Vale' north-vale-baseline.xlsx > north-vale.csv
  cascade import --round followup --area 'North Vale' -o north-vale-followup.csv responses.csv
  cascade import --round baseline --write-mapping mapping.json export.xlsx > baseline.csv
  cascade import --mapping mapping.json --round followup export2.xlsx > followup.csv";

#[derive(Args)]
pub(crate) struct ImportArgs {
    /// Survey exports: .xlsx workbooks (the first sheet) or CSV files.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    /// The round of every response, such as `baseline`.
    #[arg(long, value_name = "ROUND")]
    round: Option<String>,
    /// The area of every response.
    #[arg(long, value_name = "NAME")]
    area: Option<String>,
    /// A mapping file (JSON) saying which column is which, and what answers and organisation types mean.
    #[arg(long, value_name = "FILE")]
    mapping: Option<PathBuf>,
    /// Write what was recognised (columns, every answer and organisation type) as a mapping file, to check or edit.
    #[arg(long, value_name = "FILE")]
    write_mapping: Option<PathBuf>,
    /// A framework file whose domains and levels to recognise, instead of the built-in CASCADE framework.
    #[arg(long, value_name = "FILE")]
    framework: Option<PathBuf>,
    /// Write to FILE instead of standard output (replaced only once all is written).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

/// One cell: its text, and its value when the spreadsheet stored a number.
#[derive(Debug, Clone, Default)]
pub(crate) struct Cell {
    pub(crate) text: String,
    pub(crate) number: Option<f64>,
}

/// The mapping file: what each column holds and what answers and organisation types mean.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Mapping {
    /// Always 1.
    schema_version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    round: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    respondent: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    group: Option<String>,
    /// Domain id to column header.
    #[serde(default)]
    domains: BTreeMap<String, String>,
    /// Answer text to a level number, "unsure", or null for no rating.
    #[serde(default)]
    answers: BTreeMap<String, serde_json::Value>,
    /// Organisation type to group id.
    #[serde(default)]
    groups: BTreeMap<String, Group>,
}

/// What an answer means.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Answer {
    Level(u8),
    Unsure,
    Blank,
    Unknown,
    /// A number off the scale.
    OffScale,
}

/// Lowercase words: punctuation and spacing to single spaces, leading numbering dropped.
fn words(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if matches!(c, '\'' | '\u{2019}' | '\u{2018}') {
            // "don't" and "don’t" read as "dont".
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    let t = out.trim();
    // Leading numbering: "3 ", "3 2 " (from "3.2"), "q3 ".
    let mut rest = t;
    while let Some((first, tail)) = rest.split_once(' ') {
        let numbering = first.chars().all(|c| c.is_ascii_digit())
            || (first.starts_with('q') && first.len() > 1 && first[1..].chars().all(|c| c.is_ascii_digit()));
        if !numbering {
            break;
        }
        rest = tail;
    }
    rest.to_owned()
}

fn has_word(haystack: &str, word: &str) -> bool {
    format!(" {haystack} ").contains(&format!(" {word} "))
}

/// The first header cell that names a domain by its title, if any: a file with one is a
/// survey export that `cascade import` reads, not tidy CSV.
pub(crate) fn domain_title_column<'a>(header: &'a [String], fw: &Framework) -> Option<&'a str> {
    let titles: Vec<String> = fw.domains.iter().map(|d| words(&d.title)).collect();
    header.iter().map(String::as_str).find(|h| {
        let w = words(h);
        titles.iter().any(|t| !t.is_empty() && w.contains(t.as_str()))
    })
}

/// What the columns hold.
#[derive(Debug, Default)]
struct Columns {
    area: Option<usize>,
    round: Option<usize>,
    respondent: Option<(usize, &'static str)>,
    group: Option<usize>,
    /// (column, domain index), in column order.
    domains: Vec<(usize, usize)>,
    ignored: Vec<usize>,
}

fn classify(header: &[String], fw: &Framework, mapping: &Mapping, file: &str) -> Result<Columns, String> {
    let find = |name: &str, what: &str| -> Result<usize, String> {
        header.iter().position(|h| h.trim() == name.trim()).ok_or_else(|| {
            format!(
                "{file}: the mapping's {what} column {} is not in the file; its columns are {}",
                Quoted(name),
                header.iter().map(|h| Quoted(h).to_string()).collect::<Vec<_>>().join(", ")
            )
        })
    };
    let mut c = Columns::default();
    let explicit = mapping.area.is_some() || mapping.round.is_some() || !mapping.domains.is_empty();
    if let Some(n) = &mapping.area {
        c.area = Some(find(n, "area")?);
    }
    if let Some(n) = &mapping.round {
        c.round = Some(find(n, "round")?);
    }
    if let Some(n) = &mapping.respondent {
        c.respondent = Some((find(n, "respondent")?, "mapping"));
    }
    if let Some(n) = &mapping.group {
        c.group = Some(find(n, "group")?);
    }
    for (id, col) in &mapping.domains {
        let d = fw.domain_index(id).ok_or_else(|| {
            format!(
                "{file}: the mapping names domain {}, which the framework does not have; its domains are {}",
                Quoted(id),
                fw.domains.iter().map(|d| d.id.as_str()).collect::<Vec<_>>().join(", ")
            )
        })?;
        c.domains.push((find(col, &format!("{id} domain"))?, d));
    }
    let titles: Vec<String> = fw.domains.iter().map(|d| words(&d.title)).collect();
    let taken = |c: &Columns, i: usize| {
        c.area == Some(i) || c.round == Some(i) || c.respondent.is_some_and(|(r, _)| r == i) || c.group == Some(i)
            || c.domains.iter().any(|&(col, _)| col == i)
    };
    let (mut email, mut name) = (None, None);
    for (i, h) in header.iter().enumerate() {
        if taken(&c, i) {
            continue;
        }
        let w = words(h);
        // A domain: its title, else its id as a word (only when the mapping names no domain).
        let by_title = titles.iter().position(|t| !t.is_empty() && w.contains(t.as_str()));
        let by_id = || {
            let ids: Vec<usize> = (0..fw.domains.len()).filter(|&d| has_word(&w, &fw.domains[d].id.to_lowercase())).collect();
            (ids.len() == 1).then(|| ids[0])
        };
        if mapping.domains.is_empty() {
            if let Some(d) = by_title.or_else(by_id) {
                if let Some(&(other, _)) = c.domains.iter().find(|&&(_, e)| e == d) {
                    return Err(format!(
                        "{file}: columns {} and {} both look like domain {}; say which in a --mapping file",
                        Quoted(&header[other]),
                        Quoted(h),
                        fw.domains[d].id
                    ));
                }
                c.domains.push((i, d));
                continue;
            }
        }
        if explicit {
            c.ignored.push(i);
            continue;
        }
        if c.area.is_none() && (has_word(&w, "area") || w == "local area" || w == "partnership") {
            c.area = Some(i);
        } else if c.round.is_none() && (has_word(&w, "round") || has_word(&w, "workshop")) {
            c.round = Some(i);
        } else if email.is_none() && (w == "email" || w == "email address" || w == "e mail" || w.contains("email")) {
            email = Some(i);
        } else if name.is_none() && (w == "name" || w == "full name" || w == "your name" || w == "respondent") {
            name = Some(i);
        } else if c.group.is_none()
            && ((w.contains("organisation") || w.contains("organization")) && w.contains("type")
                || w == "group"
                || w == "sector"
                || w.contains("stakeholder group")
                || w == "organisation"
                || w == "organization")
        {
            c.group = Some(i);
        } else {
            c.ignored.push(i);
        }
    }
    if c.respondent.is_none() {
        c.respondent = email.map(|e| (e, "Email")).or(name.map(|n| (n, "Name")));
        // A Name column beside an Email column is not used.
        if let (Some(_), Some(n)) = (email, name) {
            c.ignored.push(n);
        }
    }
    c.ignored.sort_unstable();
    c.domains.sort_unstable();
    if c.domains.is_empty() {
        return Err(format!(
            "{file}: no column is a domain of the framework; a domain's column header must contain its title, \
             such as {}, or its id, such as {}; or name the columns in a --mapping file (see cascade import --help)",
            Quoted(&fw.domains[0].title),
            Quoted(&fw.domains[0].id)
        ));
    }
    Ok(c)
}

fn answer(cell: &Cell, fw: &Framework, mapping: &Mapping, labels: &[String]) -> Answer {
    let scale = fw.scale();
    let text = cell.text.trim();
    if let Some(v) = mapping.answers.get(text) {
        return match v {
            serde_json::Value::Null => Answer::Blank,
            serde_json::Value::String(s) if s == "unsure" => Answer::Unsure,
            v => match v.as_u64() {
                Some(l) if (1..=u64::from(scale)).contains(&l) => Answer::Level(l as u8),
                _ => Answer::OffScale,
            },
        };
    }
    if let Some(n) = cell.number {
        return if n.fract() == 0.0 && n >= 1.0 && n <= f64::from(scale) { Answer::Level(n as u8) } else { Answer::OffScale };
    }
    if text.is_empty() {
        return Answer::Blank;
    }
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    if !digits.is_empty() {
        let rest = &text[digits.len()..];
        // "3", "3 - Developing", "3. Developing", "3: ...", but not "3.5" or "30%".
        let ends = rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || "-.:)=\u{2013}\u{2014}".contains(c)) && !rest.starts_with(|c: char| c == '.' && rest[1..].starts_with(|d: char| d.is_ascii_digit()));
        if ends {
            return match digits.parse::<u64>() {
                Ok(l) if (1..=u64::from(scale)).contains(&l) => Answer::Level(l as u8),
                _ => Answer::OffScale,
            };
        }
        return Answer::Unknown;
    }
    let w = words(text);
    if let Some(l) = labels.iter().position(|l| *l == w) {
        return Answer::Level(l as u8 + 1);
    }
    if matches!(w.as_str(), "dont know" | "do not know" | "not sure" | "unsure" | "dk" | "unknown") {
        return Answer::Unsure;
    }
    Answer::Unknown
}

/// The group an organisation type names, and whether it was recognised.
fn group_of(text: &str, mapping: &Mapping) -> (Group, bool) {
    let t = text.trim();
    if let Some(&g) = mapping.groups.get(t) {
        return (g, true);
    }
    if t.is_empty() {
        return (Group::Other, true);
    }
    if let Some(g) = Group::parse(t) {
        return (g, true);
    }
    let w = words(t);
    let any = |list: &[&str]| list.iter().any(|k| has_word(&w, k));
    // Commissioners first: an NHS commissioner or an integrated care board is not a clinic.
    if any(&["icb", "integrated care board", "ccg", "commissioner", "commissioners", "commissioning"]) {
        (Group::Commissioner, true)
    } else if any(&["camhs", "cypmhs", "nhs", "mhst", "mental health"]) {
        (Group::MentalHealth, true)
    } else if any(&["school", "schools", "college", "colleges", "academy", "academies", "education"]) {
        (Group::Education, true)
    } else if any(&["council", "local authority"]) {
        (Group::LocalAuthority, true)
    } else if any(&["charity", "voluntary"]) {
        (Group::VoluntarySector, true)
    } else if w == "other" {
        (Group::Other, true)
    } else {
        (Group::Other, false)
    }
}

/// A1-style column letters.
fn letters(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// Where a cell is: "cell F7" in a workbook, "line 7, column 6" in a CSV file.
fn cell_at(xlsx: bool, row: u64, col: usize) -> String {
    if xlsx { format!("cell {}{row}", letters(col)) } else { format!("line {row}, column {}", col + 1) }
}

/// Rows of a file: a workbook whole, a CSV file streamed.
enum Rows {
    Xlsx(std::vec::IntoIter<(u64, Vec<Cell>)>),
    Csv { reader: csv::Reader<Box<dyn Read>>, record: csv::ByteRecord, latin1: bool, crlf: bool },
}

impl Rows {
    fn open(path: &Path) -> Result<Rows, String> {
        let at = |m: String| format!("{}: {m}", shown(path));
        let mut head = vec![0u8; 64 << 10];
        let mut file: Box<dyn Read> = if path == Path::new("-") {
            Box::new(io::stdin().lock())
        } else {
            Box::new(BufReader::new(File::open(path).map_err(|e| at(io_message(&e)))?))
        };
        let mut n = 0;
        while n < head.len() {
            match file.read(&mut head[n..]) {
                Ok(0) => break,
                Ok(k) => n += k,
                Err(e) => return Err(at(io_message(&e))),
            }
        }
        let head = &head[..n];
        if head.starts_with(b"PK\x03\x04") {
            if path == Path::new("-") {
                return Err(at("an .xlsx workbook cannot be read from standard input; give its file name".into()));
            }
            return Ok(Rows::Xlsx(crate::xlsx::read(path).map_err(at)?.into_iter()));
        }
        if let Some(why) = not_text(head).filter(|_| !head.starts_with(b"PK")) {
            return Err(at(why.replace("tidy CSV or assessment JSON", "a survey export (.xlsx or CSV)")));
        }
        let mut body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head).to_vec();
        // Excel's `sep=;` line names the separator.
        let mut sep = None;
        if body.to_ascii_lowercase().starts_with(b"sep=") && body.len() > 4 {
            sep = Some(body[4]);
            let end = body.iter().position(|&b| b == b'\n').map_or(body.len(), |i| i + 1);
            body.drain(..end);
        }
        let first_line = body.split(|&b| b == b'\n').next().unwrap_or(&[]);
        let count = |c: u8| first_line.iter().filter(|&&b| b == c).count();
        let sep = sep.unwrap_or_else(|| [b',', b';', b'\t'].into_iter().max_by_key(|&c| count(c)).unwrap_or(b','));
        let crlf = first_line.ends_with(b"\r");
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(sep)
            .from_reader(Box::new(io::Cursor::new(body).chain(file)) as Box<dyn Read>);
        Ok(Rows::Csv { reader, record: csv::ByteRecord::new(), latin1: false, crlf })
    }

    fn next(&mut self, file: &str) -> Result<Option<(u64, Vec<Cell>)>, String> {
        match self {
            Rows::Xlsx(rows) => Ok(rows.next()),
            Rows::Csv { reader, record, latin1, crlf } => {
                match reader.read_byte_record(record) {
                    Ok(false) => Ok(None),
                    Ok(true) => {
                        // The csv crate's own record line is where it began looking (before any
                        // blank lines); the reader stops after a record's LF, or before the LF of
                        // a CRLF. So the record's last line is known, and its first is that less
                        // the line ends inside its quoted fields.
                        let end = reader.position().line() - u64::from(!*crlf);
                        let inside = record.iter().map(|f| f.iter().filter(|&&b| b == b'\n').count() as u64).sum::<u64>();
                        let line = end.saturating_sub(inside).max(1);
                        let cells = record
                            .iter()
                            .map(|b| {
                                let text = match std::str::from_utf8(b) {
                                    Ok(s) if !*latin1 => s.to_owned(),
                                    _ => {
                                        // Excel's "CSV (Comma delimited)" is Windows-1252, not UTF-8.
                                        *latin1 = true;
                                        encoding_rs::WINDOWS_1252.decode_without_bom_handling(b).0.into_owned()
                                    }
                                };
                                Cell { text, number: None }
                            })
                            .collect();
                        Ok(Some((line, cells)))
                    }
                    Err(e) => Err(match e.kind() {
                        csv::ErrorKind::Io(io) => format!("{file}: {}", io_message(io)),
                        _ => format!("{file}: {}", e.to_string().replace("CSV error: ", "")),
                    }),
                }
            }
        }
    }
}

#[derive(Default)]
struct Report {
    rows: u64,
    empty_rows: u64,
    ratings: u64,
    unsure: u64,
    blanks: u64,
    unknown: Vec<String>,
    unknown_count: u64,
    /// Organisation types counted as other: text to (rows, first cell).
    other_groups: BTreeMap<String, (u64, String)>,
}

pub(crate) fn run(args: ImportArgs) -> Result<(), Failure> {
    let fw = framework_of(args.framework.as_deref()).map_err(Failure::Input)?;
    let mapping = match &args.mapping {
        None => Mapping { schema_version: 1, ..Mapping::default() },
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| Failure::Input(format!("{}: {}", shown(p), io_message(&e))))?;
            let m: Mapping = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
                Failure::Input(format!("{}: mapping: line {}, column {}: {}", shown(p), e.line(), e.column(), json_what(&e)))
            })?;
            if m.schema_version != 1 {
                return Err(Failure::Input(format!(
                    "{}: mapping: schema_version {} is not known; this cascade reads version 1",
                    shown(p),
                    m.schema_version
                )));
            }
            let scale = u64::from(fw.scale());
            for (answer, v) in &m.answers {
                let fine = v.is_null() || v.as_str() == Some("unsure") || v.as_u64().is_some_and(|l| (1..=scale).contains(&l));
                if !fine {
                    return Err(Failure::Input(format!(
                        "{}: mapping: answer {} is given {v}; give a level from 1 to {scale}, \"unsure\", or null for no rating",
                        shown(p),
                        Quoted(answer)
                    )));
                }
            }
            m
        }
    };
    for (what, v) in [("--round", &args.round), ("--area", &args.area)] {
        if v.as_deref().is_some_and(|v| v.trim().is_empty()) {
            return Err(Failure::Usage(format!("{what} must not be empty")));
        }
    }
    let mut written: Option<Mapping> = None;
    // On standard output nothing is printed until every file is read, so a refusal leaves
    // nothing half-printed; only very large inputs are streamed.
    let total: u64 = args.files.iter().filter_map(|f| std::fs::metadata(f).ok()).map(|m| m.len()).sum();
    let hold = args.output.is_none() && total < 256 << 20;
    let result = sink::write(args.output.as_deref(), |out| {
        let mut held = Vec::new();
        let target: &mut dyn Write = if hold { &mut held } else { &mut *out };
        let mut w = csv::Writer::from_writer(target);
        w.write_record(["area", "round", "respondent", "group", "domain", "level"]).map_err(|e| Failure::Output(e.into()))?;
        for file in &args.files {
            let seen = convert(file, &args, &fw, &mapping, &mut w, &mut written)?;
            eprint!("{seen}");
        }
        w.flush().map_err(Failure::Output)?;
        drop(w);
        if hold {
            out.write_all(&held).map_err(Failure::Output)?;
        }
        Ok(())
    });
    if let (Some(path), Some(m)) = (&args.write_mapping, &written) {
        let text = serde_json::to_string_pretty(m).unwrap_or_default();
        sink::write(Some(path), |out| writeln!(out, "{text}").map_err(Failure::Output))?;
        eprintln!("wrote the mapping to {}", shown(path));
    }
    result
}

fn json_what(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A cell of a row; a row may stop short of the last columns, whose cells are then blank.
fn cell(cells: &[Cell], i: usize) -> &Cell {
    static BLANK: Cell = Cell { text: String::new(), number: None };
    cells.get(i).unwrap_or(&BLANK)
}

/// Converts one file, writing tidy rows; returns what it read, for standard error.
fn convert(
    path: &Path,
    args: &ImportArgs,
    fw: &Framework,
    mapping: &Mapping,
    w: &mut csv::Writer<&mut dyn Write>,
    written: &mut Option<Mapping>,
) -> Result<String, Failure> {
    let file = shown(path);
    let mut rows = Rows::open(path)?;
    let xlsx = matches!(rows, Rows::Xlsx(_));
    let labels: Vec<String> = fw.levels.iter().map(|l| words(&l.label)).collect();
    // The header: the first row with text in it.
    let (header_row, header) = loop {
        match rows.next(&file)? {
            None => return Err(format!("{file}: the file has no header row").into()),
            Some((_, cells)) if cells.iter().all(|c| c.text.trim().is_empty()) => continue,
            Some((n, cells)) => break (n, cells.into_iter().map(|c| c.text).collect::<Vec<String>>()),
        }
    };
    let cols = classify(&header, fw, mapping, &file)?;
    if args.area.is_none() && cols.area.is_none() {
        return Err(format!("{file}: no area: give --area NAME, or a column headed \"Area\"").into());
    }
    if args.round.is_none() && cols.round.is_none() {
        return Err(format!(
            "{file}: no round: give --round ROUND (such as --round baseline), or a column headed \"Round\" or \"Workshop\""
        ).into());
    }
    if written.is_none() {
        let h = |i: Option<usize>| i.map(|i| header[i].clone());
        *written = Some(Mapping {
            schema_version: 1,
            area: h(cols.area),
            round: h(cols.round),
            respondent: h(cols.respondent.map(|(i, _)| i)),
            group: h(cols.group),
            domains: cols.domains.iter().map(|&(i, d)| (fw.domains[d].id.clone(), header[i].clone())).collect(),
            answers: mapping.answers.clone(),
            groups: mapping.groups.clone(),
        });
    }
    let mut rep = Report::default();
    // (area, round, respondent) hashed, to the row it was first seen on.
    let mut people: HashMap<u64, u64> = HashMap::new();
    // A row may stop short of the last columns: the missing cells are blank.
    let mut record: Vec<String> = vec![String::new(); 6];
    while let Some((row, cells)) = rows.next(&file)? {
        if cells.iter().all(|c| c.text.trim().is_empty()) {
            rep.empty_rows += 1;
            continue;
        }
        rep.rows += 1;
        let text_of = |col: Option<usize>, given: &Option<String>, what: &str| -> Result<String, String> {
            if let Some(g) = given {
                return Ok(g.trim().to_owned());
            }
            let i = col.unwrap_or_default();
            let t = cell(&cells, i).text.trim().to_owned();
            if t.is_empty() {
                return Err(format!("{file}: {}: the {what} is empty (column {})", cell_at(xlsx, row, i), Quoted(&header[i])));
            }
            Ok(t)
        };
        let area = text_of(cols.area, &args.area, "area")?;
        let round = text_of(cols.round, &args.round, "round")?;
        let respondent = match cols.respondent {
            Some((i, _)) => {
                let t: String = cell(&cells, i).text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                // Forms writes "anonymous" for a response without a sign-in.
                if t == "anonymous" { String::new() } else { t }
            }
            None => String::new(),
        };
        if !respondent.is_empty() {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            (&area, &round, &respondent).hash(&mut h);
            if let Some(first) = people.insert(h.finish(), row) {
                let i = cols.respondent.map_or(0, |(i, _)| i);
                return Err(format!(
                    "{file}: {}: {} answered twice in area {}, round {} (first at {}); keep one of the two responses",
                    cell_at(xlsx, row, i),
                    Quoted(&respondent),
                    Quoted(&area),
                    Quoted(&round),
                    if xlsx { format!("row {first}") } else { format!("line {first}") }
                ).into());
            }
        }
        let group = match cols.group {
            Some(i) => {
                let t = &cell(&cells, i).text;
                let (g, known) = group_of(t, mapping);
                if let Some(m) = written.as_mut().filter(|_| args.write_mapping.is_some() && !t.trim().is_empty()) {
                    if m.groups.len() < MAPPING_MAX || m.groups.contains_key(t.trim()) {
                        m.groups.entry(t.trim().to_owned()).or_insert(g);
                    }
                }
                if !known {
                    let e = rep.other_groups.entry(t.trim().to_owned()).or_insert((0, cell_at(xlsx, row, i)));
                    e.0 += 1;
                }
                g
            }
            None => Group::Other,
        };
        for &(i, d) in &cols.domains {
            let c = cell(&cells, i);
            let read = answer(c, fw, mapping, &labels);
            if let Some(m) = written.as_mut().filter(|_| args.write_mapping.is_some()) {
                note_answer(m, c.text.trim(), read);
            }
            let level = match read {
                Answer::Blank => {
                    rep.blanks += 1;
                    continue;
                }
                Answer::Level(l) => l.to_string(),
                Answer::Unsure => {
                    rep.unsure += 1;
                    "unsure".to_owned()
                }
                Answer::Unknown => {
                    rep.unknown_count += 1;
                    if rep.unknown.len() < 20 {
                        rep.unknown.push(format!(
                            "{file}: {}: unknown answer {} to {}: not rated",
                            cell_at(xlsx, row, i),
                            Quoted(c.text.trim()),
                            fw.domains[d].id
                        ));
                    }
                    continue;
                }
                Answer::OffScale => {
                    return Err(format!(
                        "{file}: {}: answer {} to {} is not a level from 1 to {}",
                        cell_at(xlsx, row, i),
                        Quoted(c.text.trim()),
                        fw.domains[d].id,
                        fw.scale()
                    ).into());
                }
            };
            rep.ratings += 1;
            // Tidy CSV for spreadsheets too: what the form's people typed is never run.
            record[0] = cascade_core::tidy::spreadsheet_safe(&area).into_owned();
            record[1] = cascade_core::tidy::spreadsheet_safe(&round).into_owned();
            record[2] = cascade_core::tidy::spreadsheet_safe(&respondent).into_owned();
            group.as_str().clone_into(&mut record[3]);
            fw.domains[d].id.clone_into(&mut record[4]);
            record[5] = level;
            w.write_record(&record).map_err(|e| Failure::Output(e.into()))?;
        }
    }
    let _ = header_row;
    Ok(describe(&file, &header, &cols, args, &rep))
}

/// At most this many answers, and as many organisation types, go in a written mapping: a
/// form's choices are a handful, so more is free text, which a mapping cannot list usefully.
const MAPPING_MAX: usize = 1000;

/// Records in a mapping being written what an answer was read as, so the user sees every
/// answer the files hold and can change what one means. An unknown answer is written as
/// null, "no rating", which is what it counted as; an answer off the scale stopped the import.
fn note_answer(m: &mut Mapping, text: &str, read: Answer) {
    if text.is_empty() || m.answers.contains_key(text) || m.answers.len() >= MAPPING_MAX {
        return;
    }
    let v = match read {
        Answer::Level(l) => serde_json::Value::from(l),
        Answer::Unsure => serde_json::Value::from("unsure"),
        Answer::Unknown | Answer::Blank => serde_json::Value::Null,
        Answer::OffScale => return,
    };
    m.answers.insert(text.to_owned(), v);
}

fn describe(file: &str, header: &[String], cols: &Columns, args: &ImportArgs, rep: &Report) -> String {
    let q = |i: usize| Quoted(&header[i]).to_string();
    let from = |given: &Option<String>, col: Option<usize>, flag: &str| match (given, col) {
        (Some(g), _) => format!("{} ({flag})", Quoted(g)),
        (None, Some(i)) => format!("column {}", q(i)),
        (None, None) => "-".into(),
    };
    let mut s = format!(
        "{file}: {} {}, {} {} ({} unsure), {} blank {}, {} unknown {}\n",
        rep.rows,
        crate::plural(rep.rows as usize, "response", "responses"),
        rep.ratings,
        crate::plural(rep.ratings as usize, "rating", "ratings"),
        rep.unsure,
        rep.blanks,
        crate::plural(rep.blanks as usize, "answer", "answers"),
        rep.unknown_count,
        crate::plural(rep.unknown_count as usize, "answer", "answers"),
    );
    s += &format!(
        "{file}: area {}; round {}; respondent {}; group {}\n",
        from(&args.area, cols.area, "--area"),
        from(&args.round, cols.round, "--round"),
        cols.respondent.map_or("none: every rating is anonymous".into(), |(i, _)| format!("column {}", q(i))),
        cols.group.map_or("none: every rating is other".into(), |i| format!("column {}", q(i))),
    );
    s += &format!("{file}: {} domain {}", cols.domains.len(), crate::plural(cols.domains.len(), "column", "columns"));
    if !cols.ignored.is_empty() {
        let names: Vec<String> = cols.ignored.iter().map(|&i| q(i)).collect();
        s += &format!("; not used: {}", names.join(", "));
    }
    s.push('\n');
    for u in &rep.unknown {
        s += &format!("{u}\n");
    }
    if rep.unknown_count > rep.unknown.len() as u64 {
        s += &format!("{file}: and {} more unknown answers\n", rep.unknown_count - rep.unknown.len() as u64);
    }
    for (text, (n, at)) in &rep.other_groups {
        s += &format!(
            "{file}: organisation type {} ({n} {}, first at {at}) is not a known group: counted as other\n",
            Quoted(text),
            crate::plural(*n as usize, "response", "responses")
        );
    }
    s
}
