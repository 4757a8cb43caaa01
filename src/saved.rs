//! Saved queries: named searches a researcher follows across batches.
//!
//! They live in the corpus folder, in `queries.toml` beside `metadata.csv`
//! and `dict.txt` (a `.toml` file is never read as a document), one
//! `[[query]]` table each:
//!
//! ```toml
//! [[query]]
//! name = "冷链"
//! query = "冷链物流"
//! region = ["甘肃"]
//! year = ["2020.."]
//! ```
//!
//! with any of the filters `search` takes (`region`, `year`, `sector`,
//! `type`, `target_year`, `has_target`, `issuer`, `force`, `docno`,
//! `instrument`, `current`). `plansearch watch add|list|remove` keeps the file; after
//! each `plansearch index` run the summary lists, per saved query, the hits
//! among the passages that run added ([`new_hits`]).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::indexer::OpenIndex;
use crate::query::FilterSpec;
use crate::search::{SearchRequest, SearchResults, search};

/// The file of saved queries, at the corpus root.
pub const QUERIES_FILE: &str = "queries.toml";

/// What heads the file when plansearch writes it.
const HEADER: &str = "# Saved queries of plansearch: `plansearch watch add|list|remove`, or edit by hand.\n# Each [[query]] has a name, a query and any filters of `plansearch search`\n# (region, year, sector, type, target_year, has_target, issuer, force, docno, instrument, current).\n";

/// One saved query.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedQuery {
    /// Its name, unique in the file.
    pub name: String,
    /// The query, in the query language of `search` (inline filters allowed).
    pub query: String,
    /// Regions (any of them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub region: Vec<String>,
    /// Years or ranges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub year: Vec<String>,
    /// Sectors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sector: Vec<String>,
    /// Document types.
    #[serde(default, rename = "type", skip_serializing_if = "Vec::is_empty")]
    pub doc_type: Vec<String>,
    /// Target years.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub target_year: Vec<String>,
    /// Only passages with a quantified target.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub has_target: bool,
    /// Issuing bodies.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuer: Vec<String>,
    /// Levels of force.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub force: Vec<String>,
    /// Document numbers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub docno: Vec<String>,
    /// Policy instruments.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instrument: Vec<String>,
    /// Only documents in force (not superseded by a newer version).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub current: bool,
}

impl SavedQuery {
    /// A saved query of `query` with the filters of `spec`.
    pub fn new(name: &str, query: &str, spec: FilterSpec) -> SavedQuery {
        SavedQuery {
            name: name.trim().to_string(),
            query: query.trim().to_string(),
            region: spec.regions,
            year: spec.years,
            sector: spec.sectors,
            doc_type: spec.types,
            target_year: spec.target_years,
            has_target: spec.has_target,
            issuer: spec.issuers,
            force: spec.forces,
            docno: spec.doc_numbers,
            instrument: spec.instruments,
            current: spec.current,
        }
    }

    /// Its filters, as `search` takes them.
    pub fn filters(&self) -> FilterSpec {
        FilterSpec {
            regions: self.region.clone(),
            years: self.year.clone(),
            sectors: self.sector.clone(),
            types: self.doc_type.clone(),
            target_years: self.target_year.clone(),
            has_target: self.has_target,
            issuers: self.issuer.clone(),
            forces: self.force.clone(),
            doc_numbers: self.docno.clone(),
            instruments: self.instrument.clone(),
            current: self.current,
            ..FilterSpec::default()
        }
    }

    /// The query and its filters in one line, as `search` would take them
    /// inline: `冷链物流 region:甘肃 year:2020..`.
    pub fn describe(&self) -> String {
        let mut parts = vec![self.query.clone()];
        parts.extend(self.filters().inline_form());
        if self.has_target {
            parts.push("--has-target".into());
        }
        if self.current {
            parts.push("--current".into());
        }
        parts.join(" ")
    }

    /// A search request of this query.
    pub fn request(&self) -> SearchRequest {
        SearchRequest {
            query: self.query.clone(),
            filters: self.filters(),
            ..SearchRequest::default()
        }
    }

    /// Whether the query and its filters read: the problem otherwise.
    pub fn check(&self) -> Result<()> {
        let invalid = |why: String| Err(Error::Invalid(why));
        if self.name.is_empty() {
            return invalid("a saved query needs a name".into());
        }
        if self.name.chars().any(char::is_control) {
            return invalid(format!("{:?}: a name is one line", self.name));
        }
        if self.query.is_empty() {
            return invalid(format!("{}: the query is empty", self.name));
        }
        let of_this = |e: String| Error::Invalid(format!("{}: {e}", self.name));
        let parsed = crate::query::parse(&self.query).map_err(|e| of_this(e.to_string()))?;
        crate::search::Filters::resolve(&self.filters().and(&parsed.filters))
            .map_err(|e| of_this(e.to_string()))?;
        Ok(())
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct QueriesFile {
    #[serde(default, rename = "query")]
    queries: Vec<SavedQuery>,
}

/// The path of the file of saved queries of a corpus.
pub fn file(corpus: &Path) -> PathBuf {
    corpus.join(QUERIES_FILE)
}

/// The saved queries of a corpus (none without the file).
pub fn load(corpus: &Path) -> Result<Vec<SavedQuery>> {
    let path = file(corpus);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(&path, e)),
    };
    let parsed: QueriesFile =
        toml::from_str(&text).map_err(|e| Error::Invalid(format!("{}: {e}", path.display())))?;
    for (i, q) in parsed.queries.iter().enumerate() {
        if parsed.queries[..i].iter().any(|p| p.name == q.name) {
            return Err(Error::Invalid(format!(
                "{}: two saved queries are named {:?}; rename one",
                path.display(),
                q.name
            )));
        }
    }
    Ok(parsed.queries)
}

/// Saves `query` in the corpus's file, after the others; a name already
/// saved is refused. The file is appended to, so what was written by hand
/// stays as it was.
pub fn add(corpus: &Path, query: SavedQuery) -> Result<()> {
    query.check()?;
    let existing = load(corpus)?;
    if existing.iter().any(|q| q.name == query.name) {
        return Err(Error::Invalid(format!(
            "a query named {:?} is saved already: remove it first, or pick another name",
            query.name
        )));
    }
    let path = file(corpus);
    let block = toml::to_string(&QueriesFile {
        queries: vec![query],
    })
    .map_err(|e| Error::Invalid(e.to_string()))?;
    let mut text = std::fs::read_to_string(&path).unwrap_or_else(|_| HEADER.to_string());
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    text.push('\n');
    text.push_str(&block);
    write(&path, &text)
}

/// Removes the saved query `name`; false if there is none. The file is
/// written anew (comments written by hand do not survive).
pub fn remove(corpus: &Path, name: &str) -> Result<bool> {
    let mut queries = load(corpus)?;
    let before = queries.len();
    queries.retain(|q| q.name != name);
    if queries.len() == before {
        return Ok(false);
    }
    let body =
        toml::to_string(&QueriesFile { queries }).map_err(|e| Error::Invalid(e.to_string()))?;
    write(&file(corpus), &format!("{HEADER}\n{body}"))?;
    Ok(true)
}

/// Writes a file whole: to a temporary file beside it, then renamed.
fn write(path: &Path, text: &str) -> Result<()> {
    let tmp = path.with_extension("toml.tmp");
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| Error::io(path, e))
}

/// What a saved query finds among the passages of one batch.
#[derive(Debug)]
pub struct NewHits {
    /// The saved query.
    pub query: SavedQuery,
    /// Its hits in the batch, the first `shown` of them (or why it could
    /// not run).
    pub results: std::result::Result<SearchResults, String>,
}

/// Runs each saved query over the passages batch `batch` added, keeping the
/// first `shown` hits of each.
pub fn new_hits(
    index: &OpenIndex,
    queries: &[SavedQuery],
    batch: u32,
    shown: usize,
) -> Vec<NewHits> {
    queries
        .iter()
        .map(|q| {
            let mut request = q.request();
            request.filters.batches = Some(batch..=batch);
            request.limit = Some(shown.max(1));
            NewHits {
                query: q.clone(),
                results: search(index, &request).map_err(|e| e.to_string()),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_added_listed_and_removed_in_the_corpus_file() {
        let dir = tempfile::TempDir::new().unwrap();
        let corpus = dir.path();
        assert!(load(corpus).unwrap().is_empty());
        let spec = FilterSpec {
            regions: vec!["甘肃".into()],
            years: vec!["2020..".into()],
            ..FilterSpec::default()
        };
        add(corpus, SavedQuery::new("冷链", "冷链物流", spec)).unwrap();
        add(
            corpus,
            SavedQuery::new("肉牛", "肉牛 养殖", FilterSpec::default()),
        )
        .unwrap();
        let text = std::fs::read_to_string(file(corpus)).unwrap();
        assert!(text.starts_with("# Saved queries"), "{text}");
        assert!(text.contains("[[query]]\nname = \"冷链\""), "{text}");
        let queries = load(corpus).unwrap();
        assert_eq!(queries.len(), 2);
        assert_eq!(queries[0].describe(), "冷链物流 region:甘肃 year:2020..");
        assert_eq!(queries[0].filters().regions, ["甘肃"]);
        let again = add(corpus, SavedQuery::new("冷链", "x", FilterSpec::default()));
        assert!(again.unwrap_err().to_string().contains("saved already"));
        let bad = SavedQuery::new(
            "坏",
            "x",
            FilterSpec {
                years: vec!["明年".into()],
                ..FilterSpec::default()
            },
        );
        assert!(add(corpus, bad).is_err());
        assert!(remove(corpus, "冷链").unwrap());
        assert!(!remove(corpus, "冷链").unwrap());
        let left = load(corpus).unwrap();
        assert_eq!(left.len(), 1);
        assert_eq!(left[0].name, "肉牛");
    }

    #[test]
    fn a_hand_written_file_reads_and_mistakes_are_named() {
        let dir = tempfile::TempDir::new().unwrap();
        let corpus = dir.path();
        std::fs::write(
            file(corpus),
            "# mine\n[[query]]\nname = \"河长\"\nquery = \"河长制\"\ntype = [\"工作方案\"]\nhas_target = true\n",
        )
        .unwrap();
        let q = &load(corpus).unwrap()[0];
        assert_eq!(q.doc_type, ["工作方案"]);
        assert!(q.has_target);
        assert_eq!(q.describe(), "河长制 type:工作方案 --has-target");
        std::fs::write(
            file(corpus),
            "[[query]]\nname = \"x\"\nquery = \"y\"\nregin = [\"甘肃\"]\n",
        )
        .unwrap();
        assert!(load(corpus).unwrap_err().to_string().contains("regin"));
    }
}
