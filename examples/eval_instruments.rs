//! Precision and recall of instrument tagging on the hand-annotated passages.
//!
//! ```sh
//! cargo run --example eval_instruments                    # the evaluation part
//! cargo run --example eval_instruments -- tests/fixtures/instruments/rules.toml
//! cargo run --example eval_instruments -- --verbose       # and every mistake
//! cargo run --example eval_instruments -- --typology my.toml FILE  # another typology
//! ```
//!
//! Per instrument: true positives (annotated and tagged), false positives
//! (tagged, not annotated), false negatives (annotated, not tagged); micro
//! averages sum them over instruments. Annotation rules: docs/instruments.md.

use std::collections::{BTreeMap, BTreeSet};

use plansearch::extract::instrument::{Typology, typology};
use serde::Deserialize;

#[derive(Deserialize)]
struct File {
    passage: Vec<Annotated>,
}

#[derive(Deserialize)]
struct Annotated {
    source: String,
    text: String,
    instruments: Vec<String>,
}

#[derive(Default)]
struct Count {
    tp: usize,
    fp: usize,
    fn_: usize,
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let own = args
        .iter()
        .position(|a| a == "--typology")
        .and_then(|i| args.get(i + 1))
        .map(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_else(|e| {
                eprintln!("eval_instruments: cannot read {p}: {e}");
                std::process::exit(2)
            });
            Typology::parse(&text).unwrap_or_else(|e| {
                eprintln!("eval_instruments: {p}: {e}");
                std::process::exit(2)
            })
        });
    let typology = || own.as_ref().unwrap_or_else(|| typology());
    let path = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with('-') && (*i == 0 || args[i - 1] != "--typology"))
        .map(|(_, a)| a)
        .cloned()
        .unwrap_or_else(|| "tests/fixtures/instruments/evaluation.toml".to_string());
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("eval_instruments: cannot read {path}: {e}");
        std::process::exit(2)
    });
    let file: File = toml::from_str(&text).unwrap_or_else(|e| {
        eprintln!("eval_instruments: {path} is not a valid annotation file: {e}");
        std::process::exit(2)
    });
    let known: BTreeSet<String> = typology()
        .instruments()
        .iter()
        .map(|i| i.name.clone())
        .collect();
    let mut counts: BTreeMap<String, Count> = known
        .iter()
        .map(|n| (n.clone(), Count::default()))
        .collect();
    let mut exact = 0;
    for p in &file.passage {
        for a in &p.instruments {
            if !known.contains(a) {
                eprintln!("eval_instruments: {}: unknown instrument {a:?}", p.source);
            }
        }
        let want: BTreeSet<&str> = p.instruments.iter().map(String::as_str).collect();
        let tags = typology().classify(&p.text);
        let got: BTreeSet<&str> = tags.iter().map(|t| t.instrument.as_str()).collect();
        if want == got {
            exact += 1;
        }
        for g in &got {
            let c = counts.entry(g.to_string()).or_default();
            if want.contains(g) {
                c.tp += 1;
            } else {
                c.fp += 1;
                if verbose {
                    let t = tags.iter().find(|t| t.instrument == *g);
                    println!(
                        "extra    {} {g}: {}",
                        p.source,
                        t.map(|t| t.cues.join(", ")).unwrap_or_default()
                    );
                }
            }
        }
        for w in &want {
            if !got.contains(w) {
                counts.entry(w.to_string()).or_default().fn_ += 1;
                if verbose {
                    println!("missed   {} {w}   (got {:?})", p.source, got);
                }
            }
        }
    }
    println!(
        "{path}: {} passages, {exact} tagged exactly as annotated",
        file.passage.len()
    );
    println!(
        "{:<12} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "instrument", "tp", "fp", "fn", "precision", "recall"
    );
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    for inst in typology().instruments() {
        let c = &counts[&inst.name];
        tp += c.tp;
        fp += c.fp;
        fn_ += c.fn_;
        println!(
            "{:<12} {:>4} {:>4} {:>4} {:>9.2} {:>7.2}",
            inst.name,
            c.tp,
            c.fp,
            c.fn_,
            ratio(c.tp, c.tp + c.fp),
            ratio(c.tp, c.tp + c.fn_)
        );
    }
    println!(
        "{:<12} {:>4} {:>4} {:>4} {:>9.3} {:>7.3}",
        "micro",
        tp,
        fp,
        fn_,
        ratio(tp, tp + fp),
        ratio(tp, tp + fn_)
    );
}
