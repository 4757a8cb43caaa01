//! The words target extraction reads (markers of results and rules,
//! comparators, verbs of delivery, units), from `data/targets/words.toml`.
//! Edit the table to teach it a new form; the index's rules digest covers it,
//! so a change rebuilds indexes by itself. Run `examples/eval_targets` on
//! every annotated file before and after.

use std::sync::LazyLock;

use serde::Deserialize;

use super::{Bound, Kind};
use crate::extract::DocType;

/// The table as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    no_target_types: Vec<DocType>,
    review_headings: Vec<String>,
    sentence_markers: Vec<String>,
    clause_markers: Vec<String>,
    comparators: Vec<Comparator>,
    fillers: Vec<String>,
    weak_delivery: Vec<String>,
    strong_delivery: Vec<String>,
    delivery_adjacent: Vec<String>,
    phrase_ends: Vec<String>,
    measures: Vec<String>,
    suffix_bounds: Vec<SuffixBound>,
    units: Vec<String>,
    latin_units: Vec<String>,
    count_units: Vec<String>,
    time_units: Vec<String>,
    joiners: Vec<char>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Comparator {
    word: String,
    bound: Bound,
    kind: Kind,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SuffixBound {
    word: String,
    bound: Bound,
}

/// The words, each list in the table's order (which matters where the table
/// says "longest first"). What each list does is said in the table.
pub(super) struct Words {
    pub no_target_types: Vec<DocType>,
    pub review_headings: Vec<&'static str>,
    pub sentence_markers: Vec<&'static str>,
    pub clause_markers: Vec<&'static str>,
    pub comparators: Vec<(&'static str, Bound, Kind)>,
    pub fillers: Vec<&'static str>,
    pub weak_delivery: Vec<&'static str>,
    pub strong_delivery: Vec<&'static str>,
    pub delivery_adjacent: Vec<&'static str>,
    pub phrase_ends: Vec<&'static str>,
    pub measures: Vec<&'static str>,
    pub suffix_bounds: Vec<(&'static str, Bound)>,
    pub units: Vec<&'static str>,
    pub latin_units: Vec<&'static str>,
    pub count_units: Vec<&'static str>,
    pub time_units: Vec<&'static str>,
    pub joiners: Vec<char>,
}

/// The table lives as long as the process: its strings are leaked once so
/// that the matchers compare and return plain `&'static str`.
fn leak(s: String) -> &'static str {
    s.leak()
}

fn leak_all(words: Vec<String>) -> Vec<&'static str> {
    words.into_iter().map(leak).collect()
}

static WORDS: LazyLock<Words> = LazyLock::new(|| {
    let t: Table = toml::from_str(include_str!("../../../data/targets/words.toml"))
        .expect("data/targets/words.toml is valid");
    Words {
        no_target_types: t.no_target_types,
        review_headings: leak_all(t.review_headings),
        sentence_markers: leak_all(t.sentence_markers),
        clause_markers: leak_all(t.clause_markers),
        comparators: t
            .comparators
            .into_iter()
            .map(|c| (leak(c.word), c.bound, c.kind))
            .collect(),
        fillers: leak_all(t.fillers),
        weak_delivery: leak_all(t.weak_delivery),
        strong_delivery: leak_all(t.strong_delivery),
        delivery_adjacent: leak_all(t.delivery_adjacent),
        phrase_ends: leak_all(t.phrase_ends),
        measures: leak_all(t.measures),
        suffix_bounds: t
            .suffix_bounds
            .into_iter()
            .map(|s| (leak(s.word), s.bound))
            .collect(),
        units: leak_all(t.units),
        latin_units: leak_all(t.latin_units),
        count_units: leak_all(t.count_units),
        time_units: leak_all(t.time_units),
        joiners: t.joiners,
    }
});

/// The words of `data/targets/words.toml`.
pub(super) fn words() -> &'static Words {
    &WORDS
}

/// Verbs of delivery, strong and weak: a count after them is a target
/// (新建日光温室X座). The weak ones are often nouns too (经济发展, 项目建设)
/// and make a target only in the words right before a value.
pub(super) fn delivery_verbs() -> impl Iterator<Item = &'static &'static str> {
    let w = words();
    w.strong_delivery.iter().chain(&w.weak_delivery)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_reads_and_keeps_its_order() {
        let w = words();
        assert_eq!(
            w.no_target_types,
            [DocType::Regulation, DocType::StatisticalBulletin]
        );
        // Longest first where one unit starts another: 万亩 before 亩.
        let pos = |u: &str| w.units.iter().position(|x| *x == u).unwrap();
        assert!(pos("个百分点") < pos("百分点"));
        assert!(pos("万亩") < pos("亩"));
        assert_eq!(w.comparators[0], ("≥", Bound::AtLeast, Kind::Level));
        assert!(w.joiners.contains(&'、'));
    }
}
