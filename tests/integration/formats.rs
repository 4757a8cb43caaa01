//! A researcher's batch mixes every format: it indexes in one run, each file
//! is found by its own words and cited with its page where it has pages, and
//! the files that cannot be read are reported with their reason.
//!
//! The good files are those of the shipped corpus's `formats/` folder
//! (corpus/README.md says where each comes from); the bad ones come from
//! tests/fixtures/formats.

use plansearch::indexer::open_index;
use plansearch::search::{SearchRequest, search};
use tempfile::TempDir;

use crate::common::{root, stderr};

#[test]
fn a_batch_of_every_format_indexes_in_one_run() {
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("batch");
    std::fs::create_dir(&corpus).unwrap();
    for entry in std::fs::read_dir(root().join("corpus/formats")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, corpus.join(path.file_name().unwrap())).unwrap();
    }
    let fixtures = root().join("tests/fixtures/formats");
    for bad in [
        "truncated.docx",
        "encrypted_password.doc",
        "pdf_truncated.pdf",
    ] {
        std::fs::copy(fixtures.join(bad), corpus.join(bad)).unwrap();
    }
    // A saved page's assets folder is not part of the batch.
    std::fs::create_dir(corpus.join("景宁畲族自治县城市管理条例_files")).unwrap();
    std::fs::write(
        corpus.join("景宁畲族自治县城市管理条例_files/logo.png"),
        b"\x89PNG",
    )
    .unwrap();
    let index = dir.path().join("index");
    let out = crate::common::plansearch_on(&["index", "--quiet"], &corpus, &index);
    let log = stderr(&out);
    assert!(out.status.success(), "{log}");

    // Each format, found by a phrase of its own text; pages where it has them.
    let open = open_index(&index).unwrap();
    let cases: &[(&str, &str, bool)] = &[
        (
            "校外实践教育场所",
            "上海市中小学校外实践教育促进规定.pdf",
            true,
        ),
        (
            "讨论、决定重大事项",
            "上海市人大常委会讨论决定重大事项的规定.pdf",
            true,
        ),
        ("荣誉市民", "景宁畲族自治县荣誉市民条例.ofd", true),
        ("城市管理", "景宁畲族自治县城市管理条例.html", false),
        ("旅游资源", "彭水苗族土家族自治县旅游条例.htm", false),
        (
            "矿产资源",
            "彭水苗族土家族自治县矿产资源管理条例.mht",
            false,
        ),
        ("东营", "东营市2024年政府工作报告_节选.wps", false),
        ("教育厅", "山东省教育厅通知_节选.docx", false),
    ];
    for (query, file, paged) in cases {
        let r = search(
            &open,
            &SearchRequest {
                query: query.to_string(),
                limit: Some(200),
                max_per_doc: Some(0),
                ..Default::default()
            },
        )
        .unwrap();
        let hits: Vec<_> = r.hits.iter().filter(|h| h.path == *file).collect();
        assert!(
            !hits.is_empty(),
            "{query}: {file} not found in {:?}",
            r.hits.iter().map(|h| &h.path).collect::<Vec<_>>()
        );
        assert_eq!(
            hits.iter().all(|h| h.page_label().is_some()),
            *paged,
            "{file}: pages {:?}",
            hits.iter().map(|h| h.pages).collect::<Vec<_>>()
        );
    }

    // The files that cannot be read, each with its reason.
    let expected: &[(&str, &str)] = &[
        ("truncated.docx", "damaged or truncated"),
        ("encrypted_password.doc", "encrypted"),
        ("pdf_truncated.pdf", "damaged or truncated"),
        ("加密文件_需要密码.pdf", "encrypted"),
    ];
    for (file, reason) in expected {
        assert!(
            log.lines().any(|l| l.contains(file) && l.contains(reason)),
            "{file}: {reason} not reported:\n{log}"
        );
    }
    assert!(!log.contains("logo.png"), "{log}");
}
