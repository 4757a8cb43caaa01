//! `plansearch timeline` as text: the adoption curve as an aligned table with
//! block-character bars, then each region's first mention.

use std::io::{self, Write};

use super::Style;
use super::terminal::safe;
use super::tree::pad;
use crate::timeline::{Timeline, bar};

/// Cells of the longest bar.
const BAR_WIDTH: usize = 30;

/// Writes a timeline.
pub fn write_timeline_text(w: &mut dyn Write, t: &Timeline, style: Style) -> io::Result<()> {
    let level = match t.level {
        crate::timeline::Level::Province => "provinces",
        crate::timeline::Level::City => "cities",
        crate::timeline::Level::County => "counties",
    };
    writeln!(
        w,
        "{} \"{}\": {} of {} {level} with documents say it; first mention by the documents' own year",
        style.bold("timeline"),
        safe(&t.query),
        t.first_mentions.len(),
        t.regions
    )?;
    if t.curve.is_empty() {
        writeln!(w, "no documents with a year at this level")?;
        return Ok(());
    }
    write_curve(w, t, style)?;
    write_first_mentions(w, t, style)
}

/// The adoption curve: per year, regions new and in all, with a bar.
fn write_curve(w: &mut dyn Write, t: &Timeline, style: Style) -> io::Result<()> {
    writeln!(w)?;
    writeln!(
        w,
        "{}",
        style.bold(&format!(
            "{}  {:>4}  {:>5}  {}  {:>8}  {:>10}",
            pad("year", 4),
            "new",
            "total",
            pad("adopted (█ = regions)", BAR_WIDTH),
            "covered",
            "no doc yet"
        ))
    )?;
    for y in &t.curve {
        writeln!(
            w,
            "{}  {:>4}  {:>5}  {}  {:>8}  {:>10}",
            y.year,
            y.new,
            y.cumulative,
            pad(&bar(y.cumulative, t.regions, BAR_WIDTH), BAR_WIDTH),
            y.covered,
            y.without_documents
        )?;
    }
    writeln!(
        w,
        "{}",
        style.dim(
            "covered: regions with a document of that year or before; no doc yet: regions the corpus has nothing of up to then"
        )
    )
}

/// Each region's first mention, the regions that never say it, and what was
/// left out.
fn write_first_mentions(w: &mut dyn Write, t: &Timeline, style: Style) -> io::Result<()> {
    writeln!(w)?;
    writeln!(
        w,
        "{}",
        style.bold(&format!(
            "{}  {}  {}  document",
            pad("region", 24),
            pad("first", 5),
            pad("earliest doc", 12)
        ))
    )?;
    for m in &t.first_mentions {
        let earliest = if m.censored {
            format!("{}*", m.earliest_document_year)
        } else {
            m.earliest_document_year.to_string()
        };
        writeln!(
            w,
            "{}  {}  {}  {} ({}#{})",
            pad(&m.region, 24),
            pad(&m.first_year.to_string(), 5),
            pad(&earliest, 12),
            safe(&m.title),
            safe(&m.path),
            m.passage_no
        )?;
    }
    if t.first_mentions.iter().any(|m| m.censored) {
        writeln!(
            w,
            "{}",
            style.dim(
                "* first mention in the region's earliest document: it may have said it before"
            )
        )?;
    }
    if !t.never.is_empty() {
        writeln!(w)?;
        writeln!(w, "{} {}", style.bold("never said:"), t.never.join(", "))?;
    }
    if t.skipped > 0 {
        writeln!(
            w,
            "{}",
            style.dim(&format!(
                "{} matching passages left out: no year, or not of a unit at this level",
                t.skipped
            ))
        )?;
    }
    Ok(())
}

/// The CSV columns of the first-mention table.
pub const TIMELINE_COLUMNS: &[&str] = &[
    "region",
    "first_year",
    "earliest_document_year",
    "censored",
    "path",
    "passage_no",
    "id",
    "title",
    "snippet",
];

/// Writes the first mentions as CSV (UTF-8 with a BOM), then, after a blank
/// line, the curve.
pub fn write_timeline_csv(w: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    w.write_all("\u{FEFF}".as_bytes())?;
    let mut csv = csv::Writer::from_writer(&mut *w);
    let err = |e: csv::Error| io::Error::other(e.to_string());
    crate::export::write_safe_record(&mut csv, TIMELINE_COLUMNS).map_err(err)?;
    for m in &t.first_mentions {
        crate::export::write_safe_record(
            &mut csv,
            [
                m.region.clone(),
                m.first_year.to_string(),
                m.earliest_document_year.to_string(),
                m.censored.to_string(),
                m.path.clone(),
                m.passage_no.to_string(),
                m.id.clone(),
                m.title.clone(),
                m.snippet.clone(),
            ],
        )
        .map_err(err)?;
    }
    csv.flush()?;
    Ok(())
}

/// Writes the curve as CSV (UTF-8 with a BOM).
pub fn write_curve_csv(w: &mut dyn Write, t: &Timeline) -> io::Result<()> {
    w.write_all("\u{FEFF}".as_bytes())?;
    let mut csv = csv::Writer::from_writer(&mut *w);
    let err = |e: csv::Error| io::Error::other(e.to_string());
    crate::export::write_safe_record(
        &mut csv,
        ["year", "new", "cumulative", "covered", "without_documents"],
    )
    .map_err(err)?;
    for y in &t.curve {
        crate::export::write_safe_record(
            &mut csv,
            [
                y.year.to_string(),
                y.new.to_string(),
                y.cumulative.to_string(),
                y.covered.to_string(),
                y.without_documents.to_string(),
            ],
        )
        .map_err(err)?;
    }
    csv.flush()?;
    Ok(())
}
