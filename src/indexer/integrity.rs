//! Whether the files of an index are intact.
//!
//! tantivy ends every segment file with a checksum but reads a file without
//! checking it: a damaged file gives wrong counts, an error from deep inside
//! tantivy, or a panic. This check reads every file of the last commit; it
//! runs before an update (so that an update never builds on a damaged index,
//! which a rebuild repairs) and when a search fails, to say why.

use std::path::Path;

use tantivy::Index;
use tantivy::ReloadPolicy;

/// What is wrong with the tantivy index in `dir`, if anything: files that
/// fail their checksums, or cannot be read, or a commit that cannot be opened.
pub(crate) fn damage(index: &Index, dir: &Path) -> Option<String> {
    let metas = match index.load_metas() {
        Ok(m) => m,
        Err(e) => return Some(format!("its commit record cannot be read ({e})")),
    };
    let segments: Vec<String> = metas
        .segments
        .iter()
        .map(|s| s.id().uuid_string())
        .collect();
    let mut bad = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => return Some(format!("its folder cannot be read ({e})")),
    };
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().into_string().ok())
        .filter(|name| segments.iter().any(|id| name.starts_with(id.as_str())))
        .collect();
    names.sort();
    for name in names {
        match index.directory().validate_checksum(Path::new(&name)) {
            Ok(true) => {}
            Ok(false) => bad.push(format!("{name} fails its checksum")),
            Err(e) => {
                log::debug!("checking {name}: {e}");
                bad.push(format!("{name} is cut short or unreadable"));
            }
        }
    }
    if !bad.is_empty() {
        return Some(bad.join("; "));
    }
    // A missing file shows only when the commit is opened.
    let opened: tantivy::Result<tantivy::IndexReader> = index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into();
    opened
        .err()
        .map(|e| format!("its last commit cannot be opened ({e})"))
}
