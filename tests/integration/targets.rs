//! Targets as data: extraction measured on the hand-annotated passages, one
//! source of truth for target years, and targets in the index (shown on hits,
//! filterable).

use plansearch::extract::targets::eval::{Annotations, evaluate};
use plansearch::extract::year::target_years;
use plansearch::search::{SearchRequest, search};

use crate::common::{open, root, shipped_index};

fn annotations(file: &str) -> Annotations {
    let path = root().join("tests/fixtures").join(file);
    let text = std::fs::read_to_string(&path).expect("annotation file");
    Annotations::parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn extraction_reaches_90_percent_on_the_annotated_passages() {
    let a = annotations("targets.toml");
    assert_eq!(a.passage.len(), 50);
    let scores = evaluate(&a);
    assert!(scores.annotated >= 120, "{} targets", scores.annotated);
    assert!(
        scores.precision() >= 0.9 && scores.recall() >= 0.9,
        "precision {:.3}, recall {:.3}; run `cargo run --example eval_targets -- --verbose`",
        scores.precision(),
        scores.recall()
    );
}

#[test]
fn a_targets_year_is_a_target_year_of_its_passage() {
    for file in [
        "targets.toml",
        "targets_heldout.toml",
        "targets_heldout2.toml",
        "targets_heldout3.toml",
    ] {
        for p in annotations(file).passage {
            let years = target_years(&p.text);
            for t in p.extract() {
                if let Some(y) = t.year {
                    assert!(years.contains(&y), "{}: {} not in {years:?}", p.source, y);
                }
            }
        }
    }
}

fn run(query: &str, tweak: impl FnOnce(&mut SearchRequest)) -> plansearch::search::SearchResults {
    let mut request = SearchRequest {
        query: query.to_string(),
        limit: None,
        ..Default::default()
    };
    tweak(&mut request);
    search(&open(shipped_index()), &request).expect("search runs")
}

#[test]
fn hits_carry_their_targets_and_has_target_keeps_only_those_with_one() {
    // Seed 000's redacted promise, as the issue quotes it.
    let r = run("日光温室", |q| q.filters.has_target = true);
    let seed = r
        .hits
        .iter()
        .find(|h| h.path == "seeds/000_cca008fd74b9d59b.txt")
        .expect("seed 000 hit");
    let greenhouse = seed
        .targets
        .iter()
        .find(|t| t.indicator == "日光温室")
        .expect("日光温室 target");
    assert!(greenhouse.redacted && greenhouse.value.is_none());
    assert_eq!(greenhouse.unit.as_deref(), Some("座"));

    let all = run("肉牛", |_| {});
    let with = run("肉牛", |q| q.filters.has_target = true);
    assert!(
        with.total > 0 && with.total < all.total,
        "{} of {}",
        with.total,
        all.total
    );
    assert!(with.hits.iter().all(|h| !h.targets.is_empty()));
    assert!(all.hits.iter().any(|h| h.targets.is_empty()));
}

#[test]
fn target_year_and_has_target_find_quantified_promises_for_a_year() {
    let r = run("生产总值", |q| {
        q.filters.has_target = true;
        q.filters.target_years = vec!["2025".into()];
    });
    let seed = r
        .hits
        .iter()
        .find(|h| h.path == "seeds/001_50fc5b672f9dfdcb.txt")
        .expect("seed 001 hit");
    let gdp = &seed.targets[0];
    assert_eq!(
        (
            gdp.indicator.as_str(),
            gdp.value,
            gdp.unit.as_deref(),
            gdp.year
        ),
        ("示范县生产总值", Some(600.0), Some("亿元"), Some(2025))
    );
    for hit in &r.hits {
        assert!(hit.target_years.contains(&2025));
        for t in &hit.targets {
            if let Some(y) = t.year {
                assert!(hit.target_years.contains(&u64::from(y)), "{}", hit.id);
            }
        }
    }
}
