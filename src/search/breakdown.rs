//! Full breakdowns of a set of passages: the region tree (province → city →
//! county) with counts at every level, the year histogram, types and the
//! sector tree, each in passages and in documents. `search --facets` breaks
//! down the hits of a query, `plansearch stats` the whole index.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use super::keys::{Dimension, SegmentKeys};

/// Passages and the documents they come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Passages.
    pub passages: u64,
    /// Documents.
    pub documents: u64,
}

/// A value of a flat facet (year, type) with its counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValueCount {
    /// The value; `null` for passages without one (year unknown).
    pub value: Option<String>,
    /// Passages with the value.
    pub passages: u64,
    /// Documents with the value.
    pub documents: u64,
}

/// A node of a hierarchical facet (region, sector) with its counts, which
/// include those of its children.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeNode {
    /// Its own name (张掖市).
    pub name: String,
    /// Its path (甘肃省/张掖市).
    pub path: String,
    /// Passages under it.
    pub passages: u64,
    /// Documents under it.
    pub documents: u64,
    /// Its children, most passages first.
    pub children: Vec<TreeNode>,
}

/// The full breakdown of a set of passages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FacetTree {
    /// All of them.
    pub total: Count,
    /// Provinces, each with its cities, each with its counties.
    pub region: Vec<TreeNode>,
    /// Passages of documents whose region is unknown.
    pub region_unknown: Count,
    /// Years in order; unknown last (`value: null`).
    pub year: Vec<ValueCount>,
    /// Document types, most passages first.
    pub doc_type: Vec<ValueCount>,
    /// Sectors with their subsectors (a passage counts in each of its sectors).
    pub sector: Vec<TreeNode>,
    /// Passages with no sector.
    pub sector_none: Count,
    /// Passages with at least one quantified target.
    pub with_targets: Count,
    /// Quantified targets in all.
    pub targets: u64,
}

/// Passages counted under one value, and the documents seen. Both the
/// breakdown and the facet counts tally with it.
#[derive(Debug, Clone, Default)]
pub(super) struct Tally {
    passages: u64,
    docs: HashSet<u64>,
}

impl Tally {
    /// Counts a passage; with `keep_doc`, its document too (a set insert the
    /// passage-only facet counts skip).
    pub(super) fn add(&mut self, doc_num: u64, keep_doc: bool) {
        self.passages += 1;
        if keep_doc {
            self.docs.insert(doc_num);
        }
    }

    pub(super) fn merge(&mut self, other: &Tally) {
        self.passages += other.passages;
        self.docs.extend(&other.docs);
    }

    pub(super) fn count(&self) -> Count {
        Count {
            passages: self.passages,
            documents: self.docs.len() as u64,
        }
    }
}

/// Raw tallies by name, merged over segments.
#[derive(Debug, Default)]
pub struct Tallies {
    total: Tally,
    with_targets: Tally,
    targets: u64,
    no_sector: Tally,
    by: HashMap<Dimension, HashMap<Option<String>, Tally>>,
}

/// Collects the breakdown of every matching passage.
pub struct BreakdownCollector;

/// One segment's tallies, by ordinal.
pub struct SegmentBreakdown {
    keys: SegmentKeys,
    tallies: Tallies,
    by_ord: HashMap<Dimension, HashMap<u64, Tally>>,
}

const DIMENSIONS: [Dimension; 4] = [
    Dimension::Region,
    Dimension::Year,
    Dimension::DocType,
    Dimension::Sector,
];

impl Collector for BreakdownCollector {
    type Fruit = Tallies;
    type Child = SegmentBreakdown;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentBreakdown> {
        Ok(SegmentBreakdown {
            keys: SegmentKeys::new(reader)?,
            tallies: Tallies::default(),
            by_ord: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<Tallies>) -> tantivy::Result<Tallies> {
        let mut all = Tallies::default();
        for f in fruits {
            all.total.merge(&f.total);
            all.with_targets.merge(&f.with_targets);
            all.no_sector.merge(&f.no_sector);
            all.targets += f.targets;
            for (dim, map) in f.by {
                let into = all.by.entry(dim).or_default();
                for (k, t) in map {
                    into.entry(k).or_default().merge(&t);
                }
            }
        }
        Ok(all)
    }
}

impl SegmentCollector for SegmentBreakdown {
    type Fruit = Tallies;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let doc_num = self.keys.doc_num(doc);
        self.tallies.total.add(doc_num, true);
        let targets = self.keys.target_count(doc);
        if targets > 0 {
            self.tallies.with_targets.add(doc_num, true);
            self.tallies.targets += targets;
        }
        let mut sectors = 0;
        for dim in DIMENSIONS {
            let map = self.by_ord.entry(dim).or_default();
            self.keys.for_each(dim, doc, |ord| {
                if dim == Dimension::Sector {
                    sectors += 1;
                }
                map.entry(ord).or_default().add(doc_num, true);
            });
        }
        if sectors == 0 {
            self.tallies.no_sector.add(doc_num, true);
        }
    }

    fn harvest(mut self) -> Tallies {
        for (dim, map) in self.by_ord {
            let into = self.tallies.by.entry(dim).or_default();
            for (ord, t) in map {
                into.entry(self.keys.name(dim, ord)).or_default().merge(&t);
            }
        }
        self.tallies
    }
}

impl Tallies {
    /// The breakdown as trees and histograms.
    pub fn tree(&self) -> FacetTree {
        let empty = HashMap::new();
        let of = |dim| self.by.get(&dim).unwrap_or(&empty);
        let regions = of(Dimension::Region);
        FacetTree {
            total: self.total.count(),
            region: tree(regions),
            region_unknown: regions.get(&None).map(Tally::count).unwrap_or_default(),
            year: {
                let mut v = flat(of(Dimension::Year));
                v.sort_by_key(|c| {
                    (
                        c.value.is_none(),
                        c.value.as_deref().and_then(|y| y.parse::<u32>().ok()),
                    )
                });
                v
            },
            doc_type: flat(of(Dimension::DocType)),
            sector: tree(of(Dimension::Sector)),
            sector_none: self.no_sector.count(),
            with_targets: self.with_targets.count(),
            targets: self.targets,
        }
    }
}

/// Values with counts, most passages first, unknown last.
fn flat(map: &HashMap<Option<String>, Tally>) -> Vec<ValueCount> {
    let mut v: Vec<ValueCount> = map
        .iter()
        .map(|(k, t)| ValueCount {
            value: k.clone(),
            passages: t.passages,
            documents: t.docs.len() as u64,
        })
        .collect();
    v.sort_by(|a, b| {
        a.value
            .is_none()
            .cmp(&b.value.is_none())
            .then(b.passages.cmp(&a.passages))
            .then(a.value.cmp(&b.value))
    });
    v
}

/// Paths to a tree: each path's tally counts for it and for every ancestor.
fn tree(map: &HashMap<Option<String>, Tally>) -> Vec<TreeNode> {
    let mut nodes: BTreeMap<String, Tally> = BTreeMap::new();
    for (path, t) in map {
        let Some(path) = path else { continue };
        let parts: Vec<&str> = path.split('/').collect();
        for depth in 1..=parts.len() {
            nodes.entry(parts[..depth].join("/")).or_default().merge(t);
        }
    }
    children_of(&nodes, "")
}

fn children_of(nodes: &BTreeMap<String, Tally>, parent: &str) -> Vec<TreeNode> {
    let mut out: Vec<TreeNode> = nodes
        .iter()
        .filter(|(path, _)| match parent {
            "" => !path.contains('/'),
            p => path
                .strip_prefix(p)
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(|rest| !rest.contains('/')),
        })
        .map(|(path, t)| TreeNode {
            name: path.rsplit('/').next().unwrap_or(path).to_string(),
            path: path.clone(),
            passages: t.passages,
            documents: t.docs.len() as u64,
            children: children_of(nodes, path),
        })
        .collect();
    out.sort_by(|a, b| b.passages.cmp(&a.passages).then(a.path.cmp(&b.path)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(passages: u64, docs: &[u64]) -> Tally {
        Tally {
            passages,
            docs: docs.iter().copied().collect(),
        }
    }

    #[test]
    fn paths_count_for_their_ancestors() {
        let map = HashMap::from([
            (Some("甘肃省/张掖市/临泽县".to_string()), tally(3, &[1])),
            (Some("甘肃省/张掖市".to_string()), tally(2, &[2])),
            (Some("甘肃省".to_string()), tally(1, &[3])),
            (Some("河南省/开封市".to_string()), tally(4, &[4])),
            (None, tally(5, &[5])),
        ]);
        let t = tree(&map);
        assert_eq!(t.len(), 2);
        let gansu = &t[0];
        assert_eq!(
            (gansu.name.as_str(), gansu.passages, gansu.documents),
            ("甘肃省", 6, 3)
        );
        let zhangye = &gansu.children[0];
        assert_eq!(
            (zhangye.path.as_str(), zhangye.passages),
            ("甘肃省/张掖市", 5)
        );
        assert_eq!(zhangye.children[0].name, "临泽县");
        assert_eq!(t[1].name, "河南省");
    }
}
