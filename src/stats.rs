//! `plansearch stats`: what the index holds, by province, year, type and
//! sector, in documents and passages.

use serde::Serialize;

use crate::error::Result;
use crate::indexer::OpenIndex;
use crate::schema::SCHEMA_VERSION;
use crate::search::breakdown::{BreakdownCollector, Count, FacetTree, TreeNode, ValueCount};

/// A summary of an index.
#[derive(Debug, Clone, Serialize)]
pub struct IndexStats {
    /// The index folder.
    pub index: String,
    /// The corpus folder it was built from, as given to the indexer.
    pub corpus: String,
    /// Schema version of the index.
    pub schema_version: u32,
    /// Documents and passages in all.
    pub total: Count,
    /// Passages with at least one quantified target, and their documents.
    pub with_targets: Count,
    /// Quantified targets in all.
    pub targets: u64,
    /// Provinces, cities and counties that have documents.
    pub regions: RegionCoverage,
    /// Documents and passages per province (unknown last, `value: null`).
    pub by_province: Vec<ValueCount>,
    /// Per year, in order (unknown last).
    pub by_year: Vec<ValueCount>,
    /// Per document type.
    pub by_doc_type: Vec<ValueCount>,
    /// Per sector, with subsectors (a passage counts in each of its sectors).
    pub by_sector: Vec<TreeNode>,
    /// Passages with no sector.
    pub no_sector: Count,
}

/// How many units of each level have documents.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct RegionCoverage {
    /// Provinces (national documents, region 全国, are not one).
    pub provinces: usize,
    /// Cities.
    pub cities: usize,
    /// Counties.
    pub counties: usize,
}

/// Summarises an index.
pub fn stats(index: &OpenIndex) -> Result<IndexStats> {
    let snapshot = index.snapshot()?;
    let tree: FacetTree = snapshot
        .searcher
        .search(
            &*crate::schema::passages(&index.fields),
            &BreakdownCollector,
        )?
        .tree();
    let mut by_province: Vec<ValueCount> = tree
        .region
        .iter()
        .map(|p| ValueCount {
            value: Some(p.name.clone()),
            passages: p.passages,
            documents: p.documents,
        })
        .collect();
    if tree.region_unknown.passages > 0 {
        by_province.push(ValueCount {
            value: None,
            passages: tree.region_unknown.passages,
            documents: tree.region_unknown.documents,
        });
    }
    let cities = tree.region.iter().map(|p| p.children.len()).sum();
    let counties = tree
        .region
        .iter()
        .flat_map(|p| &p.children)
        .map(|c| c.children.len())
        .sum();
    Ok(IndexStats {
        index: index.dir.display().to_string(),
        corpus: snapshot.state.corpus.clone(),
        schema_version: SCHEMA_VERSION,
        total: tree.total,
        with_targets: tree.with_targets,
        targets: tree.targets,
        regions: RegionCoverage {
            // National documents (region 全国) are listed, not counted as a province.
            provinces: tree
                .region
                .iter()
                .filter(|r| r.name != crate::indexer::NATIONAL)
                .count(),
            cities,
            counties,
        },
        by_province,
        by_year: tree.year,
        by_doc_type: tree.doc_type,
        by_sector: tree.sector,
        no_sector: tree.sector_none,
    })
}
