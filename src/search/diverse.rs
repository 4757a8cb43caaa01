//! Many documents and places on the first page: at most two passages of one
//! document (by default), the rest folded under "n more from this document".
//!
//! On the judged set, 121 of 350 top-10 hits repeated a document already
//! listed (all ten hits for 人才引进 were articles of one regulation). A
//! researcher comparing places wants the places first; the passages of a
//! document beyond its best two are still there, after every document's
//! best, and counted on the hit that stands for them.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::keys::{Dimension, SegmentKeys};

/// A scored match with what diversity looks at.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Its score.
    pub score: Score,
    /// Where it is.
    pub address: DocAddress,
    /// Its document.
    pub doc_num: u64,
    /// Its region's facet path, if known.
    pub region: Option<String>,
}

/// What the collector gathers: the best `k` matches and, over all matches,
/// how many passages of each document matched.
#[derive(Debug, Default)]
pub struct Ranked {
    /// The best matches, best first.
    pub candidates: Vec<Candidate>,
    /// Matching passages per document.
    pub per_doc: HashMap<u64, u64>,
    /// All matches.
    pub total: u64,
}

/// Collects the best `k` matches with their documents and regions.
pub struct RankedCollector {
    /// How many candidates to keep.
    pub k: usize,
}

/// One segment's share.
pub struct SegmentRanked {
    segment: SegmentOrdinal,
    keys: SegmentKeys,
    k: usize,
    hits: Vec<(Score, DocId)>,
    per_doc: HashMap<u64, u64>,
}

impl Collector for RankedCollector {
    type Fruit = Ranked;
    type Child = SegmentRanked;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentRanked> {
        Ok(SegmentRanked {
            segment,
            keys: SegmentKeys::new(reader)?,
            k: self.k,
            hits: Vec::new(),
            per_doc: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Ranked>) -> tantivy::Result<Ranked> {
        let mut out = Ranked::default();
        for f in fruits {
            out.candidates.extend(f.candidates);
            out.total += f.total;
            for (d, n) in f.per_doc {
                *out.per_doc.entry(d).or_default() += n;
            }
        }
        sort_best_first(&mut out.candidates);
        out.candidates.truncate(self.k);
        Ok(out)
    }
}

fn sort_best_first(c: &mut [Candidate]) {
    c.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.address.cmp(&b.address)));
}

impl SegmentCollector for SegmentRanked {
    type Fruit = Ranked;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.hits.push((score, doc));
        *self.per_doc.entry(self.keys.doc_num(doc)).or_default() += 1;
    }

    fn harvest(mut self) -> Ranked {
        let total = self.hits.len() as u64;
        let k = self.k.min(self.hits.len());
        if k < self.hits.len() {
            self.hits
                .select_nth_unstable_by(k, |a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            self.hits.truncate(k);
        }
        let candidates = self
            .hits
            .iter()
            .map(|&(score, doc)| {
                let mut region = None;
                self.keys.for_each(Dimension::Region, doc, |ord| {
                    region = self.keys.name(Dimension::Region, ord);
                });
                Candidate {
                    score,
                    address: DocAddress::new(self.segment, doc),
                    doc_num: self.keys.doc_num(doc),
                    region,
                }
            })
            .collect();
        Ranked {
            candidates,
            per_doc: self.per_doc,
            total,
        }
    }
}

/// How many of one document, and of one region, may stand before every
/// document has shown its best.
#[derive(Debug, Clone, Copy)]
pub struct Caps {
    /// Passages of one document (0: no cap).
    pub per_doc: usize,
    /// Passages of one region (0: no cap).
    pub per_region: usize,
}

/// The candidates in the order shown: those within the caps in score order,
/// then the rest in score order.
pub fn diversify(candidates: Vec<Candidate>, caps: Caps) -> Vec<Candidate> {
    if caps.per_doc == 0 && caps.per_region == 0 {
        return candidates;
    }
    let mut by_doc: HashMap<u64, usize> = HashMap::new();
    let mut by_region: HashMap<Option<String>, usize> = HashMap::new();
    let mut first = Vec::with_capacity(candidates.len());
    let mut later = Vec::new();
    for c in candidates {
        let d = by_doc.entry(c.doc_num).or_default();
        let r = by_region.entry(c.region.clone()).or_default();
        let within = (caps.per_doc == 0 || *d < caps.per_doc)
            && (caps.per_region == 0 || c.region.is_none() || *r < caps.per_region);
        if within {
            *d += 1;
            *r += 1;
            first.push(c);
        } else {
            later.push(c);
        }
    }
    first.extend(later);
    first
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(score: f32, doc: u64, region: &str) -> Candidate {
        Candidate {
            score,
            address: DocAddress::new(0, (100.0 - score) as u32),
            doc_num: doc,
            region: Some(region.to_string()),
        }
    }

    #[test]
    fn a_document_shows_two_passages_before_the_others_show_theirs() {
        // 焦作市全域旅游促进条例 held nine of the ten hits for 全域旅游.
        let ranked = vec![
            c(9.0, 1, "河南省/焦作市"),
            c(8.0, 1, "河南省/焦作市"),
            c(7.0, 1, "河南省/焦作市"),
            c(6.0, 1, "河南省/焦作市"),
            c(5.0, 2, "安徽省"),
            c(4.0, 3, "甘肃省"),
        ];
        let docs: Vec<u64> = diversify(
            ranked.clone(),
            Caps {
                per_doc: 2,
                per_region: 0,
            },
        )
        .iter()
        .map(|c| c.doc_num)
        .collect();
        assert_eq!(docs, [1, 1, 2, 3, 1, 1]);
        let all: Vec<u64> = diversify(
            ranked,
            Caps {
                per_doc: 0,
                per_region: 0,
            },
        )
        .iter()
        .map(|c| c.doc_num)
        .collect();
        assert_eq!(all, [1, 1, 1, 1, 2, 3]);
    }

    #[test]
    fn a_region_cap_brings_other_places_up() {
        let ranked = vec![
            c(9.0, 1, "河南省"),
            c(8.0, 2, "河南省"),
            c(7.0, 3, "河南省"),
            c(6.0, 4, "安徽省"),
        ];
        let docs: Vec<u64> = diversify(
            ranked,
            Caps {
                per_doc: 2,
                per_region: 1,
            },
        )
        .iter()
        .map(|c| c.doc_num)
        .collect();
        assert_eq!(docs, [1, 4, 2, 3]);
    }
}
