//! A search as a tree of named parts, turned into one tantivy query.
//!
//! tantivy's own `Explanation` is a tree of anonymous BM25 formulas; a
//! researcher asking `--explain` wants "乡村振兴 · heading words 4.10". Every
//! score in plansearch is a sum (boolean clauses add up, boosts sit on the
//! named leaves), so a hit's score is the sum of the named parts that match it,
//! and the plan that builds the query is also the one that explains it. The
//! content factor that multiplies the sum is shown as a part of its own: what
//! it added (or took away).

use serde::Serialize;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, EnableScoring, Occur, Query,
};
use tantivy::{DocAddress, Searcher};

use super::records::{ContentScaled, content_factor};

/// The label of the content factor's part in `--explain`; the search adds
/// the signals that made the factor.
pub const CONTENT_PART: &str = "content";

/// A node of a search plan.
#[derive(Debug)]
pub enum Plan {
    /// A scored tantivy query and what it means.
    Part {
        /// What this part is, as `--explain` prints it.
        label: String,
        /// The query; its score (boost included) is this part's share.
        query: Box<dyn Query>,
    },
    /// All children must match; the scores add up. `Not` and `Bonus`
    /// children are exclusions and optional extras.
    All(Vec<Plan>),
    /// At least one child must match; the matching ones add up.
    Any(Vec<Plan>),
    /// Must not match (inside `All`).
    Not(Box<Plan>),
    /// Adds its score when it matches, never required (inside `All`).
    Bonus(Box<Plan>),
    /// Must match, scores nothing (a condition of a bonus).
    Require(Box<Plan>),
    /// Must match, scores nothing (facet and year filters).
    Filter(Box<dyn Query>),
    /// Its child's score multiplied by the passage's content factor.
    Scaled(Box<Plan>),
}

impl Clone for Plan {
    fn clone(&self) -> Plan {
        match self {
            Plan::Part { label, query } => Plan::Part {
                label: label.clone(),
                query: query.box_clone(),
            },
            Plan::All(c) => Plan::All(c.clone()),
            Plan::Any(c) => Plan::Any(c.clone()),
            Plan::Not(p) => Plan::Not(p.clone()),
            Plan::Bonus(p) => Plan::Bonus(p.clone()),
            Plan::Require(p) => Plan::Require(p.clone()),
            Plan::Filter(q) => Plan::Filter(q.box_clone()),
            Plan::Scaled(p) => Plan::Scaled(p.clone()),
        }
    }
}

/// One named part of a hit's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScorePart {
    /// What matched, e.g. "乡村振兴 · heading words (BM25 ×1.5)".
    pub part: String,
    /// What it added to the score.
    pub score: f32,
}

impl Plan {
    /// A named leaf.
    pub fn part(label: impl Into<String>, query: Box<dyn Query>) -> Plan {
        Plan::Part {
            label: label.into(),
            query,
        }
    }

    /// The tantivy query of this plan.
    pub fn query(&self) -> Box<dyn Query> {
        let zero = || -> Box<dyn Query> { Box::new(ConstScoreQuery::new(Box::new(AllQuery), 0.0)) };
        match self {
            Plan::Part { query, .. } => query.box_clone(),
            Plan::Filter(q) => Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)),
            Plan::Scaled(inner) => Box::new(ContentScaled {
                inner: inner.query(),
                field_name: crate::schema::names::CONTENT,
            }),
            Plan::Require(inner) => Box::new(ConstScoreQuery::new(inner.query(), 0.0)),
            Plan::All(children) => {
                let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
                let mut required = false;
                for c in children {
                    match c {
                        Plan::Not(inner) => clauses.push((Occur::MustNot, inner.query())),
                        Plan::Bonus(inner) => clauses.push((Occur::Should, inner.query())),
                        other => {
                            required = true;
                            clauses.push((Occur::Must, other.query()));
                        }
                    }
                }
                // Only exclusions (x (-a -b)): everything but them, not nothing.
                if !required {
                    clauses.push((Occur::Must, zero()));
                }
                Box::new(BooleanQuery::new(clauses))
            }
            Plan::Any(children) => match children.as_slice() {
                [] => Box::new(EmptyQuery),
                [one] => one.query(),
                _ => Box::new(BooleanQuery::union(
                    children.iter().map(Plan::query).collect(),
                )),
            },
            Plan::Not(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, zero()),
                (Occur::MustNot, inner.query()),
            ])),
            Plan::Bonus(inner) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, zero()),
                (Occur::Should, inner.query()),
            ])),
        }
    }

    /// The named parts that score `doc`, or `None` if the plan does not match it.
    /// Filters and exclusions are taken as passed: call it for hits only.
    pub fn explain(&self, searcher: &Searcher, doc: DocAddress) -> Option<Vec<ScorePart>> {
        match self {
            Plan::Part { label, query } => part_score(query.as_ref(), searcher, doc).map(|score| {
                vec![ScorePart {
                    part: label.clone(),
                    score,
                }]
            }),
            Plan::Filter(_) | Plan::Not(_) => Some(Vec::new()),
            // The parts as they are, and what the content factor made of
            // their sum, so that the parts still add up to the score.
            Plan::Scaled(inner) => {
                let mut parts = inner.explain(searcher, doc)?;
                let sum: f32 = parts.iter().map(|p| p.score).sum();
                let reader = searcher.segment_reader(doc.segment_ord);
                let factor = content_factor(reader, doc.doc_id, crate::schema::names::CONTENT);
                if (factor - 1.0).abs() > f32::EPSILON {
                    parts.push(ScorePart {
                        part: format!("{CONTENT_PART} ×{factor:.2}"),
                        score: sum * (factor - 1.0),
                    });
                }
                Some(parts)
            }
            Plan::Bonus(inner) => Some(inner.explain(searcher, doc).unwrap_or_default()),
            Plan::Require(inner) => inner.explain(searcher, doc).map(|_| Vec::new()),
            Plan::All(children) => {
                let mut parts = Vec::new();
                for c in children {
                    parts.extend(c.explain(searcher, doc)?);
                }
                Some(parts)
            }
            Plan::Any(children) => {
                let matched: Vec<Vec<ScorePart>> = children
                    .iter()
                    .filter_map(|c| c.explain(searcher, doc))
                    .collect();
                (!matched.is_empty()).then(|| matched.into_iter().flatten().collect())
            }
        }
    }
}

/// The score a query gives `doc`, or `None` if it does not match. Scores the
/// document directly rather than through `Query::explain`, whose boolean
/// weight seeks backwards (a debug assertion in tantivy 0.27) when the
/// document precedes the first match.
fn part_score(query: &dyn Query, searcher: &Searcher, doc: DocAddress) -> Option<f32> {
    let weight = query
        .weight(EnableScoring::enabled_from_searcher(searcher))
        .ok()?;
    let reader = searcher.segment_reader(doc.segment_ord);
    let mut scorer = weight.scorer(reader, 1.0).ok()?;
    if scorer.doc() > doc.doc_id || scorer.seek(doc.doc_id) != doc.doc_id {
        return None;
    }
    Some(scorer.score())
}
