//! The ranking rules, each pinned on real passages (tests/fixtures/ranking;
//! sources in its README): the order a rule asks for, and that the rule's own
//! score part (as `--explain` names it) is what decides that order.

use plansearch::search::{Hit, SearchRequest, SearchResults, search};

use crate::common::{open, ranking_index};

fn ranked(query: &str) -> SearchResults {
    let request = SearchRequest {
        query: query.to_string(),
        limit: Some(20),
        explain: true,
        ..Default::default()
    };
    search(&open(ranking_index()), &request).unwrap_or_else(|e| panic!("{query}: {e}"))
}

/// Rank (0 = first) of a fixture's passage.
fn rank(r: &SearchResults, file: &str, passage: u64) -> usize {
    r.hits
        .iter()
        .position(|h| h.path == file && h.passage_no == passage)
        .unwrap_or_else(|| panic!("{file}#{passage} not found in {:?}", order(r)))
}

fn hit<'a>(r: &'a SearchResults, file: &str, passage: u64) -> &'a Hit {
    &r.hits[rank(r, file, passage)]
}

fn order(r: &SearchResults) -> Vec<String> {
    r.hits
        .iter()
        .map(|h| format!("{}#{} {:.2}", h.path, h.passage_no, h.score))
        .collect()
}

/// The hit's score without the parts whose label contains `rule`.
fn score_without(h: &Hit, rule: &str) -> f32 {
    let parts = h.explain.as_ref().expect("explained");
    let rule_part: f32 = parts
        .iter()
        .filter(|p| p.part.contains(rule))
        .map(|p| p.score)
        .sum();
    assert!(
        rule_part > 0.0,
        "{rule} gave nothing to {}: {parts:?}",
        h.path
    );
    h.score - rule_part
}

/// `first` ranks above `second`, and would not without the parts named `rule`.
fn rule_decides(r: &SearchResults, first: (&str, u64), second: (&str, u64), rule: &str) {
    let (a, b) = (hit(r, first.0, first.1), hit(r, second.0, second.1));
    assert!(
        rank(r, first.0, first.1) < rank(r, second.0, second.1),
        "{:?}",
        order(r)
    );
    assert!(
        score_without(a, rule) < b.score,
        "{rule} is not what decides: {:?} / {:?}",
        a.explain,
        b.explain
    );
}

#[test]
fn a_heading_match_weighs_more_than_a_body_match() {
    // Under "三、大力推进数字乡村建设" (数字经济促进共同富裕实施方案) against a body
    // that says 数字乡村 once (北京市数字经济促进条例), of the same length.
    let r = ranked("数字乡村");
    rule_decides(
        &r,
        ("digital_heading.txt", 1),
        ("digital_body.txt", 1),
        "heading",
    );
}

#[test]
fn a_title_match_weighs_more_than_a_body_match() {
    // 营商环境 once in the body of 济南市优化营商环境条例 against once in a shorter
    // passage of 上海市科学技术进步条例.
    let r = ranked("营商环境");
    rule_decides(
        &r,
        ("business_title.txt", 1),
        ("business_body.txt", 1),
        "title",
    );
}

#[test]
fn a_passage_only_its_title_matches_ranks_below_those_that_say_it() {
    // The second passage of 济南市优化营商环境条例 does not say 营商环境: found,
    // through the title, but below every passage that does.
    let r = ranked("营商环境");
    let title_only = rank(&r, "business_title.txt", 2);
    assert_eq!(title_only, r.hits.len() - 1, "{:?}", order(&r));
    assert!(rank(&r, "business_body.txt", 1) < title_only);
}

#[test]
fn words_close_together_rank_above_words_far_apart() {
    // 冷链等现代物流 (2015 work report) against 冷链运输…物流机械臂…降低物流成本
    // (AI application scenarios notice), which has 物流 three times.
    let r = ranked("冷链 物流");
    rule_decides(
        &r,
        ("cold_chain_close.txt", 1),
        ("cold_chain_far.txt", 1),
        "within",
    );
}

#[test]
fn the_whole_query_literally_ranks_above_its_words_apart() {
    // 冷链物流运输要求 (粤菜 regulation, the longer passage) against
    // 冷链仓储物流设施 (Beijing public-health regulation).
    let r = ranked("冷链 物流");
    assert_eq!(rank(&r, "cold_chain_exact.txt", 1), 0, "{:?}", order(&r));
    rule_decides(
        &r,
        ("cold_chain_exact.txt", 1),
        ("cold_chain_near.txt", 1),
        "whole query",
    );
}

#[test]
fn a_word_jieba_splits_ranks_its_literal_form_first() {
    // 农业发展 is 农业 + 发展 to jieba: 现代农业发展需要 (临沂 regulation) ranks
    // above 农业的发展 (1964 work report) and every other scattered pair.
    let r = ranked("农业发展");
    assert_eq!(rank(&r, "agri_exact.txt", 1), 0, "{:?}", order(&r));
    assert!(rank(&r, "agri_scattered.txt", 1) > rank(&r, "bank.txt", 1));
    let exact = hit(&r, "agri_exact.txt", 1);
    assert!(
        exact
            .explain
            .iter()
            .flatten()
            .any(|p| p.part.contains("body literally (BM25")),
        "{:?}",
        exact.explain
    );
}

#[test]
fn a_passage_found_only_literally_ranks_below_word_matches() {
    // jieba cuts 市大数据中心 without a 大数据 token; the passage is found all the
    // same, below 市大数据资源平台 where 大数据 is a word.
    let r = ranked("大数据");
    assert!(rank(&r, "big_data.txt", 2) < rank(&r, "big_data.txt", 1));
    let literal_only = hit(&r, "big_data.txt", 1);
    let parts = literal_only.explain.as_ref().expect("explained");
    assert!(
        parts.iter().all(|p| p.part.contains("literally")),
        "{parts:?}"
    );
}

#[test]
fn explained_parts_add_up_to_the_score() {
    for query in [
        "冷链 物流",
        "数字乡村",
        "营商环境",
        "农业发展",
        "\"乡村振兴\"",
        "(汇率 OR 经济建设) -千万工程",
        "title:营商环境",
    ] {
        let r = ranked(query);
        assert!(r.total > 0, "{query}");
        assert!(r.explain.as_ref().is_some_and(|e| !e.is_empty()), "{query}");
        for h in &r.hits {
            let parts = h.explain.as_ref().expect("explained");
            let sum: f32 = parts.iter().map(|p| p.score).sum();
            assert!(
                (sum - h.score).abs() < 1e-3 * h.score.max(1.0),
                "{query}: {} has score {} but parts {parts:?}",
                h.path,
                h.score
            );
        }
    }
}
