//! Exports of every hit, streamed: `--csv` (UTF-8 with a byte-order mark, so
//! that Excel reads the Chinese text right) and `--jsonl` (one hit a line, the
//! hit object of `--json`). Hits are written one at a time as
//! [`crate::search::for_each_hit`] builds them, so an export of 100,000 hits
//! holds one hit at a time, not all of them.

use std::io::Write;

use crate::error::{Error, Result};
use crate::indexer::OpenIndex;
use crate::search::{Hit, SearchRequest, for_each_hit};

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// Comma-separated values with a header row, UTF-8 with a BOM.
    Csv,
    /// One JSON object a line.
    Jsonl,
}

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "path",
    "title",
    "province",
    "city",
    "county",
    "year",
    "doc_type",
    "sectors",
    "heading",
    "passage_no",
    "pages",
    "passage",
    "score",
    "target_years",
    "targets",
    "targets_json",
    "issuers",
    "force",
    "doc_number",
    "written",
    "published",
    "effective",
    "instruments",
    "superseded_by",
];

/// Writes every hit of a search to `w`; returns how many.
pub fn export(
    index: &OpenIndex,
    request: &SearchRequest,
    format: ExportFormat,
    w: &mut dyn Write,
) -> Result<u64> {
    match format {
        ExportFormat::Jsonl => for_each_hit(index, request, &mut |hit| {
            serde_json::to_writer(&mut *w, hit).map_err(io_error)?;
            w.write_all(b"\n").map_err(write_error)
        }),
        ExportFormat::Csv => {
            w.write_all("\u{FEFF}".as_bytes()).map_err(write_error)?;
            let mut csv = csv::Writer::from_writer(&mut *w);
            csv.write_record(CSV_COLUMNS).map_err(csv_error)?;
            let n = for_each_hit(index, request, &mut |hit| {
                csv.write_record(csv_record(hit)).map_err(csv_error)
            })?;
            csv.flush().map_err(write_error)?;
            Ok(n)
        }
    }
}

/// The CSV fields of a hit, in [`CSV_COLUMNS`] order.
pub fn csv_record(hit: &Hit) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let join = |v: Vec<String>| v.join("; ");
    vec![
        hit.id.clone(),
        hit.path.clone(),
        hit.title.clone(),
        opt(&hit.region.province),
        opt(&hit.region.city),
        opt(&hit.region.county),
        hit.year.map(|y| y.to_string()).unwrap_or_default(),
        opt(&hit.doc_type),
        hit.sectors.join("; "),
        hit.heading.clone(),
        hit.passage_no.to_string(),
        hit.page_label().unwrap_or_default(),
        hit.passage.clone(),
        format!("{:.4}", hit.score),
        join(hit.target_years.iter().map(u64::to_string).collect()),
        join(hit.targets.iter().map(|t| t.summary()).collect()),
        if hit.targets.is_empty() {
            String::new()
        } else {
            serde_json::to_string(&hit.targets).unwrap_or_default()
        },
        hit.issuers.join("; "),
        opt(&hit.force),
        opt(&hit.doc_number),
        opt(&hit.written),
        opt(&hit.published),
        opt(&hit.effective),
        hit.instruments.join("; "),
        hit.superseded_by
            .as_ref()
            .map(|s| format!("{} ({}, {})", s.title, s.date, s.path))
            .unwrap_or_default(),
    ]
}

fn write_error(e: std::io::Error) -> Error {
    Error::io("output", e)
}

fn io_error(e: serde_json::Error) -> Error {
    Error::io("output", std::io::Error::other(e))
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(io) => write_error(io),
        other => Error::io("output", std::io::Error::other(format!("{other:?}"))),
    }
}
