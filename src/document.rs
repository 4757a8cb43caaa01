//! One corpus file analysed end to end: decoded, cleaned, split into passages,
//! with document and passage metadata. The indexer and `inspect` share it, so
//! what inspect shows is what the index holds.

use std::path::Path;

use serde::Serialize;

use crate::corpus::{self, Cleaned, Passage, SkipReason, SourceFile};
use crate::extract::{self, DocMeta, OverrideProblem, Overrides, PassageMeta};

/// An analysed document.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    /// Path relative to the corpus root.
    pub path: String,
    /// Digest of the file's bytes: the document's identity across renames.
    pub content_hash: String,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Encoding the file was read as.
    pub encoding: &'static str,
    /// What reading had to repair, if anything.
    pub read_note: Option<String>,
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

/// Digest of file contents, as stored in the index (16 hex digits of BLAKE3).
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex()[..16].to_string()
}

/// Reads and analyses one file, then applies what `overrides` and the file's
/// sidecar give for it (given values win over extracted ones).
pub fn load_with(file: &SourceFile, overrides: &Overrides) -> Result<Document, SkipReason> {
    let mut doc = load(file)?;
    doc.apply_overrides(overrides, &file.rel, &file.path);
    Ok(doc)
}

/// Reads and analyses one file, extraction only.
pub fn load(file: &SourceFile) -> Result<Document, SkipReason> {
    let meta = std::fs::metadata(&file.path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if meta.len() > corpus::read::MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(meta.len()));
    }
    let bytes = std::fs::read(&file.path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    analyze_bytes(&file.rel, &bytes)
}

/// Analyses file contents.
pub fn analyze_bytes(path: &str, bytes: &[u8]) -> Result<Document, SkipReason> {
    let decoded = corpus::decode(bytes)?;
    let mut doc = analyze_text(path, &decoded.text);
    doc.content_hash = content_hash(bytes);
    doc.bytes = bytes.len() as u64;
    doc.encoding = decoded.encoding;
    doc.read_note = decoded.note;
    if doc.passages.is_empty() {
        return Err(SkipReason::Empty);
    }
    Ok(doc)
}

/// Analyses decoded text.
pub fn analyze_text(path: &str, text: &str) -> Document {
    let cleaned = corpus::clean(text);
    let meta = extract::extract_document(&cleaned);
    let passages = corpus::split_passages(&cleaned.text, meta.title_line)
        .into_iter()
        .map(|p| {
            let m = extract::extract_passage(&p);
            (p, m)
        })
        .collect();
    Document {
        path: path.to_string(),
        content_hash: content_hash(text.as_bytes()),
        bytes: text.len() as u64,
        encoding: "UTF-8",
        read_note: None,
        cleaned,
        meta,
        passages,
        override_problems: Vec::new(),
    }
}

impl Document {
    /// Applies given metadata for this file (its `metadata.csv` row, then its
    /// sidecar), keeping any problem with it to report.
    pub fn apply_overrides(&mut self, overrides: &Overrides, rel: &str, file: &Path) {
        let (given, problems) = overrides.given_for(rel, file);
        given.apply(&mut self.meta);
        self.override_problems = problems;
    }

    /// The title to show: the extracted one, else the file name.
    pub fn display_title(&self) -> String {
        self.meta.title.value.clone().unwrap_or_else(|| {
            self.path
                .rsplit('/')
                .next()
                .unwrap_or(&self.path)
                .to_string()
        })
    }
}
