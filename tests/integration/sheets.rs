//! Spreadsheets of collected reports: one document a row, cited as
//! `FILE#row N`, kept up to date like any file.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use plansearch::indexer::{Summary, build_index, open_index};
use plansearch::search::{HitUnit, SearchRequest, search};
use tempfile::TempDir;

use crate::common::{
    clean_build, corpus_with, found, inventory, root, shipped_documents, test_config,
};

/// A sentence of row 3 (徐水县2010年政府工作报告) of the fixture.
const XUSHUI: &str = "\"新上、续建和已批待建投资过千万元项目119个\"";

fn fixture() -> PathBuf {
    root().join("tests/fixtures/formats/sheet_reports.xlsx")
}

fn index_once(corpus: &Path, index: &Path) -> Summary {
    build_index(&test_config(corpus, index), &mut |_| {}).expect("index run")
}

/// Two shipped documents and the fixture workbook as `reports/保定.xlsx`.
fn corpus() -> (TempDir, PathBuf, PathBuf) {
    let dir = TempDir::new().unwrap();
    let corpus = corpus_with(dir.path(), &shipped_documents()[..2]);
    std::fs::create_dir_all(corpus.join("reports")).unwrap();
    std::fs::copy(fixture(), corpus.join("reports/保定.xlsx")).unwrap();
    let index = dir.path().join("index");
    (dir, corpus, index)
}

/// The fixture with its text column's header renamed, so that no rule finds it.
fn with_text_header(header: &str) -> Vec<u8> {
    let bytes = std::fs::read(fixture()).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            data = String::from_utf8(data)
                .unwrap()
                .replacen("报告全文", header, 1)
                .into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        out.write_all(&data).unwrap();
    }
    out.finish().unwrap().into_inner()
}

#[test]
fn each_row_is_a_document_with_its_region_and_year() {
    let (_dir, corpus, index) = corpus();
    let s = index_once(&corpus, &index);
    assert!(s.changes.skipped.is_empty(), "{:?}", s.changes.skipped);
    let rows: Vec<&String> = s
        .changes
        .added
        .iter()
        .filter(|p| p.starts_with("reports/"))
        .collect();
    assert_eq!(
        rows,
        [
            "reports/保定.xlsx#row 2",
            "reports/保定.xlsx#row 3",
            "reports/保定.xlsx#row 4"
        ]
    );
    let r = search(
        &open_index(&index).unwrap(),
        &SearchRequest {
            query: XUSHUI.into(),
            unit: HitUnit::Passage,
            ..Default::default()
        },
    )
    .unwrap();
    let hit = r.hits.first().expect("the row's text is found");
    assert_eq!(hit.path, "reports/保定.xlsx#row 3");
    assert_eq!(hit.title, "徐水县2010年政府工作报告");
    assert_eq!(hit.region.county.as_deref(), Some("徐水区"));
    assert_eq!(hit.region.city.as_deref(), Some("保定市"));
    assert_eq!(hit.year, Some(2010));
}

#[test]
fn an_unchanged_or_moved_workbook_is_not_read_again_and_a_removed_one_goes() {
    let (_dir, corpus, index) = corpus();
    index_once(&corpus, &index);
    let again = index_once(&corpus, &index);
    assert!(again.changes.is_empty(), "{:?}", again.changes);
    assert_eq!(again.analysed_bytes, 0);

    std::fs::rename(
        corpus.join("reports/保定.xlsx"),
        corpus.join("reports/baoding.xlsx"),
    )
    .unwrap();
    let moved = index_once(&corpus, &index);
    assert_eq!(moved.analysed_bytes, 0, "a move reads nothing");
    assert_eq!(moved.changes.moved.len(), 3, "{:?}", moved.changes);
    assert_eq!(found(&index, XUSHUI), ["reports/baoding.xlsx#row 3"]);
    assert_eq!(inventory(&index), clean_build(&corpus));

    std::fs::remove_file(corpus.join("reports/baoding.xlsx")).unwrap();
    let removed = index_once(&corpus, &index);
    assert_eq!(removed.changes.removed.len(), 3, "{:?}", removed.changes);
    assert!(found(&index, XUSHUI).is_empty());
    assert_eq!(inventory(&index), clean_build(&corpus));
}

#[test]
fn a_damaged_workbook_is_skipped_with_its_reason_and_its_rows_removed() {
    let (_dir, corpus, index) = corpus();
    index_once(&corpus, &index);
    std::fs::copy(
        root().join("tests/fixtures/formats_bad/sheet_truncated.xlsx"),
        corpus.join("reports/保定.xlsx"),
    )
    .unwrap();
    let s = index_once(&corpus, &index);
    assert_eq!(s.changes.skipped.len(), 1, "{:?}", s.changes.skipped);
    assert_eq!(s.changes.skipped[0].path, "reports/保定.xlsx");
    let reason = s.changes.skipped[0].reason.to_string();
    assert!(
        reason.contains("damaged") && reason.contains("workbook"),
        "{reason}"
    );
    assert_eq!(s.changes.removed.len(), 3, "{:?}", s.changes);
    assert_eq!(inventory(&index), clean_build(&corpus));
}

#[test]
fn a_sheet_without_a_known_text_column_asks_for_a_sidecar_and_uses_it() {
    let (_dir, corpus, index) = corpus();
    let workbook = corpus.join("reports/保定.xlsx");
    std::fs::write(&workbook, with_text_header("文字材料")).unwrap();
    let s = index_once(&corpus, &index);
    assert_eq!(s.changes.skipped.len(), 1, "{:?}", s.changes.skipped);
    let reason = s.changes.skipped[0].reason.to_string();
    assert!(
        reason.contains("保定.xlsx.meta.toml") && reason.contains("[sheet]"),
        "{reason}"
    );

    std::fs::write(
        corpus.join("reports/保定.xlsx.meta.toml"),
        "[sheet]\ntext = \"文字材料\"\ntitle = \"报告标题\"\nregion = \"区县代码\"\nyear = \"年份\"\n",
    )
    .unwrap();
    let s = index_once(&corpus, &index);
    assert!(s.override_problems.is_empty(), "{:?}", s.override_problems);
    assert!(s.changes.skipped.is_empty(), "{:?}", s.changes.skipped);
    assert_eq!(found(&index, XUSHUI), ["reports/保定.xlsx#row 3"]);
    assert_eq!(inventory(&index), clean_build(&corpus));
}
