//! Precision and recall of target extraction on the hand-annotated passages.
//!
//! ```sh
//! cargo run --release --example eval_targets                 # tests/fixtures/targets.toml
//! cargo run --release --example eval_targets -- --verbose    # and every mistake
//! cargo run --release --example eval_targets -- FILE.toml
//! ```

use plansearch::extract::targets::eval::{Annotations, Mistake, evaluate};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let verbose = args.iter().any(|a| a == "--verbose" || a == "-v");
    let file = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .cloned()
        .unwrap_or_else(|| "tests/fixtures/targets.toml".to_string());
    let text = std::fs::read_to_string(&file).unwrap_or_else(|e| {
        eprintln!("eval_targets: cannot read {file}: {e}");
        std::process::exit(2)
    });
    let annotations = Annotations::parse(&text).unwrap_or_else(|e| {
        eprintln!("eval_targets: {file} is not a valid annotation file: {e}");
        std::process::exit(2)
    });
    let scores = evaluate(&annotations);
    if verbose {
        for m in &scores.mistakes {
            match m {
                Mistake::Missed {
                    source,
                    expected,
                    got,
                } => println!(
                    "missed   {source}: {} {}{} {:?} {:?} strive={} year={:?}\n         got {}",
                    expected.indicator,
                    expected.value,
                    expected.unit.as_deref().unwrap_or(""),
                    expected.bound,
                    expected.kind,
                    expected.strive,
                    expected.year,
                    got.as_ref().map_or("nothing".to_string(), |t| format!(
                        "{} {}{} {:?} {:?} strive={} year={:?}",
                        t.indicator,
                        t.value_text,
                        t.unit.as_deref().unwrap_or(""),
                        t.bound,
                        t.kind,
                        t.strive,
                        t.year
                    ))
                ),
                Mistake::Spurious { source, got } => println!(
                    "spurious {source}: {} {}{} ({})",
                    got.indicator,
                    got.value_text,
                    got.unit.as_deref().unwrap_or(""),
                    got.text
                ),
            }
        }
        println!();
    }
    println!(
        "{} passages, {} annotated targets, {} extracted",
        scores.passages, scores.annotated, scores.extracted
    );
    println!(
        "precision {:.1}% ({} of {} extracted are annotated targets, every field right)",
        100.0 * scores.precision(),
        scores.correct,
        scores.extracted
    );
    println!(
        "recall    {:.1}% ({} of {} annotated targets extracted, every field right)",
        100.0 * scores.recall(),
        scores.correct,
        scores.annotated
    );
    println!(
        "values and units only: precision {:.1}%, recall {:.1}%",
        100.0 * scores.value_precision(),
        100.0 * scores.value_recall()
    );
}
