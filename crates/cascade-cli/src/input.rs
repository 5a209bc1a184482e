//! Reading many files as one data set, and the checks an evaluator needs across them.

use std::collections::HashMap;
use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

use cascade_core::__private::Quoted;
use cascade_core::{tidy, Action, Assessment, Dataset, Error, Framework};

use crate::parallel;

/// `-` is standard input.
pub(crate) fn shown(path: &Path) -> String {
    if path == Path::new("-") { "<stdin>".to_owned() } else { path.display().to_string() }
}

pub(crate) fn io_message(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file".to_owned(),
        io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        io::ErrorKind::InvalidData => "not UTF-8 text".to_owned(),
        io::ErrorKind::IsADirectory => "is a folder, not a file".to_owned(),
        _ => e.to_string(),
    }
}

pub(crate) fn framework_of(path: Option<&Path>) -> Result<Framework, String> {
    let Some(path) = path else { return Ok(Framework::cascade()) };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {}", shown(path), io_message(&e)))?;
    Framework::from_json(&text).map_err(|e| format!("{}: {e}", shown(path)))
}

/// Action plans of the areas whose assessment documents were read, by area.
pub(crate) type Actions = HashMap<String, Vec<Action>>;

/// Reads every file and merges them into one data set. An area with the same round in two
/// files is refused, naming both: it is almost always a file given twice or a wrong round.
pub(crate) fn load_all(files: &[PathBuf], fw: &Framework, actions: &mut Actions) -> Result<Dataset, String> {
    if files.iter().filter(|f| f.as_path() == Path::new("-")).count() > 1 {
        return Err("standard input (-) can be given only once".to_owned());
    }
    let mut all: Option<Dataset> = None;
    // (area, round) to the file it came from.
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    for (fi, file) in files.iter().enumerate() {
        let data = read(file, fw, actions)?;
        if files.len() > 1 {
            for area in data.area_names() {
                for round in data.area_round_ids(area).unwrap_or_default() {
                    if let Some(&other) = seen.get(&(area.to_owned(), round.to_owned())) {
                        return Err(format!(
                            "area {} has round {} in both {} and {}; give each area's round in one file",
                            Quoted(area),
                            Quoted(round),
                            shown(&files[other]),
                            shown(file)
                        ));
                    }
                    seen.insert((area.to_owned(), round.to_owned()), fi);
                }
            }
        }
        match &mut all {
            None => all = Some(data),
            Some(all) => all.merge(data).map_err(|e| format!("{}: {e}", shown(file)))?,
        }
    }
    Ok(all.unwrap_or_else(|| Dataset::new(fw)))
}

/// Reads a file as tidy CSV or assessment JSON, judged by its first non-blank byte.
/// CSV is streamed; JSON documents are small and read whole.
pub(crate) fn read(path: &Path, fw: &Framework, actions: &mut Actions) -> Result<Dataset, String> {
    if let Some(data) = parallel::read(path, fw) {
        return Ok(data);
    }
    let at = |e: Error| format!("{}: {e}", shown(path));
    let mut reader: Box<dyn Read> = if path == Path::new("-") {
        Box::new(io::stdin().lock())
    } else {
        Box::new(File::open(path).map_err(|e| format!("{}: {}", shown(path), io_message(&e)))?)
    };
    let mut head = Vec::with_capacity(512);
    // Peek far enough past leading white space and a byte-order mark to see `{` or `[`.
    reader.by_ref().take(512).read_to_end(&mut head).map_err(|e| format!("{}: {}", shown(path), io_message(&e)))?;
    if let Some(why) = not_text(&head) {
        return Err(format!("{}: {why}", shown(path)));
    }
    let first = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head).iter().find(|b| !b.is_ascii_whitespace());
    let rest = io::Cursor::new(head.clone()).chain(reader);
    if matches!(first, Some(b'{') | Some(b'[')) {
        let mut text = String::new();
        let mut rest = rest;
        rest.read_to_string(&mut text).map_err(|e| format!("{}: {}", shown(path), io_message(&e)))?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
        let docs: Vec<Assessment> = if first == Some(&b'[') {
            documents(text).map_err(|e| format!("{}: {e}", shown(path)))?
        } else {
            vec![Assessment::from_json(text).map_err(at)?]
        };
        let mut data = Dataset::new(fw);
        for doc in &docs {
            if !doc.actions.is_empty() {
                actions.entry(doc.area.clone()).or_default().extend(doc.actions.iter().cloned());
            }
        }
        for (i, doc) in docs.iter().enumerate() {
            data.push_assessment(doc).map_err(|e| {
                if docs.len() > 1 { format!("{}: document {}: {e}", shown(path), i + 1) } else { at(e) }
            })?;
        }
        Ok(data)
    } else {
        tidy::read(skip_sep_line(rest), fw).map_err(|e| match survey_export(&e, &head, fw) {
            Some(column) => format!(
                "{}: this looks like a survey export, not tidy CSV (its column {} is a domain); \
                 turn it into tidy CSV with `cascade import --round ROUND {}` first",
                shown(path),
                Quoted(&column),
                shown(path)
            ),
            None => at(e),
        })
    }
}

/// For a header error, the column of the file's first line that names a domain by title.
fn survey_export(e: &Error, head: &[u8], fw: &Framework) -> Option<String> {
    if e.kind() != cascade_core::ErrorKind::Header {
        return None;
    }
    let mut r = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head));
    let first = r.records().next()?.ok()?;
    let header: Vec<String> = first.iter().map(str::to_owned).collect();
    crate::import::domain_title_column(&header, fw).map(|c| c.chars().take(80).collect())
}

/// Each document of a JSON array, with errors placed at the file's own line and column.
fn documents(text: &str) -> Result<Vec<Assessment>, String> {
    let raws: Vec<&serde_json::value::RawValue> =
        serde_json::from_str(text).map_err(|e| format!("assessment: {}", json_message(&e)))?;
    raws.iter()
        .enumerate()
        .map(|(i, raw)| {
            // Where the document starts in the file, to move its errors there.
            let start = raw.get().as_ptr() as usize - text.as_ptr() as usize;
            let before = &text[..start];
            let line0 = before.matches('\n').count();
            let col0 = start - before.rfind('\n').map_or(0, |n| n + 1);
            Assessment::from_json(raw.get()).map_err(|e| {
                let text = e.to_string();
                format!("document {}: {}", i + 1, moved(&text, line0, col0).unwrap_or(text))
            })
        })
        .collect()
}

/// "assessment: line L, column C: what" of a document that starts at line `line0 + 1`,
/// column `col0 + 1` of the file, as the file's own line and column.
fn moved(text: &str, line0: usize, col0: usize) -> Option<String> {
    let (what, rest) = text.split_once(": line ")?;
    let (line, rest) = rest.split_once(", column ")?;
    let (column, message) = rest.split_once(": ")?;
    let (line, column): (usize, usize) = (line.parse().ok()?, column.parse().ok()?);
    let (line, column) = if line == 1 { (line0 + 1, col0 + column) } else { (line0 + line, column) };
    Some(format!("{what}: line {line}, column {column}: {message}"))
}

fn json_what(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) if e.line() > 0 => text[..i].to_owned(),
        _ => text,
    }
}

fn json_message(e: &serde_json::Error) -> String {
    if e.line() > 0 { format!("line {}, column {}: {}", e.line(), e.column(), json_what(e)) } else { json_what(e) }
}

/// Why the first bytes of a file are not text a person meant as CSV or JSON, if they are not.
pub(crate) fn not_text(head: &[u8]) -> Option<String> {
    if head.starts_with(b"PK\x03\x04") {
        return Some("this is a zip file, probably an Excel workbook (.xlsx); turn it into tidy CSV with `cascade import`".into());
    }
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") {
        return Some(
            "this is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8 (Comma delimited)\" instead".into(),
        );
    }
    if head.starts_with(b"\x7FELF") || head.starts_with(b"MZ") || head.starts_with(b"%PDF") {
        return Some("this is not a text file (a program or a PDF?); expected tidy CSV or assessment JSON".into());
    }
    // Other binaries: a NUL byte never occurs in text.
    if head.contains(&0) {
        return Some("this is not a text file (it holds NUL bytes); expected tidy CSV or assessment JSON".into());
    }
    None
}

/// Excel writes `sep=,` (or `;`) as a first line for other locales; it says nothing tidy CSV
/// needs, since the reader finds the separator itself. The line is kept as a blank one so line
/// numbers stay those of the file.
fn skip_sep_line<R: Read>(mut r: R) -> io::Chain<io::Cursor<Vec<u8>>, R> {
    let mut head = Vec::new();
    let _ = r.by_ref().take(8).read_to_end(&mut head);
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    if !body.to_ascii_lowercase().starts_with(b"sep=") {
        return io::Cursor::new(head).chain(r);
    }
    if let Some(end) = body.iter().position(|&b| b == b'\n') {
        let keep = body[end..].to_vec();
        return io::Cursor::new(keep).chain(r);
    }
    // The line end is further on: drop up to it.
    let mut byte = [0u8];
    while r.read(&mut byte).unwrap_or(0) == 1 {
        if byte[0] == b'\n' {
            return io::Cursor::new(b"\n".to_vec()).chain(r);
        }
    }
    io::Cursor::new(Vec::new()).chain(r)
}

/// Round ids that differ only in case, spaces, hyphens or underscores, grouped; each group's
/// first id is the spelling to keep: `prefer` if it is one of them, else the one most areas use.
pub(crate) fn near_duplicate_rounds(data: &Dataset, prefer: &[&str]) -> Vec<Vec<String>> {
    let key = |id: &str| -> String {
        id.chars().filter(|c| !matches!(c, ' ' | '-' | '_' | '\t')).flat_map(char::to_lowercase).collect()
    };
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for area in data.area_names() {
        for id in data.area_round_ids(area).unwrap_or_default() {
            *uses.entry(id).or_default() += 1;
        }
    }
    let mut groups: Vec<(String, Vec<&str>)> = Vec::new();
    for id in data.round_ids() {
        match groups.iter_mut().find(|(k, _)| *k == key(id)) {
            Some((_, ids)) => ids.push(id),
            None => groups.push((key(id), vec![id])),
        }
    }
    groups
        .into_iter()
        .filter(|(_, ids)| ids.len() > 1)
        .map(|(_, mut ids)| {
            let keep = ids
                .iter()
                .position(|id| prefer.contains(id))
                .unwrap_or_else(|| (0..ids.len()).max_by_key(|&i| (uses[ids[i]], usize::MAX - i)).unwrap_or(0));
            let first = ids.remove(keep);
            ids.insert(0, first);
            ids.into_iter().map(str::to_owned).collect()
        })
        .collect()
}

/// The warning for near-duplicate rounds, with the options that make them one.
pub(crate) fn round_warning(group: &[String]) -> String {
    let names: Vec<String> = group.iter().map(|id| Quoted(id).to_string()).collect();
    let fix: Vec<String> = group[1..].iter().map(|id| format!("--same-round {}={}", arg(id), arg(&group[0]))).collect();
    format!(
        "warning: rounds {} differ only in case, spaces or hyphens, so they count as different rounds; \
         to count them as one, add {}",
        names.join(", "),
        fix.join(" ")
    )
}

/// A round id as a shell argument.
fn arg(id: &str) -> String {
    if id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) { id.to_owned() } else { format!("'{}'", id.replace('\'', "'\\''")) }
}

/// Areas that lack one or both of the two rounds, each with what it lacks. An area with
/// neither is not in a comparison at all, and is named so a misspelt round is seen.
pub(crate) fn lacking(data: &Dataset, from: &str, to: &str) -> Vec<String> {
    let mut out = Vec::new();
    for area in data.area_names() {
        let ids = data.area_round_ids(area).unwrap_or_default();
        match (ids.contains(&from), ids.contains(&to)) {
            (true, false) => out.push(format!("{} has no {}", Quoted(area), Quoted(to))),
            (false, true) => out.push(format!("{} has no {}", Quoted(area), Quoted(from))),
            (false, false) => {
                let rounds: Vec<String> = ids.iter().map(|r| Quoted(r).to_string()).collect();
                out.push(format!("{} has neither (its rounds: {})", Quoted(area), rounds.join(", ")));
            }
            (true, true) => {}
        }
    }
    out
}

/// "3 areas lack a round and are not compared: "Camden" has no "followup"; ...", at most 20 named.
pub(crate) fn lacking_message(list: &[String]) -> String {
    const SHOWN: usize = 20;
    let mut parts: Vec<String> = list.iter().take(SHOWN).cloned().collect();
    if list.len() > SHOWN {
        parts.push(format!("and {} more", list.len() - SHOWN));
    }
    let n = list.len();
    format!(
        "{n} {} a round and {} not compared: {}",
        if n == 1 { "area lacks" } else { "areas lack" },
        if n == 1 { "is" } else { "are" },
        parts.join("; ")
    )
}

/// Respondent ids as `cascade import` compares them: trimmed, spaces as one, any case.
fn respondent_key(id: &str) -> String {
    id.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Per area, the respondent ids that are one id but for case and spacing, first seen first:
/// `(area, [ids])`. Such ids count as different people, so their ratings are never paired.
pub(crate) fn near_duplicate_respondents(data: &Dataset) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for area in data.area_names() {
        let ids = data.area_respondent_ids(area).unwrap_or_default();
        let mut groups: HashMap<String, Vec<&str>> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for id in ids {
            let key = respondent_key(id);
            let group = groups.entry(key.clone()).or_default();
            if group.len() == 1 {
                order.push(key);
            }
            group.push(id);
        }
        for key in order {
            out.push((area.to_owned(), groups[&key].iter().map(|&id| id.to_owned()).collect()));
        }
    }
    out
}

/// The warning for respondent ids spelt nearly alike, at most 20 named, with the option
/// that pairs them.
pub(crate) fn respondent_warning(found: &[(String, Vec<String>)]) -> String {
    const SHOWN: usize = 20;
    let mut parts: Vec<String> = found
        .iter()
        .take(SHOWN)
        .map(|(area, ids)| {
            let ids: Vec<String> = ids.iter().map(|id| Quoted(id).to_string()).collect();
            format!("{} has {}", Quoted(area), ids.join(" and "))
        })
        .collect();
    if found.len() > SHOWN {
        parts.push(format!("and {} more", found.len() - SHOWN));
    }
    format!(
        "warning: respondent ids that differ only in case or spaces count as different people, \
         so their ratings are not paired: {}; if each is one person, add --ignore-respondent-case",
        parts.join("; ")
    )
}

/// Makes each group of nearly alike respondent ids the first one seen (`--ignore-respondent-case`).
pub(crate) fn pair_ignoring_case(data: &mut Dataset) -> Result<(), Error> {
    for (area, ids) in near_duplicate_respondents(data) {
        for id in &ids[1..] {
            data.rename_respondent(&area, id, &ids[0])?;
        }
    }
    Ok(())
}

/// Like [`read`], but for a tidy CSV file with errors lists up to 20 of them, each with its
/// line, instead of stopping at the first.
pub(crate) fn read_all_errors(path: &Path, fw: &Framework) -> Result<Dataset, Vec<String>> {
    const MAX: usize = 20;
    let first = match read(path, fw, &mut Actions::new()) {
        Ok(data) => return Ok(data),
        Err(e) => e,
    };
    let prefix = format!("{}: line ", shown(path));
    let line_of = |m: &str| -> Option<usize> { m.strip_prefix(&prefix)?.split(':').next()?.parse().ok() };
    let mut errors = vec![first];
    let small = path != Path::new("-") && std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() < 64 << 20);
    let Some(mut bytes) = small.then(|| std::fs::read(path).ok()).flatten() else { return Err(errors) };
    // Lines are counted by LF; a file with CR-only line ends is left at its first error.
    if bytes.windows(2).any(|w| w[0] == b'\r' && w[1] != b'\n') || bytes.first() == Some(&b'{') || bytes.first() == Some(&b'[') {
        return Err(errors);
    }
    while errors.len() < MAX {
        let Some(line) = errors.last().and_then(|m| line_of(m)) else { break };
        // Blank the faulty line (keeping its line end, so later lines keep their numbers),
        // unless a quote in it could open a field that spans lines.
        let mut start = 0;
        for _ in 1..line {
            match bytes[start..].iter().position(|&b| b == b'\n') {
                Some(i) => start += i + 1,
                None => return Err(errors),
            }
        }
        let end = bytes[start..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| start + i);
        if bytes[start..end].contains(&b'"') || line == 1 {
            break;
        }
        bytes.drain(start..end);
        match tidy::read(skip_sep_line(&bytes[..]), fw) {
            Ok(_) => break,
            Err(e) => {
                let message = format!("{}: {e}", shown(path));
                if line_of(&message).is_none_or(|l| l <= line) {
                    break;
                }
                errors.push(message);
            }
        }
    }
    Err(errors)
}
