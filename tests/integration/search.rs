//! Search semantics through the library: ranking rules, filters, facets.

use plansearch::search::{HitUnit, SearchRequest, SearchResults, search};

use crate::common::{open, ranking_index, shipped_index};

fn run(
    index: &std::path::Path,
    query: &str,
    tweak: impl FnOnce(&mut SearchRequest),
) -> SearchResults {
    let mut request = SearchRequest {
        query: query.to_string(),
        limit: Some(20),
        facets: true,
        ..Default::default()
    };
    tweak(&mut request);
    search(&open(index), &request).unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn paths(results: &SearchResults) -> Vec<&str> {
    results.hits.iter().map(|h| h.path.as_str()).collect()
}

#[test]
fn unquoted_words_need_not_be_adjacent_but_adjacent_rank_first() {
    // 乡村振兴 also finds 乡村全面振兴 (2025 Heilongjiang report), ranked lower.
    let r = run(ranking_index(), "乡村振兴", |_| {});
    let p = paths(&r);
    assert_eq!(p.first(), Some(&"rural_exact.txt"), "{p:?}");
    assert!(p.contains(&"rural_all_round.txt"), "{p:?}");
}

#[test]
fn quoted_phrases_are_exact() {
    let r = run(ranking_index(), "\"乡村振兴\"", |_| {});
    assert_eq!(paths(&r), ["rural_exact.txt"]);
}

#[test]
fn or_and_exclusion() {
    let r = run(ranking_index(), "汇率 OR 經濟建設", |_| {});
    let mut p = paths(&r);
    p.sort_unstable();
    assert_eq!(p, ["bank.txt", "traditional.txt"]);
    let r = run(ranking_index(), "振兴 -千万工程", |_| {});
    assert!(!paths(&r).contains(&"rural_all_round.txt"));
    assert!(paths(&r).contains(&"rural_exact.txt"));
}

#[test]
fn a_word_inside_a_longer_word_is_found() {
    // Pitfall: jieba's plain cut hides 农业 inside 中国农业发展银行.
    let r = run(ranking_index(), "农业发展", |_| {});
    assert!(paths(&r).contains(&"bank.txt"), "{:?}", paths(&r));
}

#[test]
fn traditional_text_is_found_by_simplified_queries() {
    // The 1954 work report, in traditional characters.
    let r = run(ranking_index(), "经济建设", |_| {});
    assert_eq!(paths(&r).first(), Some(&"traditional.txt"));
    assert!(
        r.hits[0].snippet.contains("經濟建設"),
        "original characters are shown"
    );
}

#[test]
fn region_filter_takes_names_at_any_level() {
    for name in ["甘肃", "甘肃省", "张掖市", "张掖"] {
        let r = run(shipped_index(), "马铃薯", |q| {
            q.filters.regions = vec![name.to_string()]
        });
        assert!(r.total > 0, "{name}");
        assert!(
            r.hits
                .iter()
                .all(|h| h.region.province.as_deref() == Some("甘肃省")),
            "{name}"
        );
    }
    let r = run(shipped_index(), "马铃薯", |q| {
        q.filters.regions = vec!["张掖".into()]
    });
    assert!(
        r.hits
            .iter()
            .all(|h| h.region.city.as_deref() == Some("张掖市"))
    );
    // The county filter excludes the city-level plan.
    let r = run(shipped_index(), "马铃薯", |q| {
        q.filters.regions = vec!["临泽".into()]
    });
    assert_eq!(r.total, 0);
}

#[test]
fn national_documents_are_region_quanguo_not_unknown() {
    // documents/00125.txt: 2025年中华人民共和国国务院政府工作报告.
    let all = run(shipped_index(), "乡村振兴", |_| {});
    let national = all
        .facets
        .region
        .iter()
        .find(|v| v.value == "全国")
        .expect("a 全国 facet value");
    let only = run(shipped_index(), "乡村振兴", |q| {
        q.filters.regions = vec!["全国".into()];
        q.limit = None;
    });
    assert_eq!(only.total, national.count);
    assert!(
        only.hits
            .iter()
            .any(|h| h.path.ends_with("documents/00125.txt"))
    );
    for h in &only.hits {
        assert_eq!(h.region.province.as_deref(), Some("全国"), "{}", h.path);
        assert_eq!(h.region.city, None);
    }
    // A province's documents are never national.
    let gansu = run(shipped_index(), "乡村振兴", |q| {
        q.filters.regions = vec!["甘肃".into()]
    });
    assert!(
        gansu
            .hits
            .iter()
            .all(|h| h.region.province.as_deref() == Some("甘肃省"))
    );
}

#[test]
fn region_facet_counts_one_level_below_the_filter() {
    let g = plansearch::gazetteer::gazetteer();
    let level_of = |name: &str| {
        g.resolve(name)
            .ok()
            .and_then(|c| g.region(c))
            .map(|r| r.level)
    };
    let all = run(shipped_index(), "乡村振兴", |_| {});
    assert!(all.facets.region.iter().any(|v| v.value == "甘肃省"));
    // National documents (the State Council's reports) are a value of their own.
    for v in all.facets.region.iter().filter(|v| v.value != "全国") {
        assert_eq!(
            level_of(&v.value),
            Some(plansearch::gazetteer::Level::Province),
            "{}",
            v.value
        );
    }
    let gansu = run(shipped_index(), "县域经济", |q| {
        q.filters.regions = vec!["甘肃".into()]
    });
    assert!(gansu.facets.region.iter().any(|v| v.value == "张掖市"));
    // Only Gansu's cities (or Gansu itself), never a branch outside the filter (tantivy#2867).
    for v in &gansu.facets.region {
        let inside = v.value == "甘肃省（本级）"
            || g.resolve(&v.value)
                .is_ok_and(|c| g.facet_path(c).starts_with("/甘肃省/"));
        assert!(inside, "{}", v.value);
    }
}

#[test]
fn year_filters_and_counts() {
    let r = run(shipped_index(), "营商环境", |q| {
        q.filters.years = vec!["2025..2026".into()]
    });
    assert!(r.total > 0);
    assert!(r.hits.iter().all(|h| matches!(h.year, Some(2025 | 2026))));
    let total: u64 = r.facets.year.iter().map(|v| v.count).sum();
    assert_eq!(total, r.total, "every hit has a year in range");
}

#[test]
fn sector_and_type_filters() {
    let r = run(shipped_index(), "养殖", |q| {
        q.filters.sectors = vec!["农业农村".into()]
    });
    assert!(r.total > 0);
    assert!(
        r.hits
            .iter()
            .all(|h| h.sectors.iter().any(|s| s.starts_with("农业农村")))
    );
    let r = run(shipped_index(), "营商环境", |q| {
        q.filters.types = vec!["政府工作报告".into()]
    });
    assert!(
        r.hits
            .iter()
            .all(|h| h.doc_type.as_deref() == Some("政府工作报告"))
    );
    assert_eq!(r.facets.doc_type.len(), 1);
}

#[test]
fn inline_filters_equal_flags() {
    let inline = run(
        shipped_index(),
        "营商环境 region:甘肃 year:2025..2026",
        |_| {},
    );
    let flags = run(shipped_index(), "营商环境", |q| {
        q.filters.regions = vec!["甘肃".into()];
        q.filters.years = vec!["2025..2026".into()];
    });
    assert_eq!(inline.total, flags.total);
    assert!(inline.total > 0);
}

#[test]
fn documents_mode_counts_documents() {
    let passages = run(shipped_index(), "冷链物流", |q| q.limit = None);
    let docs = run(shipped_index(), "冷链物流", |q| {
        q.limit = None;
        q.unit = HitUnit::Doc;
    });
    assert!(docs.total < passages.total);
    let distinct: std::collections::HashSet<&str> =
        passages.hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(docs.total as usize, distinct.len());
    let doc_count: u64 = docs.facets.doc_type.iter().map(|v| v.count).sum();
    assert_eq!(doc_count, docs.total);
}

#[test]
fn mixed_latin_and_digits_are_found() {
    let r = run(shipped_index(), "5G基站", |_| {});
    assert!(
        r.hits.iter().any(|h| h.path.starts_with("seeds/002")),
        "{:?}",
        paths(&r)
    );
    let r = run(shipped_index(), "GDP", |_| {});
    assert!(r.total > 0);
}
