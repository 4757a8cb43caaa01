//! Ranked search over passages (or documents) with facet filters and counts.

pub mod breakdown;
pub mod compile;
pub mod facets;
pub mod group;
pub mod highlight;
pub mod keys;
pub mod plan;

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::{OwnedValue, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

pub use compile::{Filters, Wanted};
pub use facets::{FacetCounts, FacetValue};
pub use highlight::Snippet;
pub use plan::{Plan, ScorePart};

use crate::error::{Error, Result};
use crate::indexer::{DocPaths, OpenIndex};
use crate::query::{self, FilterSpec};
use crate::schema::Fields;

/// Whether hits are passages or documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum HitUnit {
    /// One hit per passage.
    #[default]
    Passage,
    /// One hit per document, its best passage as snippet.
    Doc,
}

/// A search as a researcher asks it.
#[derive(Debug, Clone, Default)]
pub struct SearchRequest {
    /// The query string (query language, inline filters allowed).
    pub query: String,
    /// Filters given beside the query (flags, parameters); the query's
    /// inline filters add to them.
    pub filters: FilterSpec,
    /// Hits to return; `None` for all.
    pub limit: Option<usize>,
    /// Hits to skip first (paging): hits `offset..offset + limit` are returned.
    pub offset: usize,
    /// Passages or documents.
    pub unit: HitUnit,
    /// Compute facet counts.
    pub facets: bool,
    /// Compute the full breakdown of the hits (region tree, year histogram,
    /// types, sector tree).
    pub facet_tree: bool,
    /// Say how the query was read and what each hit's score is made of.
    pub explain: bool,
}

/// Region names of a hit.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct HitRegion {
    /// Province.
    pub province: Option<String>,
    /// City.
    pub city: Option<String>,
    /// County.
    pub county: Option<String>,
}

/// One hit.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// Passage id (`<doc_key>:<n>`), for `plansearch similar`.
    pub id: String,
    /// Path relative to the corpus root.
    pub path: String,
    /// Document title.
    pub title: String,
    /// Region of the document.
    pub region: HitRegion,
    /// Year of the document.
    pub year: Option<u64>,
    /// Document type.
    pub doc_type: Option<String>,
    /// Sectors of the passage (facet paths without the leading slash).
    pub sectors: Vec<String>,
    /// Heading path.
    pub heading: String,
    /// The passage text.
    pub passage: String,
    /// Passage number in the document (1-based).
    pub passage_no: u64,
    /// The excerpt shown, without markup.
    pub snippet: String,
    /// Highlighted character ranges of the snippet.
    pub highlights: Vec<(usize, usize)>,
    /// Ranking score.
    pub score: f32,
    /// With `--by doc`: passages of this document that matched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matching_passages: Option<u64>,
    /// Target years of the passage.
    pub target_years: Vec<u64>,
    /// Quantified targets of the passage.
    pub targets: Vec<crate::extract::Target>,
    /// With `--explain`: the parts of the score, largest first.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<ScorePart>>,
}

/// The answer to a search.
#[derive(Debug, Clone, Serialize)]
pub struct SearchResults {
    /// The query as given.
    pub query: String,
    /// Matching passages (or documents with `--by doc`).
    pub total: u64,
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Facet counts over all matches (empty unless asked for).
    pub facets: FacetCounts,
    /// With `--explain`: how each query term was read (jieba words, literal
    /// form, synonyms).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<String>>,
    /// With `--facets`: the full breakdown of all matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facet_tree: Option<breakdown::FacetTree>,
}

/// A request checked and compiled, ready to run.
pub struct PreparedSearch {
    compiled: compile::Compiled,
    filters: Filters,
    request: SearchRequest,
}

impl PreparedSearch {
    /// Parses the query and resolves the filters; every problem is an error
    /// message for the user.
    pub fn new(fields: &Fields, request: &SearchRequest) -> Result<PreparedSearch> {
        let parsed = query::parse(&request.query).map_err(|e| Error::Query(e.0))?;
        let filters = Filters::resolve(&request.filters.and(&parsed.filters))?;
        let compiled = compile::compile(fields, parsed.root.as_ref(), &filters);
        Ok(PreparedSearch {
            compiled,
            filters,
            request: request.clone(),
        })
    }

    /// What the query looks for (for highlighting elsewhere).
    pub fn wanted(&self) -> &Wanted {
        &self.compiled.wanted
    }

    /// The strings to highlight in a hit: literals and jieba words.
    pub fn needles(&self) -> Vec<String> {
        let wanted = &self.compiled.wanted;
        wanted
            .literals
            .iter()
            .chain(&wanted.words)
            .cloned()
            .collect()
    }

    /// The request as given.
    pub fn request(&self) -> &SearchRequest {
        &self.request
    }

    /// The compiled tantivy query.
    pub fn query(&self) -> &dyn tantivy::query::Query {
        self.compiled.query.as_ref()
    }

    /// The plan the query was built from, with its named parts.
    pub fn plan(&self) -> &Plan {
        &self.compiled.plan
    }

    /// The named parts of the score of a hit, largest first.
    pub fn explain(&self, searcher: &Searcher, address: DocAddress) -> Vec<ScorePart> {
        let mut parts = self
            .compiled
            .plan
            .explain(searcher, address)
            .unwrap_or_default();
        parts.sort_by(|a, b| b.score.total_cmp(&a.score));
        parts
    }
}

/// Runs a search on an open index.
pub fn search(index: &OpenIndex, request: &SearchRequest) -> Result<SearchResults> {
    let prepared = PreparedSearch::new(&index.fields, request)?;
    // The last commit's passages and file table together.
    let snapshot = index.snapshot()?;
    run(
        &snapshot.searcher,
        &index.fields,
        &snapshot.paths,
        &prepared,
    )
}

/// Runs a prepared search with a given searcher; `paths` are the file table of
/// the searcher's commit.
pub fn run(
    searcher: &Searcher,
    fields: &Fields,
    paths: &DocPaths,
    prepared: &PreparedSearch,
) -> Result<SearchResults> {
    let request = &prepared.request;
    let tally = facet_tally(&prepared.filters, request.unit == HitUnit::Doc);
    let offset = request.offset.min(searcher.num_docs() as usize);
    let (total, scored, facets, per_doc) = match request.unit {
        HitUnit::Passage => {
            let limit = request
                .limit
                .unwrap_or(usize::MAX)
                .min(searcher.num_docs() as usize)
                .max(1);
            let top_docs = || {
                TopDocs::with_limit(limit)
                    .and_offset(offset)
                    .order_by_score()
            };
            if request.facets {
                let (top, count, counts) =
                    searcher.search(prepared.query(), &(top_docs(), Count, tally))?;
                (count as u64, top, counts, HashMap::new())
            } else {
                let (top, count) = searcher.search(prepared.query(), &(top_docs(), Count))?;
                (count as u64, top, FacetCounts::default(), HashMap::new())
            }
        }
        HitUnit::Doc => {
            let (best, counts) =
                best_passage_per_doc(searcher, prepared, request.facets.then_some(tally))?;
            let total = best.len() as u64;
            let per_doc: HashMap<DocAddress, u64> =
                best.iter().map(|b| (b.address, b.passages)).collect();
            let limit = request.limit.unwrap_or(usize::MAX);
            let top = best
                .into_iter()
                .skip(offset)
                .take(limit)
                .map(|b| (b.score, b.address))
                .collect();
            (total, top, counts, per_doc)
        }
    };
    let wanted = prepared.wanted();
    let needles = prepared.needles();
    let mut hits = Vec::with_capacity(scored.len());
    for (score, address) in scored {
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut hit = hit_from_doc(fields, paths, &doc, score, &needles);
        hit.matching_passages = per_doc.get(&address).copied();
        if request.explain {
            hit.explain = Some(prepared.explain(searcher, address));
        }
        hits.push(hit);
    }
    let facets = if request.facets {
        facets
    } else {
        FacetCounts::default()
    };
    let facet_tree = if request.facet_tree {
        Some(
            searcher
                .search(prepared.query(), &breakdown::BreakdownCollector)?
                .tree(),
        )
    } else {
        None
    };
    Ok(SearchResults {
        query: request.query.clone(),
        total,
        hits,
        facets,
        explain: request.explain.then(|| wanted.readings.clone()),
        facet_tree,
    })
}

fn facet_tally(filters: &Filters, by_doc: bool) -> facets::FacetTally {
    let region_prefix = match filters.regions.as_slice() {
        [one] => Some(one.clone()),
        _ => None,
    };
    let region_depth = region_prefix
        .as_ref()
        .map_or(1, |p| (p.matches('/').count() + 1).min(3));
    let sector_depth = match filters.sectors.as_slice() {
        [one] if one.matches('/').count() == 1 => 2,
        [one] => one.matches('/').count(),
        _ => 1,
    };
    facets::FacetTally {
        region_depth,
        region_prefix,
        sector_depth,
        by_doc,
    }
}

/// Every hit of a search in rank order, built and handed to `on_hit` one at a
/// time, so that an export of 100,000 hits never holds them all: only their
/// scores and addresses are collected first (16 bytes a hit). `--limit` (and
/// an offset) apply; facets and `--explain` do not. Returns the number of hits.
pub fn for_each_hit(
    index: &OpenIndex,
    request: &SearchRequest,
    on_hit: &mut dyn FnMut(&Hit) -> Result<()>,
) -> Result<u64> {
    let prepared = PreparedSearch::new(&index.fields, request)?;
    let snapshot = index.snapshot()?;
    let searcher = &snapshot.searcher;
    let limit = request.limit.unwrap_or(usize::MAX);
    let mut ranked: Vec<(f32, DocAddress, Option<u64>)> = match request.unit {
        HitUnit::Passage => searcher
            .search(prepared.query(), &AllScored)?
            .into_iter()
            .map(|(s, a)| (s, a, None))
            .collect(),
        HitUnit::Doc => best_passage_per_doc(searcher, &prepared, None)?
            .0
            .into_iter()
            .map(|b| (b.score, b.address, Some(b.passages)))
            .collect(),
    };
    ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranked.drain(..request.offset.min(ranked.len()));
    ranked.truncate(limit);
    let needles = prepared.needles();
    let mut n = 0;
    for (score, address, passages) in ranked {
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut hit = hit_from_doc(&index.fields, &snapshot.paths, &doc, score, &needles);
        hit.matching_passages = passages;
        on_hit(&hit)?;
        n += 1;
    }
    Ok(n)
}

/// Collects the score and address of every match, nothing more.
struct AllScored;

struct SegmentScored {
    segment: tantivy::SegmentOrdinal,
    hits: Vec<(f32, DocAddress)>,
}

impl tantivy::collector::Collector for AllScored {
    type Fruit = Vec<(f32, DocAddress)>;
    type Child = SegmentScored;

    fn for_segment(
        &self,
        segment: tantivy::SegmentOrdinal,
        _reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentScored> {
        Ok(SegmentScored {
            segment,
            hits: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Self::Fruit>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl tantivy::collector::SegmentCollector for SegmentScored {
    type Fruit = Vec<(f32, DocAddress)>;

    fn collect(&mut self, doc: tantivy::DocId, score: tantivy::Score) {
        self.hits.push((score, DocAddress::new(self.segment, doc)));
    }

    fn harvest(self) -> Self::Fruit {
        self.hits
    }
}

/// A document's best passage and how many of its passages matched.
#[derive(Debug, Clone, Copy)]
struct BestPassage {
    score: f32,
    address: DocAddress,
    passages: u64,
}

impl BestPassage {
    fn absorb(&mut self, other: BestPassage) {
        self.passages += other.passages;
        if other.score > self.score || (other.score == self.score && other.address < self.address) {
            self.score = other.score;
            self.address = other.address;
        }
    }
}

/// Groups scored matches by document (the `doc_num` column).
struct GroupByDoc;

struct SegmentGroups {
    segment: tantivy::SegmentOrdinal,
    doc_num: tantivy::columnar::Column<u64>,
    best: HashMap<u64, BestPassage>,
}

impl tantivy::collector::Collector for GroupByDoc {
    type Fruit = HashMap<u64, BestPassage>;
    type Child = SegmentGroups;

    fn for_segment(
        &self,
        segment: tantivy::SegmentOrdinal,
        reader: &tantivy::SegmentReader,
    ) -> tantivy::Result<SegmentGroups> {
        Ok(SegmentGroups {
            segment,
            doc_num: reader.fast_fields().u64(crate::schema::names::DOC_NUM)?,
            best: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<HashMap<u64, BestPassage>>) -> tantivy::Result<Self::Fruit> {
        let mut all: HashMap<u64, BestPassage> = HashMap::new();
        for fruit in fruits {
            for (num, b) in fruit {
                match all.get_mut(&num) {
                    Some(existing) => existing.absorb(b),
                    None => {
                        all.insert(num, b);
                    }
                }
            }
        }
        Ok(all)
    }
}

impl tantivy::collector::SegmentCollector for SegmentGroups {
    type Fruit = HashMap<u64, BestPassage>;

    fn collect(&mut self, doc: tantivy::DocId, score: tantivy::Score) {
        let num = self.doc_num.first(doc).unwrap_or(u64::from(doc));
        let hit = BestPassage {
            score,
            address: DocAddress::new(self.segment, doc),
            passages: 1,
        };
        match self.best.get_mut(&num) {
            Some(b) => b.absorb(hit),
            None => {
                self.best.insert(num, hit);
            }
        }
    }

    fn harvest(self) -> Self::Fruit {
        self.best
    }
}

/// Every matching passage, grouped by document: the best passage of each,
/// documents ordered by it.
fn best_passage_per_doc(
    searcher: &Searcher,
    prepared: &PreparedSearch,
    tally: Option<facets::FacetTally>,
) -> Result<(Vec<BestPassage>, FacetCounts)> {
    let (groups, counts) = match tally {
        Some(t) => searcher.search(prepared.query(), &(GroupByDoc, t))?,
        None => (
            searcher.search(prepared.query(), &GroupByDoc)?,
            FacetCounts::default(),
        ),
    };
    let mut best: Vec<BestPassage> = groups.into_values().collect();
    best.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.address.cmp(&b.address)));
    Ok((best, counts))
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

/// Builds a hit from a stored passage; its path comes from the file table.
pub fn hit_from_doc(
    fields: &Fields,
    paths: &DocPaths,
    doc: &TantivyDocument,
    score: f32,
    needles: &[String],
) -> Hit {
    let key = text_of(doc, fields.doc_key).unwrap_or_default();
    let path = paths.first(&key).unwrap_or_default().to_string();
    let title = text_of(doc, fields.title)
        .unwrap_or_else(|| crate::document::file_title(&path).to_string());
    let passage = text_of(doc, fields.body).unwrap_or_default();
    let snippet = highlight::snippet(&passage, needles, highlight::SNIPPET_CHARS);
    let sectors = doc
        .get_all(fields.sector)
        .filter_map(|v| match OwnedValue::from(v) {
            OwnedValue::Facet(f) => Some(f.to_path_string().trim_start_matches('/').to_string()),
            _ => None,
        })
        .collect();
    Hit {
        id: text_of(doc, fields.passage_id).unwrap_or_default(),
        path,
        title,
        region: HitRegion {
            province: text_of(doc, fields.province),
            city: text_of(doc, fields.city),
            county: text_of(doc, fields.county),
        },
        year: doc.get_first(fields.year).and_then(|v| v.as_u64()),
        doc_type: text_of(doc, fields.doc_type),
        sectors,
        heading: text_of(doc, fields.heading).unwrap_or_default(),
        passage,
        passage_no: doc
            .get_first(fields.passage_no)
            .and_then(|v| v.as_u64())
            .unwrap_or(0),
        snippet: snippet.text,
        highlights: snippet.highlights,
        score,
        matching_passages: None,
        target_years: doc
            .get_all(fields.target_year)
            .filter_map(|v| v.as_u64())
            .collect(),
        targets: text_of(doc, fields.targets)
            .and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default(),
        explain: None,
    }
}
