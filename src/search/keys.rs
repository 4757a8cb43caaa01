//! The values a passage has on each facet dimension, read from a segment's
//! fast columns as term ordinals (cheap to count) and resolved to names once
//! per segment. Grouping (`--group-by`) and breakdowns (`--facets`, `stats`)
//! share it.

use serde::Serialize;
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, SegmentReader};

use crate::schema::names;

/// A facet dimension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    /// The document's region, as a facet path `/省/市/县`.
    Region,
    /// The document's year.
    Year,
    /// The document's type.
    DocType,
    /// The passage's sectors, as facet paths `/sector/sub` (up to two).
    Sector,
}

/// Ordinal standing for "no value" (region or year unknown).
pub const UNKNOWN: u64 = u64::MAX;

/// One segment's columns for every dimension.
pub struct SegmentKeys {
    region: FacetReader,
    sector: FacetReader,
    year: Column<u64>,
    doc_type: Option<StrColumn>,
    doc_num: Column<u64>,
    target_count: Column<u64>,
}

impl SegmentKeys {
    /// Opens the columns of a segment.
    pub fn new(reader: &SegmentReader) -> tantivy::Result<SegmentKeys> {
        let ff = reader.fast_fields();
        Ok(SegmentKeys {
            region: reader.facet_reader(names::REGION)?,
            sector: reader.facet_reader(names::SECTOR)?,
            year: ff.u64(names::YEAR)?,
            doc_type: ff.str(names::DOC_TYPE)?,
            doc_num: ff.u64(names::DOC_NUM)?,
            target_count: ff.u64(names::TARGET_COUNT)?,
        })
    }

    /// The document (not passage) a passage belongs to.
    pub fn doc_num(&self, doc: DocId) -> u64 {
        self.doc_num.first(doc).unwrap_or(u64::from(doc))
    }

    /// Quantified targets of a passage.
    pub fn target_count(&self, doc: DocId) -> u64 {
        self.target_count.first(doc).unwrap_or(0)
    }

    /// Calls `f` with each ordinal the passage has on `dim` ([`UNKNOWN`] when
    /// it has none; a passage without sectors has no sector ordinal at all).
    pub fn for_each(&self, dim: Dimension, doc: DocId, mut f: impl FnMut(u64)) {
        match dim {
            Dimension::Region => {
                let mut any = false;
                for ord in self.region.facet_ords(doc) {
                    any = true;
                    f(ord);
                }
                if !any {
                    f(UNKNOWN);
                }
            }
            Dimension::Sector => self.sector.facet_ords(doc).for_each(f),
            Dimension::Year => f(self.year.first(doc).unwrap_or(UNKNOWN)),
            Dimension::DocType => {
                let mut any = false;
                if let Some(col) = &self.doc_type {
                    for ord in col.term_ords(doc) {
                        any = true;
                        f(ord);
                    }
                }
                if !any {
                    f(UNKNOWN);
                }
            }
        }
    }

    /// The name of an ordinal of `dim`: a facet path without its leading
    /// slash (甘肃省/张掖市), a year, a type label; `None` for [`UNKNOWN`].
    pub fn name(&self, dim: Dimension, ord: u64) -> Option<String> {
        if ord == UNKNOWN {
            return None;
        }
        match dim {
            Dimension::Region | Dimension::Sector => {
                let reader = if dim == Dimension::Region {
                    &self.region
                } else {
                    &self.sector
                };
                let mut facet = Facet::root();
                reader.facet_from_ord(ord, &mut facet).ok()?;
                Some(facet.to_path_string().trim_start_matches('/').to_string())
            }
            Dimension::Year => Some(ord.to_string()),
            Dimension::DocType => {
                let mut s = String::new();
                self.doc_type
                    .as_ref()?
                    .ord_to_str(ord, &mut s)
                    .ok()?
                    .then_some(s)
            }
        }
    }
}

/// The first `depth` levels of a path (`甘肃省/张掖市/临泽县` at 2: 甘肃省/张掖市).
pub fn truncate_path(path: &str, depth: usize) -> String {
    path.split('/').take(depth).collect::<Vec<_>>().join("/")
}
