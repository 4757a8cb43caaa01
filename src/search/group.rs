//! Comparison views: the best passage per region, year, type or sector, with
//! how many passages (and documents) of the group match.
//!
//! `search 冷链物流 --group-by region` gives one line per county (or city, or
//! province, for their own documents); `--group-by year` a row per year, in
//! year order, to see when a topic appears. Every matching passage is counted;
//! a passage with two sectors counts in both.

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument};

use super::keys::{Dimension, SegmentKeys, truncate_path};
use super::{Hit, PreparedSearch, SearchRequest, hit_from_doc};
use crate::error::Result;
use crate::indexer::{DocPaths, OpenIndex};
use crate::schema::Fields;

/// What to group hits by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// The region a document is of: its county, or its city or province for
    /// their own documents.
    Region,
    /// Province.
    Province,
    /// City (a province's own documents stay with the province).
    City,
    /// Year of the document, in year order.
    Year,
    /// Document type.
    DocType,
    /// Sector (subsectors under a sector filter).
    Sector,
}

impl crate::vocabulary::Named for GroupBy {
    const OPTION: &'static str = "group_by";
    const NAMES: &'static [(&'static str, GroupBy)] = &[
        ("region", GroupBy::Region),
        ("province", GroupBy::Province),
        ("city", GroupBy::City),
        ("year", GroupBy::Year),
        ("doc_type", GroupBy::DocType),
        ("type", GroupBy::DocType),
        ("sector", GroupBy::Sector),
    ];
}

impl GroupBy {
    fn dimension(self) -> Dimension {
        match self {
            GroupBy::Region | GroupBy::Province | GroupBy::City => Dimension::Region,
            GroupBy::Year => Dimension::Year,
            GroupBy::DocType => Dimension::DocType,
            GroupBy::Sector => Dimension::Sector,
        }
    }

    /// What an unknown value is called.
    fn unknown_label(self) -> &'static str {
        match self {
            GroupBy::Region | GroupBy::Province | GroupBy::City => "地区未知",
            GroupBy::Year => "年份未知",
            GroupBy::DocType => "类型未知",
            GroupBy::Sector => "行业未知",
        }
    }
}

/// One group.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    /// The group's value: a region or sector path (甘肃省/张掖市), a year, a
    /// type; `null` for passages with no value.
    pub key: Option<String>,
    /// How to show it: 甘肃省 张掖市, 2018, 年份未知.
    pub label: String,
    /// Matching passages in the group.
    pub passages: u64,
    /// Documents they come from.
    pub documents: u64,
    /// The group's best passage.
    pub best: Hit,
}

/// The answer to a grouped search.
#[derive(Debug, Clone, Serialize)]
pub struct GroupResults {
    /// The query as given.
    pub query: String,
    /// What the hits are grouped by.
    pub group_by: GroupBy,
    /// Matching passages in all.
    pub total: u64,
    /// Groups in all (before `--limit`).
    pub total_groups: usize,
    /// The groups: by year for years, else most passages first.
    pub groups: Vec<Group>,
}

/// Runs a search and groups its hits.
pub fn group(index: &OpenIndex, request: &SearchRequest, by: GroupBy) -> Result<GroupResults> {
    let snapshot = index.snapshot()?;
    let request = &super::resolve_new(request, &snapshot.state)?;
    let prepared = PreparedSearch::new(index, request)?;
    run_group(
        &snapshot.searcher,
        &index.fields,
        &snapshot.paths,
        &prepared,
        by,
    )
}

/// Groups the hits of a prepared search on a searcher.
pub fn run_group(
    searcher: &Searcher,
    fields: &Fields,
    paths: &DocPaths,
    prepared: &PreparedSearch,
    by: GroupBy,
) -> Result<GroupResults> {
    let depth = match by {
        GroupBy::Province => Some(1),
        GroupBy::City => Some(2),
        GroupBy::Sector => Some(match prepared.filters.sectors.as_slice() {
            [one] if one.matches('/').count() == 1 => 2,
            _ => 1,
        }),
        _ => None,
    };
    let collector = GroupCollector {
        dim: by.dimension(),
        depth,
    };
    let groups = crate::cancel::search(searcher, prepared.query(), &collector)?;
    let total = groups.total;
    let mut accs: Vec<(Option<String>, Acc)> = groups.by_key.into_iter().collect();
    match by {
        GroupBy::Year => accs.sort_by(|a, b| {
            let year = |k: &Option<String>| k.as_deref().and_then(|y| y.parse::<u32>().ok());
            year(&a.0)
                .is_none()
                .cmp(&year(&b.0).is_none())
                .then(year(&a.0).cmp(&year(&b.0)))
        }),
        _ => accs.sort_by(|a, b| {
            b.1.passages
                .cmp(&a.1.passages)
                .then(b.1.docs.len().cmp(&a.1.docs.len()))
                .then(a.0.is_none().cmp(&b.0.is_none()))
                .then(a.0.cmp(&b.0))
        }),
    }
    let total_groups = accs.len();
    let limit = prepared.request.limit.unwrap_or(usize::MAX);
    let needles = prepared.needles();
    let mut out = Vec::new();
    for (key, acc) in accs.into_iter().take(limit) {
        let doc: TantivyDocument = searcher.doc(acc.best_address)?;
        let best = hit_from_doc(fields, paths, &doc, acc.best_score, &needles);
        out.push(Group {
            label: key
                .as_deref()
                .map_or(by.unknown_label().to_string(), |k| k.replace('/', " ")),
            key,
            passages: acc.passages,
            documents: acc.docs.len() as u64,
            best,
        });
    }
    Ok(GroupResults {
        query: prepared.request.query.clone(),
        group_by: by,
        total,
        total_groups,
        groups: out,
    })
}

/// A group's tallies.
#[derive(Debug, Clone)]
struct Acc {
    passages: u64,
    docs: HashSet<u64>,
    best_score: Score,
    best_address: DocAddress,
}

impl Acc {
    fn new(score: Score, address: DocAddress) -> Acc {
        Acc {
            passages: 0,
            docs: HashSet::new(),
            best_score: score,
            best_address: address,
        }
    }

    fn add(&mut self, score: Score, address: DocAddress, doc_num: u64) {
        self.passages += 1;
        self.docs.insert(doc_num);
        if score > self.best_score || (score == self.best_score && address < self.best_address) {
            self.best_score = score;
            self.best_address = address;
        }
    }

    fn merge(&mut self, other: Acc) {
        self.passages += other.passages;
        self.docs.extend(other.docs);
        if other.best_score > self.best_score
            || (other.best_score == self.best_score && other.best_address < self.best_address)
        {
            self.best_score = other.best_score;
            self.best_address = other.best_address;
        }
    }
}

/// Groups of all segments, by name.
struct Groups {
    total: u64,
    by_key: HashMap<Option<String>, Acc>,
}

struct GroupCollector {
    dim: Dimension,
    depth: Option<usize>,
}

struct SegmentGroups {
    segment: SegmentOrdinal,
    dim: Dimension,
    depth: Option<usize>,
    keys: SegmentKeys,
    total: u64,
    by_ord: HashMap<u64, Acc>,
}

impl Collector for GroupCollector {
    type Fruit = Groups;
    type Child = SegmentGroups;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentGroups> {
        Ok(SegmentGroups {
            segment,
            dim: self.dim,
            depth: self.depth,
            keys: SegmentKeys::new(reader)?,
            total: 0,
            by_ord: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Groups>) -> tantivy::Result<Groups> {
        let mut all = Groups {
            total: 0,
            by_key: HashMap::new(),
        };
        for f in fruits {
            all.total += f.total;
            merge_into(&mut all.by_key, f.by_key);
        }
        Ok(all)
    }
}

fn merge_into(into: &mut HashMap<Option<String>, Acc>, from: HashMap<Option<String>, Acc>) {
    for (k, acc) in from {
        match into.get_mut(&k) {
            Some(existing) => existing.merge(acc),
            None => {
                into.insert(k, acc);
            }
        }
    }
}

impl SegmentCollector for SegmentGroups {
    type Fruit = Groups;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.total += 1;
        let address = DocAddress::new(self.segment, doc);
        let doc_num = self.keys.doc_num(doc);
        let by_ord = &mut self.by_ord;
        self.keys.for_each(self.dim, doc, |ord| {
            by_ord
                .entry(ord)
                .or_insert_with(|| Acc::new(score, address))
                .add(score, address, doc_num);
        });
    }

    fn harvest(self) -> Groups {
        let mut by_key: HashMap<Option<String>, Acc> = HashMap::new();
        for (ord, acc) in self.by_ord {
            let key = self.keys.name(self.dim, ord).map(|name| match self.depth {
                Some(d) => truncate_path(&name, d),
                None => name,
            });
            merge_into(&mut by_key, HashMap::from([(key, acc)]));
        }
        Groups {
            total: self.total,
            by_key,
        }
    }
}
