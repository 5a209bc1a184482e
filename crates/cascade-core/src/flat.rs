//! Results as flat CSV tables for spreadsheets: one row per area, round and domain of a
//! summary, one per area and domain of a comparison. These are the tables `cascade summary
//! --csv` and `cascade compare --csv` print.
//!
//! Numbers are written in full precision (the shortest text that reads back as the same
//! number), a missing value as an empty field, and fields are quoted where CSV needs it.
//! Names are made safe to open in a spreadsheet, as [`spreadsheet_safe`] says: an area
//! called `=1+1` is written `'=1+1`, so it is shown, not run.
//!
//! ```
//! use cascade_core::{flat, tidy, Framework};
//!
//! let csv = "area,round,respondent,group,domain,level
//! Vale,baseline,ana,education,clarity,2
//! Vale,followup,ana,education,clarity,3
//! ";
//! let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
//!
//! let mut out = Vec::new();
//! flat::write_comparison(&mut out, &data.compare("baseline", "followup")?)?;
//! let text = String::from_utf8(out).unwrap();
//! let mut lines = text.lines();
//! assert_eq!(
//!     lines.next(),
//!     Some("area,domain,from_headline,from_mean,from_n,to_headline,to_mean,to_n,delta,mean_delta,\
//!           direction,paired_n,improved,unchanged,declined,p_value,target,gap")
//! );
//! assert_eq!(lines.next(), Some("Vale,clarity,2,2,1,3,3,1,1,1,improved,1,1,0,0,1,,"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! For a large dataset, the writers take one area at a time, so the whole result is never in
//! memory:
//!
//! ```
//! use cascade_core::flat::SummaryWriter;
//! use cascade_core::{tidy, Framework};
//!
//! let csv = "area,round,respondent,group,domain,level\nVale,baseline,,,clarity,2\n";
//! let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
//! let mut w = SummaryWriter::new(Vec::new(), data.framework())?;
//! for area in data.area_summaries() {
//!     w.write(&area)?;
//! }
//! let text = String::from_utf8(w.finish()?).unwrap();
//! assert_eq!(text.lines().count(), 1 + 7); // the header, then the seven domains
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt::Write as _;
use std::io::{self, Write};

use crate::compare::{AreaComparison, Comparison};
use crate::framework::Framework;
use crate::group::Group;
use crate::records::write_field;
use crate::summary::{AreaSummary, Summary};
use crate::tidy::spreadsheet_safe;

/// A name as a cell that a spreadsheet shows rather than runs.
fn safe(text: &str) -> String {
    spreadsheet_safe(text).into_owned()
}

/// The columns of a comparison table.
const COMPARISON: [&str; 18] = [
    "area", "domain", "from_headline", "from_mean", "from_n", "to_headline", "to_mean", "to_n", "delta", "mean_delta",
    "direction", "paired_n", "improved", "unchanged", "declined", "p_value", "target", "gap",
];

/// Writes a summary as a flat table, with one `count_L` column per level of `framework`.
///
/// The columns: `area,round,domain,n,unsure`, `count_1` to `count_S` for a scale of `S`
/// levels, `mean,median,min,max,sd,agreement,split,headline,agreed,target,gap`, then
/// `G_n,G_mean,G_median` for each group `G` of [`Group::ALL`], by id.
///
/// ```
/// use cascade_core::{flat, tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,baseline,,education,clarity,2\n";
/// let fw = Framework::cascade();
/// let mut out = Vec::new();
/// flat::write_summary(&mut out, &fw, &tidy::read(csv.as_bytes(), &fw)?.summary())?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("area,round,domain,n,unsure,count_1,count_2,count_3,count_4,count_5,mean,"));
/// assert!(text.contains("\nVale,baseline,clarity,1,0,0,1,0,0,0,2,2,2,2,,1,false,2,,,,1,2,2,"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// Any error of `out`.
pub fn write_summary<W: Write>(out: W, framework: &Framework, summary: &Summary) -> io::Result<()> {
    let mut w = SummaryWriter::new(out, framework)?;
    for area in &summary.areas {
        w.write(area)?;
    }
    w.finish().map(drop)
}

/// Writes a comparison as a flat table, one row per area and domain.
///
/// The columns: `area,domain,from_headline,from_mean,from_n,to_headline,to_mean,to_n,delta,`
/// `mean_delta,direction,paired_n,improved,unchanged,declined,p_value,target,gap`.
/// See the [module](self) for an example.
///
/// # Errors
///
/// Any error of `out`.
pub fn write_comparison<W: Write>(out: W, comparison: &Comparison) -> io::Result<()> {
    let mut w = ComparisonWriter::new(out)?;
    for area in &comparison.areas {
        w.write(area)?;
    }
    w.finish().map(drop)
}

/// Writes a summary table one area at a time; see [`write_summary`] for the columns.
///
/// ```
/// use cascade_core::flat::SummaryWriter;
/// use cascade_core::{Assessment, Framework};
///
/// let fw = Framework::cascade();
/// let mut w = SummaryWriter::new(Vec::new(), &fw)?;
/// w.write(&Assessment::new("Vale", &fw).summary(&fw)?)?;
/// let text = String::from_utf8(w.finish()?).unwrap();
/// assert_eq!(text.lines().count(), 1 + 2 * 7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SummaryWriter<W: Write> {
    out: W,
    line: String,
}

impl<W: Write> SummaryWriter<W> {
    /// Starts a table on `out` and writes its header.
    ///
    /// # Errors
    ///
    /// Any error of `out`.
    pub fn new(mut out: W, framework: &Framework) -> io::Result<SummaryWriter<W>> {
        let mut head: Vec<String> = ["area", "round", "domain", "n", "unsure"].iter().map(|s| (*s).to_owned()).collect();
        head.extend((1..=framework.levels.len()).map(|l| format!("count_{l}")));
        head.extend(
            ["mean", "median", "min", "max", "sd", "agreement", "split", "headline", "agreed", "target", "gap"]
                .iter()
                .map(|s| (*s).to_owned()),
        );
        for g in Group::ALL {
            head.extend(["n", "mean", "median"].iter().map(|s| format!("{g}_{s}")));
        }
        let mut line = String::new();
        row(&mut line, head.iter().map(String::as_str));
        out.write_all(line.as_bytes())?;
        Ok(SummaryWriter { out, line })
    }

    /// Writes the rows of one area: one per round and domain.
    ///
    /// # Errors
    ///
    /// Any error of `out`.
    pub fn write(&mut self, area: &AreaSummary) -> io::Result<()> {
        let l = &mut self.line;
        for r in &area.rounds {
            for d in &r.domains {
                l.clear();
                let mut cells: Vec<String> =
                    vec![safe(&area.area), safe(&r.round), safe(&d.domain), d.n.to_string(), d.unsure.to_string()];
                cells.extend(d.counts.iter().map(u64::to_string));
                cells.extend([
                    num(d.mean),
                    num(d.median),
                    int(d.min),
                    int(d.max),
                    num(d.sd),
                    num(d.agreement),
                    d.split.to_string(),
                    num(d.headline),
                    int(d.agreed),
                    int(d.target),
                    num(d.gap),
                ]);
                for g in Group::ALL {
                    match d.group(g) {
                        Some(gs) => cells.extend([gs.n.to_string(), gs.mean.to_string(), gs.median.to_string()]),
                        None => cells.extend([String::new(), String::new(), String::new()]),
                    }
                }
                row(l, cells.iter().map(String::as_str));
                self.out.write_all(l.as_bytes())?;
            }
        }
        Ok(())
    }

    /// Flushes the table and gives back `out`.
    ///
    /// # Errors
    ///
    /// Any error of `out`.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Writes a comparison table one area at a time; see [`write_comparison`] for the columns.
///
/// ```
/// use cascade_core::flat::ComparisonWriter;
/// use cascade_core::{tidy, Framework};
///
/// let csv = "area,round,respondent,group,domain,level\nVale,baseline,,,clarity,2\n";
/// let data = tidy::read(csv.as_bytes(), &Framework::cascade())?;
/// let mut w = ComparisonWriter::new(Vec::new())?;
/// for area in data.area_comparisons("baseline", "baseline")? {
///     w.write(&area)?;
/// }
/// let text = String::from_utf8(w.finish()?).unwrap();
/// assert!(text.contains("\nVale,clarity,2,2,1,2,2,1,0,0,unchanged,0,0,0,0,1,,\n"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct ComparisonWriter<W: Write> {
    out: W,
    line: String,
}

impl<W: Write> ComparisonWriter<W> {
    /// Starts a table on `out` and writes its header.
    ///
    /// # Errors
    ///
    /// Any error of `out`.
    pub fn new(mut out: W) -> io::Result<ComparisonWriter<W>> {
        let mut line = String::new();
        row(&mut line, COMPARISON.into_iter());
        out.write_all(line.as_bytes())?;
        Ok(ComparisonWriter { out, line })
    }

    /// Writes the rows of one area: one per domain.
    ///
    /// # Errors
    ///
    /// Any error of `out`.
    pub fn write(&mut self, area: &AreaComparison) -> io::Result<()> {
        let l = &mut self.line;
        for d in &area.domains {
            l.clear();
            let cells = [
                safe(&area.area),
                safe(&d.domain),
                num(d.from.headline),
                num(d.from.mean),
                d.from.n.to_string(),
                num(d.to.headline),
                num(d.to.mean),
                d.to.n.to_string(),
                num(d.delta),
                num(d.mean_delta),
                d.direction.as_str().to_owned(),
                d.paired.n.to_string(),
                d.paired.improved.to_string(),
                d.paired.unchanged.to_string(),
                d.paired.declined.to_string(),
                d.paired.p_value.to_string(),
                int(d.target),
                num(d.gap),
            ];
            row(l, cells.iter().map(String::as_str));
            self.out.write_all(l.as_bytes())?;
        }
        Ok(())
    }

    /// Flushes the table and gives back `out`.
    ///
    /// # Errors
    ///
    /// Any error of `out`.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Appends one CSV line.
fn row<'a>(line: &mut String, cells: impl Iterator<Item = &'a str>) {
    for (i, c) in cells.enumerate() {
        if i > 0 {
            line.push(',');
        }
        // Writing to a String cannot fail.
        let _ = write_field(line, c);
    }
    let _ = line.write_char('\n');
}

/// Full precision: the shortest text that reads back as the same number.
fn num(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}

fn int(v: Option<u8>) -> String {
    v.map_or_else(String::new, |v| v.to_string())
}
