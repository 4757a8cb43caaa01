//! Cross-tabs as an aligned terminal table with block-character bars and as
//! CSV (wide: one row a group, one column an instrument).

use std::io::{self, Write};

use super::Style;
use super::terminal::safe;
use super::tree::{pad, width};
use crate::crosstab::{Columns, CrossTab};
use crate::timeline::bar;

/// Cells of the longest bar.
const BAR_WIDTH: usize = 20;

/// What the columns are, in the text's words.
fn column_noun(t: &CrossTab) -> &'static str {
    match t.columns {
        Columns::Instrument => "instrument",
        Columns::Category => "category",
        Columns::Year => "year",
        Columns::Province => "province",
    }
}

/// Writes the table: rows × the columns that have passages, in passages,
/// with each row's total and a bar of block characters; then each column's
/// total as a bar.
pub fn write_crosstab_text(w: &mut dyn Write, t: &CrossTab, style: Style) -> io::Result<()> {
    let counted = match t.columns {
        Columns::Instrument | Columns::Category => "a passage counts in each of its instruments",
        Columns::Year | Columns::Province => "a passage counts once a row",
    };
    writeln!(
        w,
        "{} \"{}\": {} passages ({counted})",
        style.bold("crosstab"),
        safe(&t.query),
        t.passages
    )?;
    if t.passages == 0 {
        return Ok(());
    }
    write_table(w, t, style)?;
    write_column_bars(w, t, style)
}

/// Rows × the columns that have passages, a total column with a bar, and a
/// total row.
fn write_table(w: &mut dyn Write, t: &CrossTab, style: Style) -> io::Result<()> {
    let cols = t.used_columns();
    let total_label = "total";
    let first = t
        .row_values
        .iter()
        .map(|r| width(r))
        .chain([width(total_label)])
        .max()
        .unwrap_or(4);
    let total_width = t.passages.to_string().len().max(width(total_label));
    let mut header = pad("", first);
    for c in &cols {
        header.push_str("  ");
        header.push_str(c);
    }
    header.push_str("  ");
    header.push_str(&format!("{total_label:>total_width$}"));
    writeln!(w, "{}", style.bold(&header))?;
    let cell = |n: u64, column: &str| {
        let text = if n == 0 {
            "·".to_string()
        } else {
            n.to_string()
        };
        format!(
            "  {}{text}",
            " ".repeat(width(column).saturating_sub(width(&text)))
        )
    };
    let max_row = t.row_totals.iter().map(|r| r.passages).max().unwrap_or(0);
    for (r, total) in t.row_values.iter().zip(&t.row_totals) {
        let mut line = pad(r, first);
        for c in &cols {
            line.push_str(&cell(t.get(r, c), c));
        }
        line.push_str(&format!("  {:>total_width$}  ", total.passages));
        line.push_str(&bar(total.passages as usize, max_row as usize, BAR_WIDTH));
        writeln!(w, "{}", line.trim_end())?;
    }
    let mut line = pad(total_label, first);
    for c in &cols {
        let n = t
            .column_totals
            .iter()
            .find(|x| x.value == *c)
            .map_or(0, |x| x.passages);
        line.push_str(&cell(n, c));
    }
    line.push_str(&format!("  {:>total_width$}", t.passages));
    writeln!(w, "{}", style.dim(&line))
}

/// Each column's passages as a bar.
fn write_column_bars(w: &mut dyn Write, t: &CrossTab, style: Style) -> io::Result<()> {
    writeln!(w)?;
    let shown: Vec<_> = t.column_totals.iter().filter(|c| c.passages > 0).collect();
    let name_width = shown.iter().map(|c| width(&c.value)).max().unwrap_or(4);
    let max_col = shown.iter().map(|c| c.passages).max().unwrap_or(0);
    let count_width = max_col.to_string().len();
    writeln!(
        w,
        "{}",
        style.bold(&format!("passages by {}", column_noun(t)))
    )?;
    for c in shown {
        writeln!(
            w,
            "{}  {:>count_width$}  {}",
            pad(&c.value, name_width),
            c.passages,
            bar(c.passages as usize, max_col as usize, BAR_WIDTH * 2)
        )?;
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
    crate::export::write_safe_record(&mut csv, &header).map_err(err)?;
    for r in &t.row_values {
        let mut rec = vec![r.clone()];
        rec.extend(t.column_values.iter().map(|c| t.get(r, c).to_string()));
        crate::export::write_safe_record(&mut csv, &rec).map_err(err)?;
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
