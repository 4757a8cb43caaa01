//! The place names of a document, each weighted by where it stands and what
//! surrounds it, summed per unit.

use std::collections::HashMap;

use super::context::{is_event_context, is_issuer, is_subject_context, words};
use super::{Entry, MATCHER, TRUSTED_CHARS};
use crate::gazetteer::{FormKind, Reading, gazetteer};

/// Where a mention stands or what surrounds it; it sets the mention's weight
/// and is named in the evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Role {
    /// In the title: where the document says whose it is.
    Title,
    /// An issuing body at the top or in the signature (张掖市人民政府).
    IssuingBody,
    /// In the first characters of the text.
    TopOfText,
    /// Anywhere else in the text.
    Text,
    /// The venue or a guest of an event the document reports.
    EventGuest,
    /// A partner, a company or a street: someone else's place.
    NotSubject,
    /// A programme or name of one province (兰洽会).
    ProvincialSignal,
}

impl Role {
    /// Weight of a mention in this role; `position` is the role its place in
    /// the text alone gives (top of text or text).
    fn weight(self, position: Role) -> f32 {
        match self {
            Role::Title => 6.0,
            Role::IssuingBody => 5.0,
            Role::TopOfText => 2.0,
            Role::Text => 1.0,
            Role::ProvincialSignal => SIGNAL,
            // Someone else's place: what its position gives, discounted.
            Role::EventGuest | Role::NotSubject => NOT_SUBJECT * position.weight(position),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Role::Title => "title",
            Role::IssuingBody => "issuing body",
            Role::TopOfText => "top of text",
            Role::Text => "text",
            Role::EventGuest => "venue or guest of an event",
            Role::NotSubject => "partner/company context",
            Role::ProvincialSignal => "provincial programme/name",
        }
    }
}

/// Weight of a provincial programme or name.
const SIGNAL: f32 = 3.0;
/// Discount for a place in a partner's, company's or street's context, or at an event.
const NOT_SUBJECT: f32 = 0.15;
/// Weight of a common word (合作, 黑河) that other evidence backs.
const COMMON_WORD: f32 = 0.2;
/// Characters of text counted as the top of the document.
const TOP_CHARS: usize = 300;
/// An issuing body stands at the top (characters) or in the signature at the
/// bottom (bytes); 青浦区人民政府 in the body of a regulation is a mention.
const ISSUER_TOP_CHARS: usize = 600;
const ISSUER_TAIL_BYTES: usize = 600;
/// Mentions listed in the evidence.
const EVIDENCE_LINES: usize = 8;

fn kind_weight(kind: FormKind) -> f32 {
    match kind {
        FormKind::Full => 1.0,
        FormKind::Informal => 0.9,
        FormKind::Short => 0.8,
        FormKind::Historical => 0.6,
        FormKind::AmbiguousShort => 0.5,
        FormKind::HistoricalShadowed => 0.0,
    }
}

/// Byte offset of the `n`th character, or the end.
fn byte_of_char(text: &str, n: usize) -> usize {
    text.char_indices().nth(n).map_or(text.len(), |(i, _)| i)
}

/// The evidence per unit.
#[derive(Default)]
pub(super) struct Tally {
    /// Place names that are not common words.
    pub direct: HashMap<u32, f32>,
    /// Provincial programmes and names.
    pub signals: HashMap<u32, f32>,
    /// Common words (合作, 黑河): they count only where direct evidence stands.
    common: HashMap<u32, f32>,
    /// Weight from the title and the issuing body: where the document says whose it is.
    pub anchored: HashMap<u32, f32>,
    /// Weight and count per form and role, for the evidence.
    mentions: HashMap<(String, Role), (f32, usize)>,
}

impl Tally {
    /// Counts the title's and the text's mentions (both folded).
    pub fn of(title: &str, text: &str) -> Tally {
        let mut tally = Tally::default();
        if !title.is_empty() {
            tally.scan(title, true);
        }
        tally.scan(text, false);
        tally.back_common_words();
        tally
    }

    fn note(&mut self, form: &str, role: Role, weight: f32) {
        let e = self.mentions.entry((form.to_string(), role)).or_default();
        e.0 += weight;
        e.1 += 1;
    }

    fn scan(&mut self, haystack: &str, in_title: bool) {
        let rm = &*MATCHER;
        let glue = &words().glue;
        let edges = Edges::of(haystack);
        for m in rm.matcher.find_glued(haystack, TRUSTED_CHARS, glue) {
            let form = rm.matcher.word(m.word);
            let position = edges.position(m.start);
            let role = if in_title {
                Role::Title
            } else {
                edges.role_of(haystack, form, m.start, m.end)
            };
            let weight = role.weight(position);
            match &rm.entries[m.word] {
                Entry::Signal(None) => {}
                Entry::Signal(Some(code)) => {
                    *self.signals.entry(*code).or_default() += SIGNAL.min(weight * SIGNAL);
                    self.note(form, Role::ProvincialSignal, SIGNAL);
                }
                Entry::Place(readings) => self.add_place(form, readings, role, weight),
            }
        }
    }

    /// Shares a place name's weight among its readings.
    fn add_place(&mut self, form: &str, readings: &[Reading], role: Role, weight: f32) {
        let is_common = gazetteer().common_word_kind(form).is_some();
        let strong: Vec<&Reading> = readings
            .iter()
            .filter(|r| r.kind != FormKind::HistoricalShadowed)
            .collect();
        if strong.is_empty() {
            return;
        }
        let share = 1.0 / strong.len() as f32;
        for r in &strong {
            let w = weight * share * kind_weight(r.kind);
            if is_common {
                *self.common.entry(r.code).or_default() += w * COMMON_WORD;
                continue;
            }
            if matches!(role, Role::Title | Role::IssuingBody) {
                *self.anchored.entry(r.code).or_default() += w;
            }
            *self.direct.entry(r.code).or_default() += w;
        }
        if !is_common {
            self.note(form, role, weight);
        }
    }

    /// Common words count only where other evidence already stands.
    fn back_common_words(&mut self) {
        let g = gazetteer();
        for (code, w) in std::mem::take(&mut self.common) {
            let backed = g
                .lineage(code)
                .iter()
                .any(|r| self.direct.get(&r.code).copied().unwrap_or(0.0) >= 1.0);
            if backed {
                *self.direct.entry(code).or_default() += w;
            }
        }
    }

    /// The heaviest mentions, one line each: "张掖市 ×2 in issuing body (weight 10.0)".
    pub fn evidence_lines(&self) -> Vec<String> {
        let mut evidence: Vec<(&str, Role, f32, usize)> = self
            .mentions
            .iter()
            .map(|((form, role), &(w, n))| (form.as_str(), *role, w, n))
            .collect();
        evidence.sort_by(|a, b| {
            b.2.total_cmp(&a.2)
                .then(a.0.cmp(b.0))
                .then(a.1.describe().cmp(b.1.describe()))
        });
        evidence
            .iter()
            .take(EVIDENCE_LINES)
            .map(|(form, role, w, n)| format!("{form} ×{n} in {} (weight {w:.1})", role.describe()))
            .collect()
    }
}

/// Where the top of a text ends and where its issuing body may stand.
struct Edges {
    top_end: usize,
    issuer_top_end: usize,
    issuer_tail_start: usize,
}

impl Edges {
    fn of(haystack: &str) -> Edges {
        let issuer_top_end = byte_of_char(haystack, ISSUER_TOP_CHARS);
        Edges {
            top_end: byte_of_char(haystack, TOP_CHARS),
            issuer_top_end,
            issuer_tail_start: haystack
                .len()
                .saturating_sub(ISSUER_TAIL_BYTES)
                .max(issuer_top_end),
        }
    }

    /// The role a mention's position alone gives it.
    fn position(&self, start: usize) -> Role {
        if start < self.top_end {
            Role::TopOfText
        } else {
            Role::Text
        }
    }

    /// The role of the mention at `start..end` of a text (not a title).
    fn role_of(&self, haystack: &str, form: &str, start: usize, end: usize) -> Role {
        if is_event_context(haystack, start, end) {
            return Role::EventGuest;
        }
        let at_edge = start < self.issuer_top_end || start >= self.issuer_tail_start;
        if at_edge && is_issuer(haystack, start, end) {
            return Role::IssuingBody;
        }
        if !is_subject_context(haystack, form, start, end) {
            return Role::NotSubject;
        }
        self.position(start)
    }
}
