//! `plansearch similar` on real passages of the shipped corpus.

use plansearch::error::Error;
use plansearch::similar::{SimilarRequest, SimilarResults, SimilarTo, is_generic, similar};
use serde_json::Value;

use crate::common::{open, plansearch, root, shipped_index, stderr, stdout};

/// Seed 003's passage on 马铃薯精深加工, 食用菌 and 农产品加工.
const SEED_003_5: &str = "seeds/003_0c8bad910db2f3a0.txt#5";

fn run(to: SimilarTo, tweak: impl FnOnce(&mut SimilarRequest)) -> Result<SimilarResults, Error> {
    let mut request = SimilarRequest::new(to);
    request.corpus = Some(root().join("corpus"));
    tweak(&mut request);
    similar(&open(shipped_index()), &request)
}

fn of(reference: &str) -> SimilarResults {
    run(SimilarTo::Passage(reference.into()), |_| {}).expect("similar runs")
}

#[test]
fn seed_003_finds_agricultural_processing_before_shared_verbs() {
    let r = of(SEED_003_5);
    let source = r.source.as_ref().expect("source passage");
    assert_eq!(source.path, "seeds/003_0c8bad910db2f3a0.txt");
    // Key terms say what the passage is about, never how it is worded.
    let terms: Vec<&str> = r.key_terms.iter().map(|k| k.term.as_str()).collect();
    for t in ["马铃薯", "食用菌", "农产品加工"] {
        assert!(terms.contains(&t), "{t} missing from {terms:?}");
    }
    for t in &terms {
        assert!(!is_generic(t), "{t}");
    }
    for t in ["加快", "推进", "加强", "建设", "张掖", "甘州区"] {
        assert!(!terms.contains(&t), "{t} is a key term");
    }
    assert!(r.hits.len() >= 5, "{} hits", r.hits.len());
    // The best hits are about processing farm produce.
    for h in &r.hits[..3] {
        assert!(
            h.hit.text.contains("加工")
                && (h.hit.text.contains("农产品") || h.hit.text.contains("农畜产品")),
            "{}: {}",
            h.hit.id,
            h.hit.text
        );
    }
    for h in &r.hits {
        assert_ne!(
            h.hit.path, source.path,
            "a hit from the source's own document"
        );
        assert!(
            h.shared_terms.len() >= r.min_shared,
            "{}: {:?}",
            h.hit.id,
            h.shared_terms
        );
        assert!(
            !h.hit.highlights.is_empty(),
            "{} highlights nothing",
            h.hit.id
        );
    }
    let scores: Vec<f32> = r.hits.iter().map(|h| h.hit.score).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn a_passage_is_named_by_id_path_or_file_inside_the_corpus() {
    let id = of(SEED_003_5).source.expect("source").id;
    let absolute = root().join("corpus/seeds/003_0c8bad910db2f3a0.txt#5");
    for reference in [
        id.as_str(),
        SEED_003_5,
        "./seeds/003_0c8bad910db2f3a0.txt#5",
        "corpus/seeds/003_0c8bad910db2f3a0.txt#5",
        absolute.to_str().expect("utf-8 path"),
        "003_0c8bad910db2f3a0.txt#5",
    ] {
        assert_eq!(of(reference).source.expect("source").id, id, "{reference}");
    }
}

#[test]
fn bad_references_and_text_say_what_to_do() {
    let cases: &[(SimilarTo, &str)] = &[
        (SimilarTo::Passage("garbage".into()), "neither a passage id"),
        (
            SimilarTo::Passage("0000000000000000:1".into()),
            "search again",
        ),
        (
            SimilarTo::Passage("seeds/003_0c8bad910db2f3a0.txt#0".into()),
            "pick #1 to #27",
        ),
        (
            SimilarTo::Passage("seeds/003_0c8bad910db2f3a0.txt#28".into()),
            "has 27 passages",
        ),
        (
            SimilarTo::Passage("seeds/003_0c8bad910db2f3a0.txt#x".into()),
            "passage number",
        ),
        (
            SimilarTo::Passage("seeds/nothing.txt#1".into()),
            "no indexed file",
        ),
        (SimilarTo::Text("  ".into()), "the text to compare is empty"),
        (
            SimilarTo::Text("进一步加强和推进建设工作".into()),
            "no distinctive words",
        ),
    ];
    for (to, want) in cases {
        match run(to.clone(), |_| {}) {
            // An id the index lacks is not found; the rest is invalid.
            Err(Error::Invalid(message) | Error::NotFound(message)) => {
                assert!(message.contains(want), "{to:?}: {message}")
            }
            other => panic!("{to:?}: {:?}", other.map(|r| r.hits.len())),
        }
    }
    let e = run(SimilarTo::Text("冷链物流".into()), |q| {
        q.other_regions = true
    });
    assert!(
        matches!(e, Err(Error::Invalid(m)) if m.contains("needs a source passage") && !m.contains("--"))
    );
}

#[test]
fn other_regions_and_filters_bound_the_hits() {
    let r = run(SimilarTo::Passage(SEED_003_5.into()), |q| {
        q.other_regions = true;
        q.limit = 20;
    })
    .expect("similar runs");
    assert_eq!(r.excluded_region.as_deref(), Some("甘肃省/张掖市"));
    assert!(!r.hits.is_empty());
    assert!(
        r.hits
            .iter()
            .all(|h| h.hit.region.city.as_deref() != Some("张掖市"))
    );

    let r = run(SimilarTo::Passage(SEED_003_5.into()), |q| {
        q.filters.regions = vec!["山西".into()];
        q.filters.types = vec!["政府工作报告".into()];
    })
    .expect("similar runs");
    assert!(!r.hits.is_empty());
    for h in &r.hits {
        assert_eq!(h.hit.region.province.as_deref(), Some("山西省"));
        assert_eq!(h.hit.doc_type.as_deref(), Some("政府工作报告"));
    }
}

#[test]
fn pasted_text_finds_passages_on_the_same_measure() {
    let r = run(
        SimilarTo::Text("加快发展冷链物流，建设农产品产地冷藏保鲜设施。".into()),
        |_| {},
    )
    .expect("similar runs");
    assert!(r.source.is_none());
    for h in &r.hits[..3] {
        let p = &h.hit.text;
        assert!(
            ["冷链", "冷藏", "保鲜"].iter().any(|w| p.contains(w)),
            "{}: {p}",
            h.hit.id
        );
    }
}

#[test]
fn similar_json_names_key_terms_and_shared_terms() {
    let index = shipped_index().to_str().unwrap().to_string();
    let out = plansearch(&[
        "similar", "--index", &index, "--json", "-n", "3", SEED_003_5,
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(v["source"]["path"], "seeds/003_0c8bad910db2f3a0.txt");
    for k in v["key_terms"].as_array().expect("key_terms") {
        assert!(
            k["term"].is_string() && k["weight"].is_number() && k["df"].is_u64(),
            "{k}"
        );
    }
    let hits = v["hits"].as_array().expect("hits");
    assert_eq!(hits.len(), 3);
    for h in hits {
        for key in [
            "id",
            "path",
            "region",
            "year",
            "heading",
            "snippet",
            "highlights",
            "shared_terms",
        ] {
            assert!(h.get(key).is_some(), "missing {key}");
        }
    }
    let bad = plansearch(&[
        "similar",
        "--index",
        &index,
        "seeds/003_0c8bad910db2f3a0.txt#99",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("has 27 passages"), "{}", stderr(&bad));
}
