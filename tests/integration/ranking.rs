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
        count_context: true,
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

/// The hit's score parts whose label contains `rule`, summed.
fn part(h: &Hit, rule: &str) -> f32 {
    h.explain
        .iter()
        .flatten()
        .filter(|p| p.part.contains(rule))
        .map(|p| p.score)
        .sum()
}

fn has_part(h: &Hit, rule: &str) -> bool {
    h.explain.iter().flatten().any(|p| p.part.contains(rule))
}

fn found(r: &SearchResults, file: &str) -> bool {
    r.hits.iter().any(|h| h.path == file)
}

#[test]
fn a_word_as_typed_ranks_above_its_parts_close_together() {
    // 现代农业发展需要 (临沂 regulation) says 农业发展; 农业的发展 (1964 work
    // report) has jieba's parts 农业 + 发展 one character apart: found, below,
    // and --explain says it was through the parts.
    let r = ranked("农业发展");
    assert_eq!(rank(&r, "agri_exact.txt", 1), 0, "{:?}", order(&r));
    let exact = hit(&r, "agri_exact.txt", 1);
    assert!(
        has_part(exact, "农业发展 · literally"),
        "{:?}",
        exact.explain
    );
    let parts = hit(&r, "agri_scattered.txt", 1);
    assert!(
        has_part(parts, "its parts 农业 + 发展"),
        "{:?}",
        parts.explain
    );
    assert!(
        !has_part(parts, "农业发展 · literally"),
        "{:?}",
        parts.explain
    );
}

#[test]
fn parts_scattered_over_a_passage_are_no_hit() {
    // The 2019 work report's 乡村振兴 passage says 农业 and, far from it, 发展:
    // not a hit for 农业发展; 乡村全面振兴 (2025 Heilongjiang), two characters
    // between 乡村 and 振兴, is one for 乡村振兴 (search.rs).
    let r = ranked("农业发展");
    assert!(!found(&r, "rural_exact.txt"), "{:?}", order(&r));
    assert!(!found(&r, "rural_all_round.txt"), "{:?}", order(&r));
}

#[test]
fn a_passage_only_its_title_or_heading_matches_is_counted_apart() {
    // The second passage of 济南市优化营商环境条例 does not say 营商环境: not a
    // hit, not in the total, but counted as context and found by title:.
    let r = ranked("营商环境");
    assert!(
        r.hits
            .iter()
            .all(|h| !(h.path == "business_title.txt" && h.passage_no == 2)),
        "{:?}",
        order(&r)
    );
    assert_eq!(r.total, r.hits.len() as u64);
    assert!(r.context_only >= Some(1), "{:?}", r.context_only);
    // 数字乡村 stands only in the heading "三、大力推进数字乡村建设".
    let r = ranked("数字乡村");
    assert!(!found(&r, "digital_heading.txt"), "{:?}", order(&r));
    assert!(r.context_only >= Some(1), "{:?}", r.context_only);
    let r = ranked("heading:数字乡村");
    assert!(found(&r, "digital_heading.txt"), "{:?}", order(&r));
    let r = ranked("title:营商环境");
    rank(&r, "business_title.txt", 2);
}

#[test]
fn a_title_that_holds_the_word_lifts_a_passage_that_says_it_a_little() {
    // 济南市优化营商环境条例 #1 says 营商环境 and is titled with it: the lift is
    // named, and smaller than what saying it gives.
    let r = ranked("营商环境");
    let h = hit(&r, "business_title.txt", 1);
    let lift = part(h, "also in the title");
    assert!(lift > 0.0, "{:?}", h.explain);
    assert!(lift < part(h, "营商环境 · literally"), "{:?}", h.explain);
}

#[test]
fn a_measure_ranks_above_a_statement_of_principles() {
    // 汕头市河长制条例: 第四条 puts 河长制工作经费 into the budget (a measure);
    // 第三条 lists the principles and says 河长制 three times in a shorter
    // article. The content factor decides: the word's own parts alone would
    // put 第三条 first.
    let r = ranked("河长制");
    let (funds, principles) = (
        hit(&r, "river_funds.txt", 1),
        hit(&r, "river_principle.txt", 1),
    );
    assert!(
        rank(&r, "river_funds.txt", 1) < rank(&r, "river_principle.txt", 1),
        "{:?}",
        order(&r)
    );
    assert!(part(funds, "content") > 0.0, "{:?}", funds.explain);
    assert!(
        part(principles, "content") < 0.0,
        "{:?}",
        principles.explain
    );
    assert!(
        funds.score - part(funds, "content") < principles.score - part(principles, "content"),
        "{:?} / {:?}",
        funds.explain,
        principles.explain
    );
}

#[test]
fn one_document_shows_two_passages_and_folds_the_rest() {
    // Four articles of 焦作市全域旅游促进条例 say 全域旅游, as does one paragraph
    // of the 2022 驻马店 work report: a first page of three holds two articles
    // and the report, and says two more articles are left.
    let request = SearchRequest {
        query: "全域旅游".to_string(),
        limit: Some(3),
        ..Default::default()
    };
    let r = search(&open(ranking_index()), &request).expect("search");
    let files: Vec<&str> = r.hits.iter().map(|h| h.path.as_str()).collect();
    assert_eq!(
        files
            .iter()
            .filter(|f| **f == "tourism_one_law.txt")
            .count(),
        2,
        "{files:?}"
    );
    assert!(files.contains(&"tourism_report.txt"), "{files:?}");
    let folded: u64 = r.hits.iter().filter_map(|h| h.more_from_document).sum();
    assert_eq!(folded, 2, "{:?}", order(&r));
    // Without the cap the page is in plain score order (the reordering
    // itself: search::diverse's unit tests).
    let uncapped = SearchRequest {
        max_per_doc: Some(0),
        ..request
    };
    let r = search(&open(ranking_index()), &uncapped).expect("search");
    assert!(
        r.hits.windows(2).all(|w| w[0].score >= w[1].score),
        "{:?}",
        order(&r)
    );
}

#[test]
fn the_word_typed_ranks_above_its_synonyms() {
    // 推进“放管服”改革 (Shandong action plan) against 简政放权、放管结合、
    // 优化服务等改革 (2018 State Council report), its long form.
    let r = ranked("放管服");
    assert!(
        rank(&r, "reform_literal.txt", 1) < rank(&r, "reform_synonym.txt", 1),
        "{:?}",
        order(&r)
    );
    let synonym = hit(&r, "reform_synonym.txt", 1);
    assert!(
        has_part(synonym, "放管服 ≈ 简政放权"),
        "{:?}",
        synonym.explain
    );
    assert!(
        !has_part(synonym, "放管服 · literally"),
        "{:?}",
        synonym.explain
    );
}

#[test]
fn a_word_that_names_an_organisation_ranks_below_the_topic() {
    // 中国农业发展银行 (1994 work report) says 农业发展 only as a bank's name:
    // below even 农业的发展, and --explain says why.
    let r = ranked("农业发展");
    let bank = hit(&r, "bank.txt", 1);
    assert!(has_part(bank, "another sense"), "{:?}", bank.explain);
    assert!(
        rank(&r, "agri_scattered.txt", 1) < rank(&r, "bank.txt", 1),
        "{:?}",
        order(&r)
    );
}

#[test]
fn the_whole_query_literally_ranks_first() {
    // 冷链物流运输要求 (粤菜 regulation) against passages that say 冷链 and 物流
    // apart, one of them 物流 three times.
    let r = ranked("冷链 物流");
    assert_eq!(rank(&r, "cold_chain_exact.txt", 1), 0, "{:?}", order(&r));
    rule_decides(
        &r,
        ("cold_chain_exact.txt", 1),
        ("cold_chain_far.txt", 1),
        "whole query",
    );
}

#[test]
fn words_close_together_are_named_in_the_score() {
    // Every hit for 冷链 物流 that has the two words within 20 characters gets
    // the proximity part; the part is the only one naming it.
    let r = ranked("冷链 物流");
    assert!(r.hits.len() >= 4, "{:?}", order(&r));
    for h in &r.hits {
        assert!(
            has_part(h, "within 20 characters"),
            "{}: {:?}",
            h.path,
            h.explain
        );
    }
    let r = ranked("冷链");
    assert!(r.hits.iter().all(|h| !has_part(h, "within")));
}

#[test]
fn a_word_jieba_does_not_cut_out_is_found_all_the_same() {
    // 市大数据中心 holds no 大数据 token to jieba; both passages of 上海市数据条例
    // that say 大数据 are found.
    let r = ranked("大数据");
    rank(&r, "big_data.txt", 1);
    rank(&r, "big_data.txt", 2);
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
        "河长制",
        "放管服",
        "全域旅游",
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
