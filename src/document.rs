//! One corpus file analysed end to end: decoded, cleaned, split into passages,
//! with document and passage metadata. The indexer and `inspect` share it, so
//! what inspect shows is what the index holds.

use serde::Serialize;

use crate::corpus::{self, Cleaned, Passage, SkipReason, SourceFile};
use crate::extract::{self, DocMeta, Given, OverrideProblem, Overrides, PassageMeta};
use crate::read::{self, ReadInfo};

/// An analysed document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Path relative to the corpus root.
    pub path: String,
    /// The document's key: its [`fingerprint`] (the digest of the file's
    /// bytes and of any metadata given for it), its identity across renames.
    pub content_hash: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// How the file was read: format, reader, encoding, pages, what was
    /// dropped as boilerplate.
    pub read: ReadInfo,
    /// The cleaned text.
    #[serde(skip)]
    pub cleaned: Cleaned,
    /// Document metadata.
    pub meta: DocMeta,
    /// Passages with their metadata.
    pub passages: Vec<(Passage, PassageMeta)>,
    /// Problems with the metadata a researcher gave for this file.
    pub override_problems: Vec<OverrideProblem>,
}

/// Digest of file contents (16 hex digits of BLAKE3).
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}

/// The key of a corpus file as indexed: everything its index entry depends on,
/// digested. Two files with the same fingerprint are one document (indexed
/// once, found under both paths); a file whose fingerprint changed is
/// re-indexed; a file that moved keeps its fingerprint, so only its path is
/// rewritten.
///
/// An entry depends on the file's bytes and on the metadata a researcher gave
/// for it (its `metadata.csv` row, its sidecar): with nothing given, the
/// fingerprint is the bytes' [`content_hash`], so passage ids stay as they
/// are; with values given, it digests that hash and the values (not where they
/// were given), so correcting a file's year re-indexes that file alone. The
/// indexer calls this for change detection (`indexer::scan`) and for the
/// documents it indexes ([`load`]), so both agree.
pub fn fingerprint(bytes: &[u8], given: &Given) -> String {
    let hash = content_hash(bytes);
    match given.fingerprint_text() {
        None => hash,
        Some(values) => content_hash(format!("{hash}\n{values}").as_bytes()),
    }
}

/// Reads a file's bytes, refusing one over the size limit before reading it.
pub fn read_bytes(file: &SourceFile) -> Result<Vec<u8>, SkipReason> {
    let meta = std::fs::metadata(&file.path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if meta.len() > crate::read::MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(meta.len()));
    }
    std::fs::read(&file.path).map_err(|e| SkipReason::Unreadable(e.to_string()))
}

/// Reads and analyses one file, and applies what `overrides` and the file's
/// sidecar give for it (given values win over extracted ones); its
/// `content_hash` is its [`fingerprint`].
pub fn load(file: &SourceFile, overrides: &Overrides) -> Result<Document, SkipReason> {
    let bytes = read_bytes(file)?;
    let (given, problems) = overrides.given_for(&file.rel, &file.path);
    let mut doc = analyze_bytes(&file.rel, &bytes)?;
    doc.apply_given(&given, problems);
    doc.content_hash = fingerprint(&bytes, &given);
    Ok(doc)
}

/// Analyses file contents, in whatever format their bytes are.
pub fn analyze_bytes(path: &str, bytes: &[u8]) -> Result<Document, SkipReason> {
    let extracted = read::read(bytes, &read::Limits::new())?;
    let mut doc = analyze_extracted(path, extracted);
    doc.content_hash = content_hash(bytes);
    doc.bytes = bytes.len() as u64;
    if doc.passages.is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(doc)
}

/// Analyses decoded text.
pub fn analyze_text(path: &str, text: &str) -> Document {
    let mut doc = analyze_extracted(
        path,
        read::Extracted::from_text(read::Format::Text, "text", text),
    );
    doc.content_hash = content_hash(text.as_bytes());
    doc.bytes = text.len() as u64;
    doc
}

/// Analyses what a reader read: cleaning, metadata, passages.
pub fn analyze_extracted(path: &str, extracted: read::Extracted) -> Document {
    let (lines, mut read) = extracted.into_parts();
    let mut cleaned = corpus::clean_lines(&lines);
    read.dropped.append(&mut cleaned.dropped);
    let meta = extract::extract_document(&cleaned, &read.meta);
    let mut passages = corpus::split_passages(&cleaned.text, &cleaned.lines, meta.title_line);
    // A document of one line is its title and its text: it is still found.
    if passages.is_empty() && meta.title_line.is_some() {
        passages = corpus::split_passages(&cleaned.text, &cleaned.lines, None);
    }
    let passages = passages
        .into_iter()
        .map(|p| {
            let m = extract::extract_passage(&p, &meta);
            (p, m)
        })
        .collect();
    Document {
        path: path.to_string(),
        content_hash: String::new(),
        bytes: 0,
        read,
        cleaned,
        meta,
        passages,
        override_problems: Vec::new(),
    }
}

impl Document {
    /// Applies metadata given for this file ([`Overrides::given_for`]), keeping
    /// any problem with it to report.
    pub fn apply_given(&mut self, given: &Given, problems: Vec<OverrideProblem>) {
        given.apply(&mut self.meta);
        self.override_problems = problems;
    }

    /// The title to show: the extracted one, else the file name.
    pub fn display_title(&self) -> String {
        self.meta
            .title
            .value
            .clone()
            .unwrap_or_else(|| file_title(&self.path).to_string())
    }
}

/// The title shown for a document without one: its file name.
pub fn file_title(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::overrides::GivenValue;

    #[test]
    fn what_is_given_is_part_of_the_fingerprint_but_not_where() {
        let bytes = "关于加快推进县域经济发展的工作方案".as_bytes();
        let year = |value: u16, source: &str| Given {
            year: Some(GivenValue {
                value,
                source: source.into(),
            }),
            ..Given::default()
        };
        assert_eq!(fingerprint(bytes, &Given::default()), content_hash(bytes));
        let given = fingerprint(bytes, &year(2018, "metadata.csv line 2"));
        assert_ne!(given, content_hash(bytes));
        assert_eq!(given, fingerprint(bytes, &year(2018, "a.meta.toml")));
        assert_ne!(
            given,
            fingerprint(bytes, &year(2017, "metadata.csv line 2"))
        );
    }
}
