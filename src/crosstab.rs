//! Cross-tabulations of the passages a query finds: region, province, city,
//! year, sector or document type against policy instrument, the counts a
//! paper's table needs. A passage counts once in each of its instruments (and,
//! grouped by sector, in each of its sectors); documents are counted once per
//! cell however many of their passages fall in it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::error::Result;
use crate::indexer::OpenIndex;
use crate::query::FilterSpec;
use crate::search::{Hit, HitUnit, SearchRequest, for_each_hit};

/// What the rows are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
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
    #[value(name = "doc_type", alias = "type")]
    DocType,
}

/// What the columns are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Columns {
    /// Policy instrument.
    Instrument,
    /// Instrument category (供给型, 环境型, 需求型).
    Category,
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
    /// Column values in typology order, then "(none)".
    pub column_values: Vec<String>,
    /// Non-empty cells.
    pub cells: Vec<Cell>,
    /// Passages found.
    pub passages: u64,
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
    let mut v: Vec<String> = hit
        .instruments
        .iter()
        .filter_map(|p| match columns {
            Columns::Instrument => p.rsplit('/').next().map(str::to_string),
            Columns::Category => p.split('/').next().map(str::to_string),
        })
        .collect();
    v.sort();
    v.dedup();
    if v.is_empty() {
        vec![NONE.to_string()]
    } else {
        v
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
    let request = SearchRequest {
        query: query.to_string(),
        filters: filters.clone(),
        limit: None,
        unit: HitUnit::Passage,
        max_per_doc: Some(0),
        max_per_region: Some(0),
        ..SearchRequest::default()
    };
    let mut counts: BTreeMap<(String, String), (u64, BTreeSet<String>)> = BTreeMap::new();
    let mut passages = 0;
    for_each_hit(index, &request, &mut |hit| {
        passages += 1;
        for r in row_values(rows, hit) {
            for c in column_values(columns, hit) {
                let e = counts.entry((r.clone(), c)).or_default();
                e.0 += 1;
                e.1.insert(hit.path.clone());
            }
        }
        Ok(())
    })?;
    let typology = crate::extract::instrument::typology();
    let mut column_values: Vec<String> = match columns {
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
    };
    column_values.push(NONE.to_string());
    let mut row_totals: BTreeMap<String, u64> = BTreeMap::new();
    for ((r, _), (n, _)) in &counts {
        *row_totals.entry(r.clone()).or_default() += n;
    }
    let mut row_values: Vec<String> = row_totals.keys().cloned().collect();
    if rows == Rows::Year {
        row_values.sort_by(|a, b| (a == UNKNOWN).cmp(&(b == UNKNOWN)).then(a.cmp(b)));
    } else {
        row_values.sort_by(|a, b| {
            (a == UNKNOWN)
                .cmp(&(b == UNKNOWN))
                .then(row_totals[b].cmp(&row_totals[a]))
                .then(a.cmp(b))
        });
    }
    let cells = counts
        .into_iter()
        .map(|((row, column), (passages, docs))| Cell {
            row,
            column,
            passages,
            documents: docs.len() as u64,
        })
        .collect();
    Ok(CrossTab {
        query: query.to_string(),
        rows,
        columns,
        row_values,
        column_values,
        cells,
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
