//! Metadata extraction: what a document is (title, region, year, type) and what
//! each passage is about (sectors, target years), each with the evidence that
//! decided it, so `plansearch inspect` can show why.

pub mod doctype;
pub mod matcher;
pub mod region;
pub mod sector;
pub mod targets;
pub mod title;
pub mod year;

use serde::Serialize;

pub use doctype::DocType;
pub use sector::SectorTag;
pub use targets::Target;

use crate::corpus::{Cleaned, Passage};
use crate::gazetteer::{Level, gazetteer};

/// A value with how sure we are and why. `value: None` means unknown: what the
/// text does not say stays unknown.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence<T> {
    /// The value, if decided.
    pub value: Option<T>,
    /// 0.0 (none) to 1.0 (certain).
    pub confidence: f32,
    /// Human-readable reasons, strongest first.
    pub evidence: Vec<String>,
    /// True when a researcher gave the value (override file), not extraction.
    pub given: bool,
}

impl<T> Evidence<T> {
    /// An extracted value with one reason.
    pub fn found(value: T, confidence: f32, why: String) -> Self {
        Evidence {
            value: Some(value),
            confidence,
            evidence: vec![why],
            given: false,
        }
    }

    /// No value, and why not.
    pub fn unknown(why: &str) -> Self {
        Evidence {
            value: None,
            confidence: 0.0,
            evidence: vec![why.to_string()],
            given: false,
        }
    }

    /// A value a researcher gave.
    pub fn given(value: T, source: String) -> Self {
        Evidence {
            value: Some(value),
            confidence: 1.0,
            evidence: vec![source],
            given: true,
        }
    }
}

/// Province, city and county names of a region code.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RegionNames {
    /// 省级 name.
    pub province: Option<String>,
    /// 地级 name.
    pub city: Option<String>,
    /// 县级 name.
    pub county: Option<String>,
    /// GB/T 2260 code of the deepest known level.
    pub code: Option<String>,
}

impl RegionNames {
    /// The names along a unit's lineage.
    pub fn of(code: Option<u32>) -> RegionNames {
        let Some(code) = code else {
            return RegionNames::default();
        };
        let g = gazetteer();
        let mut names = RegionNames {
            code: Some(code.to_string()),
            ..Default::default()
        };
        for r in g.lineage(code) {
            let slot = match r.level {
                Level::Province => &mut names.province,
                Level::City => &mut names.city,
                Level::County => &mut names.county,
            };
            *slot = Some(r.name.clone());
        }
        names
    }
}

/// Document-level metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocMeta {
    /// The document's title.
    pub title: Evidence<String>,
    /// Region as a code of data/regions.
    pub region: Evidence<u32>,
    /// Year issued or reported on.
    pub year: Evidence<u16>,
    /// Document type.
    pub doc_type: Evidence<DocType>,
    /// Target years promised anywhere in the document.
    pub target_years: Vec<u16>,
    /// Paragraph index of the title line (left out of the passages).
    pub title_line: Option<usize>,
}

/// Extracts document metadata from cleaned text.
pub fn extract_document(cleaned: &Cleaned) -> DocMeta {
    let title = title::find_title(&cleaned.text);
    let title_text = title.as_ref().map(|t| t.text.as_str());
    DocMeta {
        region: region::extract_region(title_text, &cleaned.text),
        year: year::extract_year(title_text, &cleaned.text, &cleaned.page_meta),
        doc_type: doctype::extract_doc_type(title_text, &cleaned.text),
        target_years: year::target_years(&cleaned.text),
        title_line: title.as_ref().map(|t| t.line),
        title: match title {
            Some(t) => Evidence::found(
                t.text,
                0.8,
                format!("line {} of the cleaned text", t.line + 1),
            ),
            None => Evidence::unknown("no title line found"),
        },
    }
}

/// Per-passage metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PassageMeta {
    /// Up to two sectors.
    pub sectors: Vec<SectorTag>,
    /// Target years in the passage: every year it promises something for
    /// (到2025年), its quantified targets' years included.
    pub target_years: Vec<u16>,
    /// Quantified targets (see [`targets`]).
    pub targets: Vec<Target>,
}

/// Extracts passage metadata; the document's type decides whether it can hold
/// targets at all.
pub fn extract_passage(passage: &Passage, doc: &DocMeta) -> PassageMeta {
    let targets = targets::extract_targets(
        &passage.text,
        &targets::Context {
            doc_type: doc.doc_type.value,
            headings: &passage.headings,
        },
    );
    // One source of truth: a target's year is a target year of its passage.
    let mut target_years = year::target_years(&passage.text);
    target_years.extend(targets.iter().filter_map(|t| t.year));
    target_years.sort_unstable();
    target_years.dedup();
    PassageMeta {
        sectors: sector::taxonomy().classify(&passage.headings, &passage.text),
        target_years,
        targets,
    }
}
