//! The query language: words (all must occur), "phrases", `OR`, `-exclude`,
//! parentheses, field prefixes `title:` / `heading:` / `body:`, and inline
//! filters `region:甘肃 year:2018..2023 sector:农业农村 type:规划 target-year:2025`.
//!
//! Parsing is ours, not tantivy's QueryParser: that parser turns unquoted
//! Chinese into an exact phrase (tantivy#2472), so 乡村振兴 would miss
//! 乡村全面振兴. Malformed input gets a one-line message, never a panic.

use std::fmt;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;
/// Deepest nesting of parentheses accepted.
const MAX_DEPTH: usize = 32;

/// Text fields a term can be restricted to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// Document title.
    Title,
    /// Heading path.
    Heading,
    /// Passage text.
    Body,
}

/// A parsed query expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// A word (as typed, or its parts close together) or a quoted phrase.
    Term {
        /// The text as typed.
        text: String,
        /// True for a quoted phrase.
        phrase: bool,
        /// Restricts the term to one field; `None` means all text fields.
        field: Option<TextField>,
        /// `"…"~N`: the phrase's words within N characters of each other.
        slop: Option<u32>,
        /// `word^N`: the term's weight.
        boost: Option<f32>,
    },
    /// All must match.
    And(Vec<Node>),
    /// Any may match.
    Or(Vec<Node>),
    /// Must not match.
    Not(Box<Node>),
}

/// Filters as the user wrote them, inline in the query (`region:甘肃`) or as
/// flags and parameters, before they are resolved against the gazetteer and
/// the taxonomy: one type for every way a filter arrives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilterSpec {
    /// `region:` values: full or short names at any level.
    pub regions: Vec<String>,
    /// `year:` values (a year or a range).
    pub years: Vec<String>,
    /// `sector:` values.
    pub sectors: Vec<String>,
    /// `type:` values.
    pub types: Vec<String>,
    /// `target-year:` values.
    pub target_years: Vec<String>,
    /// Only passages with a quantified target (a flag; never inline).
    pub has_target: bool,
    /// `issuer:` values: an issuing body or part of its name (发改委).
    pub issuers: Vec<String>,
    /// `force:` values: levels of force (地方性法规).
    pub forces: Vec<String>,
    /// `docno:` values: document numbers in any bracket (鲁政发〔2021〕5号).
    pub doc_numbers: Vec<String>,
    /// Sort order of hits (`--sort`; never inline): relevance, newest, oldest.
    pub sort: Option<String>,
    /// `instrument:` values: an instrument (税收优惠), a group (策略性措施)
    /// or a category (需求型).
    pub instruments: Vec<String>,
    /// Only documents in force: none superseded by a newer version of the
    /// same text in the index (a flag; never inline).
    pub current: bool,
    /// `--new`, `--new-since` (never inline): only passages of recent
    /// batches, resolved against the index into [`FilterSpec::batches`].
    pub new: Option<NewSince>,
    /// Only passages of these batches (numbers of indexing runs).
    pub batches: Option<std::ops::RangeInclusive<u32>>,
}

/// Which new passages a search keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NewSince {
    /// Those the last batch added (the last indexing run that added any).
    LastBatch,
    /// Those of the batches whose run started at or after this time (seconds
    /// since 1970).
    Time(u64),
}

impl NewSince {
    /// `--new-since` as typed: a date (2026-12-02), or a date and time, in
    /// local time unless it says otherwise (see [`crate::indexer::clock::parse`]).
    pub fn since(text: &str) -> Result<NewSince, String> {
        crate::indexer::clock::parse(text).map(NewSince::Time)
    }
}

/// Where a value filter's values are kept in a [`FilterSpec`].
type ValuesOf = fn(&mut FilterSpec) -> &mut Vec<String>;

/// The filters that take values, by every name they go by, with an example
/// value (for messages and tests): inline
/// (`region:甘肃`), as API parameters and as flags (`--region`, whose
/// clap fields are the first names). One table, so that a new filter is
/// added once for every front end.
const LIST_FILTERS: &[(&[&str], &str, ValuesOf)] = &[
    (&["region"], "甘肃", |f| &mut f.regions),
    (&["year"], "2018..2023", |f| &mut f.years),
    (&["sector"], "农业农村", |f| &mut f.sectors),
    (&["type", "doc_type"], "规划", |f| &mut f.types),
    (&["target-year", "target_year"], "2025", |f| {
        &mut f.target_years
    }),
    (&["issuer"], "发改委", |f| &mut f.issuers),
    (&["force"], "地方性法规", |f| &mut f.forces),
    (&["docno"], "鲁政发〔2021〕5号", |f| {
        &mut f.doc_numbers
    }),
    (&["instrument"], "税收优惠", |f| &mut f.instruments),
];

/// The filters that are flags or options, never inline: `has_target`,
/// `current`, `sort` (and `new`, `new_since`, which the front ends parse).
pub const FLAG_FILTERS: &[&str] = &["has_target", "current", "sort"];

impl FilterSpec {
    /// Every name a value filter goes by (the API's parameter names among them).
    pub fn list_filter_names() -> impl Iterator<Item = &'static str> {
        LIST_FILTERS
            .iter()
            .flat_map(|(names, ..)| names.iter().copied())
    }

    /// Each value filter by its first name, with an example value
    /// (`region`, 甘肃).
    pub fn examples() -> impl Iterator<Item = (&'static str, &'static str)> {
        LIST_FILTERS
            .iter()
            .map(|(names, example, _)| (names[0], *example))
    }

    /// True if `name` is a name of a value filter.
    pub fn is_list_filter(name: &str) -> bool {
        LIST_FILTERS.iter().any(|(names, ..)| names.contains(&name))
    }

    /// The values of the filter called `name` (any of its names), to add to;
    /// `None` for a name that is no value filter.
    pub fn values_mut(&mut self, name: &str) -> Option<&mut Vec<String>> {
        LIST_FILTERS
            .iter()
            .find(|(names, ..)| names.contains(&name))
            .map(|(.., values)| values(self))
    }

    /// The value filters as the query would say them inline
    /// (`region:甘肃`, `target-year:2025`), in the table's order.
    pub fn inline_form(&self) -> Vec<String> {
        let mut copy = self.clone();
        let mut out = Vec::new();
        for (names, _, values) in LIST_FILTERS {
            for value in values(&mut copy).iter() {
                out.push(format!("{}:{value}", names[0]));
            }
        }
        out
    }

    /// These filters and `more`, together (values of a kind: any of them).
    pub fn and(&self, more: &FilterSpec) -> FilterSpec {
        let cat = |a: &[String], b: &[String]| a.iter().chain(b).cloned().collect();
        FilterSpec {
            regions: cat(&self.regions, &more.regions),
            years: cat(&self.years, &more.years),
            sectors: cat(&self.sectors, &more.sectors),
            instruments: cat(&self.instruments, &more.instruments),
            types: cat(&self.types, &more.types),
            target_years: cat(&self.target_years, &more.target_years),
            has_target: self.has_target || more.has_target,
            current: self.current || more.current,
            issuers: cat(&self.issuers, &more.issuers),
            forces: cat(&self.forces, &more.forces),
            doc_numbers: cat(&self.doc_numbers, &more.doc_numbers),
            sort: self.sort.clone().or_else(|| more.sort.clone()),
            new: self.new.or(more.new),
            batches: self.batches.clone().or_else(|| more.batches.clone()),
        }
    }
}

/// A parsed query: the expression (none if the query is only filters) and the
/// inline filters.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedQuery {
    /// The search expression.
    pub root: Option<Node>,
    /// Filters given inline.
    pub filters: FilterSpec,
}

/// What is wrong with a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError(pub String);

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for QueryError {}

fn err<T>(msg: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError(msg.into()))
}

#[derive(Debug, Clone, PartialEq)]
enum Lexeme {
    Word(String),
    Phrase(String),
    /// `~N` right after a phrase.
    Slop(u32),
    /// `^N` right after a word or phrase.
    Boost(f32),
    Open,
    Close,
    Or,
    Minus,
    /// `name:` — a field or filter prefix.
    Prefix(String),
}

const FIELDS: &[&str] = &["title", "heading", "body"];
/// Parses a query string.
pub fn parse(input: &str) -> Result<ParsedQuery, QueryError> {
    let chars = input.chars().count();
    if chars > MAX_QUERY_CHARS {
        return err(format!(
            "the query is {chars} characters long; the limit is {MAX_QUERY_CHARS}"
        ));
    }
    let input = crate::text::fold_width(input);
    let lexemes = lex(&input)?;
    if lexemes.is_empty() {
        return err("empty query: type at least one word, e.g. 肉牛养殖");
    }
    let mut parser = Parser {
        lexemes,
        pos: 0,
        depth: 0,
        filters: FilterSpec::default(),
    };
    let root = parser.parse_or()?;
    if let Some(l) = parser.lexemes.get(parser.pos) {
        return match l {
            Lexeme::Close => err("unbalanced parentheses: a ')' has no matching '('"),
            other => err(format!("unexpected {other:?} in the query")),
        };
    }
    if let Some(node) = &root
        && !has_positive(node)
    {
        return err("a query needs a word that must occur, not only -exclusions");
    }
    if root.is_none() && parser.filters == FilterSpec::default() {
        return err("empty query: type at least one word, e.g. 肉牛养殖");
    }
    Ok(ParsedQuery {
        root,
        filters: parser.filters,
    })
}

fn has_positive(node: &Node) -> bool {
    match node {
        Node::Term { .. } => true,
        Node::Not(_) => false,
        Node::And(children) => children.iter().any(has_positive),
        Node::Or(children) => children.iter().all(has_positive),
    }
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”' | '「' | '」')
}

fn lex(input: &str) -> Result<Vec<Lexeme>, QueryError> {
    let mut out = Vec::new();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() || c == ',' || c == '、' {
            i += 1;
        } else if is_quote(c) {
            i = lex_phrase(&chars, i, &mut out)?;
        } else if c == '!' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace()) {
            // !word: the same as -word.
            out.push(Lexeme::Minus);
            i += 1;
        } else if c == '(' {
            out.push(Lexeme::Open);
            i += 1;
        } else if c == ')' {
            out.push(Lexeme::Close);
            i += 1;
        } else if c == '-' && out_allows_minus(&chars, i) {
            out.push(Lexeme::Minus);
            i += 1;
        } else {
            i = lex_word(&chars, i, &mut out)?;
        }
    }
    // A "word" of punctuation only (。, ——, &) has nothing to search; it
    // separates words like a space.
    out.retain(|l| match l {
        Lexeme::Word(w) => w.chars().any(crate::text::is_word_char),
        _ => true,
    });
    // AND between words is what a space means already.
    out.retain(|l| l != &Lexeme::Word(AND.into()));
    Ok(out)
}

/// A quoted phrase opening at `chars[start]`, with its `~N` or `^N`; returns
/// where lexing goes on.
fn lex_phrase(chars: &[char], start: usize, out: &mut Vec<Lexeme>) -> Result<usize, QueryError> {
    let mut i = start + 1;
    let mut phrase = String::new();
    while i < chars.len() && !is_quote(chars[i]) {
        phrase.push(chars[i]);
        i += 1;
    }
    if i == chars.len() {
        return err(format!(
            "unbalanced quotes: the quote at character {} is never closed",
            start + 1
        ));
    }
    i += 1;
    if !phrase.chars().any(crate::text::is_word_char) {
        return err("empty phrase \"\": put words between the quotes");
    }
    out.push(Lexeme::Phrase(phrase.trim().to_string()));
    lex_suffixes(chars, i, out)
}

/// A word from `chars[start]`: a field or filter prefix (`region:`), a word
/// with a boost (`^2`), or a plain word or operator; returns where lexing
/// goes on.
fn lex_word(chars: &[char], start: usize, out: &mut Vec<Lexeme>) -> Result<usize, QueryError> {
    let mut i = start;
    while i < chars.len()
        && !chars[i].is_whitespace()
        && !matches!(chars[i], '(' | ')' | ',' | '、')
        && !is_quote(chars[i])
    {
        if chars[i] == ':' || chars[i] == '^' && start < i {
            break;
        }
        if chars[i] == '~' && start < i {
            return err(format!(
                "~{} after a word: proximity is for phrases, write \"{}\"~N with the words in quotes",
                chars[i + 1..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .collect::<String>(),
                chars[start..i].iter().collect::<String>()
            ));
        }
        i += 1;
    }
    let word: String = chars[start..i].iter().collect();
    if i < chars.len() && chars[i] == '^' {
        out.push(word_or_operator(word));
        return lex_suffixes(chars, i, out);
    }
    if i < chars.len() && chars[i] == ':' {
        return lex_after_colon(chars, i, word, out);
    }
    if !word.is_empty() {
        out.push(word_or_operator(word));
    }
    Ok(i)
}

/// `word` followed by a colon at `chars[colon]`: a field or filter prefix,
/// an unknown field (refused), or a word with a colon inside (5:30).
fn lex_after_colon(
    chars: &[char],
    colon: usize,
    word: String,
    out: &mut Vec<Lexeme>,
) -> Result<usize, QueryError> {
    let name = word.to_lowercase();
    if FIELDS.contains(&name.as_str()) || FilterSpec::is_list_filter(&name) {
        out.push(Lexeme::Prefix(name));
        return Ok(colon + 1);
    }
    if !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphabetic() || c == '-' || c == '_')
    {
        return err(format!(
            "unknown field {word:?}: fields are title:, heading:, body:; filters are region:, year:, sector:, type:, target-year:, instrument:"
        ));
    }
    // A colon inside a word (5:30) is part of it.
    let mut word = word;
    let mut i = colon + 1;
    word.push(':');
    while i < chars.len()
        && !chars[i].is_whitespace()
        && !matches!(chars[i], '(' | ')')
        && !is_quote(chars[i])
    {
        word.push(chars[i]);
        i += 1;
    }
    out.push(word_or_operator(word));
    Ok(i)
}

/// Marks an explicit AND (`AND`, `&&`, `and` between Chinese words) in the
/// lexemes; it is dropped after lexing.
const AND: &str = "\u{0}AND";

/// `~N` and `^N` right after a word or phrase, from `chars[i]`.
fn lex_suffixes(chars: &[char], mut i: usize, out: &mut Vec<Lexeme>) -> Result<usize, QueryError> {
    while i < chars.len() && matches!(chars[i], '~' | '^') {
        let mark = chars[i];
        let number: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == '.')
            .collect();
        i += 1 + number.chars().count();
        match (mark, number.parse::<f32>()) {
            ('~', Ok(n)) if n.fract() == 0.0 && (0.0..=200.0).contains(&n) => {
                out.push(Lexeme::Slop(n as u32))
            }
            ('^', Ok(n)) if n > 0.0 && n <= 100.0 => out.push(Lexeme::Boost(n)),
            ('~', _) => {
                return err(format!(
                    "~{number}: write a phrase's proximity as \"…\"~N with N a whole number of characters up to 200, e.g. \"乡村 振兴\"~5"
                ));
            }
            _ => {
                return err(format!(
                    "^{number}: write a boost as word^N with N a number above 0 up to 100, e.g. 肉牛^2"
                ));
            }
        }
    }
    Ok(i)
}

/// A '-' is a negation at the start of a word, not inside one (2018-2020).
fn out_allows_minus(chars: &[char], i: usize) -> bool {
    let at_word_start = i == 0 || chars[i - 1].is_whitespace() || chars[i - 1] == '(';
    let followed = chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
    at_word_start && followed
}

/// Operators typed as words: `OR`, `||`, `|`, `或`; `AND`, `&&`; `NOT`;
/// and lowercase `or`, `and`, `not` too (a researcher typing Chinese words
/// means no English word by them).
fn word_or_operator(word: String) -> Lexeme {
    match word.as_str() {
        "OR" | "or" | "||" | "|" | "或" => Lexeme::Or,
        "AND" | "and" | "&&" | "&" => Lexeme::Word(AND.into()),
        "NOT" | "not" => Lexeme::Minus,
        _ => Lexeme::Word(word),
    }
}

struct Parser {
    lexemes: Vec<Lexeme>,
    pos: usize,
    depth: usize,
    filters: FilterSpec,
}

impl Parser {
    fn peek(&self) -> Option<&Lexeme> {
        self.lexemes.get(self.pos)
    }

    fn parse_or(&mut self) -> Result<Option<Node>, QueryError> {
        let mut alternatives = Vec::new();
        loop {
            if self.peek() == Some(&Lexeme::Or) {
                return err("OR needs a word on both sides");
            }
            let and = self.parse_and()?;
            match self.peek() {
                Some(Lexeme::Or) => {
                    self.pos += 1;
                    match and {
                        Some(node) => alternatives.push(node),
                        None => return err("OR needs a word on both sides"),
                    }
                    if matches!(self.peek(), None | Some(Lexeme::Close)) {
                        return err("OR needs a word on both sides");
                    }
                }
                _ => {
                    if let Some(node) = and {
                        alternatives.push(node);
                    } else if !alternatives.is_empty() {
                        return err("OR needs a word on both sides");
                    }
                    break;
                }
            }
        }
        Ok(match alternatives.len() {
            0 => None,
            1 => alternatives.pop(),
            _ => Some(Node::Or(alternatives)),
        })
    }

    fn parse_and(&mut self) -> Result<Option<Node>, QueryError> {
        let mut parts = Vec::new();
        while let Some(l) = self.peek() {
            if matches!(l, Lexeme::Or | Lexeme::Close) {
                break;
            }
            if let Some(node) = self.parse_unary()? {
                parts.push(node);
            }
        }
        Ok(match parts.len() {
            0 => None,
            1 => parts.pop(),
            _ => Some(Node::And(parts)),
        })
    }

    fn parse_unary(&mut self) -> Result<Option<Node>, QueryError> {
        if self.peek() == Some(&Lexeme::Minus) {
            self.pos += 1;
            return match self.parse_primary()? {
                Some(node) => Ok(Some(Node::Not(Box::new(node)))),
                None => err("'-' must be followed by a word to exclude"),
            };
        }
        self.parse_primary()
    }

    fn parse_primary(&mut self) -> Result<Option<Node>, QueryError> {
        let Some(l) = self.peek().cloned() else {
            return Ok(None);
        };
        self.pos += 1;
        match l {
            Lexeme::Word(w) => Ok(Some(self.term(w, false, None)?)),
            Lexeme::Phrase(p) => Ok(Some(self.term(p, true, None)?)),
            Lexeme::Slop(n) => err(format!("~{n} needs a phrase before it: \"乡村 振兴\"~{n}")),
            Lexeme::Boost(n) => err(format!("^{n} needs a word before it: 肉牛^{n}")),
            Lexeme::Open => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return err(format!("parentheses nested deeper than {MAX_DEPTH}"));
                }
                let inner = self.parse_or()?;
                if self.peek() != Some(&Lexeme::Close) {
                    return err("unbalanced parentheses: a '(' is never closed");
                }
                self.pos += 1;
                self.depth -= 1;
                match inner {
                    Some(node) => Ok(Some(node)),
                    None => err("empty parentheses: put words inside ( )"),
                }
            }
            Lexeme::Close => err("unbalanced parentheses: a ')' has no matching '('"),
            Lexeme::Or => err("OR needs a word on both sides"),
            Lexeme::Minus => err("'-' must be followed by a word to exclude"),
            Lexeme::Prefix(name) => self.parse_prefixed(&name),
        }
    }

    /// A word or phrase with the `~N` / `^N` that follow it.
    fn term(
        &mut self,
        text: String,
        phrase: bool,
        field: Option<TextField>,
    ) -> Result<Node, QueryError> {
        let mut slop = None;
        let mut boost = None;
        loop {
            match self.peek() {
                Some(Lexeme::Slop(n)) if phrase => slop = Some(*n),
                Some(Lexeme::Slop(n)) => {
                    return err(format!(
                        "~{n} after a word: proximity is for phrases, write \"{text}\"~{n}"
                    ));
                }
                Some(Lexeme::Boost(n)) => boost = Some(*n),
                _ => break,
            }
            self.pos += 1;
        }
        Ok(Node::Term {
            text,
            phrase,
            field,
            slop,
            boost,
        })
    }

    fn parse_prefixed(&mut self, name: &str) -> Result<Option<Node>, QueryError> {
        let field = match name {
            "title" => Some(TextField::Title),
            "heading" => Some(TextField::Heading),
            "body" => Some(TextField::Body),
            _ => None,
        };
        if self.peek() == Some(&Lexeme::Open) {
            // title:(规划 OR 方案): every word of the group in that field.
            let Some(field) = field else {
                return err(format!(
                    "{name}: takes one value, not a group, e.g. {name}:{}",
                    example_value(name)
                ));
            };
            return Ok(self.parse_primary()?.map(|node| in_field(node, field)));
        }
        let value = match self.peek().cloned() {
            Some(Lexeme::Word(w)) => (w, false),
            Some(Lexeme::Phrase(p)) => (p, true),
            _ => {
                return err(format!(
                    "{name}: needs a value, e.g. {name}:{}",
                    example_value(name)
                ));
            }
        };
        self.pos += 1;
        if let Some(field) = field {
            return Ok(Some(self.term(value.0, value.1, Some(field))?));
        }
        let Some(list) = self.filters.values_mut(name) else {
            return err(format!("{name}: is no filter"));
        };
        list.push(value.0);
        Ok(None)
    }
}

/// Restricts every term of a node that names no field of its own to `field`.
fn in_field(node: Node, field: TextField) -> Node {
    match node {
        Node::Term {
            text,
            phrase,
            field: None,
            slop,
            boost,
        } => Node::Term {
            text,
            phrase,
            field: Some(field),
            slop,
            boost,
        },
        Node::And(children) => {
            Node::And(children.into_iter().map(|c| in_field(c, field)).collect())
        }
        Node::Or(children) => Node::Or(children.into_iter().map(|c| in_field(c, field)).collect()),
        Node::Not(inner) => Node::Not(Box::new(in_field(*inner, field))),
        term => term,
    }
}

fn example_value(name: &str) -> &'static str {
    LIST_FILTERS
        .iter()
        .find(|(names, ..)| names.contains(&name))
        .map_or("营商环境", |(_, example, _)| example)
}

/// A year or an inclusive range of years.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearRange {
    /// First year, if bounded.
    pub from: Option<u16>,
    /// Last year, if bounded.
    pub to: Option<u16>,
}

impl YearRange {
    /// Parses `2018`, `2018..2023`, `2018..`, `..2020` (also `2018-2023`).
    pub fn parse(s: &str) -> Result<YearRange, String> {
        let s = crate::text::fold_width(s.trim()).replace('年', "");
        let year = |t: &str| -> Result<Option<u16>, String> {
            let t = t.trim();
            if t.is_empty() {
                return Ok(None);
            }
            match t.parse::<u16>() {
                Ok(y) if (1900..=2100).contains(&y) => Ok(Some(y)),
                _ => Err(format!(
                    "bad year {t:?}: write a year like 2018 or a range like 2018..2023"
                )),
            }
        };
        let (from, to) = if let Some((a, b)) = s.split_once("..") {
            (year(a)?, year(b)?)
        } else if let Some((a, b)) = s.split_once(['-', '~', '至']) {
            (year(a)?, year(b)?)
        } else {
            let y = year(&s)?;
            (y, y)
        };
        if from.is_none() && to.is_none() {
            return Err(format!(
                "bad year {s:?}: write a year like 2018 or a range like 2018..2023"
            ));
        }
        if let (Some(a), Some(b)) = (from, to)
            && a > b
        {
            return Err(format!("bad year range {s:?}: {a} is after {b}"));
        }
        Ok(YearRange { from, to })
    }

    /// True if the year lies in the range.
    pub fn contains(&self, year: u16) -> bool {
        self.from.is_none_or(|f| year >= f) && self.to.is_none_or(|t| year <= t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(t: &str) -> Node {
        Node::Term {
            text: t.into(),
            phrase: false,
            field: None,
            slop: None,
            boost: None,
        }
    }

    fn fielded(t: &str, phrase: bool, field: Option<TextField>) -> Node {
        Node::Term {
            text: t.into(),
            phrase,
            field,
            slop: None,
            boost: None,
        }
    }

    #[test]
    fn the_inline_form_of_filters_parses_back_to_them() {
        // Every value filter once, as a saved query describes itself.
        let mut spec = FilterSpec::default();
        for (name, value) in FilterSpec::examples() {
            spec.values_mut(name).unwrap().push(value.into());
        }
        let line = format!("肉牛 {}", spec.inline_form().join(" "));
        assert_eq!(parse(&line).unwrap().filters, spec, "{line}");
    }

    #[test]
    fn parses_the_query_language() {
        let cases: &[(&str, Node)] = &[
            ("肉牛养殖", term("肉牛养殖")),
            ("放管服 改革", Node::And(vec![term("放管服"), term("改革")])),
            ("\"乡村振兴\"", fielded("乡村振兴", true, None)),
            ("“营商环境”", fielded("营商环境", true, None)),
            ("冷链 OR 物流", Node::Or(vec![term("冷链"), term("物流")])),
            (
                "招商引资 -北京",
                Node::And(vec![term("招商引资"), Node::Not(Box::new(term("北京")))]),
            ),
            (
                "(肉牛 OR 牛羊) 养殖",
                Node::And(vec![
                    Node::Or(vec![term("肉牛"), term("牛羊")]),
                    term("养殖"),
                ]),
            ),
            ("title:规划", fielded("规划", false, Some(TextField::Title))),
            ("2018-2020年", term("2018-2020年")),
            ("5G基站", term("5G基站")),
            // Punctuation between words separates them, as a space does.
            ("肉牛 —— 养殖", Node::And(vec![term("肉牛"), term("养殖")])),
            (
                "title:(规划 OR 方案) 营商环境",
                Node::And(vec![
                    Node::Or(vec![
                        fielded("规划", false, Some(TextField::Title)),
                        fielded("方案", false, Some(TextField::Title)),
                    ]),
                    term("营商环境"),
                ]),
            ),
            (
                "heading:保障措施",
                fielded("保障措施", false, Some(TextField::Heading)),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).unwrap().root.as_ref(), Some(want), "{input}");
        }
    }

    #[test]
    fn operators_are_operators_and_suffixes_are_read() {
        let and = Node::And(vec![term("营商环境"), term("优化")]);
        let not = Node::And(vec![term("招商引资"), Node::Not(Box::new(term("北京")))]);
        let or = Node::Or(vec![term("冷链"), term("物流")]);
        let cases: &[(&str, Node)] = &[
            ("营商环境 AND 优化", and.clone()),
            ("营商环境 && 优化", and.clone()),
            ("营商环境 and 优化", and.clone()),
            ("招商引资 NOT 北京", not.clone()),
            ("招商引资 !北京", not.clone()),
            ("招商引资 not 北京", not),
            ("冷链 || 物流", or.clone()),
            ("冷链 or 物流", or),
            (
                "\"乡村 振兴\"~5",
                Node::Term {
                    text: "乡村 振兴".into(),
                    phrase: true,
                    field: None,
                    slop: Some(5),
                    boost: None,
                },
            ),
            (
                "肉牛^2 养殖",
                Node::And(vec![
                    Node::Term {
                        text: "肉牛".into(),
                        phrase: false,
                        field: None,
                        slop: None,
                        boost: Some(2.0),
                    },
                    term("养殖"),
                ]),
            ),
        ];
        for (input, want) in cases {
            assert_eq!(parse(input).unwrap().root.as_ref(), Some(want), "{input}");
        }
        for (input, want) in [
            ("肉牛~3", "proximity is for phrases"),
            ("\"乡村振兴\"~x", "whole number"),
            ("肉牛^", "write a boost"),
            ("肉牛^0", "above 0"),
        ] {
            let e = parse(input).unwrap_err().0;
            assert!(e.contains(want), "{input:?} gave {e:?}");
        }
    }

    #[test]
    fn takes_inline_filters() {
        let q = parse(
            "营商环境 region:甘肃 year:2018..2023 sector:农业农村 type:规划 target-year:2025",
        )
        .unwrap();
        assert_eq!(q.root, Some(term("营商环境")));
        assert_eq!(q.filters.regions, ["甘肃"]);
        assert_eq!(q.filters.years, ["2018..2023"]);
        assert_eq!(q.filters.sectors, ["农业农村"]);
        assert_eq!(q.filters.types, ["规划"]);
        assert_eq!(q.filters.target_years, ["2025"]);
        let q = parse("消费 instrument:需求型").unwrap();
        assert_eq!(q.filters.instruments, ["需求型"]);
    }

    #[test]
    fn inline_filters_add_to_the_flags() {
        let flags = FilterSpec {
            regions: vec!["河南".into()],
            has_target: true,
            ..FilterSpec::default()
        };
        let inline = parse("营商环境 region:甘肃 year:2020..").unwrap().filters;
        let both = flags.and(&inline);
        assert_eq!(both.regions, ["河南", "甘肃"]);
        assert_eq!(both.years, ["2020.."]);
        assert!(both.has_target, "a flag stays on");
        assert!(both.sectors.is_empty() && both.types.is_empty() && both.target_years.is_empty());
    }

    #[test]
    fn malformed_queries_get_one_line_messages() {
        let long = "肉".repeat(10_000);
        let deep = format!("{}肉牛{}", "(".repeat(40), ")".repeat(40));
        let cases: &[(&str, &str)] = &[
            ("。", "empty query"),
            ("“、”", "empty phrase"),
            ("region:(甘肃 OR 四川)", "takes one value"),
            ("http://example.com", "unknown field"),
            (&deep, "nested deeper"),
            ("((肉牛)", "unbalanced parentheses"),
            ("肉牛 OR OR 养殖", "OR needs a word"),
            ("title:", "needs a value"),
            ("“乡村振兴", "unbalanced quotes"),
            ("", "empty query"),
            ("   ", "empty query"),
            ("\"乡村振兴", "unbalanced quotes"),
            ("(肉牛 OR 牛羊", "unbalanced parentheses"),
            ("肉牛)", "unbalanced parentheses"),
            ("()", "empty parentheses"),
            ("foo:肉牛", "unknown field"),
            ("-北京", "not only -exclusions"),
            ("OR 肉牛", "OR needs a word"),
            ("肉牛 OR", "OR needs a word"),
            ("region:", "needs a value"),
            (&long, "the limit is 1000"),
            ("\"\"", "empty phrase"),
        ];
        for (input, want) in cases {
            let e = parse(input).unwrap_err().0;
            assert!(e.contains(want), "{input:?} gave {e:?}");
            assert!(!e.contains('\n'), "one line: {e:?}");
        }
    }

    #[test]
    fn parses_year_ranges() {
        assert_eq!(
            YearRange::parse("2018").unwrap(),
            YearRange {
                from: Some(2018),
                to: Some(2018)
            }
        );
        assert_eq!(
            YearRange::parse("2018..2023").unwrap(),
            YearRange {
                from: Some(2018),
                to: Some(2023)
            }
        );
        assert_eq!(
            YearRange::parse("2020..").unwrap(),
            YearRange {
                from: Some(2020),
                to: None
            }
        );
        assert_eq!(
            YearRange::parse("2018-2020").unwrap(),
            YearRange {
                from: Some(2018),
                to: Some(2020)
            }
        );
        assert!(YearRange::parse("2023..2018").is_err());
        assert!(YearRange::parse("明年").is_err());
        assert!(YearRange::parse("..").is_err());
    }
}
