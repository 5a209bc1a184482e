//! The first worksheet of an .xlsx workbook as rows of cells, for `cascade import`.

use std::path::Path;

use calamine::{Data, Reader, Xlsx};

use crate::import::Cell;

/// Every row of the first worksheet, from its first row, as text and, for number cells, the
/// number. Rows are numbered as the spreadsheet shows them.
pub(crate) fn read(path: &Path) -> Result<Vec<(u64, Vec<Cell>)>, String> {
    let mut book: Xlsx<_> = calamine::open_workbook(path).map_err(|e| format!("cannot read the workbook: {e}"))?;
    let range = match book.worksheet_range_at(0) {
        Some(r) => r.map_err(|e| format!("cannot read its first worksheet: {e}"))?,
        None => return Err("the workbook has no worksheet".into()),
    };
    let Some((row0, col0)) = range.start() else { return Ok(Vec::new()) };
    let mut rows = Vec::with_capacity(range.height());
    for (i, row) in range.rows().enumerate() {
        let cells = std::iter::repeat_n(Cell::default(), col0 as usize)
            .chain(row.iter().map(|d| match d {
                Data::Empty => Cell::default(),
                Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => Cell { text: s.clone(), number: None },
                Data::Int(n) => Cell { text: n.to_string(), number: Some(*n as f64) },
                Data::Float(f) => Cell { text: f.to_string(), number: Some(*f) },
                Data::Bool(b) => Cell { text: if *b { "TRUE" } else { "FALSE" }.to_owned(), number: None },
                Data::DateTime(d) => Cell { text: d.as_f64().to_string(), number: None },
                Data::Error(e) => Cell { text: format!("#{e:?}"), number: None },
            }))
            .collect();
        rows.push((u64::from(row0) + i as u64 + 1, cells));
    }
    Ok(rows)
}
