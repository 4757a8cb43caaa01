//! From a parsed query to a search plan and its tantivy query.
//!
//! Each word is matched two ways, and either suffices: as jieba words in the
//! word fields (which drive ranking), or literally as a phrase of character
//! bigrams (which guarantees that every passage containing the word is found,
//! however jieba cut it). On top come bonuses for a query of several words:
//! all words close together, and the whole query literally. Filters never
//! change scores. Every scored part is named, so `--explain` can show it.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, PhraseQuery, Query,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};

use super::plan::Plan;
use crate::error::{Error, Result};
use crate::gazetteer::gazetteer;
use crate::query::{FilterSpec, Node, TextField, YearRange};
use crate::schema::Fields;
use crate::synonyms::synonyms;
use crate::text::fold_str;
use crate::tokenizer::{self, literal_phrase, literal_runs};

/// Weights of a word match per field: a word in the title or the heading says
/// more about a passage than the same word in its body.
const BODY_BOOST: f32 = 1.0;
const HEADING_BOOST: f32 = 1.5;
const TITLE_BOOST: f32 = 2.0;
/// A passage that only its document's title matches: found, ranked below
/// passages that say it themselves.
const TITLE_ONLY_SCORE: f32 = 0.5;
/// A passage found only literally (jieba cut the text differently) still ranks,
/// below passages where the words stand as words.
const LITERAL_SCORE: f32 = 0.3;
/// A long word's dictionary sub-words standing apart (乡村全面振兴 for
/// 乡村振兴) count for less than the word itself.
const SUBWORD_BOOST: f32 = 0.5;
/// All words of a multi-word query within a few words of each other.
const PROXIMITY_BOOST: f32 = 1.0;
const PROXIMITY_SLOP: u32 = 6;
/// A word jieba splits, or a query of several words, as typed without spaces:
/// the BM25 of the literal phrase.
const EXACT_BOOST: f32 = 1.0;
/// Matches through a synonym count a little less than the word typed.
const SYNONYM_WEIGHT: f32 = 0.8;

/// The filters of a search, resolved.
#[derive(Debug, Clone, Default)]
pub struct Filters {
    /// Region facet paths (any of them).
    pub regions: Vec<String>,
    /// Year ranges (any of them).
    pub years: Vec<YearRange>,
    /// Sector facet paths (any of them).
    pub sectors: Vec<String>,
    /// Document type labels (any of them).
    pub doc_types: Vec<String>,
    /// Target-year ranges (any of them).
    pub target_years: Vec<YearRange>,
    /// Only passages with at least one quantified target.
    pub has_target: bool,
}

impl Filters {
    /// Resolves user-typed filter values, with messages for bad ones.
    pub fn resolve(spec: &FilterSpec) -> Result<Filters> {
        let g = gazetteer();
        let taxonomy = crate::extract::sector::taxonomy();
        Ok(Filters {
            regions: spec
                .regions
                .iter()
                .map(|r| g.resolve(r).map(|c| g.facet_path(c)).map_err(Error::Filter))
                .collect::<Result<_>>()?,
            years: spec
                .years
                .iter()
                .map(|y| YearRange::parse(y).map_err(Error::Filter))
                .collect::<Result<_>>()?,
            sectors: spec
                .sectors
                .iter()
                .map(|s| taxonomy.resolve(s).map_err(Error::Filter))
                .collect::<Result<_>>()?,
            doc_types: spec
                .types
                .iter()
                .map(|t| {
                    t.parse::<crate::extract::DocType>()
                        .map(|d| d.label().to_string())
                        .map_err(Error::Filter)
                })
                .collect::<Result<_>>()?,
            target_years: spec
                .target_years
                .iter()
                .map(|y| YearRange::parse(y).map_err(Error::Filter))
                .collect::<Result<_>>()?,
            has_target: spec.has_target,
        })
    }

    /// The filter queries, one per kind of filter in use (all must match).
    pub fn queries(&self, fields: &Fields) -> Vec<Box<dyn Query>> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        let facet_terms = |field: Field, paths: &[String]| -> Box<dyn Query> {
            any_of(
                paths
                    .iter()
                    .map(|p| {
                        Box::new(TermQuery::new(
                            Term::from_facet(
                                field,
                                &Facet::from_text(p).unwrap_or_else(|_| Facet::root()),
                            ),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>
                    })
                    .collect(),
            )
        };
        if !self.regions.is_empty() {
            out.push(facet_terms(fields.region, &self.regions));
        }
        if !self.sectors.is_empty() {
            out.push(facet_terms(fields.sector, &self.sectors));
        }
        if !self.years.is_empty() {
            out.push(any_of(
                self.years
                    .iter()
                    .map(|r| year_range(fields.year, r))
                    .collect(),
            ));
        }
        if !self.target_years.is_empty() {
            out.push(any_of(
                self.target_years
                    .iter()
                    .map(|r| year_range(fields.target_year, r))
                    .collect(),
            ));
        }
        if self.has_target {
            out.push(Box::new(tantivy::query::RangeQuery::new(
                Bound::Included(Term::from_field_u64(fields.target_count, 1)),
                Bound::Unbounded,
            )));
        }
        if !self.doc_types.is_empty() {
            out.push(any_of(
                self.doc_types
                    .iter()
                    .map(|t| {
                        Box::new(TermQuery::new(
                            Term::from_field_text(fields.doc_type, t),
                            IndexRecordOption::Basic,
                        )) as Box<dyn Query>
                    })
                    .collect(),
            ));
        }
        out
    }
}

fn any_of(mut queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match queries.len() {
        1 => queries.pop().unwrap_or_else(|| Box::new(EmptyQuery)),
        _ => Box::new(BooleanQuery::union(queries)),
    }
}

fn year_range(field: Field, r: &YearRange) -> Box<dyn Query> {
    let bound = |y: Option<u16>, inclusive: fn(Term) -> Bound<Term>| match y {
        Some(y) => inclusive(Term::from_field_u64(field, u64::from(y))),
        None => Bound::Unbounded,
    };
    Box::new(tantivy::query::RangeQuery::new(
        bound(r.from, Bound::Included),
        bound(r.to, Bound::Included),
    ))
}

/// What a query asks for, for highlighting and `--explain`.
#[derive(Debug, Clone, Default)]
pub struct Wanted {
    /// Folded literal strings to highlight (whole words and phrases).
    pub literals: Vec<String>,
    /// Folded jieba words to highlight.
    pub words: Vec<String>,
    /// How each query term was read: its jieba words, its literal form and the
    /// synonyms it brought in (printed by `--explain`).
    pub readings: Vec<String>,
}

/// A compiled search: the plan (named parts, for `--explain`) and its query.
#[derive(Debug)]
pub struct Compiled {
    /// The plan the query was built from.
    pub plan: Plan,
    /// The tantivy query.
    pub query: Box<dyn Query>,
    /// What the query asks for.
    pub wanted: Wanted,
}

/// Compiles a parsed expression plus filters into one query.
pub fn compile(fields: &Fields, root: Option<&Node>, filters: &Filters) -> Compiled {
    let mut builder = Builder {
        fields,
        wanted: Wanted::default(),
    };
    let mut top = Vec::new();
    match root {
        Some(node) => {
            top.push(builder.node(node, true));
            top.extend(
                builder
                    .bonuses(node)
                    .into_iter()
                    .map(Box::new)
                    .map(Plan::Bonus),
            );
        }
        None => top.push(Plan::Filter(Box::new(AllQuery))),
    }
    top.extend(filters.queries(fields).into_iter().map(Plan::Filter));
    let plan = Plan::All(top);
    Compiled {
        query: plan.query(),
        plan,
        wanted: builder.wanted,
    }
}

/// One text field as a term searches it: its name, word field, literal field
/// and weight.
struct FieldSet {
    name: &'static str,
    words: Field,
    literal: Field,
    boost: f32,
}

/// The fields a term searches (all three, or the one it names).
fn field_set(fields: &Fields, only: Option<TextField>) -> Vec<FieldSet> {
    let all = [
        (
            TextField::Body,
            "body",
            fields.body,
            fields.body_lit,
            BODY_BOOST,
        ),
        (
            TextField::Heading,
            "heading",
            fields.heading,
            fields.heading_lit,
            HEADING_BOOST,
        ),
        (
            TextField::Title,
            "title",
            fields.title,
            fields.title_lit,
            TITLE_BOOST,
        ),
    ];
    all.into_iter()
        .filter(|(tf, ..)| only.is_none_or(|o| o == *tf))
        .map(|(_, name, words, literal, boost)| FieldSet {
            name,
            words,
            literal,
            boost,
        })
        .collect()
}

struct Builder<'a> {
    fields: &'a Fields,
    wanted: Wanted,
}

impl Builder<'_> {
    /// The plan of a node; `positive` is false under an exclusion, where
    /// nothing is highlighted or explained.
    fn node(&mut self, node: &Node, positive: bool) -> Plan {
        match node {
            Node::Term {
                text,
                phrase,
                field,
            } => {
                if positive {
                    self.note_wanted(text, *phrase);
                }
                if *phrase {
                    self.phrase(text, *field)
                } else {
                    self.word_with_synonyms(text, *field, positive)
                }
            }
            Node::And(children) => Plan::All(
                children
                    .iter()
                    .map(|c| match c {
                        Node::Not(inner) => Plan::Not(Box::new(self.node(inner, false))),
                        other => self.node(other, positive),
                    })
                    .collect(),
            ),
            Node::Or(children) => {
                Plan::Any(children.iter().map(|c| self.node(c, positive)).collect())
            }
            Node::Not(inner) => Plan::All(vec![Plan::Not(Box::new(self.node(inner, false)))]),
        }
    }

    fn note_wanted(&mut self, text: &str, phrase: bool) {
        let folded = fold_str(text);
        let runs = literal_runs(&folded);
        let mut reading = format!(
            "{}: literally {}",
            if phrase {
                format!("\"{text}\"")
            } else {
                text.to_string()
            },
            literal_form(text)
        );
        if phrase {
            let words: Vec<String> = tokenizer::phrase_terms(text)
                .into_iter()
                .map(|(_, w)| w)
                .collect();
            reading.push_str(&format!(" · or the words {} in order", words.join(" ")));
        } else {
            let parts = tokenizer::cut(text);
            reading.push_str(&format!(" · or the words {}", parts.join(" + ")));
            for w in parts {
                if w.chars().count() >= 2 && !self.wanted.words.contains(&w) {
                    self.wanted.words.push(w);
                }
            }
        }
        self.wanted.literals.extend(runs);
        self.wanted.readings.push(reading);
    }

    /// An unquoted word, and the synonyms of policy shorthand (放管服).
    fn word_with_synonyms(&mut self, text: &str, only: Option<TextField>, positive: bool) -> Plan {
        let own = self.word(text, only, 1.0, text);
        let expansions = synonyms().expansions(text);
        if expansions.is_empty() {
            return own;
        }
        let mut alternatives = vec![own];
        for member in expansions {
            if positive {
                self.wanted
                    .readings
                    .push(format!("{text}: synonym {}", member.join(" + ")));
                self.wanted.literals.extend(member.iter().cloned());
            }
            // A member of several words counts as much as one word.
            let weight = SYNONYM_WEIGHT / member.len() as f32;
            alternatives.push(Plan::All(
                member
                    .iter()
                    .map(|w| self.word(w, only, weight, &format!("{text} ≈ {w}")))
                    .collect(),
            ));
        }
        Plan::Any(alternatives)
    }

    /// An unquoted word: all its jieba parts in a field, or the word literally.
    fn word(&self, text: &str, only: Option<TextField>, weight: f32, name: &str) -> Plan {
        let parts = tokenizer::cut(text);
        let runs = literal_runs(text);
        self.over_fields(only, weight, name, |f, boost| {
            let mut alternatives = Vec::new();
            if !parts.is_empty() {
                let all_parts = BooleanQuery::intersection(
                    parts.iter().map(|p| part_query(f.words, p)).collect(),
                );
                alternatives.push(Plan::part(
                    format!("{name} · {} words (BM25 ×{})", f.name, num(boost)),
                    Box::new(BoostQuery::new(Box::new(all_parts), boost)),
                ));
            }
            if let Some(literal) = literal_query(f.literal, &runs) {
                alternatives.push(if parts.len() > 1 {
                    // jieba split the word: the word as typed (农业发展) ranks
                    // above its parts apart (农业…发展), by the BM25 of the
                    // literal phrase.
                    Plan::part(
                        format!("{name} · {} literally (BM25 ×{})", f.name, num(boost)),
                        Box::new(BoostQuery::new(literal, EXACT_BOOST * boost)),
                    )
                } else {
                    Plan::part(
                        format!("{name} · {} literally", f.name),
                        Box::new(ConstScoreQuery::new(literal, LITERAL_SCORE * boost)),
                    )
                });
            }
            alternatives
        })
    }

    /// A quoted phrase: its jieba words in order, or the phrase literally.
    fn phrase(&self, text: &str, only: Option<TextField>) -> Plan {
        let terms = tokenizer::phrase_terms(text);
        let runs = literal_runs(text);
        let name = format!("\"{text}\"");
        self.over_fields(only, 1.0, &name, |f, boost| {
            let mut alternatives = Vec::new();
            let q: Option<Box<dyn Query>> = match terms.as_slice() {
                [] => None,
                [(_, one)] => Some(Box::new(TermQuery::new(
                    Term::from_field_text(f.words, one),
                    IndexRecordOption::WithFreqs,
                ))),
                _ => Some(Box::new(PhraseQuery::new_with_offset(
                    terms
                        .iter()
                        .map(|(pos, w)| (*pos, Term::from_field_text(f.words, w)))
                        .collect(),
                ))),
            };
            if let Some(q) = q {
                alternatives.push(Plan::part(
                    format!("{name} · {} phrase (BM25 ×{})", f.name, num(boost)),
                    Box::new(BoostQuery::new(q, boost)),
                ));
            }
            // Literal containment of the whole phrase (runs split at punctuation).
            if let Some(q) = literal_query(f.literal, &runs) {
                alternatives.push(Plan::part(
                    format!("{name} · {} literally", f.name),
                    Box::new(ConstScoreQuery::new(q, LITERAL_SCORE * boost)),
                ));
            }
            alternatives
        })
    }

    /// A term over the text fields, from its ways of matching in one field
    /// (`alternatives(field, boost)`).
    ///
    /// A named field takes its own alternatives. Otherwise the passage's body
    /// and heading count fully, and the title, shared by every passage of a
    /// document, weighs most when the passage says it too; a passage that only
    /// its title matches ranks below those that say it themselves.
    fn over_fields(
        &self,
        only: Option<TextField>,
        weight: f32,
        name: &str,
        alternatives: impl Fn(&FieldSet, f32) -> Vec<Plan>,
    ) -> Plan {
        let of = |fields: Vec<FieldSet>| -> Vec<Plan> {
            fields
                .iter()
                .flat_map(|f| alternatives(f, f.boost * weight))
                .collect()
        };
        if only.is_some() {
            return any_or_nothing(of(field_set(self.fields, only)), name);
        }
        let passage = any_or_nothing(
            of(field_set(self.fields, Some(TextField::Body))
                .into_iter()
                .chain(field_set(self.fields, Some(TextField::Heading)))
                .collect()),
            name,
        );
        let title = of(field_set(self.fields, Some(TextField::Title)));
        if title.is_empty() {
            return passage;
        }
        let title = Plan::Any(title);
        let title_only = Plan::part(
            format!("{name} · in the title"),
            Box::new(ConstScoreQuery::new(
                title.query(),
                TITLE_ONLY_SCORE * weight,
            )),
        );
        let title_bonus = Plan::All(vec![Plan::Require(Box::new(passage.clone())), title]);
        Plan::All(vec![
            Plan::Any(vec![passage, title_only]),
            Plan::Bonus(Box::new(title_bonus)),
        ])
    }

    /// Extras for a query of several words: all of them close together in the
    /// text, and the whole query as typed, literally.
    fn bonuses(&self, node: &Node) -> Vec<Plan> {
        let Node::And(children) = node else {
            return Vec::new();
        };
        let mut terms: Vec<&str> = Vec::new();
        for c in children {
            match c {
                Node::Term {
                    text, field: None, ..
                } => terms.push(text),
                Node::Not(_) => {}
                _ => return Vec::new(),
            }
        }
        if terms.len() < 2 {
            return Vec::new();
        }
        let mut out = Vec::new();
        let words: Vec<String> = terms.iter().flat_map(|t| tokenizer::cut(t)).collect();
        if words.len() >= 2 {
            let positioned: Vec<(usize, Term)> = words
                .iter()
                .enumerate()
                .map(|(i, w)| (i, Term::from_field_text(self.fields.body, w)))
                .collect();
            out.push(Plan::part(
                format!("all words within {PROXIMITY_SLOP} words of each other in the body"),
                Box::new(BoostQuery::new(
                    Box::new(PhraseQuery::new_with_offset_and_slop(
                        positioned,
                        PROXIMITY_SLOP,
                    )),
                    PROXIMITY_BOOST,
                )),
            ));
        }
        let whole: String = terms.concat();
        let runs = literal_runs(&whole);
        for f in field_set(self.fields, None) {
            if let Some(q) = literal_query(f.literal, &runs) {
                out.push(Plan::part(
                    format!(
                        "whole query {} literally in the {}",
                        literal_form(&whole),
                        f.name
                    ),
                    Box::new(BoostQuery::new(q, EXACT_BOOST * f.boost)),
                ));
            }
        }
        out
    }
}

/// Text as the literal fields compare it (folded, whitespace removed), for
/// `--explain`: punctuation inside stands for any punctuation.
fn literal_form(text: &str) -> String {
    fold_str(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// A weight as `--explain` shows it: 2, 1.5, 0.27.
fn num(x: f32) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A plan that matches if any alternative does; none means nothing matches.
fn any_or_nothing(alternatives: Vec<Plan>, name: &str) -> Plan {
    if alternatives.is_empty() {
        Plan::part(format!("{name} · nothing to search"), Box::new(EmptyQuery))
    } else {
        Plan::Any(alternatives)
    }
}

/// One jieba part of a query word. A long part (乡村振兴) also matches its own
/// dictionary sub-words standing apart (乡村全面振兴), which score lower as
/// they are rarer together.
fn part_query(field: Field, part: &str) -> Box<dyn Query> {
    let exact: Box<dyn Query> = Box::new(TermQuery::new(
        Term::from_field_text(field, part),
        IndexRecordOption::WithFreqs,
    ));
    let subwords: Vec<String> = tokenizer::words(part)
        .into_iter()
        .filter(|w| w != part)
        .collect();
    if part.chars().count() < 4 || subwords.len() < 2 {
        return exact;
    }
    let split = BooleanQuery::intersection(
        subwords
            .iter()
            .map(|w| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, w),
                    IndexRecordOption::WithFreqs,
                )) as Box<dyn Query>
            })
            .collect(),
    );
    Box::new(BooleanQuery::union(vec![
        exact,
        Box::new(BoostQuery::new(Box::new(split), SUBWORD_BOOST)),
    ]))
}

/// Literal containment of a word or phrase (its runs, split at punctuation),
/// as one phrase over the bigram field.
fn literal_query(field: Field, runs: &[String]) -> Option<Box<dyn Query>> {
    if let [run] = runs
        && run.chars().count() == 1
    {
        // A single character: any bigram starting with it, or a run-final unigram.
        let pattern = format!("{}.?", regex_escape(run));
        return Some(match RegexQuery::from_pattern(&pattern, field) {
            Ok(q) => Box::new(q),
            Err(_) => Box::new(EmptyQuery),
        });
    }
    let mut terms: Vec<(usize, Term)> = literal_phrase(runs)
        .into_iter()
        .map(|(pos, t)| (pos, Term::from_field_text(field, &t)))
        .collect();
    match terms.len() {
        0 => None,
        1 => terms.pop().map(|(_, t)| {
            Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>
        }),
        _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
    }
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
