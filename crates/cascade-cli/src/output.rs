//! The three output styles: a table for people, CSV for spreadsheets, JSON for programs.

use std::io::{self, Write};

use cascade_core::flat::{ComparisonWriter, SummaryWriter};
use cascade_core::{AreaComparison, RollupChange, Dataset, Rollup};

/// How to print.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Style {
    Table,
    Csv,
    Json,
}

/// A text field for CSV that a spreadsheet will show, not run: see `tidy::spreadsheet_safe`.
/// Numbers are written as they are, so a negative change stays a number.
fn safe(text: &str) -> String {
    cascade_core::tidy::spreadsheet_safe(text).into_owned()
}

pub(crate) fn summary(out: &mut dyn Write, data: &Dataset, style: Style, pretty: bool) -> io::Result<()> {
    let fw = data.framework();
    let areas = data.area_summaries();
    match style {
        Style::Json => {
            let head = serde_json::json!({ "framework": fw.id });
            let names: Vec<&str> = data.area_names().collect();
            json(out, head, names.len(), |i| data.area_summary(names[i]), pretty)
        }
        Style::Csv => {
            let mut w = SummaryWriter::new(out, fw)?;
            for a in areas {
                w.write(&a)?;
            }
            w.finish().map(drop)
        }
        Style::Table => {
            for a in areas {
                for r in &a.rounds {
                    writeln!(
                        out,
                        "{}: {} (overall {}, {} of {} domains scored)",
                        a.area,
                        r.round,
                        fixed(r.overall, 2),
                        r.coverage,
                        r.domains.len()
                    )?;
                    let mut t = Table::new(&["domain", "n", "unsure", "mean", "median", "min", "max", "sd", "agreement", "headline", ""]);
                    for d in &r.domains {
                        t.row(vec![
                            d.domain.clone(),
                            d.n.to_string(),
                            d.unsure.to_string(),
                            fixed(d.mean, 2),
                            short(d.median),
                            int_or_dash(d.min),
                            int_or_dash(d.max),
                            fixed(d.sd, 2),
                            fixed(d.agreement, 2),
                            short(d.headline) + if d.agreed.is_some() { " (agreed)" } else { "" },
                            if d.split { "split".to_owned() } else { String::new() },
                        ]);
                    }
                    t.print(out)?;
                    writeln!(out)?;
                }
            }
            Ok(())
        }
    }
}

/// `areas` are the comparisons in order; `data` gives them by index for parallel JSON.
pub(crate) fn compare(
    out: &mut dyn Write,
    data: &Dataset,
    (from, to): (&str, &str),
    areas: impl Iterator<Item = AreaComparison>,
    style: Style,
    pretty: bool,
) -> io::Result<()> {
    match style {
        Style::Json => {
            let head = serde_json::json!({ "from": from, "to": to });
            let names: Vec<&str> = data.area_names().collect();
            json(out, head, names.len(), |i| data.area_comparison(names[i], from, to), pretty)
        }
        Style::Csv => {
            let mut w = ComparisonWriter::new(out)?;
            for a in areas {
                w.write(&a)?;
            }
            w.finish().map(drop)
        }
        Style::Table => {
            for a in areas {
                writeln!(
                    out,
                    "{}: {} to {} (overall {} to {}, change {})",
                    a.area,
                    from,
                    to,
                    fixed(a.overall.from, 2),
                    fixed(a.overall.to, 2),
                    signed_fixed(a.overall.delta, 2)
                )?;
                let mut t =
                    Table::new(&["domain", "from", "to", "change", "direction", "mean change", "pairs", "up", "same", "down", "p"]);
                for d in &a.domains {
                    t.row(vec![
                        d.domain.clone(),
                        short(d.from.headline),
                        short(d.to.headline),
                        signed(d.delta),
                        d.direction.to_string(),
                        signed_fixed(d.mean_delta, 2),
                        d.paired.n.to_string(),
                        d.paired.improved.to_string(),
                        d.paired.unchanged.to_string(),
                        d.paired.declined.to_string(),
                        // With no pairs there is no test to report.
                        if d.paired.n == 0 { "-".to_owned() } else { format!("{:.3}", d.paired.p_value) },
                    ]);
                }
                t.print(out)?;
                writeln!(out)?;
            }
            Ok(())
        }
    }
}

/// Writes `head` with an `areas` array. Pretty for a terminal; compact, and so several times
/// smaller and faster, for a pipe or file. Compact output is made in batches of areas, half of
/// each batch on a second thread, so a national file's output is never held whole and both
/// cores share the work.
fn json<T: serde::Serialize + Send>(
    out: &mut dyn Write,
    head: serde_json::Value,
    count: usize,
    area: impl Fn(usize) -> Option<T> + Sync,
    pretty: bool,
) -> io::Result<()> {
    if pretty {
        // Keys in the same order as the compact form: the head's, then the areas' own.
        #[derive(serde::Serialize)]
        struct Doc<'a, T> {
            #[serde(flatten)]
            head: &'a serde_json::Value,
            areas: Vec<T>,
        }
        let doc = Doc { head: &head, areas: (0..count).filter_map(&area).collect() };
        serde_json::to_writer_pretty(&mut *out, &doc)?;
        return writeln!(out);
    }
    let head = serde_json::to_string(&head)?;
    // `head` is an object: reopen it to add the array.
    out.write_all(&head.as_bytes()[..head.len() - 1])?;
    out.write_all(b",\"areas\":[")?;
    // Each area is written with a comma before it; the first comma is dropped.
    let batch = |range: std::ops::Range<usize>| -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(range.len() * 4096);
        for i in range {
            if let Some(a) = area(i) {
                buf.push(b',');
                serde_json::to_writer(&mut buf, &a)?;
            }
        }
        Ok(buf)
    };
    const HALF: usize = 64;
    let mut first = true;
    let mut start = 0;
    while start < count {
        let mid = (start + HALF).min(count);
        let end = (mid + HALF).min(count);
        let (a, b) = std::thread::scope(|s| {
            let second = s.spawn(|| batch(mid..end));
            (batch(start..mid), second.join())
        });
        let b = b.map_err(|_| io::Error::other("a worker thread failed"))?;
        for part in [a?, b?] {
            let skip = usize::from(first && !part.is_empty());
            first &= part.is_empty();
            out.write_all(&part[skip..])?;
        }
        start = end;
    }
    out.write_all(b"]}\n")
}

/// `cascade rollup`: the programme across areas.
pub(crate) fn rollup(out: &mut dyn Write, r: &Rollup, style: Style, pretty: bool) -> io::Result<()> {
    match style {
        Style::Json => {
            if pretty {
                serde_json::to_writer_pretty(&mut *out, r)?;
            } else {
                serde_json::to_writer(&mut *out, r)?;
            }
            writeln!(out)
        }
        Style::Csv => {
            let mut w = csv::Writer::from_writer(out);
            w.write_record([
                "domain", "areas", "improved", "unchanged", "declined", "not_compared", "mean_from", "mean_to",
                "mean_delta", "median_delta", "min_delta", "max_delta", "p_value", "gap_from_areas", "gap_from",
                "gap_to_areas", "gap_to",
            ])?;
            let row = |name: &str, c: &RollupChange, gap: Option<&cascade_core::RollupGaps>| -> Vec<String> {
                let mut row = vec![
                    safe(name),
                    c.areas.to_string(),
                    c.improved.to_string(),
                    c.unchanged.to_string(),
                    c.declined.to_string(),
                    c.not_compared.to_string(),
                    num(c.mean_from),
                    num(c.mean_to),
                    num(c.mean_delta),
                    num(c.median_delta),
                    num(c.min_delta),
                    num(c.max_delta),
                    c.p_value.to_string(),
                ];
                match gap {
                    Some(g) => row.extend([g.from.areas.to_string(), num(g.from.mean), g.to.areas.to_string(), num(g.to.mean)]),
                    None => row.extend([String::new(), String::new(), String::new(), String::new()]),
                }
                row
            };
            for d in &r.domains {
                w.write_record(row(&d.domain, &d.change, Some(&d.gap)))?;
            }
            w.write_record(row("overall", &r.overall, None))?;
            w.flush()
        }
        Style::Table => {
            writeln!(
                out,
                "{} to {}: {} {} ({} with both rounds overall)",
                r.from,
                r.to,
                r.areas,
                if r.areas == 1 { "area" } else { "areas" },
                r.overall.areas
            )?;
            let mut t = Table::new(&[
                "domain", "areas", "improved", "same", "declined", "lacking", "from", "to", "change", "median",
                "range", "p", "gap from", "gap to",
            ]);
            let row = |name: &str, c: &RollupChange, gap: Option<&cascade_core::RollupGaps>| -> Vec<String> {
                let range = match (c.min_delta, c.max_delta) {
                    (Some(a), Some(b)) => format!("{} to {}", signed_fixed(Some(a), 2), signed_fixed(Some(b), 2)),
                    _ => "-".to_owned(),
                };
                vec![
                    name.to_owned(),
                    c.areas.to_string(),
                    c.improved.to_string(),
                    c.unchanged.to_string(),
                    c.declined.to_string(),
                    c.not_compared.to_string(),
                    fixed(c.mean_from, 2),
                    fixed(c.mean_to, 2),
                    signed_fixed(c.mean_delta, 2),
                    signed_fixed(c.median_delta, 2),
                    range,
                    if c.areas == 0 { "-".to_owned() } else { format!("{:.3}", c.p_value) },
                    gap.map_or_else(String::new, |g| signed_fixed(g.from.mean, 2)),
                    gap.map_or_else(String::new, |g| signed_fixed(g.to.mean, 2)),
                ]
            };
            for d in &r.domains {
                t.row(row(&d.domain, &d.change, Some(&d.gap)));
            }
            t.row(row("overall", &r.overall, None));
            t.print(out)?;
            writeln!(
                out,
                "\nareas: compared in both rounds; improved, same, declined: of those, whose headline rose, stayed \
                 or fell; lacking: areas without both.\nfrom, to: mean headline; change, median, range: of the \
                 areas' changes; p: sign test of improved against declined areas (below 0.05: unlikely to be \
                 chance).\ngap: education's mean rating minus mental health's, averaged over areas with both, \
                 at each round."
            )
        }
    }
}


/// Full precision for CSV: the shortest text that reads back as the same number.
fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn int_or_dash(v: Option<u8>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn fixed(v: Option<f64>, places: usize) -> String {
    v.map_or_else(|| "-".to_owned(), |v| format!("{v:.places$}"))
}

/// Medians and headlines are whole or halves: "3", "2.5".
fn short(v: Option<f64>) -> String {
    v.map_or_else(|| "-".to_owned(), |v| v.to_string())
}

fn signed(v: Option<f64>) -> String {
    match v {
        None => "-".to_owned(),
        Some(v) if v > 0.0 => format!("+{v}"),
        Some(v) => v.to_string(),
    }
}

/// Rounded for reading, with a sign: "+0.21", "-1.00", "0.00".
fn signed_fixed(v: Option<f64>, places: usize) -> String {
    match v {
        None => "-".to_owned(),
        Some(v) if v > 0.0 && format!("{v:.places$}").trim_start_matches(['0', '.']).is_empty() => format!("{v:.places$}"),
        Some(v) if v > 0.0 => format!("+{v:.places$}"),
        // -0.001 rounds to "-0.00": show it as "0.00".
        Some(v) if format!("{v:.places$}").trim_start_matches(['-', '0', '.']).is_empty() => format!("{:.places$}", 0.0),
        Some(v) => format!("{v:.places$}"),
    }
}

/// A plain text table with columns padded to their widest cell.
struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(head: &[&str]) -> Table {
        Table { rows: vec![head.iter().map(|s| (*s).to_owned()).collect()] }
    }

    fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    fn print(&self, out: &mut (impl Write + ?Sized)) -> io::Result<()> {
        let cols = self.rows[0].len();
        let widths: Vec<usize> =
            (0..cols).map(|c| self.rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
        for row in &self.rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                if c > 0 {
                    line.push_str("  ");
                }
                // Numbers read best right-aligned; the first column is a name.
                if c == 0 {
                    line.push_str(&format!("{cell:<w$}", w = widths[c]));
                } else {
                    line.push_str(&format!("{cell:>w$}", w = widths[c]));
                }
            }
            writeln!(out, "{}", line.trim_end())?;
        }
        Ok(())
    }
}
