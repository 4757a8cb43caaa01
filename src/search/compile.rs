//! From a parsed query to tantivy queries.
//!
//! Each word is matched two ways, and either suffices: as jieba words in the
//! word fields (which drive ranking), or literally as a phrase of character
//! bigrams (which guarantees that every passage containing the word is found,
//! however jieba cut it). Filters never change scores.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query,
    RegexQuery, TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};

use crate::error::{Error, Result};
use crate::gazetteer::gazetteer;
use crate::query::{Node, TextField, YearRange};
use crate::schema::Fields;
use crate::text::fold_str;
use crate::tokenizer::{self, literal_runs, run_bigrams};

/// Weights of a word match per field, and of a literal-only match.
const BODY_BOOST: f32 = 1.0;
const HEADING_BOOST: f32 = 1.5;
const TITLE_BOOST: f32 = 2.0;
/// A passage found only literally (jieba cut the text differently) still ranks,
/// below passages where the words stand as words.
const LITERAL_SCORE: f32 = 0.3;
/// Bonus when a word's parts stand together, and when all query words stand
/// close together.
const ADJACENT_BOOST: f32 = 1.0;
const PROXIMITY_BOOST: f32 = 0.5;
const PROXIMITY_SLOP: u32 = 6;

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
}

impl Filters {
    /// Resolves user-typed filter values, with messages for bad ones.
    pub fn resolve(
        regions: &[String],
        years: &[String],
        sectors: &[String],
        types: &[String],
        target_years: &[String],
    ) -> Result<Filters> {
        let g = gazetteer();
        let taxonomy = crate::extract::sector::taxonomy();
        Ok(Filters {
            regions: regions
                .iter()
                .map(|r| g.resolve(r).map(|c| g.facet_path(c)).map_err(Error::Filter))
                .collect::<Result<_>>()?,
            years: years
                .iter()
                .map(|y| YearRange::parse(y).map_err(Error::Filter))
                .collect::<Result<_>>()?,
            sectors: sectors
                .iter()
                .map(|s| taxonomy.resolve(s).map_err(Error::Filter))
                .collect::<Result<_>>()?,
            doc_types: types
                .iter()
                .map(|t| {
                    t.parse::<crate::extract::DocType>()
                        .map(|d| d.label().to_string())
                        .map_err(Error::Filter)
                })
                .collect::<Result<_>>()?,
            target_years: target_years
                .iter()
                .map(|y| YearRange::parse(y).map_err(Error::Filter))
                .collect::<Result<_>>()?,
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
    if queries.len() == 1 {
        queries.pop().expect("one query")
    } else {
        Box::new(BooleanQuery::union(queries))
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
}

/// Compiles a parsed expression plus filters into one query.
pub fn compile(
    fields: &Fields,
    root: Option<&Node>,
    filters: &Filters,
) -> (Box<dyn Query>, Wanted) {
    let mut wanted = Wanted::default();
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    match root {
        Some(node) => {
            clauses.push((Occur::Must, node_query(fields, node, &mut wanted, true)));
            if let Some(q) = proximity(fields, node) {
                clauses.push((Occur::Should, q));
            }
        }
        None => clauses.push((Occur::Must, Box::new(AllQuery))),
    }
    for f in filters.queries(fields) {
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(f, 0.0))));
    }
    (Box::new(BooleanQuery::new(clauses)), wanted)
}

fn node_query(fields: &Fields, node: &Node, wanted: &mut Wanted, positive: bool) -> Box<dyn Query> {
    match node {
        Node::Term {
            text,
            phrase,
            field,
        } => {
            if positive {
                note_wanted(text, *phrase, wanted);
            }
            if *phrase {
                phrase_query(fields, text, *field)
            } else {
                word_query(fields, text, *field)
            }
        }
        Node::And(children) => {
            let clauses = children
                .iter()
                .map(|c| match c {
                    Node::Not(inner) => (Occur::MustNot, node_query(fields, inner, wanted, false)),
                    other => (Occur::Must, node_query(fields, other, wanted, positive)),
                })
                .collect();
            Box::new(BooleanQuery::new(clauses))
        }
        Node::Or(children) => Box::new(BooleanQuery::union(
            children
                .iter()
                .map(|c| node_query(fields, c, wanted, positive))
                .collect(),
        )),
        Node::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
            (Occur::MustNot, node_query(fields, inner, wanted, false)),
        ])),
    }
}

fn note_wanted(text: &str, phrase: bool, wanted: &mut Wanted) {
    let folded = fold_str(text);
    wanted.literals.extend(literal_runs(&folded));
    if !phrase {
        for w in tokenizer::cut(text) {
            if w.chars().count() >= 2 && !wanted.words.contains(&w) {
                wanted.words.push(w);
            }
        }
    }
}

/// The (word field, literal field, boost) triples a term searches.
fn field_set(fields: &Fields, only: Option<TextField>) -> Vec<(Field, Field, f32)> {
    let all = [
        (TextField::Body, fields.body, fields.body_lit, BODY_BOOST),
        (
            TextField::Heading,
            fields.heading,
            fields.heading_lit,
            HEADING_BOOST,
        ),
        (
            TextField::Title,
            fields.title,
            fields.title_lit,
            TITLE_BOOST,
        ),
    ];
    all.into_iter()
        .filter(|(tf, ..)| only.is_none_or(|o| o == *tf))
        .map(|(_, w, l, b)| (w, l, b))
        .collect()
}

/// An unquoted word: all its jieba parts in one field, or the word literally.
fn word_query(fields: &Fields, text: &str, only: Option<TextField>) -> Box<dyn Query> {
    let parts = tokenizer::cut(text);
    let runs = literal_runs(text);
    if parts.is_empty() && runs.is_empty() {
        return Box::new(EmptyQuery);
    }
    let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
    for (word_field, lit_field, boost) in field_set(fields, only) {
        if !parts.is_empty() {
            let all_parts = BooleanQuery::intersection(
                parts.iter().map(|p| part_query(word_field, p)).collect(),
            );
            alternatives.push(Box::new(BoostQuery::new(Box::new(all_parts), boost)));
            if parts.len() > 1 && word_field == fields.body {
                // The parts side by side, as typed, rank above scattered parts.
                let terms: Vec<(usize, Term)> = parts
                    .iter()
                    .enumerate()
                    .map(|(i, p)| (i, Term::from_field_text(word_field, p)))
                    .collect();
                alternatives.push(Box::new(BoostQuery::new(
                    Box::new(PhraseQuery::new_with_offset(terms)),
                    ADJACENT_BOOST,
                )));
            }
        }
        if let Some(q) = literal_query(lit_field, &runs) {
            alternatives.push(Box::new(ConstScoreQuery::new(q, LITERAL_SCORE)));
        }
    }
    Box::new(BooleanQuery::union(alternatives))
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
        Box::new(BoostQuery::new(Box::new(split), 0.5)),
    ]))
}

/// Literal containment of every run of a word, as phrases of bigrams.
fn literal_query(field: Field, runs: &[String]) -> Option<Box<dyn Query>> {
    let per_run: Vec<Box<dyn Query>> = runs.iter().map(|r| run_query(field, r)).collect();
    match per_run.len() {
        0 => None,
        1 => per_run.into_iter().next(),
        _ => Some(Box::new(BooleanQuery::intersection(per_run))),
    }
}

fn run_query(field: Field, run: &str) -> Box<dyn Query> {
    let grams = run_bigrams(run);
    if run.chars().count() == 1 {
        // A single character: any bigram starting with it, or a run-final unigram.
        let pattern = format!("{}.?", regex_escape(run));
        return match RegexQuery::from_pattern(&pattern, field) {
            Ok(q) => Box::new(q),
            Err(_) => Box::new(EmptyQuery),
        };
    }
    if grams.len() == 1 {
        return Box::new(TermQuery::new(
            Term::from_field_text(field, &grams[0]),
            IndexRecordOption::WithFreqs,
        ));
    }
    Box::new(PhraseQuery::new(
        grams
            .iter()
            .map(|g| Term::from_field_text(field, g))
            .collect(),
    ))
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

/// A quoted phrase: its jieba words in order, or the phrase literally.
fn phrase_query(fields: &Fields, text: &str, only: Option<TextField>) -> Box<dyn Query> {
    let terms = tokenizer::phrase_terms(text);
    let runs = literal_runs(text);
    let mut alternatives: Vec<Box<dyn Query>> = Vec::new();
    for (word_field, lit_field, boost) in field_set(fields, only) {
        let q: Option<Box<dyn Query>> = match terms.len() {
            0 => None,
            1 => Some(Box::new(TermQuery::new(
                Term::from_field_text(word_field, &terms[0].1),
                IndexRecordOption::WithFreqs,
            ))),
            _ => Some(Box::new(PhraseQuery::new_with_offset(
                terms
                    .iter()
                    .map(|(pos, w)| (*pos, Term::from_field_text(word_field, w)))
                    .collect(),
            ))),
        };
        if let Some(q) = q {
            alternatives.push(Box::new(BoostQuery::new(q, boost)));
        }
        // Literal containment of the whole phrase (runs split at punctuation).
        if let Some(q) = literal_query(lit_field, &runs) {
            alternatives.push(Box::new(ConstScoreQuery::new(q, LITERAL_SCORE)));
        }
    }
    if alternatives.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(BooleanQuery::union(alternatives))
}

/// A bonus for passages where all positive words of a plain AND query stand
/// close together in the text.
fn proximity(fields: &Fields, node: &Node) -> Option<Box<dyn Query>> {
    let Node::And(children) = node else {
        return None;
    };
    let mut words: Vec<String> = Vec::new();
    for c in children {
        match c {
            Node::Term {
                text, field: None, ..
            } => words.extend(tokenizer::cut(text)),
            Node::Not(_) => {}
            _ => return None,
        }
    }
    if words.len() < 2 {
        return None;
    }
    let terms: Vec<(usize, Term)> = words
        .iter()
        .enumerate()
        .map(|(i, w)| (i, Term::from_field_text(fields.body, w)))
        .collect();
    let phrase = PhraseQuery::new_with_offset_and_slop(terms, PROXIMITY_SLOP);
    Some(Box::new(BoostQuery::new(Box::new(phrase), PROXIMITY_BOOST)))
}
