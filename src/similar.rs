//! Similar measures: given one passage (or a pasted paragraph), the passages
//! of other documents most alike in substance.
//!
//! A passage's *key terms* are its jieba words weighted by how distinctive
//! they are in this index: `(1 + ln tf) × idf`, with the number of passages
//! that say the word literally (BM25's idf). A word no other passage says
//! (jieba read 肉牛养殖 where the others write 肉牛) gives way to its parts.
//! Verbs weigh a fifth of nouns (购买, 实行 describe how, not what); generic
//! policy words (推进, 加强, 建设, from [data/similar/generic_words.txt]) and
//! place names never count, so that two passages are alike for what they do,
//! not for the verbs that wrap it or the place they come from. The best key
//! terms make one query: each a clause that adds its weight when a passage
//! says it, a few of them required, the sum multiplied by the passage's
//! content factor as in a search; the source's own document is left out, and
//! passages with the same text as one already shown are dropped (a report
//! published twice).
//!
//! [`similar`] returns a [`SimilarResults`] with the key terms used, so that a
//! researcher sees why a passage came up; the CLI (`plansearch similar`) and a
//! JSON API print it.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::{Error, Result};
use crate::gazetteer::gazetteer;
use crate::indexer::{OpenIndex, Snapshot};
use crate::query::FilterSpec;
use crate::schema::{self, Fields};
use crate::search::compile::literal_query;
use crate::search::records::ContentScaled;
use crate::search::{Filters, Hit, hit_from_doc};
use crate::text::fold_str;
use crate::tokenizer::{Dictionary, literal_runs};

/// The generic words, compiled in.
const GENERIC_WORDS: &str = include_str!("../data/similar/generic_words.txt");

static GENERIC: LazyLock<HashSet<String>> = LazyLock::new(|| {
    GENERIC_WORDS
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .flat_map(str::split_whitespace)
        .map(fold_str)
        .collect()
});

/// Key terms used for a query, at most.
pub const MAX_KEY_TERMS: usize = 20;
/// A word in more than this share of passages says too little to be a key term.
const MAX_DF_SHARE: f64 = 0.1;

/// True for a word that never counts as a key term: generic policy wording.
pub fn is_generic(word: &str) -> bool {
    GENERIC.contains(word)
}

/// What to find passages similar to.
#[derive(Debug, Clone)]
pub enum SimilarTo {
    /// A passage: its id (`8632332262f6707a:2`) or `FILE#N`.
    Passage(String),
    /// A pasted paragraph.
    Text(String),
}

/// A similarity search.
#[derive(Debug, Clone)]
pub struct SimilarRequest {
    /// The source.
    pub to: SimilarTo,
    /// Filters on the passages found.
    pub filters: FilterSpec,
    /// Leave out the source's own region (and the units within it).
    pub other_regions: bool,
    /// Hits to return.
    pub limit: usize,
    /// The corpus folder, to resolve `FILE#N` given as a path on disk.
    pub corpus: Option<PathBuf>,
}

impl SimilarRequest {
    /// A request for passages similar to `to`, ten of them, no filters.
    pub fn new(to: SimilarTo) -> SimilarRequest {
        SimilarRequest {
            to,
            filters: FilterSpec::default(),
            other_regions: false,
            limit: 10,
            corpus: None,
        }
    }
}

/// A key term of the source and why it weighs what it does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyTerm {
    /// The word.
    pub term: String,
    /// Its weight in the query: `(1 + ln tf) × idf`.
    pub weight: f32,
    /// Times it occurs in the source.
    pub tf: u32,
    /// Passages of the index that contain it.
    pub df: u64,
}

/// One similar passage.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarHit {
    /// The passage, as a search hit (the snippet highlights the key terms it shares).
    #[serde(flatten)]
    pub hit: Hit,
    /// The key terms it shares with the source, heaviest first.
    pub shared_terms: Vec<String>,
}

/// The answer to a similarity search.
#[derive(Debug, Clone, Serialize)]
pub struct SimilarResults {
    /// The source passage (`None` for pasted text).
    pub source: Option<Hit>,
    /// The source text the key terms come from.
    pub text: String,
    /// The key terms, heaviest first.
    pub key_terms: Vec<KeyTerm>,
    /// Key terms a passage must share to be a hit.
    pub min_shared: usize,
    /// The region left out with `--other-regions`.
    pub excluded_region: Option<String>,
    /// Passages that share enough key terms (before dropping duplicates).
    pub total: u64,
    /// The most similar passages of other documents, best first.
    pub hits: Vec<SimilarHit>,
}

/// Finds the passages most similar to a passage or a text.
pub fn similar(index: &OpenIndex, request: &SimilarRequest) -> Result<SimilarResults> {
    let snapshot = index.snapshot()?;
    let fields = &index.fields;
    let searcher = &snapshot.searcher;
    let filters = Filters::resolve(&request.filters)?;
    let source = Source::of(&snapshot, fields, request)?;
    let key_terms = key_terms(
        searcher,
        fields,
        &index.dictionary,
        &source.text,
        source.doc.is_some(),
    )?;
    if key_terms.is_empty() {
        return Err(Error::Invalid(format!(
            "no distinctive words in {}: it holds only generic policy wording, place names or numbers; pick a passage that says what is done",
            source.cite().unwrap_or_else(|| "the text".to_string())
        )));
    }
    let min_shared = min_shared(key_terms.len());
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![
        (Occur::Must, schema::passages(fields)),
        (
            Occur::Must,
            sharing_query(searcher, fields, &key_terms, min_shared)?,
        ),
    ];
    let excluded_region = source.exclusions(fields, request.other_regions, &mut clauses)?;
    for f in filters.queries(fields) {
        clauses.push((Occur::Must, f));
    }
    let query = BooleanQuery::new(clauses);

    let limit = request.limit.max(1);
    // Room for the duplicates that are dropped.
    let fetch = limit * 3;
    let (top, total) = searcher.search(
        &query,
        &(TopDocs::with_limit(fetch).order_by_score(), Count),
    )?;
    let hits = distinct_hits(&snapshot, fields, &source.text, &key_terms, top, limit)?;
    Ok(SimilarResults {
        source: source.hit,
        text: source.text,
        key_terms,
        min_shared,
        excluded_region,
        total: total as u64,
        hits,
    })
}

/// What is compared: a passage of the index (with its stored document) or a
/// pasted text.
struct Source {
    hit: Option<Hit>,
    text: String,
    doc: Option<TantivyDocument>,
}

impl Source {
    fn of(snapshot: &Snapshot, fields: &Fields, request: &SimilarRequest) -> Result<Source> {
        match &request.to {
            SimilarTo::Text(text) => {
                if text.trim().is_empty() {
                    return Err(Error::Invalid(
                        "the text to compare is empty: give the paragraph to compare".into(),
                    ));
                }
                if request.other_regions {
                    return Err(Error::Invalid(
                        "leaving out the source's region needs a source passage (an id or FILE#N): a pasted text has no region".into(),
                    ));
                }
                Ok(Source {
                    hit: None,
                    text: text.clone(),
                    doc: None,
                })
            }
            SimilarTo::Passage(reference) => {
                let address = resolve_ref(snapshot, fields, reference, request.corpus.as_deref())?;
                let doc: TantivyDocument = snapshot.searcher.doc(address)?;
                let hit = hit_from_doc(fields, &snapshot.paths, &doc, 0.0, &[]);
                Ok(Source {
                    text: hit.text.clone(),
                    hit: Some(hit),
                    doc: Some(doc),
                })
            }
        }
    }

    /// `FILE#N` of a source passage.
    fn cite(&self) -> Option<String> {
        self.hit
            .as_ref()
            .map(|h| format!("{}#{}", h.path, h.passage_no))
    }

    /// Leaves out the source's own document and, with `other_regions`, its
    /// region; returns the region left out.
    fn exclusions(
        &self,
        fields: &Fields,
        other_regions: bool,
        clauses: &mut Vec<(Occur, Box<dyn Query>)>,
    ) -> Result<Option<String>> {
        let Some(doc) = &self.doc else {
            return Ok(None);
        };
        if let Some(key) = doc.get_first(fields.doc_key).and_then(|v| v.as_str()) {
            clauses.push((
                Occur::MustNot,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.doc_key, key),
                    IndexRecordOption::Basic,
                )),
            ));
        }
        if !other_regions {
            return Ok(None);
        }
        let facet = doc
            .get_first(fields.region)
            .and_then(|v| match OwnedValue::from(v) {
                OwnedValue::Facet(f) => Some(f),
                _ => None,
            });
        let Some(facet) = facet else {
            return Err(Error::Invalid(format!(
                "the region of {} is unknown, so there is no region to leave out: compare without leaving out the source's region, or filter by region",
                self.cite().unwrap_or_default()
            )));
        };
        clauses.push((
            Occur::MustNot,
            Box::new(TermQuery::new(
                Term::from_facet(fields.region, &facet),
                IndexRecordOption::Basic,
            )),
        ));
        Ok(Some(
            facet.to_path_string().trim_start_matches('/').to_string(),
        ))
    }
}

/// Passages sharing at least `min_shared` key terms. Each key term scores by
/// its BM25 in the passage (how often the passage says it, for its length),
/// times what it weighs in the source beyond its rarity: a long passage that
/// names many things in passing does not outrank one about the same measure.
fn sharing_query(
    searcher: &Searcher,
    fields: &Fields,
    key_terms: &[KeyTerm],
    min_shared: usize,
) -> Result<Box<dyn Query>> {
    let n = passages_in(searcher, fields)? as f64;
    let terms: Vec<(Occur, Box<dyn Query>)> = key_terms
        .iter()
        .filter_map(|k| {
            let q = literal_query(fields.body, &literal_runs(&k.term))?;
            let boost = k.weight / idf(n, k.df) as f32;
            Some((
                Occur::Should,
                Box::new(BoostQuery::new(q, boost)) as Box<dyn Query>,
            ))
        })
        .collect();
    Ok(Box::new(ContentScaled {
        inner: Box::new(BooleanQuery::with_minimum_required_clauses(
            terms, min_shared,
        )),
        field_name: schema::names::CONTENT,
    }))
}

/// The first `limit` hits of `top` whose text is not the source's nor an
/// earlier hit's, each with the key terms it says.
fn distinct_hits(
    snapshot: &Snapshot,
    fields: &Fields,
    source_text: &str,
    key_terms: &[KeyTerm],
    top: Vec<(f32, DocAddress)>,
    limit: usize,
) -> Result<Vec<SimilarHit>> {
    let mut seen: HashSet<String> = HashSet::new();
    seen.insert(same_text_key(source_text));
    let mut hits = Vec::new();
    for (score, address) in top {
        if hits.len() >= limit {
            break;
        }
        let doc: TantivyDocument = snapshot.searcher.doc(address)?;
        let body = doc
            .get_first(fields.body)
            .and_then(|v| v.as_str())
            .unwrap_or_default();
        if !seen.insert(same_text_key(body)) {
            continue;
        }
        let folded = fold_str(body);
        let shared: Vec<String> = key_terms
            .iter()
            .filter(|k| folded.contains(k.term.as_str()))
            .map(|k| k.term.clone())
            .collect();
        let hit = hit_from_doc(fields, &snapshot.paths, &doc, score, &shared);
        hits.push(SimilarHit {
            hit,
            shared_terms: shared,
        });
    }
    Ok(hits)
}

/// Two passages with the same text, whitespace and punctuation aside, are one.
fn same_text_key(text: &str) -> String {
    fold_str(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// How many key terms a hit must share: one in four, between 1 and 3.
fn min_shared(key_terms: usize) -> usize {
    key_terms.div_ceil(4).clamp(1, 3)
}

/// The key terms of `text`, weighted by their distinctiveness in the index,
/// heaviest first. `in_index`: the text is a passage of the index, which
/// itself counts in every document frequency. Words are cut with
/// `dictionary`, the index's.
pub fn key_terms(
    searcher: &Searcher,
    fields: &Fields,
    dictionary: &Dictionary,
    text: &str,
    in_index: bool,
) -> Result<Vec<KeyTerm>> {
    let mut counts: Vec<(String, u32, bool)> = Vec::new();
    for (word, verb) in dictionary.tagged_words(text) {
        if !is_key_candidate(&word) {
            continue;
        }
        match counts.iter_mut().find(|(w, ..)| *w == word) {
            Some((_, n, _)) => *n += 1,
            None => counts.push((word, 1, verb)),
        }
    }
    let n = passages_in(searcher, fields)? as f64;
    let own = u64::from(in_index);
    let mut out: Vec<KeyTerm> = Vec::new();
    let mut pending: Vec<(String, u32, bool)> = counts;
    let mut split_once: HashSet<String> = HashSet::new();
    while let Some((term, tf, verb)) = pending.pop() {
        let df = literal_df(searcher, fields, &term)?;
        if df <= own {
            // Nobody else says it so (肉牛养殖): its parts may be said (肉牛).
            if split_once.insert(term.clone()) {
                for part in dictionary.cut_small(&term) {
                    if part != term && is_key_candidate(&part) {
                        pending.push((part, tf, verb));
                    }
                }
            }
            continue;
        }
        // Nearly every passage says it.
        if df as f64 > MAX_DF_SHARE * n {
            continue;
        }
        if let Some(existing) = out.iter_mut().find(|k| k.term == term) {
            existing.tf += tf;
            continue;
        }
        let idf = idf(n, df);
        let class = if verb { VERB_WEIGHT } else { 1.0 };
        let weight = ((1.0 + f64::from(tf).ln()) * idf * class) as f32;
        out.push(KeyTerm {
            term,
            weight,
            tf,
            df,
        });
    }
    // A term inside a longer key term (制种 in 玉米制种) is matched again by
    // every passage that says the longer one: it counts half, so that a shared
    // compound does not count twice.
    let longer: Vec<String> = out.iter().map(|k| k.term.clone()).collect();
    for k in &mut out {
        if longer
            .iter()
            .any(|l| l.len() > k.term.len() && l.contains(k.term.as_str()))
        {
            k.weight *= INSIDE_LONGER_WEIGHT;
        }
    }
    out.sort_by(|a, b| b.weight.total_cmp(&a.weight).then(a.term.cmp(&b.term)));
    out.truncate(MAX_KEY_TERMS);
    Ok(out)
}

/// BM25's inverse document frequency.
fn idf(n: f64, df: u64) -> f64 {
    (1.0 + (n - df as f64 + 0.5) / (df as f64 + 0.5)).ln()
}

/// What a key term inside a longer key term weighs.
const INSIDE_LONGER_WEIGHT: f32 = 0.5;

/// What a verb weighs next to a noun of the same distinctiveness.
const VERB_WEIGHT: f64 = 0.2;

/// Passages of the index (records aside).
fn passages_in(searcher: &Searcher, fields: &Fields) -> Result<u64> {
    Ok(searcher.doc_freq(&Term::from_field_text(fields.kind, schema::kinds::PASSAGE))?)
}

/// Passages that say `word` literally.
fn literal_df(searcher: &Searcher, fields: &Fields, word: &str) -> Result<u64> {
    let Some(q) = literal_query(fields.body, &literal_runs(word)) else {
        return Ok(0);
    };
    Ok(searcher.search(&q, &Count)? as u64)
}

/// A word that may be a key term: two characters or more, not a number, not
/// generic, not an agency, not a place name.
fn is_key_candidate(word: &str) -> bool {
    word.chars().count() >= 2
        && !word.chars().any(|c| c.is_ascii_digit())
        && word.chars().any(|c| c.is_alphabetic())
        && !is_generic(word)
        && !is_agency(word)
        && gazetteer().readings(word).is_empty()
}

/// An agency (畜牧局, 发改委, 工信厅): who is responsible, not what is done.
fn is_agency(word: &str) -> bool {
    ['局', '厅', '委', '办'].iter().any(|c| word.ends_with(*c))
}

/// The passage a REF names: a passage id or `FILE#N`.
fn resolve_ref(
    snapshot: &Snapshot,
    fields: &Fields,
    reference: &str,
    corpus: Option<&Path>,
) -> Result<DocAddress> {
    let reference = reference.trim();
    let id = if is_passage_id(reference) {
        reference.to_string()
    } else if let Some((file, n)) = reference.rsplit_once('#') {
        let key = file_key(snapshot, file, corpus)?;
        let passages = snapshot.state.docs.get(&key).map_or(0, |d| d.passages);
        let shown = snapshot.paths.first(&key).unwrap_or(file);
        let n: u32 = n.trim().parse().map_err(|_| {
            Error::Invalid(format!(
                "{reference}: after # comes a passage number, 1 to {passages} for {shown}"
            ))
        })?;
        if n == 0 || n > passages {
            return Err(Error::Invalid(format!(
                "{shown} has {passages} passages; pick #1 to #{passages}"
            )));
        }
        format!("{key}:{n}")
    } else {
        return Err(Error::Invalid(format!(
            "{reference:?} is neither a passage id (8632332262f6707a:2, printed with every search hit) nor FILE#N (seeds/000_cca008fd74b9d59b.txt#2)"
        )));
    };
    let query = TermQuery::new(
        Term::from_field_text(fields.passage_id, &id),
        IndexRecordOption::Basic,
    );
    let top = snapshot
        .searcher
        .search(&query, &TopDocs::with_limit(1).order_by_score())?;
    top.first().map(|(_, a)| *a).ok_or_else(|| {
        let (key, _) = id.split_once(':').unwrap_or((&id, ""));
        match (snapshot.state.docs.get(key), snapshot.paths.first(key)) {
            (Some(doc), Some(path)) => Error::NotFound(format!(
                "no passage {id}: {path} has {} passages; pick {key}:1 to {key}:{}",
                doc.passages, doc.passages
            )),
            _ => Error::NotFound(format!(
                "no passage {id} in this index: ids change when a file's content changes; search again for a current id, or give FILE#N"
            )),
        }
    })
}

/// `<16 hex digits>:<number>`: the id a search hit shows.
pub fn is_passage_id(s: &str) -> bool {
    match s.split_once(':') {
        Some((key, n)) => {
            key.len() == 16
                && key.chars().all(|c| c.is_ascii_hexdigit())
                && !n.is_empty()
                && n.chars().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

/// The document key of a file: its corpus-relative path as hits show it, a
/// path on disk inside the corpus, or a file name that only one file has.
fn file_key(snapshot: &Snapshot, file: &str, corpus: Option<&Path>) -> Result<String> {
    let files = &snapshot.state.files;
    let plain = file.trim().trim_start_matches("./").replace('\\', "/");
    if let Some(key) = files.get(&plain) {
        return Ok(key.clone());
    }
    // A path on disk: relative to the corpus folder.
    let on_disk = Path::new(file.trim());
    if on_disk.exists() {
        let roots = corpus
            .map(Path::to_path_buf)
            .into_iter()
            .chain(std::iter::once(PathBuf::from(&snapshot.state.corpus)));
        if let Ok(abs) = on_disk.canonicalize() {
            for root in roots {
                if let Ok(root) = root.canonicalize()
                    && let Ok(rel) = abs.strip_prefix(&root)
                {
                    let rel = rel.to_string_lossy().replace('\\', "/");
                    if let Some(key) = files.get(&rel) {
                        return Ok(key.clone());
                    }
                }
            }
        }
    }
    // A file name or path tail that only one indexed file has.
    let matches: Vec<(&String, &String)> = files
        .iter()
        .filter(|(path, _)| path.ends_with(&format!("/{plain}")))
        .collect();
    match matches.as_slice() {
        [(_, key)] => Ok((*key).clone()),
        [] => Err(Error::Invalid(format!(
            "no indexed file {file}: give the path as search hits show it (seeds/003_0c8bad910db2f3a0.txt#5), a file inside the corpus, or a passage id"
        ))),
        many => Err(Error::Invalid(format!(
            "{file} names {} indexed files ({}); give the path as search hits show it",
            many.len(),
            many.iter()
                .take(3)
                .map(|(p, _)| String::as_str(p))
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_policy_words_and_places_are_never_key_terms() {
        for w in [
            "推进",
            "加强",
            "建设",
            "加快",
            "实施",
            "提升",
            "完善",
            "进一步",
        ] {
            assert!(is_generic(w), "{w}");
            assert!(!is_key_candidate(w), "{w}");
        }
        for w in ["张掖", "甘州区", "民乐县", "畜牧局", "发改委"] {
            assert!(!is_key_candidate(w), "{w}");
        }
        for w in ["马铃薯", "食用菌", "农产品", "冷链", "加工"] {
            assert!(is_key_candidate(w), "{w}");
        }
        assert!(!is_key_candidate("2020"));
        assert!(!is_key_candidate("牛"));
    }

    #[test]
    fn passage_ids_are_recognised() {
        assert!(is_passage_id("8632332262f6707a:2"));
        assert!(!is_passage_id("seeds/000.txt#2"));
        assert!(!is_passage_id("8632332262f6707a:"));
        assert!(!is_passage_id("xyz:2"));
    }

    #[test]
    fn a_few_key_terms_must_be_shared() {
        assert_eq!(min_shared(1), 1);
        assert_eq!(min_shared(4), 1);
        assert_eq!(min_shared(8), 2);
        assert_eq!(min_shared(20), 3);
    }
}
