//! The corpus on disk: which files are documents, and how each becomes clean
//! paragraphs and passages.

pub mod clean;
pub mod passage;

use std::path::{Path, PathBuf};

pub use crate::read::{Decoded, SkipReason, decode};
pub use clean::{Cleaned, LineInfo, clean, clean_lines};
pub use passage::{Passage, split_passages};

/// File names inside a corpus that are not documents: this project's own
/// corpus README and the user dictionary.
const NOT_DOCUMENTS: &[&str] = &["readme.md", "dict.txt"];

/// A document file found in the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    /// Where it is on disk.
    pub path: PathBuf,
    /// Its path relative to the corpus root, with `/` separators: its name in
    /// the index and in every output.
    pub rel: String,
}

/// A file the walk passed over, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Skipped {
    /// The path as far as it could be shown.
    pub path: String,
    /// Why it was skipped.
    pub reason: SkipReason,
}

/// The extensions of the files a researcher downloads: text, web pages,
/// PDF, Word and WPS, OpenDocument, OFD, spreadsheets and scans. The format
/// itself is told from the bytes (`read::detect`); the extension only says
/// which files of a folder are meant as documents, so that a batch's
/// images of a saved page or its manifest are not read as reports.
const DOCUMENT_EXTENSIONS: &[&str] = &[
    "txt", "md", "markdown", "text", "html", "htm", "shtml", "xhtml", "mht", "mhtml", "pdf", "doc",
    "docx", "wps", "wpsx", "odt", "ofd", "xlsx", "xls", "ods", "et", "png", "jpg", "jpeg", "tif",
    "tiff", "bmp",
];

/// True for files plansearch reads as documents.
pub fn is_document_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    let extension = lower.rsplit_once('.').map(|(_, e)| e);
    extension.is_some_and(|e| DOCUMENT_EXTENSIONS.contains(&e))
        && !NOT_DOCUMENTS.contains(&lower.as_str())
        && !lower.starts_with('.')
}

/// A folder a browser saves beside a page ("关于印发….html" and
/// "关于印发…_files/"): its images, scripts and frames are the page's, not
/// documents of their own.
fn is_saved_page_assets(name: &str) -> bool {
    name.ends_with("_files") || name.ends_with(".files")
}

/// Walks `root` for document files, in a stable (sorted) order. Directories that
/// cannot be read, symlink loops and non-UTF-8 names are reported, not fatal.
pub fn walk(root: &Path) -> impl Iterator<Item = Result<SourceFile, Skipped>> + '_ {
    walkdir::WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || !(name.starts_with('.') || e.file_type().is_dir() && is_saved_page_assets(&name))
        })
        .filter_map(move |entry| match entry {
            Err(e) => {
                let path = e
                    .path()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| root.display().to_string());
                let reason = if e.loop_ancestor().is_some() {
                    SkipReason::Unreadable("symbolic link loop".into())
                } else {
                    SkipReason::Unreadable(
                        e.io_error()
                            .map(|io| io.to_string())
                            .unwrap_or_else(|| e.to_string()),
                    )
                };
                Some(Err(Skipped { path, reason }))
            }
            Ok(entry) if !entry.file_type().is_file() => None,
            Ok(entry) => {
                let name = entry.file_name().to_string_lossy();
                if !is_document_name(&name) {
                    return None;
                }
                let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
                match rel.to_str() {
                    Some(rel) => Some(Ok(SourceFile {
                        path: entry.path().to_path_buf(),
                        rel: rel.replace(std::path::MAIN_SEPARATOR, "/"),
                    })),
                    None => Some(Err(Skipped {
                        path: entry.path().to_string_lossy().into_owned(),
                        reason: SkipReason::BadFileName,
                    })),
                }
            }
        })
}

/// Reads and decodes one file.
pub fn read_file(path: &Path) -> Result<Decoded, SkipReason> {
    let meta = std::fs::metadata(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    if meta.len() > crate::read::MAX_FILE_BYTES {
        return Err(SkipReason::TooLarge(meta.len()));
    }
    let bytes = std::fs::read(path).map_err(|e| SkipReason::Unreadable(e.to_string()))?;
    decode(&bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_page_is_walked_without_its_assets_folder() {
        let dir = tempfile::TempDir::new().unwrap();
        let root = dir.path();
        std::fs::write(root.join("通知.html"), "<html></html>").unwrap();
        std::fs::create_dir(root.join("通知_files")).unwrap();
        std::fs::write(root.join("通知_files/logo.png"), b"\x89PNG").unwrap();
        std::fs::write(root.join("通知_files/frame.htm"), "<html></html>").unwrap();
        std::fs::write(root.join("报告.pdf"), b"%PDF-1.4").unwrap();
        let found: Vec<String> = walk(root).filter_map(Result::ok).map(|f| f.rel).collect();
        assert_eq!(found, ["报告.pdf", "通知.html"]);
    }

    #[test]
    fn documents_are_what_researchers_download_but_not_readme_or_dictionary() {
        let cases: &[(&str, bool)] = &[
            ("00001.txt", true),
            ("张掖市人民政府关于印发….pdf", true),
            ("2023年政府工作报告.DOCX", true),
            ("通知.wps", true),
            ("公文.ofd", true),
            ("页面.htm", true),
            ("页面.mht", true),
            ("扫描件.jpg", true),
            ("保定市各县政府工作报告_节选.xlsx", true),
            ("script.js", false),
            ("style.css", false),
            ("archive.zip", false),
            ("noextension", false),
            ("上海口岸服务条例.md", true),
            ("REPORT.TXT", true),
            ("README.md", false),
            ("dict.txt", false),
            ("manifest.csv", false),
            ("report.txt.meta.toml", false),
            ("report.meta.json", false),
            ("metadata.csv", false),
            ("queries.toml", false),
            (".hidden.txt", false),
            ("保定市各县政府工作报告_节选.xlsx", true),
            ("reports.XLS", true),
            ("reports.ods", true),
            ("reports.xlsx.meta.toml", false),
        ];
        for (name, want) in cases {
            assert_eq!(is_document_name(name), *want, "{name}");
        }
    }

    #[test]
    fn walks_the_shipped_corpus_in_order() {
        let files: Vec<SourceFile> = walk(Path::new("corpus")).filter_map(Result::ok).collect();
        // 361 texts and the eleven files of formats/.
        assert_eq!(files.len(), 372);
        assert_eq!(files[0].rel, "documents/00001.txt");
        assert!(
            files
                .iter()
                .any(|f| f.rel == "seeds/003_0c8bad910db2f3a0.txt")
        );
        assert!(files.iter().all(|f| !f.rel.ends_with("README.md")));
    }
}
