//! From a parsed query to a search plan and its tantivy query.
//!
//! A word matches a passage that says it: literally (a phrase of character
//! bigrams, which finds every passage containing it, however jieba would cut
//! it), or through its jieba parts standing close together in order, which
//! counts for less. Synonyms count less again. A passage that holds a word
//! only through its document's title or its section's heading is not a hit;
//! such passages are counted apart (`Compiled::context_only`). On top come
//! small lifts (the heading or title says the word too) and, for a query of
//! several words, bonuses: all of them close together, the whole query
//! literally. The sum is multiplied by the passage's content factor
//! (`extract::content`): a concrete measure outranks a slogan. Filters never
//! change scores. Every scored part is named, so `--explain` can show it.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, PhraseQuery, Query, RegexQuery,
    TermQuery,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};

use super::plan::Plan;
use super::records::ViaRecords;
use crate::error::{Error, Result};
use crate::gazetteer::gazetteer;
use crate::query::{FilterSpec, Node, TextField, YearRange};
use crate::schema::{self, Fields};
use crate::search::Scope;
use crate::synonyms::synonyms;
use crate::text::fold_str;
use crate::tokenizer::{Dictionary, literal_phrase, literal_runs};

/// A word's parts (as jieba cuts the query word) standing close together,
/// in order, count for less than the word as typed: 新质 … 生产力 within a few
/// characters for 新质生产力, 乡村全面振兴 for 乡村振兴. Never scattered over the
/// passage (the 167 of 505 新质生产力 hits that only said 生产力).
const PARTS_WEIGHT: f32 = 0.5;
/// Characters that may stand between two parts of a word.
const PARTS_SLOP: u32 = 3;
/// All words of a multi-word query within this many characters of each other.
const PROXIMITY_SLOP: u32 = 20;
const PROXIMITY_BOOST: f32 = 0.5;
/// The whole query as typed, without spaces, literally.
const EXACT_BOOST: f32 = 1.0;
/// Matches through a synonym count less than the word typed.
const SYNONYM_WEIGHT: f32 = 0.6;
/// A passage that says the word and stands under a heading, or in a document
/// titled, with it: a small lift, never enough to outrank a passage that
/// says it more.
const HEADING_CONTEXT: f32 = 0.6;
const TITLE_CONTEXT: f32 = 0.3;
/// A passage found through `title:` or `heading:` (the records), not its text.
const RECORD_SCORE: f32 = 1.0;

/// What `--region` takes for national documents (region 全国).
const NATIONAL_NAMES: &[&str] = &["全国", "中央", "国家", "national"];

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
    /// Issuers, normalised: a document matches one whose name holds any.
    pub issuers: Vec<String>,
    /// Level-of-force labels (any of them).
    pub forces: Vec<String>,
    /// Document numbers, normalised (any of them).
    pub doc_numbers: Vec<String>,
    /// Instrument facet paths (any of them; a category matches its
    /// instruments).
    pub instruments: Vec<String>,
    /// Only documents not superseded by a newer version.
    pub current: bool,
    /// Batch numbers (`--new`, `--new-since`).
    pub batches: Option<std::ops::RangeInclusive<u32>>,
}

/// Each typed value resolved by `resolve`, or the first value's message.
fn each<T>(
    values: &[String],
    resolve: impl Fn(&str) -> std::result::Result<T, String>,
) -> Result<Vec<T>> {
    values
        .iter()
        .map(|v| resolve(v).map_err(Error::Filter))
        .collect()
}

impl Filters {
    /// Resolves user-typed filter values, with messages for bad ones.
    pub fn resolve(spec: &FilterSpec) -> Result<Filters> {
        let g = gazetteer();
        let taxonomy = crate::extract::sector::taxonomy();
        Ok(Filters {
            regions: each(&spec.regions, |r| {
                if NATIONAL_NAMES.contains(&r.trim()) {
                    return Ok(format!("/{}", crate::indexer::NATIONAL));
                }
                g.resolve(r).map(|c| g.facet_path(c))
            })?,
            years: each(&spec.years, YearRange::parse)?,
            sectors: each(&spec.sectors, |s| taxonomy.resolve(s))?,
            doc_types: each(&spec.types, |t| {
                t.parse::<crate::extract::DocType>()
                    .map(|d| d.label().to_string())
            })?,
            target_years: each(&spec.target_years, YearRange::parse)?,
            has_target: spec.has_target,
            current: spec.current,
            issuers: spec
                .issuers
                .iter()
                .map(|i| crate::extract::issuance::normalise_issuer(i))
                .filter(|i| !i.is_empty())
                .collect(),
            forces: each(&spec.forces, |f| {
                f.parse::<crate::extract::Force>()
                    .map(|f| f.label().to_string())
            })?,
            doc_numbers: each(&spec.doc_numbers, |d| {
                crate::extract::issuance::normalise_doc_number(d).ok_or_else(|| {
                    format!(
                        "{d:?} is not a document number; write it like 鲁政发〔2021〕5号 (any brackets)"
                    )
                })
            })?,
            instruments: each(&spec.instruments, |i| {
                crate::extract::instrument::typology().resolve(i)
            })?,
            batches: match (&spec.batches, spec.new) {
                (Some(range), _) => Some(range.clone()),
                (None, Some(_)) => {
                    return Err(Error::Filter(
                        "new passages (the last batch, or since a date) need the index's batches: search through the index (plansearch search), not a bare query".into(),
                    ));
                }
                (None, None) => None,
            },
        })
    }

    /// The filter queries, one per kind of filter in use (all must match).
    pub fn queries(&self, fields: &Fields) -> Vec<Box<dyn Query>> {
        let mut out: Vec<Box<dyn Query>> = Vec::new();
        if !self.regions.is_empty() {
            out.push(facet_terms(fields.region, &self.regions));
        }
        if !self.sectors.is_empty() {
            out.push(facet_terms(fields.sector, &self.sectors));
        }
        if !self.instruments.is_empty() {
            out.push(facet_terms(fields.instrument, &self.instruments));
        }
        if !self.years.is_empty() {
            out.push(year_ranges(fields.year, &self.years));
        }
        if !self.target_years.is_empty() {
            out.push(year_ranges(fields.target_year, &self.target_years));
        }
        if self.has_target {
            out.push(Box::new(tantivy::query::RangeQuery::new(
                Bound::Included(Term::from_field_u64(fields.target_count, 1)),
                Bound::Unbounded,
            )));
        }
        if !self.issuers.is_empty() {
            out.push(issuer_parts(fields.issuer, &self.issuers));
        }
        if self.current {
            out.push(Box::new(super::versions::CurrentOnly::new(fields)));
        }
        if let Some(range) = &self.batches {
            out.push(batch_range(fields.batch, range));
        }
        if !self.forces.is_empty() {
            out.push(text_terms(fields.force, &self.forces));
        }
        if !self.doc_numbers.is_empty() {
            out.push(text_terms(fields.doc_number, &self.doc_numbers));
        }
        if !self.doc_types.is_empty() {
            out.push(text_terms(fields.doc_type, &self.doc_types));
        }
        out
    }
}

/// Any of the facet `paths` (a path holds its children).
fn facet_terms(field: Field, paths: &[String]) -> Box<dyn Query> {
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
}

/// Any of the exact `values`.
fn text_terms(field: Field, values: &[String]) -> Box<dyn Query> {
    any_of(
        values
            .iter()
            .map(|v| {
                Box::new(TermQuery::new(
                    Term::from_field_text(field, v),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>
            })
            .collect(),
    )
}

/// Any of the year ranges.
fn year_ranges(field: Field, ranges: &[YearRange]) -> Box<dyn Query> {
    any_of(ranges.iter().map(|r| year_range(field, r)).collect())
}

/// Part of a name finds the bodies that hold it (发改委: 国家发改委,
/// 山东省发改委), normalised both sides.
fn issuer_parts(field: Field, issuers: &[String]) -> Box<dyn Query> {
    any_of(
        issuers
            .iter()
            .map(|i| {
                RegexQuery::from_pattern(&format!(".*{}.*", regex::escape(i)), field)
                    .map(|q| Box::new(q) as Box<dyn Query>)
                    .unwrap_or_else(|_| Box::new(EmptyQuery))
            })
            .collect(),
    )
}

/// Passages added by the batches of `range` (none for an empty range).
fn batch_range(field: Field, range: &std::ops::RangeInclusive<u32>) -> Box<dyn Query> {
    if range.is_empty() {
        return Box::new(EmptyQuery);
    }
    Box::new(tantivy::query::RangeQuery::new(
        Bound::Included(Term::from_field_u64(field, u64::from(*range.start()))),
        Bound::Included(Term::from_field_u64(field, u64::from(*range.end()))),
    ))
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
    /// Passages that hold the words only through their document's title or
    /// their section's heading, not in their own text: counted apart, never
    /// ranked with the hits (`None` when the query names no words).
    pub context_only: Option<Box<dyn Query>>,
}

/// Compiles a parsed expression plus filters into one query; query words
/// are cut with `dictionary`, the one the index was built with.
pub fn compile(
    fields: &Fields,
    dictionary: &Dictionary,
    root: Option<&Node>,
    filters: &Filters,
    scope: Scope,
) -> Compiled {
    let mut builder = Builder {
        fields,
        dictionary,
        wanted: Wanted::default(),
        context: false,
    };
    if scope == Scope::Doc
        && let Some(Node::And(children)) = root
    {
        return compile_doc_scope(&mut builder, children, filters);
    }
    let mut top = vec![Plan::Filter(schema::passages(fields))];
    let filter_plans = || filters.queries(fields).into_iter().map(Plan::Filter);
    let mut context_only = None;
    if let Some(node) = root {
        let mut scored = vec![builder.node(node, true, 1.0)];
        scored.extend(
            builder
                .bonuses(node)
                .into_iter()
                .map(Box::new)
                .map(Plan::Bonus),
        );
        top.push(Plan::Scaled(Box::new(Plan::All(scored))));
        // The same words, each also found through a title or heading.
        let mut with_context = Builder {
            fields,
            dictionary,
            wanted: Wanted::default(),
            context: true,
        };
        let broad = with_context.node(node, false, 1.0);
        let mut extra = vec![Plan::Filter(schema::passages(fields)), broad];
        extra.extend(filter_plans());
        extra.push(Plan::Not(Box::new(Plan::All(vec![
            builder.node(node, false, 1.0),
        ]))));
        context_only = Some(Plan::All(extra).query());
    }
    top.extend(filter_plans());
    let plan = Plan::All(top);
    Compiled {
        query: plan.query(),
        plan,
        wanted: builder.wanted,
        context_only,
    }
}

/// All words anywhere in a document: each word's passages lifted to their
/// documents (all must hold every word), and the passages that say any of
/// them scored, so that `--by doc` shows each document's best.
fn compile_doc_scope(builder: &mut Builder, children: &[Node], filters: &Filters) -> Compiled {
    let fields = builder.fields;
    let mut top = vec![Plan::Filter(schema::passages(fields))];
    let mut scored = Vec::new();
    for child in children {
        match child {
            Node::Not(inner) => top.push(Plan::Not(Box::new(builder.excluded(inner)))),
            other => {
                let plan = builder.node(other, true, 1.0);
                let in_passages =
                    Plan::All(vec![Plan::Filter(schema::passages(fields)), plan.clone()]);
                top.push(Plan::Filter(Box::new(ViaRecords {
                    records: in_passages.query(),
                    key: fields.doc_key,
                    key_name: schema::names::DOC_KEY,
                })));
                scored.push(plan);
            }
        }
    }
    builder
        .wanted
        .readings
        .push("scope: all words anywhere in the document".into());
    top.push(Plan::Scaled(Box::new(Plan::Any(scored))));
    top.extend(filters.queries(fields).into_iter().map(Plan::Filter));
    let plan = Plan::All(top);
    Compiled {
        query: plan.query(),
        plan,
        wanted: std::mem::take(&mut builder.wanted),
        context_only: None,
    }
}

struct Builder<'a> {
    fields: &'a Fields,
    dictionary: &'a Dictionary,
    wanted: Wanted,
    /// Words match through titles and headings too (for the count of
    /// passages that hold them only there).
    context: bool,
}

impl Builder<'_> {
    /// The plan of a node; `positive` is false under an exclusion and when
    /// building the context count, where nothing is highlighted or explained.
    fn node(&mut self, node: &Node, positive: bool, weight: f32) -> Plan {
        match node {
            Node::Term {
                text,
                phrase,
                field,
                slop,
                boost,
            } => {
                if positive {
                    self.note_wanted(text, *phrase, *slop);
                }
                let weight = weight * boost.unwrap_or(1.0);
                match field {
                    Some(TextField::Title) => {
                        self.via_records(text, *phrase, *slop, RecordKind::Title)
                    }
                    Some(TextField::Heading) => {
                        self.via_records(text, *phrase, *slop, RecordKind::Heading)
                    }
                    Some(TextField::Body) => {
                        self.in_body(text, *phrase, *slop, weight, false, positive)
                    }
                    None if self.context => Plan::Any(vec![
                        self.in_body(text, *phrase, *slop, weight, false, false),
                        self.via_records(text, *phrase, *slop, RecordKind::Title),
                        self.via_records(text, *phrase, *slop, RecordKind::Heading),
                    ]),
                    None => self.in_body(text, *phrase, *slop, weight, true, positive),
                }
            }
            Node::And(children) => Plan::All(
                children
                    .iter()
                    .map(|c| match c {
                        Node::Not(inner) => Plan::Not(Box::new(self.excluded(inner))),
                        other => self.node(other, positive, weight),
                    })
                    .collect(),
            ),
            Node::Or(children) => Plan::Any(
                children
                    .iter()
                    .map(|c| self.node(c, positive, weight))
                    .collect(),
            ),
            Node::Not(inner) => Plan::All(vec![Plan::Not(Box::new(self.excluded(inner)))]),
        }
    }

    /// What an exclusion removes: a passage that says it, or stands in a
    /// document or section titled with it.
    fn excluded(&mut self, node: &Node) -> Plan {
        let was = self.context;
        self.context = true;
        let plan = self.node(node, false, 1.0);
        self.context = was;
        plan
    }

    fn note_wanted(&mut self, text: &str, phrase: bool, slop: Option<u32>) {
        let folded = fold_str(text);
        let runs = literal_runs(&folded);
        let shown = if phrase {
            format!("\"{text}\"")
        } else {
            text.to_string()
        };
        let mut reading = format!("{shown}: literally {}", literal_form(text));
        let parts = word_parts(self.dictionary, text);
        if let Some(slop) = slop {
            reading.push_str(&format!(
                " · or its words {} within {slop} characters",
                parts.join(" + ")
            ));
        } else if !phrase && parts.len() > 1 {
            reading.push_str(&format!(
                " · or its parts {} in order, at most {PARTS_SLOP} characters apart",
                parts.join(" + ")
            ));
        }
        if !phrase || slop.is_some() {
            for w in parts {
                if w.chars().count() >= 2 && !self.wanted.words.contains(&w) {
                    self.wanted.words.push(w);
                }
            }
        }
        self.wanted.literals.extend(runs);
        self.wanted.readings.push(reading);
    }

    /// A word or phrase in the passage's own text: literally, or (a word) its
    /// parts close together; synonyms of policy shorthand (放管服) below it;
    /// with a small lift when the passage's heading or title holds it too.
    fn in_body(
        &mut self,
        text: &str,
        phrase: bool,
        slop: Option<u32>,
        weight: f32,
        lift: bool,
        positive: bool,
    ) -> Plan {
        let own = self.literally(text, phrase, slop, weight, text);
        let mut alternatives = vec![own];
        if !phrase {
            for member in synonyms().expansions(text) {
                if positive {
                    self.wanted
                        .readings
                        .push(format!("{text}: synonym {}", member.join(" + ")));
                    self.wanted.literals.extend(member.iter().cloned());
                }
                // A member of several words counts as much as one word; members
                // are matched as written, never by their parts.
                let w = weight * SYNONYM_WEIGHT / member.len() as f32;
                alternatives.push(Plan::All(
                    member
                        .iter()
                        .map(|m| self.literally(m, true, None, w, &format!("{text} ≈ {m}")))
                        .collect(),
                ));
            }
        }
        let found = Plan::Any(alternatives);
        if !lift {
            return found;
        }
        let runs = literal_runs(text);
        let mut out = vec![found];
        for (kind, score) in [
            (RecordKind::Heading, HEADING_CONTEXT),
            (RecordKind::Title, TITLE_CONTEXT),
        ] {
            if let Some(records) = self.records_query(kind, &runs) {
                out.push(Plan::Bonus(Box::new(Plan::part(
                    format!("{text} · also in the {}", kind.name()),
                    Box::new(ConstScoreQuery::new(
                        Box::new(self.via(kind, records)),
                        score * weight,
                    )),
                ))));
            }
        }
        Plan::All(out)
    }

    /// The text itself: its literal BM25; for an unquoted word also its parts
    /// in order, close together; for `"…"~N` its words within N characters.
    fn literally(
        &self,
        text: &str,
        phrase: bool,
        slop: Option<u32>,
        weight: f32,
        name: &str,
    ) -> Plan {
        let runs = literal_runs(text);
        let body = self.fields.body;
        let mut alternatives = Vec::new();
        if let Some(q) = literal_query(body, &runs) {
            alternatives.push(Plan::part(
                format!("{name} · literally (BM25 ×{})", num(weight)),
                Box::new(BoostQuery::new(q, weight)),
            ));
        }
        let parts = word_parts(self.dictionary, text);
        let parts_slop = match (phrase, slop) {
            (_, Some(s)) => Some(s),
            (false, None) if parts.len() > 1 => Some(PARTS_SLOP),
            _ => None,
        };
        if let Some(s) = parts_slop
            && let Some(q) = parts_query(body, &parts, s)
        {
            let w = if slop.is_some() {
                weight
            } else {
                weight * PARTS_WEIGHT
            };
            alternatives.push(Plan::part(
                format!(
                    "{name} · its parts {} within {s} characters (BM25 ×{})",
                    parts.join(" + "),
                    num(w)
                ),
                Box::new(BoostQuery::new(q, w)),
            ));
        }
        any_or_nothing(alternatives, name)
    }

    /// Passages of documents titled with the text, or of sections headed
    /// with it: found through the records.
    fn via_records(&self, text: &str, _phrase: bool, _slop: Option<u32>, kind: RecordKind) -> Plan {
        let runs = literal_runs(text);
        match self.records_query(kind, &runs) {
            Some(records) => Plan::part(
                format!("{text} · in the {}", kind.name()),
                Box::new(ConstScoreQuery::new(
                    Box::new(self.via(kind, records)),
                    RECORD_SCORE,
                )),
            ),
            None => Plan::part(format!("{text} · nothing to search"), Box::new(EmptyQuery)),
        }
    }

    fn records_query(&self, kind: RecordKind, runs: &[String]) -> Option<Box<dyn Query>> {
        let field = match kind {
            RecordKind::Title => self.fields.title_text,
            RecordKind::Heading => self.fields.heading_text,
        };
        literal_query(field, runs)
    }

    fn via(&self, kind: RecordKind, records: Box<dyn Query>) -> ViaRecords {
        match kind {
            RecordKind::Title => ViaRecords {
                records,
                key: self.fields.doc_key,
                key_name: schema::names::DOC_KEY,
            },
            RecordKind::Heading => ViaRecords {
                records,
                key: self.fields.section,
                key_name: schema::names::SECTION,
            },
        }
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
        let words: Vec<String> = terms.iter().map(|t| t.to_string()).collect();
        if let Some(q) = parts_query(self.fields.body, &words, PROXIMITY_SLOP) {
            out.push(Plan::part(
                format!("all words within {PROXIMITY_SLOP} characters of each other"),
                Box::new(BoostQuery::new(q, PROXIMITY_BOOST)),
            ));
        }
        let whole: String = terms.concat();
        let runs = literal_runs(&whole);
        if let Some(q) = literal_query(self.fields.body, &runs) {
            out.push(Plan::part(
                format!("whole query {} literally", literal_form(&whole)),
                Box::new(BoostQuery::new(q, EXACT_BOOST)),
            ));
        }
        out
    }
}

/// The two kinds of record.
#[derive(Debug, Clone, Copy)]
enum RecordKind {
    Title,
    Heading,
}

impl RecordKind {
    fn name(self) -> &'static str {
        match self {
            RecordKind::Title => "title",
            RecordKind::Heading => "heading",
        }
    }
}

/// `word` cut left to right into the longest of `pieces` that start where
/// the last one ended, single characters where none does.
fn covering_pieces(word: &str, pieces: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = word;
    while let Some(first) = rest.chars().next() {
        let piece = pieces
            .iter()
            .filter(|p| rest.starts_with(p.as_str()))
            .max_by_key(|p| p.len())
            .cloned()
            .unwrap_or_else(|| first.to_string());
        rest = &rest[piece.len()..];
        out.push(piece);
    }
    out
}

/// The parts jieba cuts a query word into, with single characters kept with
/// their neighbour (新 + 质 + 生产力 is 新质 + 生产力: a lone character stands
/// anywhere).
fn word_parts(dictionary: &Dictionary, text: &str) -> Vec<String> {
    let mut cut = dictionary.cut(text);
    if let [whole] = cut.as_slice()
        && whole.chars().count() >= 4
        && !dictionary.is_user_word(whole)
    {
        // A compound jieba keeps whole (乡村振兴) still has parts a passage
        // may say apart (乡村全面振兴): its search-mode pieces, left to right.
        cut = covering_pieces(whole, &dictionary.cut_small(whole));
    }
    let mut out: Vec<String> = Vec::new();
    let mut pending = String::new();
    for part in cut {
        let part = fold_str(&part);
        if part.chars().count() == 1 {
            pending.push_str(&part);
            continue;
        }
        if !pending.is_empty() {
            match out.last_mut() {
                Some(last) if pending.chars().count() == 1 => {
                    last.push_str(&pending);
                }
                _ => out.push(std::mem::take(&mut pending)),
            }
            pending.clear();
        }
        out.push(part);
    }
    if !pending.is_empty() {
        match out.last_mut() {
            Some(last) => last.push_str(&pending),
            None => out.push(pending),
        }
    }
    out
}

/// Parts in order, each literally, at most `slop` characters apart.
fn parts_query(field: Field, parts: &[String], slop: u32) -> Option<Box<dyn Query>> {
    let mut terms: Vec<(usize, Term)> = Vec::new();
    let mut base = 0;
    for part in parts {
        let runs = literal_runs(part);
        let phrase = literal_phrase(&runs);
        if phrase.is_empty() {
            continue;
        }
        let len = runs.iter().map(|r| r.chars().count() + 1).sum::<usize>();
        for (pos, t) in phrase {
            terms.push((base + pos, Term::from_field_text(field, &t)));
        }
        base += len.saturating_sub(1);
    }
    if terms.len() < 2 {
        return None;
    }
    Some(Box::new(PhraseQuery::new_with_offset_and_slop(terms, slop)))
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

/// Literal containment of a word or phrase (its runs, split at punctuation),
/// as one phrase over the bigram field.
pub fn literal_query(field: Field, runs: &[String]) -> Option<Box<dyn Query>> {
    if let [run] = runs
        && run.chars().count() == 1
    {
        // A single character: any bigram starting with it, or a run-final unigram.
        let pattern = format!("{}.?", regex::escape(run));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_is_cut_into_the_parts_a_passage_may_say_apart() {
        // (query word, its parts): 乡村振兴 is one jieba word, said apart as
        // 乡村全面振兴 (2025 Heilongjiang work report); a lone character stays
        // with its neighbour (新质生产力: 新质 + 生产力, never 生产力 alone).
        let cases: &[(&str, &[&str])] = &[
            ("乡村振兴", &["乡村", "振兴"]),
            ("农业发展", &["农业", "发展"]),
            ("冷链", &["冷链"]),
        ];
        let dictionary = Dictionary::default();
        for (word, want) in cases {
            assert_eq!(word_parts(&dictionary, word), *want, "{word}");
        }
        let parts = word_parts(&dictionary, "新质生产力");
        assert!(
            parts.len() >= 2 && parts.iter().all(|p| p.chars().count() >= 2),
            "{parts:?}"
        );
    }

    #[test]
    fn pieces_cover_the_word_left_to_right() {
        let pieces = ["乡村".to_string(), "振兴".to_string(), "村振".to_string()];
        assert_eq!(covering_pieces("乡村振兴", &pieces), ["乡村", "振兴"]);
        assert_eq!(covering_pieces("乡村x", &pieces), ["乡村", "x"]);
    }
}
