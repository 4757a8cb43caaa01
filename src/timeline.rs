//! Diffusion of a measure: for each region, the first year a document of that
//! region says the query, and the cumulative number of regions by year (the
//! adoption curve).
//!
//! Years are the documents' own years (when they were issued or reported on),
//! never the target years they promise. A late first mention is not a late
//! adoption when the corpus holds no older document of that place: every
//! region carries the year of its earliest document of any kind, and every
//! year of the curve says how many regions have no document up to it.

use std::collections::BTreeMap;
use std::collections::HashMap;

use serde::Serialize;
use tantivy::columnar::StrColumn;

use crate::error::Result;
use crate::indexer::OpenIndex;
use crate::query::FilterSpec;
use crate::schema::names;
use crate::search::{SearchRequest, for_each_hit};

/// The administrative level regions are counted at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// 省级.
    #[default]
    Province,
    /// 地级: a city's documents and its counties'.
    City,
    /// 县级.
    County,
}

impl crate::vocabulary::Named for Level {
    const OPTION: &'static str = "level";
    const NAMES: &'static [(&'static str, Level)] = &[
        ("province", Level::Province),
        ("省", Level::Province),
        ("city", Level::City),
        ("市", Level::City),
        ("county", Level::County),
        ("县", Level::County),
    ];
}

/// The region of a passage at a level: its names down to that level, or
/// `None` when the document is not of a unit at that level (a province's own
/// report has no city) or is national.
fn region_at(
    level: Level,
    province: Option<&str>,
    city: Option<&str>,
    county: Option<&str>,
) -> Option<String> {
    // National documents (region 全国) are no region adopting a measure.
    let p = province.filter(|s| !s.is_empty() && *s != crate::indexer::NATIONAL)?;
    match level {
        Level::Province => Some(p.to_string()),
        Level::City => city.filter(|s| !s.is_empty()).map(|c| format!("{p}{c}")),
        Level::County => {
            let c = city.unwrap_or("");
            county
                .filter(|s| !s.is_empty())
                .map(|k| format!("{p}{c}{k}"))
        }
    }
}

/// A region's first mention.
#[derive(Debug, Clone, Serialize)]
pub struct FirstMention {
    /// The region (province, city and county names run together).
    pub region: String,
    /// The year of the earliest document of this region that says the query.
    pub first_year: u16,
    /// The year of the region's earliest document of any kind in the index:
    /// when it equals `first_year`, the corpus cannot tell whether the region
    /// said it earlier.
    pub earliest_document_year: u16,
    /// True when the first mention is in the region's earliest documents.
    pub censored: bool,
    /// The document (path) and passage.
    pub path: String,
    /// Passage number.
    pub passage_no: u64,
    /// Passage id.
    pub id: String,
    /// Document title.
    pub title: String,
    /// The passage's excerpt.
    pub snippet: String,
}

/// One year of the adoption curve.
#[derive(Debug, Clone, Serialize)]
pub struct CurveYear {
    /// The year.
    pub year: u16,
    /// Regions whose first mention is in this year.
    pub new: usize,
    /// Regions with a first mention in this year or before.
    pub cumulative: usize,
    /// Regions with at least one document (of any kind) of this year or
    /// before.
    pub covered: usize,
    /// Regions with no document at all up to this year: whether they said it
    /// then is unknown.
    pub without_documents: usize,
}

/// A timeline.
#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    /// The query.
    pub query: String,
    /// The level.
    pub level: Level,
    /// Regions at this level with any document that has a year (under the
    /// filters' regions, if any).
    pub regions: usize,
    /// Regions that say the query, earliest first.
    pub first_mentions: Vec<FirstMention>,
    /// Regions with documents that never say it.
    pub never: Vec<String>,
    /// The curve, one row a year from the earliest document year to the last.
    pub curve: Vec<CurveYear>,
    /// Matching passages left out: no year, or no unit at this level.
    pub skipped: u64,
}

/// The earliest document year of every region at `level`, read from the
/// fast columns of all passages (not only matching ones).
fn earliest_years(index: &OpenIndex, level: Level) -> Result<HashMap<String, u16>> {
    let snapshot = index.snapshot()?;
    let mut out: HashMap<String, u16> = HashMap::new();
    for segment in snapshot.searcher.segment_readers() {
        let ff = segment.fast_fields();
        let year = ff.u64(names::YEAR)?;
        let cols: Vec<Option<StrColumn>> = [names::PROVINCE, names::CITY, names::COUNTY]
            .iter()
            .map(|n| ff.str(n).ok().flatten())
            .collect();
        let alive = segment.alive_bitset();
        let mut buf = [String::new(), String::new(), String::new()];
        for doc in 0..segment.max_doc() {
            if alive.is_some_and(|a| !a.is_alive(doc)) {
                continue;
            }
            let Some(y) = year.first(doc) else { continue };
            let mut have = [false; 3];
            for (i, col) in cols.iter().enumerate() {
                buf[i].clear();
                if let Some(col) = col
                    && let Some(ord) = col.term_ords(doc).next()
                {
                    have[i] = col.ord_to_str(ord, &mut buf[i]).unwrap_or(false);
                }
            }
            let get = |i: usize| have[i].then(|| buf[i].as_str());
            if let Some(r) = region_at(level, get(0), get(1), get(2)) {
                let y = u16::try_from(y).unwrap_or(u16::MAX);
                let e = out.entry(r).or_insert(y);
                *e = (*e).min(y);
            }
        }
    }
    Ok(out)
}

/// Builds the timeline of `query` under `filters` at `level`.
pub fn timeline(
    index: &OpenIndex,
    query: &str,
    filters: &FilterSpec,
    level: Level,
) -> Result<Timeline> {
    let request = SearchRequest::every_passage(query, filters);
    let (first, skipped) = first_mentions(index, &request, level)?;
    let mut earliest = earliest_years(index, level)?;
    keep_filtered_regions(&mut earliest, &filters.regions);
    let mut mentions: Vec<FirstMention> = first.into_values().collect();
    for m in &mut mentions {
        let e = *earliest.entry(m.region.clone()).or_insert(m.first_year);
        m.earliest_document_year = e.min(m.first_year);
        m.censored = m.earliest_document_year == m.first_year;
    }
    mentions.sort_by(|a, b| {
        a.first_year
            .cmp(&b.first_year)
            .then(a.region.cmp(&b.region))
    });
    let mut never: Vec<String> = earliest
        .keys()
        .filter(|r| !mentions.iter().any(|m| &m.region == *r))
        .cloned()
        .collect();
    never.sort();
    let curve = curve(&mentions, &earliest);
    Ok(Timeline {
        query: query.to_string(),
        level,
        regions: earliest.len(),
        first_mentions: mentions,
        never,
        curve,
        skipped,
    })
}

/// Each region's first mention (by the documents' own year) among the hits
/// of `request`, and how many hits had no year or no unit at `level`.
fn first_mentions(
    index: &OpenIndex,
    request: &SearchRequest,
    level: Level,
) -> Result<(HashMap<String, FirstMention>, u64)> {
    let mut first: HashMap<String, FirstMention> = HashMap::new();
    let mut skipped = 0u64;
    for_each_hit(index, request, &mut |hit| {
        let region = region_at(
            level,
            hit.region.province.as_deref(),
            hit.region.city.as_deref(),
            hit.region.county.as_deref(),
        );
        let year = hit.year.and_then(|y| u16::try_from(y).ok());
        let (Some(region), Some(year)) = (region, year) else {
            skipped += 1;
            return Ok(());
        };
        // Hits come best first: among a region's passages of its first year,
        // the best-ranked one stands for it.
        let replace = first.get(&region).is_none_or(|f| year < f.first_year);
        if replace {
            first.insert(
                region.clone(),
                FirstMention {
                    region,
                    first_year: year,
                    earliest_document_year: year,
                    censored: false,
                    path: hit.path.clone(),
                    passage_no: hit.passage_no,
                    id: hit.id.clone(),
                    title: hit.title.clone(),
                    snippet: hit.snippet.clone(),
                },
            );
        }
        Ok(())
    })?;
    Ok((first, skipped))
}

/// Only regions the filters allow: those under a region filter, when one is
/// given (the others could not have matched).
fn keep_filtered_regions(earliest: &mut HashMap<String, u16>, regions: &[String]) {
    if regions.is_empty() {
        return;
    }
    let g = crate::gazetteer::gazetteer();
    let paths: Vec<String> = regions
        .iter()
        .filter_map(|r| g.resolve(r).ok().map(|c| g.facet_path(c)))
        .map(|p| p.trim_matches('/').replace('/', ""))
        .collect();
    earliest.retain(|r, _| paths.iter().any(|p| r.starts_with(p.as_str())));
}

fn curve(mentions: &[FirstMention], earliest: &HashMap<String, u16>) -> Vec<CurveYear> {
    let (Some(&from), Some(to)) = (
        earliest.values().min(),
        earliest
            .values()
            .copied()
            .chain(mentions.iter().map(|m| m.first_year))
            .max(),
    ) else {
        return Vec::new();
    };
    let mut new: BTreeMap<u16, usize> = BTreeMap::new();
    for m in mentions {
        *new.entry(m.first_year).or_default() += 1;
    }
    let total = earliest.len();
    let mut cumulative = 0;
    (from..=to)
        .map(|year| {
            let n = new.get(&year).copied().unwrap_or(0);
            cumulative += n;
            let covered = earliest.values().filter(|&&e| e <= year).count();
            CurveYear {
                year,
                new: n,
                cumulative,
                covered,
                without_documents: total - covered,
            }
        })
        .collect()
}

/// A bar of block characters: `value` of `max` in `width` cells, eighths
/// for the last one.
pub fn bar(value: usize, max: usize, width: usize) -> String {
    if max == 0 || value == 0 {
        return String::new();
    }
    const EIGHTHS: [char; 8] = ['▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];
    let eighths = (value * width * 8).div_ceil(max).max(1);
    let mut s = "█".repeat(eighths / 8);
    if !eighths.is_multiple_of(8) {
        s.push(EIGHTHS[eighths % 8 - 1]);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_scale_to_the_width() {
        assert_eq!(bar(0, 10, 20), "");
        assert_eq!(bar(10, 10, 4), "████");
        assert_eq!(bar(5, 10, 4), "██");
        assert_eq!(bar(1, 16, 2), "▏");
    }

    #[test]
    fn regions_at_each_level() {
        let r = |l| region_at(l, Some("甘肃省"), Some("张掖市"), Some("临泽县"));
        assert_eq!(r(Level::Province).as_deref(), Some("甘肃省"));
        assert_eq!(r(Level::City).as_deref(), Some("甘肃省张掖市"));
        assert_eq!(r(Level::County).as_deref(), Some("甘肃省张掖市临泽县"));
        // A province's own report has no city.
        assert_eq!(region_at(Level::City, Some("甘肃省"), None, None), None);
        assert!(<Level as crate::vocabulary::Named>::from_name("country").is_err());
    }
}
