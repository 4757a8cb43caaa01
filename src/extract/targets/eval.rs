//! Precision and recall of target extraction against hand-annotated passages
//! (tests/fixtures/targets.toml, where what counts as a target is written down).
//!
//! An extracted target is *correct* when it is an annotated one: the same value
//! as written and unit, the same bound, kind, 力争 and year, and an indicator
//! that contains the annotated one or is contained in it (the phrase may be
//! longer, 全市主要农产品加工转化率 for 农产品加工转化率, or shorter). Precision is
//! correct / extracted, recall correct / annotated. A looser figure counts a
//! target *found* when only its value and unit match.

use serde::Deserialize;

use super::{Bound, Context, Kind, Target, extract_targets};
use crate::extract::DocType;

/// The annotation file.
#[derive(Debug, Deserialize)]
pub struct Annotations {
    /// The annotated passages.
    pub passage: Vec<AnnotatedPassage>,
}

/// One passage and its targets as annotated.
#[derive(Debug, Deserialize)]
pub struct AnnotatedPassage {
    /// `path#N` of the passage.
    pub source: String,
    /// `shipped` (corpus/) or `shared` (the evaluation corpus).
    pub corpus: String,
    /// The document's type label.
    pub doc_type: Option<String>,
    /// The heading path, "一、… > (一)…".
    #[serde(default)]
    pub heading: String,
    /// The passage text.
    pub text: String,
    /// Why the annotation is as it is, where that is not obvious.
    #[serde(default)]
    pub note: String,
    /// The targets, in text order.
    pub targets: Vec<AnnotatedTarget>,
}

/// A target as annotated.
#[derive(Debug, Clone, Deserialize)]
pub struct AnnotatedTarget {
    /// The indicator's core phrase.
    pub indicator: String,
    /// The value as written ("600", "1-2", "X").
    pub value: String,
    /// The unit, absent when the text gives none.
    pub unit: Option<String>,
    /// Bound; exact when absent.
    #[serde(default)]
    pub bound: Bound,
    /// Under 力争.
    #[serde(default)]
    pub strive: bool,
    /// Level or change; level when absent.
    #[serde(default)]
    pub kind: Kind,
    /// Target year.
    pub year: Option<u16>,
}

impl Annotations {
    /// Parses the annotation file.
    pub fn parse(toml_text: &str) -> Result<Annotations, String> {
        toml::from_str(toml_text).map_err(|e| e.to_string())
    }
}

impl AnnotatedPassage {
    /// Extracts the passage's targets as the indexer does.
    pub fn extract(&self) -> Vec<Target> {
        let headings: Vec<String> = if self.heading.is_empty() {
            Vec::new()
        } else {
            self.heading.split(" > ").map(str::to_string).collect()
        };
        let doc_type = self
            .doc_type
            .as_deref()
            .and_then(|t| t.parse::<DocType>().ok());
        extract_targets(
            &self.text,
            &Context {
                doc_type,
                headings: &headings,
            },
        )
    }
}

/// What went wrong with one target.
#[derive(Debug, Clone)]
pub enum Mistake {
    /// Annotated, not extracted (or extracted with other fields).
    Missed {
        /// The passage.
        source: String,
        /// The annotation.
        expected: AnnotatedTarget,
        /// The extraction with the same value and unit, if any.
        got: Option<Target>,
    },
    /// Extracted, not annotated.
    Spurious {
        /// The passage.
        source: String,
        /// The extraction.
        got: Target,
    },
}

/// The figures of an evaluation.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// Passages evaluated.
    pub passages: usize,
    /// Targets annotated.
    pub annotated: usize,
    /// Targets extracted.
    pub extracted: usize,
    /// Extracted targets equal to an annotated one in every field.
    pub correct: usize,
    /// Extracted targets whose value and unit match an annotated one.
    pub found: usize,
    /// Every mistake, for `--verbose`.
    pub mistakes: Vec<Mistake>,
}

impl Scores {
    /// correct / extracted.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.extracted)
    }

    /// correct / annotated.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.annotated)
    }

    /// found / extracted: values and units only.
    pub fn value_precision(&self) -> f64 {
        ratio(self.found, self.extracted)
    }

    /// found / annotated: values and units only.
    pub fn value_recall(&self) -> f64 {
        ratio(self.found, self.annotated)
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 { 1.0 } else { a as f64 / b as f64 }
}

fn normalise(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

/// Whether an extracted indicator names the annotated one.
pub fn indicator_matches(expected: &str, got: &str) -> bool {
    let (e, g) = (normalise(expected), normalise(got));
    !g.is_empty() && (g.contains(&e) || e.contains(&g))
}

fn same_quantity(e: &AnnotatedTarget, t: &Target) -> bool {
    e.value == t.value_text && e.unit == t.unit
}

fn same_target(e: &AnnotatedTarget, t: &Target) -> bool {
    same_quantity(e, t)
        && e.bound == t.bound
        && e.kind == t.kind
        && e.strive == t.strive
        && e.year == t.year
        && indicator_matches(&e.indicator, &t.indicator)
}

/// Scores extraction over the annotated passages.
pub fn evaluate(annotations: &Annotations) -> Scores {
    let mut scores = Scores::default();
    for p in &annotations.passage {
        let got = p.extract();
        scores.passages += 1;
        scores.annotated += p.targets.len();
        scores.extracted += got.len();
        // Pair each annotation with an extraction of the same quantity, the
        // fully equal one first, in text order.
        let mut used = vec![false; got.len()];
        let mut pair: Vec<Option<usize>> = vec![None; p.targets.len()];
        for (strict, rule) in [
            (true, same_target as fn(&AnnotatedTarget, &Target) -> bool),
            (false, same_quantity),
        ] {
            for (i, e) in p.targets.iter().enumerate() {
                if pair[i].is_some() {
                    continue;
                }
                if let Some(j) = (0..got.len()).find(|&j| !used[j] && rule(e, &got[j])) {
                    used[j] = true;
                    pair[i] = Some(j);
                    scores.found += 1;
                    if strict {
                        scores.correct += 1;
                    }
                }
            }
        }
        for (i, e) in p.targets.iter().enumerate() {
            let hit = pair[i].map(|j| &got[j]);
            if !hit.is_some_and(|t| same_target(e, t)) {
                scores.mistakes.push(Mistake::Missed {
                    source: p.source.clone(),
                    expected: e.clone(),
                    got: hit.cloned(),
                });
            }
        }
        for (j, t) in got.iter().enumerate() {
            if !used[j] {
                scores.mistakes.push(Mistake::Spurious {
                    source: p.source.clone(),
                    got: t.clone(),
                });
            }
        }
    }
    scores
}
