//! Comparison views: --group-by, the full facet breakdown (--facets) and
//! `plansearch stats`, on the shipped corpus.

use plansearch::search::breakdown::TreeNode;
use plansearch::search::group::{GroupBy, GroupResults, group};
use plansearch::search::{SearchRequest, SearchResults, search};
use plansearch::stats::stats;
use serde_json::Value;

use crate::common::{open, plansearch, shipped_index, stderr, stdout};

fn request(query: &str) -> SearchRequest {
    SearchRequest {
        query: query.to_string(),
        ..Default::default()
    }
}

fn grouped(query: &str, by: GroupBy) -> GroupResults {
    group(&open(shipped_index()), &request(query), by).expect("group runs")
}

fn all_hits(query: &str, tweak: impl FnOnce(&mut SearchRequest)) -> SearchResults {
    let mut r = request(query);
    tweak(&mut r);
    search(&open(shipped_index()), &r).expect("search runs")
}

#[test]
fn group_by_region_gives_each_region_its_best_passage_and_count() {
    let g = grouped("冷链物流", GroupBy::Region);
    assert!(g.total_groups >= 10, "{} groups", g.total_groups);
    assert_eq!(g.groups.len(), g.total_groups, "all groups without --limit");
    // Each passage has one region: the groups add up to the hits.
    assert_eq!(g.groups.iter().map(|x| x.passages).sum::<u64>(), g.total);
    let counts: Vec<u64> = g.groups.iter().map(|x| x.passages).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    for x in &g.groups {
        assert!(x.documents >= 1 && x.documents <= x.passages);
        let Some(key) = &x.key else { continue };
        let r = &x.best.region;
        let path: Vec<&str> = [&r.province, &r.city, &r.county]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        assert_eq!(&path.join("/"), key);
    }
    // The best passage of a group is the region's top hit.
    let first = &g.groups[0];
    let region = first.key.clone().expect("a known region leads");
    let top = all_hits("冷链物流", |q| {
        q.filters.regions = vec![region.clone()];
        q.limit = Some(1);
    });
    assert_eq!(top.total, first.passages);
    assert_eq!(top.hits[0].id, first.best.id);
}

#[test]
fn group_by_year_runs_in_year_order_with_unknown_last() {
    let g = grouped("乡村振兴", GroupBy::Year);
    let years: Vec<Option<u32>> = g
        .groups
        .iter()
        .map(|x| x.key.as_deref().map(|y| y.parse().expect("a year")))
        .collect();
    let known: Vec<u32> = years.iter().flatten().copied().collect();
    assert!(known.windows(2).all(|w| w[0] < w[1]), "{years:?}");
    if let Some(pos) = years.iter().position(Option::is_none) {
        assert_eq!(pos, years.len() - 1, "unknown year last");
        assert_eq!(g.groups[pos].label, "年份未知");
    }
    assert_eq!(g.groups.iter().map(|x| x.passages).sum::<u64>(), g.total);
    for x in &g.groups {
        assert_eq!(x.best.year.map(|y| y.to_string()), x.key);
    }
}

#[test]
fn group_by_city_type_and_sector() {
    // Seed 003 is a document of 张掖市.
    let g = grouped("县域经济", GroupBy::City);
    assert!(
        g.groups
            .iter()
            .any(|x| x.key.as_deref() == Some("甘肃省/张掖市") && x.label == "甘肃省 张掖市"),
        "{:?}",
        g.groups.iter().map(|x| &x.label).collect::<Vec<_>>()
    );
    let g = grouped("县域经济", GroupBy::DocType);
    for x in &g.groups {
        assert_eq!(x.best.doc_type, x.key);
    }
    // A passage counts in each of its sectors.
    let g = grouped("冷链物流", GroupBy::Sector);
    assert!(g.groups.iter().map(|x| x.passages).sum::<u64>() >= g.total);
    for x in g.groups.iter().filter(|x| x.key.is_some()) {
        let key = x.key.as_deref().unwrap();
        assert!(
            x.best
                .sectors
                .iter()
                .any(|s| s.split('/').next() == Some(key)),
            "{key}: {:?}",
            x.best.sectors
        );
    }
}

fn sum(nodes: &[TreeNode]) -> u64 {
    nodes.iter().map(|n| n.passages).sum()
}

fn check_tree(nodes: &[TreeNode]) {
    for n in nodes {
        assert!(n.passages >= sum(&n.children), "{}", n.path);
        assert!(n.documents <= n.passages);
        check_tree(&n.children);
    }
}

#[test]
fn facets_break_all_hits_down_by_region_tree_years_types_and_sectors() {
    let r = all_hits("县域经济", |q| {
        q.facet_tree = true;
        q.limit = Some(1);
    });
    let t = r.facet_tree.as_ref().expect("facet tree");
    assert_eq!(t.total.passages, r.total);
    assert_eq!(sum(&t.region) + t.region_unknown.passages, r.total);
    assert_eq!(t.year.iter().map(|y| y.passages).sum::<u64>(), r.total);
    assert_eq!(t.doc_type.iter().map(|y| y.passages).sum::<u64>(), r.total);
    check_tree(&t.region);
    check_tree(&t.sector);
    let gansu = t
        .region
        .iter()
        .find(|p| p.name == "甘肃省")
        .expect("甘肃省");
    let zhangye = gansu
        .children
        .iter()
        .find(|c| c.name == "张掖市")
        .expect("张掖市 under 甘肃省");
    assert_eq!(zhangye.path, "甘肃省/张掖市");
    // The tree agrees with a region filter.
    let filtered = all_hits("县域经济", |q| {
        q.filters.regions = vec!["张掖市".into()]
    });
    assert_eq!(zhangye.passages, filtered.total);
}

#[test]
fn stats_summarise_the_whole_index() {
    let index = open(shipped_index());
    let s = stats(&index).expect("stats");
    let snapshot = index.snapshot().expect("snapshot");
    let state = &snapshot.state;
    assert_eq!(s.total.documents, state.docs.len() as u64);
    assert_eq!(s.total.passages, state.passages());
    let total = s.total.passages;
    assert_eq!(s.by_province.iter().map(|v| v.passages).sum::<u64>(), total);
    assert_eq!(s.by_year.iter().map(|v| v.passages).sum::<u64>(), total);
    assert_eq!(s.by_doc_type.iter().map(|v| v.passages).sum::<u64>(), total);
    assert_eq!(
        s.by_province.iter().map(|v| v.documents).sum::<u64>(),
        s.total.documents
    );
    assert_eq!(
        s.regions.provinces, 31,
        "all 31 provinces have a work report"
    );
    assert!(s.with_targets.passages > 0 && s.targets >= s.with_targets.passages);
    let gansu = s
        .by_province
        .iter()
        .find(|v| v.value.as_deref() == Some("甘肃省"))
        .expect("甘肃省");
    assert!(gansu.documents >= 2, "seeds 000 and 003 at least");
}

#[test]
fn views_on_the_command_line() {
    let index = shipped_index().to_str().unwrap().to_string();
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "冷链物流",
        "--group-by",
        "year",
        "--json",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v["group_by"], "year");
    for g in v["groups"].as_array().expect("groups") {
        for key in ["key", "label", "passages", "documents", "best"] {
            assert!(g.get(key).is_some(), "missing {key}");
        }
        assert!(g["best"]["id"].is_string());
    }
    let text = stdout(&plansearch(&[
        "search",
        "--index",
        &index,
        "冷链物流",
        "--group-by",
        "region",
        "-n",
        "2",
    ]));
    assert!(text.contains("showing 2 of them"), "{text}");
    let out = plansearch(&[
        "search",
        "--index",
        &index,
        "县域经济",
        "--facets",
        "-n",
        "1",
    ]);
    let text = stdout(&out);
    for part in [
        "region",
        "甘肃省",
        "张掖市",
        "year",
        "type",
        "sector",
        "targets:",
    ] {
        assert!(text.contains(part), "{part} missing:\n{text}");
    }
    let out = plansearch(&["stats", "--index", &index, "--json"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    for key in [
        "total",
        "by_province",
        "by_year",
        "by_doc_type",
        "by_sector",
        "targets",
    ] {
        assert!(v.get(key).is_some(), "missing {key}");
    }
    let bad = plansearch(&[
        "search",
        "--index",
        &index,
        "县域经济",
        "--group-by",
        "county",
    ]);
    assert_eq!(bad.status.code(), Some(2));
}
