//! Cross-tabs as an aligned terminal table and as CSV (wide: one row a
//! group, one column an instrument).

use std::io::{self, Write};

use super::Style;
use super::tree::pad;
use crate::crosstab::CrossTab;

fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

/// Writes the table: rows × the columns that have passages, in passages.
pub fn write_crosstab_text(w: &mut dyn Write, t: &CrossTab, style: Style) -> io::Result<()> {
    writeln!(
        w,
        "{} \"{}\": {} passages (a passage counts in each of its instruments)",
        style.bold("crosstab"),
        t.query,
        t.passages
    )?;
    let cols = t.used_columns();
    let first = t
        .row_values
        .iter()
        .map(|r| width(r))
        .max()
        .unwrap_or(4)
        .max(4);
    let mut header = pad("", first);
    for c in &cols {
        header.push_str("  ");
        header.push_str(c);
    }
    writeln!(w, "{}", style.bold(&header))?;
    for r in &t.row_values {
        let mut line = pad(r, first);
        for c in &cols {
            let n = t.get(r, c);
            let cell = if n == 0 {
                "·".to_string()
            } else {
                n.to_string()
            };
            line.push_str("  ");
            line.push_str(&" ".repeat(width(c).saturating_sub(width(&cell))));
            line.push_str(&cell);
        }
        writeln!(w, "{line}")?;
    }
    Ok(())
}

/// Writes the table as CSV (UTF-8 with a BOM): a row per group, a column per
/// instrument (all of the typology), passages in the cells.
pub fn write_crosstab_csv(w: &mut dyn Write, t: &CrossTab) -> io::Result<()> {
    w.write_all("\u{FEFF}".as_bytes())?;
    let mut csv = csv::Writer::from_writer(&mut *w);
    let err = |e: csv::Error| io::Error::other(e.to_string());
    let mut header = vec![format!("{:?}", t.rows).to_lowercase()];
    header.extend(t.column_values.iter().cloned());
    csv.write_record(&header).map_err(err)?;
    for r in &t.row_values {
        let mut rec = vec![r.clone()];
        rec.extend(t.column_values.iter().map(|c| t.get(r, c).to_string()));
        csv.write_record(&rec).map_err(err)?;
    }
    csv.flush()?;
    Ok(())
}

/// Writes one JSON object a cell (row, column, passages, documents).
pub fn write_crosstab_jsonl(w: &mut dyn Write, t: &CrossTab) -> io::Result<()> {
    for c in &t.cells {
        serde_json::to_writer(&mut *w, c).map_err(io::Error::other)?;
        w.write_all(b"\n")?;
    }
    Ok(())
}
