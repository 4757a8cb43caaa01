//! Versions of one text: 上海市优化营商环境条例 as adopted in 2020 and as
//! amended up to 2024 (the first articles of ../shared/corpus 00384 and
//! 00385, tests/fixtures/versions). The older is superseded by the newer;
//! `--current` leaves it out; hits of it say which version replaced it.

use std::path::{Path, PathBuf};

use plansearch::indexer::build_index;
use plansearch::search::{SearchRequest, SearchResults, search};

use crate::common::{open, plansearch, root, stdout, test_config};

const OLD: &str = "shanghai_business_2020.md";
const NEW: &str = "shanghai_business_2024.md";

fn corpus(dir: &Path) -> PathBuf {
    let corpus = dir.join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    for file in [OLD, NEW] {
        std::fs::copy(
            root().join("tests/fixtures/versions").join(file),
            corpus.join(file),
        )
        .unwrap();
    }
    corpus
}

fn searched(index: &Path, current: bool) -> SearchResults {
    let mut request = SearchRequest {
        query: "营商环境".into(),
        limit: None,
        ..Default::default()
    };
    request.filters.current = current;
    search(&open(index), &request).expect("search runs")
}

#[test]
fn the_older_version_is_superseded_and_current_leaves_it_out() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = corpus(dir.path());
    let index = dir.path().join("index");
    build_index(&test_config(&corpus, &index), &mut |_| {}).expect("build");

    let all = searched(&index, false);
    let old: Vec<_> = all.hits.iter().filter(|h| h.path == OLD).collect();
    let new: Vec<_> = all.hits.iter().filter(|h| h.path == NEW).collect();
    assert!(!old.is_empty() && !new.is_empty(), "both versions match");
    for hit in &old {
        let by = hit
            .superseded_by
            .as_ref()
            .expect("the 2020 text is superseded");
        assert_eq!(by.path, NEW);
        assert_eq!(by.title, "上海市优化营商环境条例");
        // The last amendment of the header: 2024年9月27日 …第三次修正.
        assert_eq!(by.date, "2024-09-27");
    }
    assert!(new.iter().all(|h| h.superseded_by.is_none()));

    let current = searched(&index, true);
    assert!(
        current.hits.iter().all(|h| h.path == NEW),
        "only the version in force"
    );
    assert_eq!(current.total, new.len() as u64);
    assert_eq!(all.total, (old.len() + new.len()) as u64);

    // The CLI says it, and --current is a flag of search.
    let index_arg = index.to_string_lossy().into_owned();
    let out = plansearch(&["search", "营商环境", "--index", &index_arg, "-n", "50"]);
    let text = stdout(&out);
    assert!(
        text.contains(
            "superseded by 上海市优化营商环境条例 (2024-09-27, shanghai_business_2024.md)"
        ),
        "{text}"
    );
    let out = plansearch(&[
        "search",
        "营商环境",
        "--index",
        &index_arg,
        "--current",
        "-n",
        "50",
    ]);
    let text = stdout(&out);
    assert!(!text.contains(OLD) && text.contains(NEW), "{text}");
}

#[test]
fn two_texts_of_one_year_supersede_nothing() {
    // The same text saved twice (same dates): neither is older.
    let dir = tempfile::tempdir().unwrap();
    let corpus = dir.path().join("corpus");
    std::fs::create_dir_all(&corpus).unwrap();
    let text = std::fs::read_to_string(root().join("tests/fixtures/versions").join(NEW)).unwrap();
    std::fs::write(corpus.join("a.md"), &text).unwrap();
    std::fs::write(corpus.join("b.md"), text.replace("第五条", "第五条 ")).unwrap();
    let index = dir.path().join("index");
    build_index(&test_config(&corpus, &index), &mut |_| {}).expect("build");
    let all = searched(&index, false);
    assert!(all.hits.iter().all(|h| h.superseded_by.is_none()));
    assert_eq!(searched(&index, true).total, all.total);
}
