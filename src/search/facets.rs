//! Facet counts over all hits: region one level below the current filter,
//! year, sector, document type. Counted in passages, or in documents with
//! `--by doc` (a document counts once per value however many passages hit).

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FacetReader;
use tantivy::schema::Facet;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::breakdown::Tally;
use crate::schema::names;

/// One value of a facet and how many hits have it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FacetValue {
    /// The value (a region or sector name, a year, a type label).
    pub value: String,
    /// Hits with the value.
    pub count: u64,
}

/// Counts for the four facets, each sorted by count (years by year).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetCounts {
    /// Regions one level below the region filter (provinces without one).
    pub region: Vec<FacetValue>,
    /// Years.
    pub year: Vec<FacetValue>,
    /// Sectors (top level, or subsectors under a sector filter).
    pub sector: Vec<FacetValue>,
    /// Document types.
    pub doc_type: Vec<FacetValue>,
    /// Issuing bodies, normalised (the most frequent first).
    pub issuer: Vec<FacetValue>,
    /// Levels of force.
    pub force: Vec<FacetValue>,
    /// Policy instruments (a passage counts in each of its instruments).
    pub instrument: Vec<FacetValue>,
}

/// Counts facet values of matching passages.
pub struct FacetTally {
    /// Depth (1 = province) at which regions are counted.
    pub region_depth: usize,
    /// Only regions under this path are counted (the filter), if any.
    pub region_prefix: Option<String>,
    /// Depth (1 = sector, 2 = subsector) at which sectors are counted.
    pub sector_depth: usize,
    /// Count documents instead of passages.
    pub by_doc: bool,
}

/// Tallies of one segment, keyed by strings so segments merge.
#[derive(Default)]
pub struct TallyFruit {
    region: HashMap<String, Tally>,
    year: HashMap<String, Tally>,
    sector: HashMap<String, Tally>,
    doc_type: HashMap<String, Tally>,
    issuer: HashMap<String, Tally>,
    force: HashMap<String, Tally>,
    instrument: HashMap<String, Tally>,
}

/// A segment's tallies by term ordinal.
pub struct SegmentTally {
    by_doc: bool,
    region_reader: FacetReader,
    sector_reader: FacetReader,
    instrument_reader: FacetReader,
    year: Column<u64>,
    doc_type: Option<StrColumn>,
    issuer: Option<StrColumn>,
    force: Option<StrColumn>,
    doc_num: Column<u64>,
    region_depth: usize,
    region_prefix: Option<String>,
    sector_depth: usize,
    // Counts by term ordinal (dense: a segment has a few thousand values at
    // most), resolved to strings at harvest.
    region_ords: Vec<Tally>,
    sector_ords: Vec<Tally>,
    instrument_ords: Vec<Tally>,
    type_ords: Vec<Tally>,
    issuer_ords: Vec<Tally>,
    force_ords: Vec<Tally>,
    // A few dozen years: a short list beats hashing.
    years: Vec<(u64, Tally)>,
}

/// The tally of `ord`, the list grown to hold it.
fn tally_at(tallies: &mut Vec<Tally>, ord: u64) -> &mut Tally {
    let i = ord as usize;
    if i >= tallies.len() {
        tallies.resize_with(i + 1, Tally::default);
    }
    &mut tallies[i]
}

/// The facet paths (`/甘肃省/张掖市`) of the ordinals with at least one hit,
/// and their tallies.
fn counted_paths(reader: &FacetReader, tallies: Vec<Tally>) -> Vec<(String, Tally)> {
    let mut facet = Facet::root();
    resolve_counted(
        reader.facet_dict(),
        tallies,
        |bytes| {
            Facet::from_encoded(bytes.to_vec())
                .map(|f| f.to_path_string())
                .unwrap_or_default()
        },
        |ord| {
            reader.facet_from_ord(ord, &mut facet).ok()?;
            Some(facet.to_path_string())
        },
    )
}

/// The values of a string column (type, issuer, force) of the ordinals with
/// at least one hit, and their tallies.
fn counted_values(column: &StrColumn, tallies: Vec<Tally>) -> Vec<(String, Tally)> {
    let mut value = String::new();
    resolve_counted(
        column.dictionary(),
        tallies,
        |bytes| String::from_utf8_lossy(bytes).into_owned(),
        |ord| {
            column
                .ord_to_str(ord, &mut value)
                .ok()?
                .then(|| value.clone())
        },
    )
}

/// The terms of the ordinals with at least one hit, with their tallies. The
/// ordinals are resolved in one pass over the dictionary (they are sorted):
/// one lookup each decompresses a dictionary block per ordinal, which was
/// most of a query's time. `one_by_one` is the fallback, not expected.
fn resolve_counted(
    dictionary: &tantivy::columnar::Dictionary,
    tallies: Vec<Tally>,
    decode: impl Fn(&[u8]) -> String,
    mut one_by_one: impl FnMut(u64) -> Option<String>,
) -> Vec<(String, Tally)> {
    let counted: Vec<(u64, Tally)> = counted(tallies).collect();
    let ords: Vec<u64> = counted.iter().map(|(ord, _)| *ord).collect();
    let mut terms: Vec<String> = Vec::with_capacity(ords.len());
    let all_found = dictionary
        .sorted_ords_to_term_cb(&ords, |bytes| terms.push(decode(bytes)))
        .unwrap_or(false);
    if !all_found || terms.len() != counted.len() {
        return counted
            .into_iter()
            .filter_map(|(ord, t)| Some((one_by_one(ord)?, t)))
            .collect();
    }
    terms
        .into_iter()
        .zip(counted.into_iter().map(|(_, t)| t))
        .collect()
}

/// Ordinals with at least one hit, and their tallies.
fn counted(tallies: Vec<Tally>) -> impl Iterator<Item = (u64, Tally)> {
    tallies
        .into_iter()
        .enumerate()
        .filter(|(_, t)| t.count().passages > 0)
        .map(|(ord, t)| (ord as u64, t))
}

impl Collector for FacetTally {
    type Fruit = FacetCounts;
    type Child = SegmentTally;

    fn for_segment(
        &self,
        _ord: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentTally> {
        let ff = reader.fast_fields();
        Ok(SegmentTally {
            by_doc: self.by_doc,
            region_reader: reader.facet_reader(names::REGION)?,
            sector_reader: reader.facet_reader(names::SECTOR)?,
            instrument_reader: reader.facet_reader(names::INSTRUMENT)?,
            year: ff.u64(names::YEAR)?,
            doc_type: ff.str(names::DOC_TYPE)?,
            issuer: ff.str(names::ISSUER)?,
            force: ff.str(names::FORCE)?,
            doc_num: ff.u64(names::DOC_NUM)?,
            region_depth: self.region_depth,
            region_prefix: self.region_prefix.clone(),
            sector_depth: self.sector_depth,
            region_ords: Vec::new(),
            sector_ords: Vec::new(),
            instrument_ords: Vec::new(),
            type_ords: Vec::new(),
            issuer_ords: Vec::new(),
            force_ords: Vec::new(),
            years: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<TallyFruit>) -> tantivy::Result<FacetCounts> {
        let mut all = TallyFruit::default();
        for f in fruits {
            for (map, other) in [
                (&mut all.region, f.region),
                (&mut all.year, f.year),
                (&mut all.sector, f.sector),
                (&mut all.doc_type, f.doc_type),
                (&mut all.issuer, f.issuer),
                (&mut all.force, f.force),
                (&mut all.instrument, f.instrument),
            ] {
                for (k, v) in other {
                    map.entry(k).or_default().merge(&v);
                }
            }
        }
        let by_doc = self.by_doc;
        let sorted = |m: HashMap<String, Tally>| -> Vec<FacetValue> {
            let mut v: Vec<FacetValue> = m
                .into_iter()
                .map(|(value, t)| FacetValue {
                    value,
                    count: if by_doc {
                        t.count().documents
                    } else {
                        t.count().passages
                    },
                })
                .collect();
            v.sort_by(|a, b| b.count.cmp(&a.count).then(a.value.cmp(&b.value)));
            v
        };
        let mut years = sorted(all.year);
        years.sort_by(|a, b| b.value.cmp(&a.value));
        Ok(FacetCounts {
            region: sorted(all.region),
            year: years,
            sector: sorted(all.sector),
            doc_type: sorted(all.doc_type),
            issuer: {
                let mut v = sorted(all.issuer);
                v.truncate(MOST_ISSUERS);
                v
            },
            force: sorted(all.force),
            instrument: sorted(all.instrument),
        })
    }
}

impl SegmentCollector for SegmentTally {
    type Fruit = TallyFruit;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let by_doc = self.by_doc;
        let doc_num = if by_doc {
            self.doc_num.first(doc).unwrap_or(u64::from(doc))
        } else {
            0
        };
        for ord in self.region_reader.facet_ords(doc) {
            tally_at(&mut self.region_ords, ord).add(doc_num, by_doc);
        }
        for ord in self.sector_reader.facet_ords(doc) {
            tally_at(&mut self.sector_ords, ord).add(doc_num, by_doc);
        }
        for ord in self.instrument_reader.facet_ords(doc) {
            tally_at(&mut self.instrument_ords, ord).add(doc_num, by_doc);
        }
        if let Some(y) = self.year.first(doc) {
            match self.years.iter_mut().find(|(year, _)| *year == y) {
                Some((_, t)) => t.add(doc_num, by_doc),
                None => {
                    let mut t = Tally::default();
                    t.add(doc_num, by_doc);
                    self.years.push((y, t));
                }
            }
        }
        for (col, ords) in [
            (&self.doc_type, &mut self.type_ords),
            (&self.issuer, &mut self.issuer_ords),
            (&self.force, &mut self.force_ords),
        ] {
            if let Some(col) = col {
                for ord in col.term_ords(doc) {
                    tally_at(ords, ord).add(doc_num, by_doc);
                }
            }
        }
    }

    fn harvest(self) -> TallyFruit {
        let mut fruit = TallyFruit::default();
        let add = |map: &mut HashMap<String, Tally>, key: String, t: Tally| {
            map.entry(key).or_default().merge(&t);
        };
        for (path, t) in counted_paths(&self.region_reader, self.region_ords) {
            if let Some(prefix) = &self.region_prefix
                && !(path == *prefix || path.starts_with(&format!("{prefix}/")))
            {
                continue;
            }
            // Documents of the filtered unit itself (a city's own plan under a
            // city filter) count as "（本级）".
            let name = level_name(&path, self.region_depth).or_else(|| {
                path.rsplit('/')
                    .next()
                    .filter(|n| !n.is_empty())
                    .map(|n| format!("{n}（本级）"))
            });
            if let Some(name) = name {
                add(&mut fruit.region, name, t);
            }
        }
        for (path, t) in counted_paths(&self.sector_reader, self.sector_ords) {
            if let Some(name) = level_name(&path, self.sector_depth) {
                add(&mut fruit.sector, name, t);
            }
        }
        // Instruments by name, whatever their depth (/环境型/税收优惠,
        // /环境型/策略性措施/示范试点).
        for (path, t) in counted_paths(&self.instrument_reader, self.instrument_ords) {
            if let Some(name) = path.rsplit('/').next().filter(|n| !n.is_empty()) {
                add(&mut fruit.instrument, name.to_string(), t);
            }
        }
        for (col, ords, map) in [
            (&self.doc_type, self.type_ords, &mut fruit.doc_type),
            (&self.issuer, self.issuer_ords, &mut fruit.issuer),
            (&self.force, self.force_ords, &mut fruit.force),
        ] {
            if let Some(col) = col {
                for (value, t) in counted_values(col, ords) {
                    add(map, value, t);
                }
            }
        }
        for (y, t) in self.years {
            add(&mut fruit.year, y.to_string(), t);
        }
        fruit
    }
}

/// Issuers shown in facet counts, at most: the long tail of single
/// departments says little.
const MOST_ISSUERS: usize = 30;

/// The name at `depth` of a facet path: `/甘肃省/张掖市/临泽县` at 2 is 张掖市.
fn level_name(path: &str, depth: usize) -> Option<String> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .nth(depth - 1)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_facet_levels() {
        assert_eq!(
            level_name("/甘肃省/张掖市/临泽县", 1).as_deref(),
            Some("甘肃省")
        );
        assert_eq!(
            level_name("/甘肃省/张掖市/临泽县", 2).as_deref(),
            Some("张掖市")
        );
        assert_eq!(level_name("/甘肃省", 2), None);
    }
}
