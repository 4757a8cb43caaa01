//! Literal recall: over the shipped corpus, every passage whose cleaned text
//! contains a query of tests/fixtures/recall_queries.txt is returned, and every
//! top-10 hit holds all query words. The same evaluation runs over the full
//! evaluation corpus with `cargo run --release --example eval_recall`.

use plansearch::eval::{Oracle, Totals, evaluate, read_queries};

use crate::common::{open, root, shipped_index};

#[test]
fn every_literal_passage_is_found_and_the_top_ten_hold_every_word() {
    let queries = read_queries(
        &std::fs::read_to_string(root().join("tests/fixtures/recall_queries.txt"))
            .expect("query list"),
    );
    assert!(queries.len() >= 100, "{} queries", queries.len());
    let index = open(shipped_index());
    let oracle = Oracle::load(&root().join("corpus"), 2);
    let indexed = index
        .index
        .reader()
        .expect("reader")
        .searcher()
        .search(
            &*plansearch::schema::passages(&index.fields),
            &tantivy::collector::Count,
        )
        .expect("count") as u64;
    assert_eq!(oracle.passages.len() as u64, indexed, "the same passages");
    let mut totals = Totals::default();
    let mut short = Vec::new();
    for q in &queries {
        let r = evaluate(&index, &oracle, q).unwrap_or_else(|e| panic!("{q}: {e}"));
        if !r.full_recall() || !r.top10_failures.is_empty() {
            short.push(format!(
                "{q}: {}/{} passages, {}/{} documents, missed {:?}, top-10 {:?}",
                r.found_passages,
                r.oracle_passages,
                r.found_docs,
                r.oracle_docs,
                r.missed,
                r.top10_failures
            ));
        }
        totals.add(&r);
    }
    assert!(short.is_empty(), "{short:#?}");
    // The list exercises the corpus: most queries have literal matches.
    assert!(
        totals.queries_with_matches * 10 >= totals.queries * 8,
        "{totals:?}"
    );
    assert!(totals.oracle_passages > 1000, "{totals:?}");
}

#[test]
fn the_oracle_counts_what_grep_would() {
    // Hand-checked on seed 002 (勃利县 2022 work report): one passage says
    // 新建5G基站82个.
    let oracle = Oracle::load(&root().join("corpus/seeds"), 1);
    let parse = |q: &str| plansearch::query::parse(q).unwrap().root.unwrap();
    let seed = |q: &str| {
        oracle
            .matches(&parse(q))
            .into_iter()
            .filter(|(d, _)| oracle.paths.get(d).is_some_and(|p| p.starts_with("002_")))
            .count()
    };
    assert_eq!(seed("5G基站"), 1);
    assert_eq!(seed("5Ｇ基站"), seed("5g基站"), "width and case fold");
    assert_eq!(seed("火星殖民地"), 0);
    assert_eq!(plansearch::eval::normalize("５Ｇ 基\n站"), "5g基站");
    assert_eq!(plansearch::eval::normalize("農業發展"), "农业发展");
}
