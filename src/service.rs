//! The query commands as library calls, shared by the command line and by
//! `plansearch serve`: each takes a request and returns the `Serialize` struct
//! whose JSON `--json` prints and the API serves, so the two never differ.
//!
//! | call | CLI | API |
//! |---|---|---|
//! | [`search`] | `search --json` (`--group-by`, `--facets`) | `GET /api/search` |
//! | [`facets`] | the `facet_tree` of `search --facets --json` | `GET /api/facets` |
//! | [`crate::similar::similar`] | `similar --json` | `GET /api/similar` |
//! | [`crate::stats::stats`] | `stats --json` | `GET /api/stats` |
//! | [`crate::export::export_view`] | `search --csv` / `--jsonl` (`--group-by`, `--facets`) | `GET /api/export.csv`, `/api/export.jsonl` |
//! | [`document`] | `inspect --json` (evidence) | `GET /api/doc/{id}` |

use std::path::{Path, PathBuf};

use serde::Serialize;
use tantivy::collector::DocSetCollector;
use tantivy::{DocAddress, TantivyDocument};

use crate::corpus::SourceFile;
use crate::error::{Error, Result};
use crate::extract::{DocType, Evidence, Overrides, Target};
use crate::indexer::{OpenIndex, Snapshot};
use crate::schema::Fields;
use crate::search::breakdown::{BreakdownCollector, FacetTree};
use crate::search::group::{self, GroupBy, GroupResults};
use crate::search::{
    self, Hit, HitRegion, PreparedSearch, SearchRequest, SearchResults, hit_from_doc,
};
use crate::{cancel, document};

/// A search as the CLI and the API take it: the request, and whether to
/// group its hits.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// What to search for, with filters, limit and offset.
    pub request: SearchRequest,
    /// `--group-by`: the best passage per group instead of hits.
    pub group_by: Option<GroupBy>,
}

/// The answer to a [`SearchQuery`]: hits, or groups with `group_by`.
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum SearchOutput {
    /// Hits (passages or documents).
    Hits(Box<SearchResults>),
    /// Groups.
    Groups(GroupResults),
}

impl SearchOutput {
    /// Matching passages (or documents with `--by doc`).
    pub fn total(&self) -> u64 {
        match self {
            SearchOutput::Hits(r) => r.total,
            SearchOutput::Groups(g) => g.total,
        }
    }
}

/// Runs a search, grouped or not.
pub fn search(index: &OpenIndex, query: &SearchQuery) -> Result<SearchOutput> {
    Ok(match query.group_by {
        Some(by) => SearchOutput::Groups(group::group(index, &query.request, by)?),
        None => SearchOutput::Hits(Box::new(search::search(index, &query.request)?)),
    })
}

/// The full breakdown of every match of a search.
#[derive(Debug, Clone, Serialize)]
pub struct FacetsResult {
    /// The query as given.
    pub query: String,
    /// Region tree, year histogram, types, sector tree, targets.
    pub facet_tree: FacetTree,
}

/// The breakdown of every match of `request` (what `search --facets` adds).
pub fn facets(index: &OpenIndex, request: &SearchRequest) -> Result<FacetsResult> {
    let snapshot = index.snapshot()?;
    let request = &search::resolve_new(request, &snapshot.state)?;
    let prepared = PreparedSearch::new(index, request)?;
    let facet_tree =
        cancel::search(&snapshot.searcher, prepared.query(), &BreakdownCollector)?.tree();
    Ok(FacetsResult {
        query: request.query.clone(),
        facet_tree,
    })
}

/// One passage of a document as the document view shows it.
#[derive(Debug, Clone, Serialize)]
pub struct DocPassage {
    /// Passage id (`<doc_key>:<n>`).
    pub id: String,
    /// Passage number (1-based).
    pub passage_no: u64,
    /// Heading path.
    pub heading: String,
    /// The pages it stands on, `[first, last]`, for paged formats (as in hits).
    pub pages: Option<[u64; 2]>,
    /// The passage text.
    pub text: String,
    /// Sectors (facet paths).
    pub sectors: Vec<String>,
    /// Target years.
    pub target_years: Vec<u64>,
    /// Quantified targets.
    pub targets: Vec<Target>,
    /// Policy instruments (facet paths, as in hits).
    pub instruments: Vec<String>,
}

/// How each document field was decided, as `inspect --json` gives it.
#[derive(Debug, Clone, Serialize)]
pub struct DocEvidence {
    /// Title.
    pub title: Evidence<String>,
    /// Region (its code).
    pub region: Evidence<u32>,
    /// Year.
    pub year: Evidence<u16>,
    /// Type.
    pub doc_type: Evidence<DocType>,
}

/// Longest document (in passages) whose file [`document_page`] reads again
/// for the evidence.
pub const EVIDENCE_MAX_PASSAGES: usize = 5_000;

/// Which passages of a document to return, in passage order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocPage {
    /// Passages to skip (0-based). `None`: from the start, or with a passage
    /// id from the start of the page that holds the passage.
    pub offset: Option<usize>,
    /// Most passages to return; `None`: every one.
    pub limit: Option<usize>,
}

/// A document read back from the index: its metadata, its passages in order
/// (every one, or a page of them) and, when its file is still in the corpus
/// as indexed, the evidence.
#[derive(Debug, Clone, Serialize)]
pub struct DocView {
    /// The document key (16 hex digits).
    pub key: String,
    /// The path shown (the first of its paths).
    pub path: String,
    /// Every corpus path that holds this document.
    pub paths: Vec<String>,
    /// Title (the file name when none was found).
    pub title: String,
    /// Region.
    pub region: HitRegion,
    /// Year.
    pub year: Option<u64>,
    /// Document type.
    pub doc_type: Option<String>,
    /// With a passage id: the passage asked for.
    pub focus: Option<u64>,
    /// Its passages, in order: the cleaned document, or the page of it asked
    /// for.
    pub passages: Vec<DocPassage>,
    /// Passages the document has.
    pub total_passages: usize,
    /// Passages skipped before `passages` (0-based).
    pub offset: usize,
    /// The `offset` of the next page; `null` after the last.
    pub next_offset: Option<usize>,
    /// How the metadata was decided; `null` when the file is no longer in
    /// the corpus as indexed, or on a page after the first (see
    /// `evidence_note`).
    pub evidence: Option<DocEvidence>,
    /// Encoding the file was read in, when it was read.
    pub encoding: Option<String>,
    /// Why there is no evidence, if there is none.
    pub evidence_note: Option<String>,
}

/// True for a document key: 16 lower- or upper-case hex digits.
fn is_doc_key(s: &str) -> bool {
    s.len() == 16 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A document by id: its key (`2b29ce2e01909cf3`) or a passage id
/// (`2b29ce2e01909cf3:5`, which sets `focus`), with every passage. Only the
/// index is consulted for what to show; the evidence comes from re-reading
/// the file the index's file table names for the key, inside the corpus it
/// was built from.
pub fn document(index: &OpenIndex, id: &str, corpus: Option<&Path>) -> Result<DocView> {
    document_page(index, id, corpus, DocPage::default())
}

/// [`document`] with a page of its passages: only the page's passages are
/// read from the store, so a document of 100,000 passages costs what its
/// page costs, and the file is re-read for the evidence on the first page
/// only. Stops with [`Error::Cancelled`] past the thread's deadline
/// ([`crate::cancel`]).
pub fn document_page(
    index: &OpenIndex,
    id: &str,
    corpus: Option<&Path>,
    page: DocPage,
) -> Result<DocView> {
    let (key, focus) = parse_doc_id(id)?;
    let snapshot = index.snapshot()?;
    let fields = &index.fields;
    let numbered = numbered_passages(&snapshot, fields, &key)?;
    let total = numbered.len();
    let focus_at = match focus {
        None => None,
        Some(n) => Some(numbered.iter().position(|(no, _)| *no == n).ok_or_else(|| {
            Error::NotFound(format!(
                "no passage {key}:{n}: the document has {total} passages; pick {key}:1 to {key}:{total}"
            ))
        })?),
    };
    let limit = page.limit.unwrap_or(total).max(1);
    let offset = page
        .offset
        .unwrap_or_else(|| focus_at.map_or(0, |at| at / limit * limit))
        .min(total);
    let end = offset.saturating_add(limit).min(total);
    // The document's metadata is that of its first passage.
    let mut ticker = cancel::Ticker::new();
    let mut hits = Vec::with_capacity(end - offset + 1);
    for (_, address) in std::iter::once(&numbered[0]).chain(&numbered[offset..end]) {
        ticker.check()?;
        let doc: TantivyDocument = snapshot.searcher.doc(*address)?;
        hits.push(hit_from_doc(fields, &snapshot.paths, &doc, 0.0, &[]));
    }
    let first = hits.remove(0);
    let paths: Vec<String> = snapshot
        .state
        .files
        .iter()
        .filter(|(_, k)| **k == key)
        .map(|(p, _)| p.clone())
        .collect();
    let mut view = DocView {
        key: key.clone(),
        path: first.path.clone(),
        paths,
        title: first.title.clone(),
        region: first.region.clone(),
        year: first.year,
        doc_type: first.doc_type.clone(),
        focus,
        passages: hits.into_iter().map(DocPassage::from).collect(),
        total_passages: total,
        offset,
        next_offset: (end < total).then_some(end),
        evidence: None,
        encoding: None,
        evidence_note: None,
    };
    let corpus_root = corpus
        .map(Path::to_path_buf)
        .filter(|c| c.is_dir())
        .unwrap_or_else(|| PathBuf::from(&snapshot.state.corpus));
    add_evidence(&mut view, &corpus_root)?;
    Ok(view)
}

/// The document key (lower case) and the focused passage number of a
/// document or passage id.
fn parse_doc_id(id: &str) -> Result<(String, Option<u64>)> {
    let id = id.trim();
    let (key, focus) = match id.split_once(':') {
        Some((key, n)) => (key, Some(n)),
        None => (id, None),
    };
    let focus = match focus {
        None => None,
        Some(n) => Some(n.parse::<u64>().ok().filter(|&n| n > 0).ok_or_else(|| {
            Error::Invalid(format!(
                "{id:?}: after the document key comes a passage number (2b29ce2e01909cf3:5)"
            ))
        })?),
    };
    if !is_doc_key(key) {
        return Err(Error::Invalid(format!(
            "{id:?} is not a document id: give the 16 hex digits of a document key or a passage id (2b29ce2e01909cf3:5), as search hits print them"
        )));
    }
    Ok((key.to_ascii_lowercase(), focus))
}

/// The passages of document `key` in order by their numbers, read from the
/// fast column: only the page's passages are then read from the store.
fn numbered_passages(
    snapshot: &Snapshot,
    fields: &Fields,
    key: &str,
) -> Result<Vec<(u64, DocAddress)>> {
    let searcher = &snapshot.searcher;
    let query = crate::schema::passages_of_document(fields, key);
    let addresses = searcher.search(&query, &DocSetCollector)?;
    cancel::check()?;
    if addresses.is_empty() {
        return Err(Error::NotFound(format!(
            "no document {key} in this index: ids change when a file's content changes; search again for a current id"
        )));
    }
    let mut columns = std::collections::HashMap::new();
    let mut ticker = cancel::Ticker::new();
    let mut numbered = Vec::with_capacity(addresses.len());
    for address in addresses {
        ticker.check()?;
        let column = match columns.entry(address.segment_ord) {
            std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
            std::collections::hash_map::Entry::Vacant(e) => e.insert(
                searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .u64(crate::schema::names::PASSAGE_NO)?,
            ),
        };
        numbered.push((column.first(address.doc_id).unwrap_or(0), address));
    }
    numbered.sort_unstable();
    Ok(numbered)
}

/// Adds how the metadata was decided, from the file read again, or says
/// why not. The file is read again on the first page only, and only for a
/// document of a reasonable length: re-reading costs more than any page
/// (seconds for 20,000 passages).
fn add_evidence(view: &mut DocView, corpus_root: &Path) -> Result<()> {
    let reread = if view.offset > 0 {
        Err("the evidence comes with the first page of the document (offset=0)".to_string())
    } else if view.total_passages > EVIDENCE_MAX_PASSAGES {
        Err(format!(
            "the document has {} passages, too many to read its file again for every view; `plansearch inspect {}` shows the evidence",
            view.total_passages, view.path
        ))
    } else {
        reread(corpus_root, &view.paths, &view.key)
    };
    cancel::check()?;
    match reread {
        Ok(doc) => {
            view.evidence = Some(DocEvidence {
                title: doc.meta.title.clone(),
                region: doc.meta.region.clone(),
                year: doc.meta.year.clone(),
                doc_type: doc.meta.doc_type.clone(),
            });
            view.encoding = Some(doc.read.encoding.to_string());
        }
        Err(why) => view.evidence_note = Some(why),
    }
    Ok(())
}

impl From<Hit> for DocPassage {
    fn from(h: Hit) -> DocPassage {
        DocPassage {
            pages: h.pages,
            id: h.id,
            passage_no: h.passage_no,
            heading: h.heading,
            text: h.text,
            sectors: h.sectors,
            target_years: h.target_years,
            targets: h.targets,
            instruments: h.instruments,
        }
    }
}

/// Reads and analyses the file of document `key` again, from the first of its
/// indexed `paths` that still holds it, for the evidence. Paths come from the
/// file table and must stay inside the corpus folder.
fn reread(
    corpus: &Path,
    paths: &[String],
    key: &str,
) -> std::result::Result<document::Document, String> {
    // The messages name no folder: they reach web clients of `serve`, and
    // the paths shown are relative to the corpus.
    let root = corpus.canonicalize().map_err(|e| {
        format!(
            "the corpus folder the index was built from cannot be read ({e}); check that it is mounted, or run `plansearch index` to bring the index up to date"
        )
    })?;
    let overrides = Overrides::load(&root);
    for rel in paths {
        // A spreadsheet row's path names its workbook and the row.
        let rel = document::file_of(rel);
        let Ok(path) = root.join(rel).canonicalize() else {
            continue;
        };
        if !path.starts_with(&root) {
            continue;
        }
        let file = SourceFile {
            path,
            rel: rel.to_string(),
        };
        if let Ok(docs) = document::load_file(&file, &overrides)
            && let Some(doc) = docs.into_iter().find(|d| d.content_hash == key)
        {
            return Ok(doc);
        }
    }
    Err(format!(
        "the file of this document ({}) is no longer in the corpus as indexed; run `plansearch index` to bring the index up to date",
        paths.first().map_or("", String::as_str)
    ))
}
