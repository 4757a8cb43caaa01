//! Ranked search over passages (or documents) with facet filters and counts.

pub mod breakdown;
pub mod compile;
pub mod diverse;
pub mod facets;
pub mod group;
pub mod highlight;
pub mod keys;
pub mod plan;
pub mod records;
pub mod versions;

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::Count;
use tantivy::schema::{OwnedValue, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument};

pub use compile::{Filters, Wanted};
pub use facets::{FacetCounts, FacetValue};
pub use highlight::Snippet;
pub use plan::{Plan, ScorePart};

use crate::error::{Error, Result};
use crate::indexer::{DocPaths, IndexState, OpenIndex};
use crate::query::{self, FilterSpec, NewSince};
use crate::schema::Fields;

/// Whether hits are passages or documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum HitUnit {
    /// One hit per passage.
    #[default]
    Passage,
    /// One hit per document, its best passage as snippet.
    Doc,
}

impl crate::vocabulary::Named for HitUnit {
    const OPTION: &'static str = "by";
    const NAMES: &'static [(&'static str, HitUnit)] =
        &[("passage", HitUnit::Passage), ("doc", HitUnit::Doc)];
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
    /// Passages of one document shown before every document has shown its
    /// best (passage mode); `None` for [`DEFAULT_PER_DOC`], `Some(0)` for no cap.
    pub max_per_doc: Option<usize>,
    /// Passages of one region shown before every region has shown its best;
    /// `None` or `Some(0)` for no cap.
    pub max_per_region: Option<usize>,
    /// Also count the passages that hold the words only through their
    /// document's title or their section's heading
    /// ([`SearchResults::context_only`]).
    pub count_context: bool,
    /// Whether all the words must stand in one passage or may stand
    /// anywhere in one document.
    pub scope: Scope,
}

impl SearchRequest {
    /// Every passage `query` finds under `filters`, best first, with no page
    /// and none folded away: what the views that count passages (timeline,
    /// crosstab) walk.
    pub fn every_passage(query: &str, filters: &FilterSpec) -> SearchRequest {
        SearchRequest {
            query: query.to_string(),
            filters: filters.clone(),
            limit: None,
            unit: HitUnit::Passage,
            max_per_doc: Some(0),
            max_per_region: Some(0),
            ..SearchRequest::default()
        }
    }
}

/// Where a query's words must stand together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// In one passage.
    #[default]
    Passage,
    /// Anywhere in one document (each word in some passage of it).
    Doc,
}

impl crate::vocabulary::Named for Scope {
    const OPTION: &'static str = "scope";
    const NAMES: &'static [(&'static str, Scope)] =
        &[("passage", Scope::Passage), ("doc", Scope::Doc)];
}

/// Passages of one document on a page of hits unless asked otherwise.
pub const DEFAULT_PER_DOC: usize = 2;

/// Hits (or similar passages) a page shows when no limit is given: a first
/// screen, the same on the command line and in the API.
pub const DEFAULT_LIMIT: usize = 10;

/// How many hits a request without a limit returns, for every front end:
/// a first screen of hits, but every group of `--group-by` and every hit
/// of an export (`None`; the API caps both).
pub fn default_limit(grouped: bool, export: bool) -> Option<usize> {
    (!grouped && !export).then_some(DEFAULT_LIMIT)
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
    pub text: String,
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
    /// The pages the passage stands on, `[first, last]`, for paged formats.
    pub pages: Option<[u64; 2]>,
    /// Policy instruments of the passage (facet paths without the leading
    /// slash: 环境型/税收优惠), up to three.
    pub instruments: Vec<String>,
    /// With `--explain`: why each instrument, the cue words and sentence
    /// (the tagger run again on the stored text, which is what indexing read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub instrument_evidence: Option<Vec<String>>,
    /// On the last hit of a document on this page: how many more of its
    /// passages match, folded further down the list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub more_from_document: Option<u64>,
    /// Issuing bodies of the document, normalised.
    pub issuers: Vec<String>,
    /// Level of force of the document.
    pub force: Option<String>,
    /// Document number, normalised.
    pub doc_number: Option<String>,
    /// Written (成文) date, YYYY-MM-DD.
    pub written: Option<String>,
    /// Published date, YYYY-MM-DD.
    pub published: Option<String>,
    /// In force from, YYYY-MM-DD.
    pub effective: Option<String>,
    /// When a newer version of the same text is in the index: that version.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub superseded_by: Option<versions::SupersededBy>,
}

impl Hit {
    /// The pages as cited: "p. 12", "pp. 12-13".
    pub fn page_label(&self) -> Option<String> {
        self.pages.map(|[a, b]| {
            if a == b {
                format!("p. {a}")
            } else {
                format!("pp. {a}-{b}")
            }
        })
    }
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
    /// Passages that hold the words only through their document's title or
    /// their section's heading, not in their own text: not hits, counted
    /// apart (when asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub context_only: Option<u64>,
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
    pub fn new(index: &OpenIndex, request: &SearchRequest) -> Result<PreparedSearch> {
        let parsed = query::parse(&request.query).map_err(|e| Error::Query(e.0))?;
        let filters = Filters::resolve(&request.filters.and(&parsed.filters))?;
        let compiled = compile::compile(
            &index.fields,
            &index.dictionary,
            parsed.root.as_ref(),
            &filters,
            request.scope,
        );
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

/// `request` with `--new` or `--new-since` turned into the numbers of the
/// batches of `state` they mean.
pub fn resolve_new(request: &SearchRequest, state: &IndexState) -> Result<SearchRequest> {
    let mut request = request.clone();
    let filters = &mut request.filters;
    match filters.new {
        None => {}
        Some(_) if filters.batches.is_some() => {}
        Some(NewSince::LastBatch) => {
            let last = state.batches.last().ok_or_else(|| {
                Error::Filter(
                    "new passages of the last batch: no indexing run of this index has added documents since plansearch began recording batches; the next `plansearch index` that finds new files makes one".into(),
                )
            })?;
            filters.batches = Some(last.number..=last.number);
        }
        Some(NewSince::Time(t)) => {
            filters.batches = Some(match state.batches.iter().find(|b| b.started >= t) {
                Some(b) => b.number..=u32::MAX,
                #[allow(clippy::reversed_empty_ranges)]
                None => 1..=0,
            });
        }
    }
    Ok(request)
}

/// The flat facet counts of every match of `request` (issuers, levels of
/// force, instruments among them), once in passages and once in documents:
/// what the facet export adds to the breakdown.
pub fn facet_counts_both(
    index: &OpenIndex,
    request: &SearchRequest,
) -> Result<(FacetCounts, FacetCounts)> {
    let snapshot = index.snapshot()?;
    let request = &resolve_new(request, &snapshot.state)?;
    let prepared = PreparedSearch::new(index, request)?;
    let searcher = &snapshot.searcher;
    let passages = crate::cancel::search(
        searcher,
        prepared.query(),
        &facet_tally(&prepared.filters, false),
    )?;
    let documents = crate::cancel::search(
        searcher,
        prepared.query(),
        &facet_tally(&prepared.filters, true),
    )?;
    Ok((passages, documents))
}

/// Runs a search on an open index.
pub fn search(index: &OpenIndex, request: &SearchRequest) -> Result<SearchResults> {
    // The last commit's passages and file table together.
    let snapshot = index.snapshot()?;
    let request = &resolve_new(request, &snapshot.state)?;
    let prepared = PreparedSearch::new(index, request)?;
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
    let order = DateOrder::parse(request.filters.sort.as_deref())?;
    let page = match request.unit {
        HitUnit::Passage => passage_page(searcher, fields, prepared, order)?,
        HitUnit::Doc => document_page(searcher, prepared, order)?,
    };
    let hits = assemble_hits(searcher, fields, paths, prepared, &page)?;
    let context_only = match (&prepared.compiled.context_only, request.count_context) {
        (Some(q), true) => Some(searcher.search(q.as_ref(), &Count)? as u64),
        _ => None,
    };
    let facet_tree = if request.facet_tree {
        Some(
            crate::cancel::search(searcher, prepared.query(), &breakdown::BreakdownCollector)?
                .tree(),
        )
    } else {
        None
    };
    Ok(SearchResults {
        query: request.query.clone(),
        total: page.total,
        hits,
        facets: if request.facets {
            page.facets
        } else {
            FacetCounts::default()
        },
        explain: request.explain.then(|| prepared.wanted().readings.clone()),
        facet_tree,
        context_only,
    })
}

/// One page of hits as addresses and scores, with what the hits are told
/// beside their text.
struct Page {
    /// Matching passages (or documents).
    total: u64,
    /// The page's hits, in order.
    scored: Vec<(f32, DocAddress)>,
    facets: FacetCounts,
    /// On the last hit of a document: how many more of its passages match.
    more: HashMap<DocAddress, u64>,
    /// What the sense check changed, for `--explain`.
    sense_notes: HashMap<DocAddress, Vec<(f32, String)>>,
    /// With `--by doc`: how many passages of each hit's document match.
    per_doc: HashMap<DocAddress, u64>,
}

/// Passage hits: the best candidates, read again for senses, diversified
/// (a few passages a document on the first page), optionally by date.
fn passage_page(
    searcher: &Searcher,
    fields: &Fields,
    prepared: &PreparedSearch,
    order: Option<DateOrder>,
) -> Result<Page> {
    let request = &prepared.request;
    let offset = request.offset.min(searcher.num_docs() as usize);
    let limit = request.limit.unwrap_or(usize::MAX).max(1);
    // Room for the passages that diversity folds further down; at least as
    // many as the sense check reads, so that the first page does not depend
    // on the limit.
    let k = offset
        .saturating_add(limit)
        .saturating_mul(4)
        .max(CANDIDATES_AT_LEAST);
    // By date: the newest (or oldest) of a larger pool of the best.
    let k = if order.is_some() { k.max(SORT_POOL) } else { k };
    let collector = diverse::RankedCollector { k };
    let (ranked, facets) = if request.facets {
        let tally = facet_tally(&prepared.filters, false);
        crate::cancel::search(searcher, prepared.query(), &(collector, tally))?
    } else {
        (
            crate::cancel::search(searcher, prepared.query(), &collector)?,
            FacetCounts::default(),
        )
    };
    let caps = diverse::Caps {
        per_doc: request.max_per_doc.unwrap_or(DEFAULT_PER_DOC),
        per_region: request.max_per_region.unwrap_or(0),
    };
    let mut candidates = ranked.candidates;
    let sense_notes = weigh_senses(
        searcher,
        fields,
        &mut candidates,
        SENSE_CHECKED.max(offset.saturating_add(limit)),
        &prepared.compiled.wanted.literals,
    )?;
    let mut ordered = diverse::diversify(candidates, caps);
    if let Some(order) = order {
        let dates = doc_dates(searcher, ordered.iter().map(|c| c.address));
        order.sort(&mut ordered, |c| dates.get(&c.address).copied());
    }
    let end = offset.saturating_add(limit).min(ordered.len());
    let page = &ordered[offset.min(end)..end];
    Ok(Page {
        total: ranked.total,
        scored: page.iter().map(|c| (c.score, c.address)).collect(),
        facets,
        more: folded_further_down(&ordered[..end], page, &ranked.per_doc),
        sense_notes,
        per_doc: HashMap::new(),
    })
}

/// For the last hit of each document on `page`: how many of the document's
/// matching passages (`matched`) are not shown up to the end of the page
/// (`shown`), so that the hit can say "n more from this document".
fn folded_further_down(
    shown: &[diverse::Candidate],
    page: &[diverse::Candidate],
    matched: &HashMap<u64, u64>,
) -> HashMap<DocAddress, u64> {
    let mut shown_of_doc: HashMap<u64, u64> = HashMap::new();
    for c in shown {
        *shown_of_doc.entry(c.doc_num).or_default() += 1;
    }
    let mut last_of_doc: HashMap<u64, DocAddress> = HashMap::new();
    for c in page {
        last_of_doc.insert(c.doc_num, c.address);
    }
    let mut more = HashMap::new();
    for (doc, address) in last_of_doc {
        let matched = matched.get(&doc).copied().unwrap_or(0);
        let rest = matched.saturating_sub(shown_of_doc.get(&doc).copied().unwrap_or(0));
        if rest > 0 {
            more.insert(address, rest);
        }
    }
    more
}

/// Document hits (`--by doc`): each document's best passage.
fn document_page(
    searcher: &Searcher,
    prepared: &PreparedSearch,
    order: Option<DateOrder>,
) -> Result<Page> {
    let request = &prepared.request;
    let tally = facet_tally(&prepared.filters, true);
    let (mut best, facets) =
        best_passage_per_doc(searcher, prepared, request.facets.then_some(tally))?;
    let total = best.len() as u64;
    if let Some(order) = order {
        let dates = doc_dates(searcher, best.iter().map(|b| b.address));
        order.sort(&mut best, |b| dates.get(&b.address).copied());
    }
    let per_doc = best.iter().map(|b| (b.address, b.passages)).collect();
    let offset = request.offset.min(searcher.num_docs() as usize);
    let scored = best
        .into_iter()
        .skip(offset)
        .take(request.limit.unwrap_or(usize::MAX))
        .map(|b| (b.score, b.address))
        .collect();
    Ok(Page {
        total,
        scored,
        facets,
        more: HashMap::new(),
        sense_notes: HashMap::new(),
        per_doc,
    })
}

/// Reads each hit of the page from the store, with its explanation when
/// asked for, and marks superseded versions.
fn assemble_hits(
    searcher: &Searcher,
    fields: &Fields,
    paths: &DocPaths,
    prepared: &PreparedSearch,
    page: &Page,
) -> Result<Vec<Hit>> {
    let needles = prepared.needles();
    let mut hits = Vec::with_capacity(page.scored.len());
    for &(score, address) in &page.scored {
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut hit = hit_from_doc(fields, paths, &doc, score, &needles);
        hit.matching_passages = page.per_doc.get(&address).copied();
        hit.more_from_document = page.more.get(&address).copied();
        if prepared.request.explain {
            let mut parts = explain_hit(prepared, searcher, address, &hit);
            for (delta, why) in page.sense_notes.get(&address).into_iter().flatten() {
                parts.push(ScorePart {
                    part: why.clone(),
                    score: *delta,
                });
            }
            hit.explain = Some(parts);
            hit.instrument_evidence = Some(
                crate::extract::instrument::typology()
                    .classify(&hit.text)
                    .iter()
                    .map(|t| t.explain())
                    .collect(),
            );
        }
        hits.push(hit);
    }
    mark_superseded(searcher, fields, paths, &mut hits)?;
    Ok(hits)
}

/// With `--sort newest|oldest`, the best this many candidates are put in
/// date order (the rest of the matches are further from the query).
const SORT_POOL: usize = 2000;

/// Hits by the document's date rather than by relevance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateOrder {
    Newest,
    Oldest,
}

impl DateOrder {
    /// `None` for relevance.
    fn parse(sort: Option<&str>) -> Result<Option<DateOrder>> {
        match sort.map(str::trim) {
            None | Some("" | "relevance" | "score") => Ok(None),
            Some("newest" | "new" | "date") => Ok(Some(DateOrder::Newest)),
            Some("oldest" | "old") => Ok(Some(DateOrder::Oldest)),
            Some(other) => Err(Error::Filter(format!(
                "sort {other:?} is none of relevance, newest, oldest"
            ))),
        }
    }

    /// Stable: equal dates keep their relevance order; undated go last.
    fn sort<T>(self, items: &mut [T], date: impl Fn(&T) -> Option<u64>) {
        items.sort_by(|a, b| match (date(a), date(b)) {
            (Some(x), Some(y)) => match self {
                DateOrder::Newest => y.cmp(&x),
                DateOrder::Oldest => x.cmp(&y),
            },
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
    }
}

/// The document date (YYYYMMDD) of each address, from the fast column.
fn doc_dates(
    searcher: &Searcher,
    addresses: impl Iterator<Item = DocAddress>,
) -> HashMap<DocAddress, u64> {
    let mut columns = HashMap::new();
    let mut out = HashMap::new();
    for a in addresses {
        let column = match columns.entry(a.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let reader = searcher.segment_reader(a.segment_ord);
                e.insert(
                    reader
                        .fast_fields()
                        .u64(crate::schema::names::DOC_DATE)
                        .ok(),
                )
            }
        };
        if let Some(col) = column
            && let Some(v) = col.first(a.doc_id)
        {
            out.insert(a, v);
        }
    }
    out
}

/// Candidates whose words are checked for their sense: the best 40, or the
/// whole page when it is longer. The same for every limit up to 40, so that
/// `--limit 10` shows the first ten of `--limit 20`.
const SENSE_CHECKED: usize = 40;
/// Candidates collected before diversity and the sense check reorder them.
const CANDIDATES_AT_LEAST: usize = 200;
/// The factor of a passage that holds a query word only inside longer words.
const OTHER_SENSE: f32 = 0.5;

/// The best `n` candidates are read again, for what the index alone cannot
/// tell:
/// - a word that names an organisation means something else (集体经济 in
///   农村集体经济组织, the legal owner of collective land, not the collective
///   economy; 农业发展 in 中国农业发展银行): a candidate where some query word
///   stands only before a head of `data/search/other_senses.txt` loses half
///   its score;
///
/// Returns what each changed candidate gained or lost and why, for
/// `--explain`; the candidates are sorted again.
fn weigh_senses(
    searcher: &Searcher,
    fields: &Fields,
    candidates: &mut [diverse::Candidate],
    n: usize,
    literals: &[String],
) -> Result<HashMap<DocAddress, Vec<(f32, String)>>> {
    let words: Vec<&String> = literals.iter().filter(|l| l.chars().count() >= 2).collect();
    let mut notes: HashMap<DocAddress, Vec<(f32, String)>> = HashMap::new();
    if words.is_empty() {
        return Ok(notes);
    }
    let n = n.min(candidates.len());
    for c in candidates[..n].iter_mut() {
        let doc: TantivyDocument = searcher.doc(c.address)?;
        let body = crate::text::fold_str(&text_of(&doc, fields.body).unwrap_or_default());
        if let Some(inside) = words.iter().find(|w| said_only_as_another_sense(&body, w)) {
            let lost = c.score * (1.0 - OTHER_SENSE);
            c.score -= lost;
            notes.entry(c.address).or_default().push((
                -lost,
                format!(
                    "{inside} only as part of a name ({inside}{}…), another sense (×{OTHER_SENSE})",
                    other_sense_heads().join("/")
                ),
            ));
        }
    }
    // A changed candidate may now stand below ones that were not read.
    candidates.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.address.cmp(&b.address)));
    Ok(notes)
}

const OTHER_SENSES: &str = include_str!("../../data/search/other_senses.txt");

/// The heads of `data/search/other_senses.txt`.
fn other_sense_heads() -> &'static [&'static str] {
    static HEADS: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    HEADS.get_or_init(|| {
        OTHER_SENSES
            .lines()
            .map(|l| l.split('#').next().unwrap_or("").trim())
            .filter(|l| !l.is_empty())
            .collect()
    })
}

/// True when `word` occurs in `text`, and every time directly before a head
/// that makes it the name of an organisation.
fn said_only_as_another_sense(text: &str, word: &str) -> bool {
    let mut any = false;
    for (start, _) in text.match_indices(word) {
        any = true;
        let rest = &text[start + word.len()..];
        if !other_sense_heads().iter().any(|h| rest.starts_with(h)) {
            return false;
        }
    }
    any
}

/// Tells each hit of a superseded document which version replaced it. The
/// versions are read only when some hit is of a binding text.
fn mark_superseded(
    searcher: &Searcher,
    fields: &Fields,
    paths: &DocPaths,
    hits: &mut [Hit],
) -> Result<()> {
    let binding = |h: &Hit| {
        h.force
            .as_deref()
            .is_some_and(crate::extract::versions::has_versions)
    };
    if !hits.iter().any(binding) {
        return Ok(());
    }
    let versions = versions::Versions::read(searcher)?;
    if versions.superseded_count() == 0 {
        return Ok(());
    }
    for hit in hits.iter_mut().filter(|h| binding(h)) {
        hit.superseded_by = versions.superseded_by(searcher, fields, paths, &hit.id)?;
    }
    Ok(())
}

/// A hit's score parts, the content factor's with the signals that made it.
fn explain_hit(
    prepared: &PreparedSearch,
    searcher: &Searcher,
    address: DocAddress,
    hit: &Hit,
) -> Vec<ScorePart> {
    let mut parts = prepared.explain(searcher, address);
    for p in &mut parts {
        if p.part.starts_with(plan::CONTENT_PART) {
            let content = crate::extract::content::assess(&hit.text, hit.targets.len());
            if !content.signals.is_empty() {
                p.part = format!("{}: {}", p.part, content.signals.join(", "));
            }
        }
    }
    parts
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
    let snapshot = index.snapshot()?;
    let request = &resolve_new(request, &snapshot.state)?;
    let prepared = PreparedSearch::new(index, request)?;
    let searcher = &snapshot.searcher;
    let limit = request.limit.unwrap_or(usize::MAX);
    let mut ranked: Vec<(f32, DocAddress, Option<u64>)> = match request.unit {
        HitUnit::Passage => {
            // The order of a search: senses weighed, documents capped.
            let ranked = searcher.search(
                prepared.query(),
                &diverse::RankedCollector { k: usize::MAX },
            )?;
            let mut candidates = ranked.candidates;
            weigh_senses(
                searcher,
                &index.fields,
                &mut candidates,
                SENSE_CHECKED,
                &prepared.compiled.wanted.literals,
            )?;
            let caps = diverse::Caps {
                per_doc: request.max_per_doc.unwrap_or(DEFAULT_PER_DOC),
                per_region: request.max_per_region.unwrap_or(0),
            };
            diverse::diversify(candidates, caps)
                .into_iter()
                .map(|c| (c.score, c.address, None))
                .collect()
        }
        HitUnit::Doc => best_passage_per_doc(searcher, &prepared, None)?
            .0
            .into_iter()
            .map(|b| (b.score, b.address, Some(b.passages)))
            .collect(),
    };
    if request.unit == HitUnit::Doc {
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    }
    ranked.drain(..request.offset.min(ranked.len()));
    ranked.truncate(limit);
    let needles = prepared.needles();
    let versions = versions::Versions::read(searcher)?;
    let mut n = 0;
    for (score, address, passages) in ranked {
        let doc: TantivyDocument = searcher.doc(address)?;
        let mut hit = hit_from_doc(&index.fields, &snapshot.paths, &doc, score, &needles);
        hit.matching_passages = passages;
        hit.superseded_by =
            versions.superseded_by(searcher, &index.fields, &snapshot.paths, &hit.id)?;
        on_hit(&hit)?;
        n += 1;
    }
    Ok(n)
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
        Some(t) => crate::cancel::search(searcher, prepared.query(), &(GroupByDoc, t))?,
        None => (
            crate::cancel::search(searcher, prepared.query(), &GroupByDoc)?,
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
    let instruments = doc
        .get_all(fields.instrument)
        .filter_map(|v| match OwnedValue::from(v) {
            OwnedValue::Facet(f) => Some(f.to_path_string().trim_start_matches('/').to_string()),
            _ => None,
        })
        .collect();
    Hit {
        id: text_of(doc, fields.passage_id).unwrap_or_default(),
        instruments,
        instrument_evidence: None,
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
        text: passage,
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
        pages: match (
            doc.get_first(fields.page_first).and_then(|v| v.as_u64()),
            doc.get_first(fields.page_last).and_then(|v| v.as_u64()),
        ) {
            (Some(a), Some(b)) => Some([a, b]),
            (Some(a), None) => Some([a, a]),
            _ => None,
        },
        more_from_document: None,
        issuers: doc
            .get_all(fields.issuer)
            .filter_map(|v| v.as_str().map(str::to_string))
            .collect(),
        force: text_of(doc, fields.force),
        doc_number: text_of(doc, fields.doc_number),
        written: date_of(doc, fields.written),
        published: date_of(doc, fields.published),
        effective: date_of(doc, fields.effective),
        superseded_by: None,
    }
}

/// A YYYYMMDD field as YYYY-MM-DD.
fn date_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    let n = doc.get_first(field).and_then(|v| v.as_u64())?;
    Some(format!(
        "{:04}-{:02}-{:02}",
        n / 10_000,
        n / 100 % 100,
        n % 100
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_inside_a_longer_word_is_another_sense() {
        let cases: &[(&str, &str, bool)] = &[
            // corpus/01318: the legal owner of collective land.
            (
                "第十九条 农村集体经济组织接到申请后,应当在10个工作日内对申请材料进行核查。",
                "集体经济",
                true,
            ),
            // reports: the collective economy itself.
            (
                "发展壮大村级集体经济,121个薄弱村全部清零。",
                "集体经济",
                false,
            ),
            ("加快建设国家骨干冷链物流基地。", "冷链物流", false),
            // corpus/00173 (1994): the bank, not agricultural development.
            (
                "承担国家粮油储备、农副产品合同收购和农业开发的中国农业发展银行。",
                "农业发展",
                true,
            ),
            // corpus/00802: jieba cuts 现代农业 + 发展, the sense is the topic's.
            (
                "培养适应现代农业发展需要的新型职业农民。",
                "农业发展",
                false,
            ),
            ("冷链物流运输要求", "冷链", false),
            ("推进农业机械化。", "集体经济", false),
        ];
        for (text, word, want) in cases {
            assert_eq!(
                said_only_as_another_sense(text, word),
                *want,
                "{word} in {text}"
            );
        }
    }
}
