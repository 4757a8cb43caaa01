//! The recall evaluation: plansearch against what grep finds.
//!
//! The oracle reads the corpus the way the indexer does (the same walk, the
//! same [`document::load`]: decoding, cleaning, passages), normalises each
//! passage's text as the issue defines literal containment (whitespace and line
//! breaks removed, full-width forms, ASCII case and traditional characters
//! folded) and says which passages contain a query. plansearch must return at
//! least those.
//!
//! What the oracle looks at: for an unrestricted word, the passage's **own
//! text** only. A passage whose heading path or document title holds the word is
//! also a plansearch hit, but not one grep on the passage would find, so it
//! counts as an extra, never as a miss. `heading:` and `title:` terms are
//! checked against the heading path and the title; an exclusion (`-北京`)
//! removes a passage when its title, heading or text holds the word, as it
//! does in search.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::Mutex;

use serde::Serialize;
use tantivy::collector::DocSetCollector;

use crate::corpus::{self, SourceFile};
use crate::document;
use crate::error::Result;
use crate::extract::Overrides;
use crate::indexer::OpenIndex;
use crate::query::{self, Node, TextField};
use crate::schema::{self, names};
use crate::search::{self, Hit, HitUnit, PreparedSearch, SearchRequest};
use crate::synonyms::synonyms;
use crate::text::fold_str;
use crate::tokenizer::Dictionary;

/// Text as literal containment compares it: folded, whitespace removed.
pub fn normalize(text: &str) -> String {
    fold_str(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A passage as the oracle sees it (normalised texts).
#[derive(Debug, Clone)]
pub struct OraclePassage {
    /// The document's grouping number ([`schema::doc_num`] of its content hash).
    pub doc_num: u64,
    /// Passage number in the document.
    pub number: u64,
    /// The passage's cleaned text.
    pub text: String,
    /// Its heading path.
    pub heading: String,
    /// Its document's title.
    pub title: String,
}

/// Every passage of a corpus, read independently of any index.
#[derive(Debug, Default)]
pub struct Oracle {
    /// The passages, documents in path order.
    pub passages: Vec<OraclePassage>,
    /// Path of each document, by grouping number.
    pub paths: HashMap<u64, String>,
}

/// A passage key: document grouping number and passage number.
pub type PassageKey = (u64, u64);

impl Oracle {
    /// Reads and analyses every document of `corpus` on `threads` threads.
    /// Files with the same content count once, as in the index.
    pub fn load(corpus: &Path, threads: usize) -> Oracle {
        let files: Vec<SourceFile> = corpus::walk(corpus).filter_map(|f| f.ok()).collect();
        // As the indexer reads them: with the metadata given for them.
        let overrides = Overrides::load(corpus);
        let next = Mutex::new(files.iter());
        let docs = Mutex::new(Vec::new());
        std::thread::scope(|scope| {
            for _ in 0..threads.max(1) {
                scope.spawn(|| {
                    while let Some(file) = next.lock().ok().and_then(|mut it| it.next()) {
                        // A spreadsheet is a document a row, as the indexer has it.
                        if let Ok(found) = document::load_file(file, &overrides)
                            && let Ok(mut docs) = docs.lock()
                        {
                            docs.extend(found);
                        }
                    }
                });
            }
        });
        let mut docs = docs.into_inner().unwrap_or_default();
        docs.sort_by(|a, b| a.path.cmp(&b.path));
        let mut oracle = Oracle::default();
        for doc in docs {
            let doc_num = schema::doc_num(&doc.content_hash);
            if oracle.paths.contains_key(&doc_num) {
                continue;
            }
            oracle.paths.insert(doc_num, doc.path.clone());
            let title = normalize(&doc.display_title());
            for (p, _) in &doc.passages {
                oracle.passages.push(OraclePassage {
                    doc_num,
                    number: p.number as u64,
                    text: normalize(&p.text),
                    heading: normalize(&p.heading_path()),
                    title: title.clone(),
                });
            }
        }
        oracle
    }

    /// Passages that contain the query literally.
    pub fn matches(&self, node: &Node) -> HashSet<PassageKey> {
        self.passages
            .iter()
            .filter(|p| holds(node, p))
            .map(|p| (p.doc_num, p.number))
            .collect()
    }
}

fn holds(node: &Node, p: &OraclePassage) -> bool {
    match node {
        Node::Term { text, field, .. } => {
            let needle = normalize(text);
            match field {
                None | Some(TextField::Body) => p.text.contains(&needle),
                Some(TextField::Heading) => p.heading.contains(&needle),
                Some(TextField::Title) => p.title.contains(&needle),
            }
        }
        Node::And(children) => children.iter().all(|c| holds(c, p)),
        Node::Or(children) => children.iter().any(|c| holds(c, p)),
        Node::Not(inner) => !mentions(inner, p),
    }
}

/// For exclusions: the node holds in the title, the heading or the text.
fn mentions(node: &Node, p: &OraclePassage) -> bool {
    match node {
        Node::Term { text, .. } => {
            let needle = normalize(text);
            [&p.text, &p.heading, &p.title]
                .iter()
                .any(|t| t.contains(&needle))
        }
        Node::And(children) => children.iter().all(|c| mentions(c, p)),
        Node::Or(children) => children.iter().any(|c| mentions(c, p)),
        Node::Not(inner) => !mentions(inner, p),
    }
}

/// How plansearch did on one query.
#[derive(Debug, Clone, Serialize)]
pub struct QueryReport {
    /// The query.
    pub query: String,
    /// Passages that contain it literally.
    pub oracle_passages: usize,
    /// Of those, passages plansearch returned.
    pub found_passages: usize,
    /// Passages plansearch returned in all.
    pub returned_passages: usize,
    /// Documents with a passage that contains it literally.
    pub oracle_docs: usize,
    /// Of those, documents `--by doc` returned.
    pub found_docs: usize,
    /// Documents `--by doc` returned in all.
    pub returned_docs: usize,
    /// Up to five missed passages, as `path#number`.
    pub missed: Vec<String>,
    /// Top-10 hits (passages, default ranking) that lack a query word, with why.
    pub top10_failures: Vec<String>,
    /// Top-10 hits checked.
    pub top10_checked: usize,
    /// For a query of several words or a word jieba splits: top-10 hits that
    /// hold the whole query as typed, in their text or heading, and how many
    /// could (`min(10, passages that do)`).
    pub exact_top10: Option<(usize, usize)>,
}

impl QueryReport {
    /// True when every literal passage and document was found.
    pub fn full_recall(&self) -> bool {
        self.found_passages == self.oracle_passages && self.found_docs == self.oracle_docs
    }
}

/// Evaluates one query against the index and the oracle.
pub fn evaluate(index: &OpenIndex, oracle: &Oracle, query_text: &str) -> Result<QueryReport> {
    let parsed = query::parse(query_text).map_err(|e| crate::error::Error::Query(e.0))?;
    let Some(root) = parsed.root else {
        return Err(crate::error::Error::Query(format!(
            "{query_text}: the evaluation needs words, not only filters"
        )));
    };
    let expected = oracle.matches(&root);

    let returned = every_returned_passage(index, query_text)?;
    let mut missed: Vec<String> = expected
        .difference(&returned)
        .map(|(d, n)| {
            let path = oracle.paths.get(d).map_or("?", String::as_str);
            format!("{path}#{n}")
        })
        .collect();
    missed.sort();
    missed.truncate(5);

    let returned_docs = every_returned_document(index, query_text)?;
    let expected_docs: BTreeSet<u64> = expected.iter().map(|(d, _)| *d).collect();

    // The top ten passages, default ranking.
    let top = search::search(
        index,
        &SearchRequest {
            query: query_text.to_string(),
            limit: Some(10),
            ..Default::default()
        },
    )?;
    let top10_failures = top
        .hits
        .iter()
        .filter_map(|hit| {
            let fields = HitFields::new(&hit.title, &hit.heading, &hit.text);
            let why = fields.lacks(&root)?;
            Some(format!("{}#{}: {why}", hit.path, hit.passage_no))
        })
        .collect();
    let exact_top10 = whole_query(&root).map(|whole| exact_in_top(oracle, &top.hits, &whole));

    Ok(QueryReport {
        query: query_text.to_string(),
        oracle_passages: expected.len(),
        found_passages: expected.intersection(&returned).count(),
        returned_passages: returned.len(),
        oracle_docs: expected_docs.len(),
        found_docs: expected_docs
            .iter()
            .filter(|d| returned_docs.contains(d))
            .count(),
        returned_docs: returned_docs.len(),
        missed,
        top10_checked: top.hits.len(),
        top10_failures,
        exact_top10,
    })
}

/// Every passage plansearch returns for the query, read from the fast fields.
fn every_returned_passage(index: &OpenIndex, query_text: &str) -> Result<HashSet<PassageKey>> {
    let request = SearchRequest {
        query: query_text.to_string(),
        ..Default::default()
    };
    let prepared = PreparedSearch::new(index, &request)?;
    let searcher = index.index.reader()?.searcher();
    let addresses = searcher.search(prepared.query(), &DocSetCollector)?;
    let mut returned: HashSet<PassageKey> = HashSet::new();
    for address in addresses {
        let segment = searcher.segment_reader(address.segment_ord);
        let doc_num = segment.fast_fields().u64(names::DOC_NUM)?;
        let passage_no = segment.fast_fields().u64(names::PASSAGE_NO)?;
        if let (Some(d), Some(n)) = (
            doc_num.first(address.doc_id),
            passage_no.first(address.doc_id),
        ) {
            returned.insert((d, n));
        }
    }
    Ok(returned)
}

/// Documents, as `plansearch search --by doc --limit 0` returns them.
fn every_returned_document(index: &OpenIndex, query_text: &str) -> Result<HashSet<u64>> {
    let by_doc = search::search(
        index,
        &SearchRequest {
            query: query_text.to_string(),
            unit: HitUnit::Doc,
            limit: None,
            ..Default::default()
        },
    )?;
    Ok(by_doc
        .hits
        .iter()
        .map(|h| schema::doc_num(h.id.split(':').next().unwrap_or_default()))
        .collect())
}

/// Top hits that hold the whole query as typed, in their text or heading,
/// and how many could (`min(10, passages that do)`).
fn exact_in_top(oracle: &Oracle, top: &[Hit], whole: &str) -> (usize, usize) {
    let could = oracle
        .passages
        .iter()
        .filter(|p| p.text.contains(whole) || p.heading.contains(whole))
        .count()
        .min(10);
    let did = top
        .iter()
        .filter(|h| normalize(&h.text).contains(whole) || normalize(&h.heading).contains(whole))
        .count();
    (did, could)
}

/// The whole query as typed without spaces, for a query of several plain
/// words or one word jieba splits into parts; `None` otherwise.
fn whole_query(root: &Node) -> Option<String> {
    let terms: Vec<&str> = match root {
        Node::Term {
            text,
            phrase: false,
            field: None,
            ..
        } if Dictionary::builtin().cut(text).len() > 1 => vec![text],
        Node::And(children) if children.len() > 1 => children
            .iter()
            .map(|c| match c {
                Node::Term {
                    text, field: None, ..
                } => Some(text.as_str()),
                _ => None,
            })
            .collect::<Option<Vec<_>>>()?,
        _ => return None,
    };
    let whole = normalize(&terms.concat());
    (whole.chars().count() > 1).then_some(whole)
}

/// A hit's texts, normalised and as jieba words, for the top-10 check.
struct HitFields {
    texts: [String; 3],
    words: [HashSet<String>; 3],
}

impl HitFields {
    fn new(title: &str, heading: &str, passage: &str) -> HitFields {
        let words = |t: &str| {
            Dictionary::builtin()
                .words(t)
                .into_iter()
                .collect::<HashSet<_>>()
        };
        HitFields {
            texts: [normalize(title), normalize(heading), normalize(passage)],
            words: [words(title), words(heading), words(passage)],
        }
    }

    /// Why the hit does not hold the query, if it does not.
    fn lacks(&self, node: &Node) -> Option<String> {
        match node {
            Node::Term { text, phrase, .. } => {
                let found = self.has(text, *phrase)
                    || (!phrase
                        && synonyms()
                            .expansions(text)
                            .iter()
                            .any(|m| m.iter().all(|w| self.has(w, false))));
                (!found).then(|| format!("{text} is neither in its text nor its words"))
            }
            Node::And(children) => children.iter().find_map(|c| self.lacks(c)),
            Node::Or(children) => {
                let reasons: Vec<String> = children.iter().filter_map(|c| self.lacks(c)).collect();
                (reasons.len() == children.len()).then(|| reasons.join("; "))
            }
            Node::Not(inner) => self
                .lacks(inner)
                .is_none()
                .then(|| "it holds an excluded word".to_string()),
        }
    }

    /// The term literally, or (unquoted) all its jieba parts as words of one
    /// field, a long part also as its sub-words.
    fn has(&self, term: &str, phrase: bool) -> bool {
        let needle = normalize(term);
        if self.texts.iter().any(|t| t.contains(&needle)) {
            return true;
        }
        if phrase {
            return false;
        }
        let parts = Dictionary::builtin().cut(term);
        !parts.is_empty()
            && self.words.iter().any(|words| {
                parts.iter().all(|p| {
                    words.contains(p) || {
                        let subwords: Vec<String> = Dictionary::builtin()
                            .words(p)
                            .into_iter()
                            .filter(|w| w != p)
                            .collect();
                        subwords.len() >= 2 && subwords.iter().all(|w| words.contains(w))
                    }
                })
            })
    }
}

/// Reads a query list: one query a line, `#` starts a comment.
pub fn read_queries(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Totals over a query list.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Totals {
    /// Queries evaluated.
    pub queries: usize,
    /// Queries with at least one literal passage.
    pub queries_with_matches: usize,
    /// Literal passages over all queries, and how many were found.
    pub oracle_passages: usize,
    /// Found literal passages.
    pub found_passages: usize,
    /// Literal documents over all queries.
    pub oracle_docs: usize,
    /// Found literal documents.
    pub found_docs: usize,
    /// Queries that found every literal passage and document.
    pub full_recall_queries: usize,
    /// Top-10 hits checked, and how many lacked a query word.
    pub top10_checked: usize,
    /// Top-10 hits lacking a query word.
    pub top10_failures: usize,
    /// Queries with an exactness figure, and those whose top 10 held as many
    /// exact matches as there could be.
    pub exact_queries: usize,
    /// Queries whose top 10 were as exact as possible.
    pub exact_full: usize,
}

impl Totals {
    /// Adds one query's report.
    pub fn add(&mut self, r: &QueryReport) {
        self.queries += 1;
        self.queries_with_matches += usize::from(r.oracle_passages > 0);
        self.oracle_passages += r.oracle_passages;
        self.found_passages += r.found_passages;
        self.oracle_docs += r.oracle_docs;
        self.found_docs += r.found_docs;
        self.full_recall_queries += usize::from(r.full_recall());
        self.top10_checked += r.top10_checked;
        self.top10_failures += r.top10_failures.len();
        if let Some((did, could)) = r.exact_top10 {
            self.exact_queries += 1;
            self.exact_full += usize::from(did >= could);
        }
    }

    /// Passage recall in percent.
    pub fn passage_recall(&self) -> f64 {
        percent(self.found_passages, self.oracle_passages)
    }

    /// Document recall in percent.
    pub fn doc_recall(&self) -> f64 {
        percent(self.found_docs, self.oracle_docs)
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        100.0 * part as f64 / whole as f64
    }
}
