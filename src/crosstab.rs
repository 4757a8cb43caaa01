//! Cross-tabulations of the passages a query finds: region, province, city,
//! year, sector or document type against policy instrument (or against year
//! or province, the year × region table of a measure's spread), the counts a
//! paper's table needs. A passage counts once in each of its instruments (and,
//! grouped by sector, in each of its sectors); documents are counted once per
//! cell however many of their passages fall in it. The totals of a row or a
//! column count a passage once.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::indexer::OpenIndex;
use crate::query::FilterSpec;
use crate::search::{Hit, SearchRequest, for_each_hit};

/// What the rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rows {
    /// The document's region: county, city or province, the deepest known.
    Region,
    /// Province.
    Province,
    /// City.
    City,
    /// The document's own year.
    Year,
    /// Top-level sector.
    Sector,
    /// Document type.
    DocType,
}

/// What the columns are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Columns {
    /// Policy instrument.
    Instrument,
    /// Instrument category (供给型, 环境型, 需求型).
    Category,
    /// The document's own year (ascending).
    Year,
    /// Province.
    Province,
}

impl crate::vocabulary::Named for Rows {
    const OPTION: &'static str = "group_by";
    const NAMES: &'static [(&'static str, Rows)] = &[
        ("region", Rows::Region),
        ("province", Rows::Province),
        ("city", Rows::City),
        ("year", Rows::Year),
        ("sector", Rows::Sector),
        ("doc_type", Rows::DocType),
        ("type", Rows::DocType),
    ];
}

impl crate::vocabulary::Named for Columns {
    const OPTION: &'static str = "by";
    const NAMES: &'static [(&'static str, Columns)] = &[
        ("instrument", Columns::Instrument),
        ("category", Columns::Category),
        ("year", Columns::Year),
        ("province", Columns::Province),
    ];
}

impl Columns {
    /// The value a passage without one counts under: "(none)" for
    /// instruments, "(unknown)" for a year or province.
    pub fn missing(self) -> &'static str {
        match self {
            Columns::Instrument | Columns::Category => NONE,
            Columns::Year | Columns::Province => UNKNOWN,
        }
    }
}

/// One cell.
#[derive(Debug, Clone, Serialize)]
pub struct Cell {
    /// Row value ("(unknown)" when the hit has none).
    pub row: String,
    /// Column value ("(none)" for passages without an instrument).
    pub column: String,
    /// Passages.
    pub passages: u64,
    /// Documents.
    pub documents: u64,
}

/// A cross-tab.
#[derive(Debug, Clone, Serialize)]
pub struct CrossTab {
    /// The query.
    pub query: String,
    /// Row dimension.
    pub rows: Rows,
    /// Column dimension.
    pub columns: Columns,
    /// Row values in order (years ascending, others by passages).
    pub row_values: Vec<String>,
    /// Column values: instruments in typology order, then "(none)"; years
    /// ascending or provinces by passages, then "(unknown)".
    pub column_values: Vec<String>,
    /// Non-empty cells.
    pub cells: Vec<Cell>,
    /// Each row's passages and documents, in `row_values` order; a passage
    /// counts once however many columns it falls in.
    pub row_totals: Vec<Total>,
    /// Each column's passages and documents, in `column_values` order (zero
    /// for a column no passage falls in); a passage counts once however many
    /// rows it falls in.
    pub column_totals: Vec<Total>,
    /// Passages found.
    pub passages: u64,
}

/// The total of a row or a column.
#[derive(Debug, Clone, Serialize)]
pub struct Total {
    /// The row or column value.
    pub value: String,
    /// Passages.
    pub passages: u64,
    /// Documents.
    pub documents: u64,
    /// For an instrument column, its category (供给型, 环境型, 需求型).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
}

/// The value a passage without one counts under.
pub const UNKNOWN: &str = "(unknown)";
/// The column of passages without an instrument.
pub const NONE: &str = "(none)";

fn row_values(rows: Rows, hit: &Hit) -> Vec<String> {
    let r = &hit.region;
    let v: Vec<String> = match rows {
        Rows::Region => r
            .county
            .as_ref()
            .map(|c| format!("{}{c}", r.city.clone().unwrap_or_default()))
            .or_else(|| r.city.clone())
            .or_else(|| r.province.clone())
            .into_iter()
            .collect(),
        Rows::Province => r.province.clone().into_iter().collect(),
        Rows::City => r.city.clone().into_iter().collect(),
        Rows::Year => hit.year.map(|y| y.to_string()).into_iter().collect(),
        Rows::Sector => {
            let mut s: Vec<String> = hit
                .sectors
                .iter()
                .filter_map(|p| p.split('/').next().map(str::to_string))
                .collect();
            s.dedup();
            s
        }
        Rows::DocType => hit.doc_type.clone().into_iter().collect(),
    };
    if v.is_empty() {
        vec![UNKNOWN.to_string()]
    } else {
        v
    }
}

fn column_values(columns: Columns, hit: &Hit) -> Vec<String> {
    let mut v: Vec<String> = match columns {
        Columns::Instrument | Columns::Category => hit
            .instruments
            .iter()
            .filter_map(|p| match columns {
                Columns::Category => p.split('/').next().map(str::to_string),
                _ => p.rsplit('/').next().map(str::to_string),
            })
            .collect(),
        Columns::Year => row_values(Rows::Year, hit),
        Columns::Province => row_values(Rows::Province, hit),
    };
    v.sort();
    v.dedup();
    if v.is_empty() {
        vec![columns.missing().to_string()]
    } else {
        v
    }
}

/// Passages and the documents they are of.
#[derive(Default)]
struct Tally {
    passages: u64,
    documents: BTreeSet<String>,
}

impl Tally {
    fn add(&mut self, path: &str) {
        self.passages += 1;
        if !self.documents.contains(path) {
            self.documents.insert(path.to_string());
        }
    }

    fn total(&self, value: &str) -> Total {
        Total {
            value: value.to_string(),
            passages: self.passages,
            documents: self.documents.len() as u64,
            category: None,
        }
    }
}

/// `values` with "(unknown)" last, then years ascending or, for other
/// dimensions, most passages first.
fn order(values: &mut [String], ascending: bool, totals: &BTreeMap<String, Tally>) {
    values.sort_by(|a, b| {
        let last = (a == UNKNOWN).cmp(&(b == UNKNOWN));
        if ascending {
            last.then(a.cmp(b))
        } else {
            last.then(totals[b].passages.cmp(&totals[a].passages))
                .then(a.cmp(b))
        }
    });
}

/// Passages and documents per cell, row and column.
#[derive(Default)]
struct Counts {
    cells: BTreeMap<(String, String), Tally>,
    rows: BTreeMap<String, Tally>,
    columns: BTreeMap<String, Tally>,
    passages: u64,
}

impl Counts {
    fn add(&mut self, rows: Rows, columns: Columns, hit: &Hit) {
        self.passages += 1;
        let cols = column_values(columns, hit);
        for c in &cols {
            self.columns.entry(c.clone()).or_default().add(&hit.path);
        }
        for r in row_values(rows, hit) {
            for c in &cols {
                self.cells
                    .entry((r.clone(), c.clone()))
                    .or_default()
                    .add(&hit.path);
            }
            self.rows.entry(r).or_default().add(&hit.path);
        }
    }
}

/// The columns in order: the typology's instruments or categories in its
/// order (every one, found or not), years ascending, provinces by count.
fn column_order(columns: Columns, tally: &BTreeMap<String, Tally>) -> Vec<String> {
    let typology = crate::extract::instrument::typology();
    match columns {
        Columns::Instrument => typology
            .instruments()
            .iter()
            .map(|i| i.name.clone())
            .collect(),
        Columns::Category => typology
            .categories()
            .iter()
            .map(|(_, n)| n.clone())
            .collect(),
        Columns::Year | Columns::Province => {
            let mut v: Vec<String> = tally
                .keys()
                .filter(|c| c.as_str() != UNKNOWN)
                .cloned()
                .collect();
            order(&mut v, columns == Columns::Year, tally);
            v
        }
    }
}

/// Cross-tabulates the passages `query` finds under `filters`.
pub fn crosstab(
    index: &OpenIndex,
    query: &str,
    filters: &FilterSpec,
    rows: Rows,
    columns: Columns,
) -> Result<CrossTab> {
    let request = SearchRequest::every_passage(query, filters);
    let mut counts = Counts::default();
    for_each_hit(index, &request, &mut |hit| {
        counts.add(rows, columns, hit);
        Ok(())
    })?;
    let Counts {
        cells: counts,
        rows: row_tally,
        columns: column_tally,
        passages,
    } = counts;
    let typology = crate::extract::instrument::typology();
    let mut column_values = column_order(columns, &column_tally);
    column_values.push(columns.missing().to_string());
    let mut row_values: Vec<String> = row_tally.keys().cloned().collect();
    order(&mut row_values, rows == Rows::Year, &row_tally);
    let empty = Tally::default();
    let row_totals = row_values
        .iter()
        .map(|r| row_tally.get(r).unwrap_or(&empty).total(r))
        .collect();
    let column_totals = column_values
        .iter()
        .map(|c| Total {
            category: (columns == Columns::Instrument)
                .then(|| typology.instruments().iter().find(|i| &i.name == c))
                .flatten()
                .map(|i| i.category.clone()),
            ..column_tally.get(c).unwrap_or(&empty).total(c)
        })
        .collect();
    let cells = counts
        .into_iter()
        .map(|((row, column), t)| Cell {
            row,
            column,
            passages: t.passages,
            documents: t.documents.len() as u64,
        })
        .collect();
    Ok(CrossTab {
        query: query.to_string(),
        rows,
        columns,
        row_values,
        column_values,
        cells,
        row_totals,
        column_totals,
        passages,
    })
}

impl CrossTab {
    /// The passages of a cell.
    pub fn get(&self, row: &str, column: &str) -> u64 {
        self.cells
            .iter()
            .find(|c| c.row == row && c.column == column)
            .map_or(0, |c| c.passages)
    }

    /// Columns with at least one passage, in order.
    pub fn used_columns(&self) -> Vec<&str> {
        self.column_values
            .iter()
            .filter(|c| self.cells.iter().any(|x| &x.column == *c))
            .map(String::as_str)
            .collect()
    }
}
