//! Exports of every hit, streamed: `--csv` (UTF-8 with a byte-order mark, so
//! that Excel reads the Chinese text right) and `--jsonl` (one hit a line, the
//! hit object of `--json`). Hits are written one at a time as
//! [`crate::search::for_each_hit`] builds them, so an export of 100,000 hits
//! holds one hit at a time, not all of them.
//!
//! The views export the same way ([`export_view`]): `--group-by` one row a
//! group (its counts, then its best passage in the hit columns), `--facets`
//! one row a facet value with its passages and documents.

use std::io::Write;

use serde::Serialize;

use crate::error::{Error, Result};
use crate::indexer::OpenIndex;
use crate::search::breakdown::{Count, FacetTree, TreeNode};
use crate::search::group::{self, Group, GroupBy};
use crate::search::{FacetCounts, Hit, SearchRequest, for_each_hit};

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
    "text",
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

/// What an export holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportView {
    /// Every hit.
    Hits,
    /// One row a group, with its best passage.
    Groups(GroupBy),
    /// One row a facet value: the breakdown of `--facets`.
    Facets,
}

/// The columns of a group export before its best passage's (which follow,
/// named as in [`CSV_COLUMNS`]).
pub const GROUP_COLUMNS: &[&str] = &[
    "group_by",
    "group",
    "label",
    "group_passages",
    "group_documents",
];

/// The columns of a facet export.
pub const FACET_COLUMNS: &[&str] = &["facet", "value", "name", "level", "passages", "documents"];

/// One facet value with its counts: a row of the facet export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetRow {
    /// total, region, year, doc_type, sector, targets, issuer, force or
    /// instrument.
    pub facet: &'static str,
    /// The value as a filter takes it (甘肃省/张掖市, 2018, 规划); `null`
    /// for passages without one and for the totals.
    pub value: Option<String>,
    /// How it is shown (张掖市, 2018, 地区未知, 含量化目标).
    pub name: String,
    /// Depth in its tree: 1 province or sector, 2 city or subsector, 3
    /// county; 0 for the total.
    pub level: u8,
    /// Matching passages with the value.
    pub passages: u64,
    /// Documents they come from.
    pub documents: u64,
}

/// The rows of a breakdown, in the order `--facets` prints it: the total,
/// the region tree (each node before its children), years, types, the
/// sector tree, passages with targets.
pub fn facet_rows(tree: &FacetTree) -> Vec<FacetRow> {
    let row = |facet, value: Option<String>, name: &str, level, count: Count| FacetRow {
        facet,
        value,
        name: name.to_string(),
        level,
        passages: count.passages,
        documents: count.documents,
    };
    fn walk(out: &mut Vec<FacetRow>, facet: &'static str, nodes: &[TreeNode], level: u8) {
        for n in nodes {
            out.push(FacetRow {
                facet,
                value: Some(n.path.clone()),
                name: n.name.clone(),
                level,
                passages: n.passages,
                documents: n.documents,
            });
            walk(out, facet, &n.children, level + 1);
        }
    }
    let mut out = vec![row("total", None, "全部", 0, tree.total)];
    walk(&mut out, "region", &tree.region, 1);
    if tree.region_unknown.passages > 0 {
        out.push(row("region", None, "地区未知", 1, tree.region_unknown));
    }
    for (facet, values, unknown) in [
        ("year", &tree.year, "年份未知"),
        ("doc_type", &tree.doc_type, "类型未知"),
    ] {
        for v in values {
            out.push(FacetRow {
                facet,
                value: v.value.clone(),
                name: v.value.clone().unwrap_or_else(|| unknown.to_string()),
                level: 1,
                passages: v.passages,
                documents: v.documents,
            });
        }
    }
    walk(&mut out, "sector", &tree.sector, 1);
    if tree.sector_none.passages > 0 {
        out.push(row("sector", None, "行业未知", 1, tree.sector_none));
    }
    out.push(row("targets", None, "含量化目标", 1, tree.with_targets));
    out
}

/// The rows of the flat facets the breakdown has not (issuers, levels of
/// force, instruments), from their counts in passages and in documents; a
/// value missing from either (the issuers are the 30 most frequent of each)
/// is left out rather than given a wrong count.
pub fn flat_facet_rows(passages: &FacetCounts, documents: &FacetCounts) -> Vec<FacetRow> {
    let mut out = Vec::new();
    for (facet, by_passage, by_doc) in [
        ("issuer", &passages.issuer, &documents.issuer),
        ("force", &passages.force, &documents.force),
        ("instrument", &passages.instrument, &documents.instrument),
    ] {
        for v in by_passage {
            let Some(d) = by_doc.iter().find(|d| d.value == v.value) else {
                continue;
            };
            out.push(FacetRow {
                facet,
                value: Some(v.value.clone()),
                name: v.value.rsplit('/').next().unwrap_or(&v.value).to_string(),
                level: v.value.split('/').count().min(3) as u8,
                passages: v.count,
                documents: d.count,
            });
        }
    }
    out
}

/// A group as a JSON line: the group with what it is grouped by.
#[derive(Serialize)]
struct GroupLine<'a> {
    group_by: GroupBy,
    #[serde(flatten)]
    group: &'a Group,
}

/// Writes a view of a search to `w`: every hit, every group or every facet
/// value; returns how many hits, groups or rows.
pub fn export_view(
    index: &OpenIndex,
    request: &SearchRequest,
    view: ExportView,
    format: ExportFormat,
    w: &mut dyn Write,
) -> Result<u64> {
    match view {
        ExportView::Hits => export(index, request, format, w),
        ExportView::Groups(by) => export_groups(index, request, by, format, w),
        ExportView::Facets => export_facets(index, request, format, w),
    }
}

/// Every group with its counts and best hit; returns how many groups.
fn export_groups(
    index: &OpenIndex,
    request: &SearchRequest,
    by: GroupBy,
    format: ExportFormat,
    w: &mut dyn Write,
) -> Result<u64> {
    let groups = group::group(index, request, by)?;
    let by_name = serde_json::to_value(by)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    match format {
        ExportFormat::Jsonl => {
            for g in &groups.groups {
                serde_json::to_writer(
                    &mut *w,
                    &GroupLine {
                        group_by: by,
                        group: g,
                    },
                )
                .map_err(io_error)?;
                w.write_all(b"\n").map_err(write_error)?;
            }
        }
        ExportFormat::Csv => {
            let mut csv = bom_csv(w)?;
            let header: Vec<&str> = GROUP_COLUMNS.iter().chain(CSV_COLUMNS).copied().collect();
            write_safe_record(&mut csv, &header).map_err(csv_error)?;
            for g in &groups.groups {
                let mut record = vec![
                    by_name.clone(),
                    g.key.clone().unwrap_or_default(),
                    g.label.clone(),
                    g.passages.to_string(),
                    g.documents.to_string(),
                ];
                record.extend(csv_record(&g.best));
                write_safe_record(&mut csv, &record).map_err(csv_error)?;
            }
            csv.flush().map_err(write_error)?;
        }
    }
    Ok(groups.groups.len() as u64)
}

/// Every facet value with its passage and document counts; returns the
/// matching passages.
fn export_facets(
    index: &OpenIndex,
    request: &SearchRequest,
    format: ExportFormat,
    w: &mut dyn Write,
) -> Result<u64> {
    let tree = crate::service::facets(index, request)?.facet_tree;
    let mut rows = facet_rows(&tree);
    let (passages, documents) = crate::search::facet_counts_both(index, request)?;
    // After the targets row, which ends the breakdown's part.
    rows.extend(flat_facet_rows(&passages, &documents));
    match format {
        ExportFormat::Jsonl => {
            for r in &rows {
                serde_json::to_writer(&mut *w, r).map_err(io_error)?;
                w.write_all(b"\n").map_err(write_error)?;
            }
        }
        ExportFormat::Csv => {
            let mut csv = bom_csv(w)?;
            write_safe_record(&mut csv, FACET_COLUMNS).map_err(csv_error)?;
            for r in &rows {
                write_safe_record(
                    &mut csv,
                    [
                        r.facet.to_string(),
                        r.value.clone().unwrap_or_default(),
                        r.name.clone(),
                        r.level.to_string(),
                        r.passages.to_string(),
                        r.documents.to_string(),
                    ],
                )
                .map_err(csv_error)?;
            }
            csv.flush().map_err(write_error)?;
        }
    }
    // The total row and the targets row are always there: count
    // the matching passages, so that nothing found exits 1.
    Ok(tree.total.passages)
}

/// A CSV writer after the byte-order mark Excel needs to read UTF-8.
fn bom_csv(w: &mut dyn Write) -> Result<csv::Writer<&mut dyn Write>> {
    w.write_all("\u{FEFF}".as_bytes()).map_err(write_error)?;
    Ok(csv::Writer::from_writer(w))
}

/// A cell Excel (or LibreOffice) would not run as a formula. A cell that
/// starts with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula
/// to a spreadsheet (`=HYPERLINK(…)` in a title scraped from a web page
/// would open a link, `@SUM(…)` or `-1+cmd|…` run): such a cell gets a
/// leading apostrophe, the OWASP convention, which the spreadsheet shows
/// as text and hides. A plain number (`-3.5`, `+12`) is left as it is, so
/// that it stays a number: it cannot run anything. Documented in
/// docs/usage.md.
pub fn formula_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// `-3.5`, `+12`, `-0.25`: a sign, digits, at most one decimal point.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && fraction.is_empty())
}

/// Writes one CSV record with every cell made [`formula_safe`]: every CSV
/// plansearch writes goes through here.
pub fn write_safe_record<W: Write, I, S>(csv: &mut csv::Writer<W>, record: I) -> csv::Result<()>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str>,
{
    csv.write_record(
        record
            .into_iter()
            .map(|c| formula_safe(c.as_ref()).into_owned()),
    )
}

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
            let mut csv = bom_csv(w)?;
            write_safe_record(&mut csv, CSV_COLUMNS).map_err(csv_error)?;
            let n = for_each_hit(index, request, &mut |hit| {
                write_safe_record(&mut csv, csv_record(hit)).map_err(csv_error)
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
        hit.text.clone(),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_a_spreadsheet_would_run_get_an_apostrophe() {
        let cases: &[(&str, &str)] = &[
            // Titles and passages as scraped pages and reports have them.
            (
                "=HYPERLINK(\"http://x.example/\",\"关于印发张掖市肉牛产业发展实施方案的通知\")",
                "'=HYPERLINK(\"http://x.example/\",\"关于印发张掖市肉牛产业发展实施方案的通知\")",
            ),
            ("+86 0936-8212345", "'+86 0936-8212345"),
            ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1+1", "'\t=1+1"),
            ("\r=1+1", "'\r=1+1"),
            ("—— 2018年政府工作报告", "—— 2018年政府工作报告"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("1.", "1."),
            // Plain numbers stay numbers.
            ("-3.5", "-3.5"),
            ("+12", "+12"),
            ("-0.25", "-0.25"),
            ("2018", "2018"),
            // Anything else is left as it is.
            ("张掖市 = 甘肃省", "张掖市 = 甘肃省"),
            ("'=already safe", "'=already safe"),
            ("", ""),
        ];
        for (cell, want) in cases {
            assert_eq!(formula_safe(cell), *want, "{cell:?}");
        }
    }

    #[test]
    fn every_cell_of_a_record_is_made_safe() {
        let mut csv = csv::Writer::from_writer(Vec::new());
        write_safe_record(&mut csv, ["=1+1", "肉牛", "-3.5", "@A1"]).unwrap();
        let bytes = csv.into_inner().unwrap();
        assert_eq!(String::from_utf8(bytes).unwrap(), "'=1+1,肉牛,-3.5,'@A1\n");
    }
}
