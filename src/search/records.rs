//! Two queries of our own on top of tantivy's.
//!
//! - [`ViaRecords`]: passages of the documents (or sections) whose title (or
//!   heading path) record matches. Titles and headings are indexed once, in
//!   records of their own, not on every passage; `title:规划` runs the inner
//!   query on the title records, collects their document keys, and matches
//!   the passages that carry one of them.
//! - [`ContentScaled`]: a query whose score is multiplied by each passage's
//!   content factor (`extract::content`), read from a fast column, so that a
//!   concrete measure outranks a slogan that says the same words.

use std::collections::BTreeSet;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, Explanation, Query, Scorer, TermSetQuery, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, Term};

/// Passages whose `key` field (document key or section) is the key of a
/// record that `records` matches.
#[derive(Debug)]
pub struct ViaRecords {
    /// The query over the records (title or heading records).
    pub records: Box<dyn Query>,
    /// The field both the records and the passages carry the key in.
    pub key: Field,
    /// Its name (for the fast column).
    pub key_name: &'static str,
}

impl Clone for ViaRecords {
    fn clone(&self) -> Self {
        ViaRecords {
            records: self.records.box_clone(),
            key: self.key,
            key_name: self.key_name,
        }
    }
}

impl Query for ViaRecords {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let Some(searcher) = enable_scoring.searcher() else {
            return Err(tantivy::TantivyError::InvalidArgument(
                "a title: or heading: query needs a searcher".into(),
            ));
        };
        let keys = searcher.search(
            self.records.as_ref(),
            &KeyCollector {
                field: self.key_name,
            },
        )?;
        let terms = keys
            .into_iter()
            .map(|k| Term::from_field_text(self.key, &k));
        TermSetQuery::new(terms).weight(enable_scoring)
    }
}

/// Collects the distinct values of a string fast column over the matches.
struct KeyCollector {
    field: &'static str,
}

struct SegmentKeys {
    column: Option<tantivy::columnar::StrColumn>,
    ords: BTreeSet<u64>,
}

impl Collector for KeyCollector {
    type Fruit = BTreeSet<String>;
    type Child = SegmentKeys;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentKeys> {
        Ok(SegmentKeys {
            column: reader.fast_fields().str(self.field)?,
            ords: BTreeSet::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<BTreeSet<String>>) -> tantivy::Result<Self::Fruit> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentKeys {
    type Fruit = BTreeSet<String>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        if let Some(column) = &self.column {
            self.ords.extend(column.term_ords(doc));
        }
    }

    /// The ordinals are resolved in one pass over the column's dictionary
    /// (they are sorted): one lookup each decompressed a dictionary block
    /// per ordinal, most of a query's time when a word is in many headings.
    fn harvest(self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(column) = &self.column {
            let ords: Vec<u64> = self.ords.into_iter().collect();
            let resolved = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                out.insert(String::from_utf8_lossy(bytes).into_owned());
            });
            if let Err(e) = resolved {
                log::warn!("reading the keys of {} records: {e}", ords.len());
            }
        }
        out
    }
}

/// `inner`, its score multiplied by the passage's content factor.
#[derive(Debug)]
pub struct ContentScaled {
    /// The scored query.
    pub inner: Box<dyn Query>,
    /// The f64 fast column of the factor.
    pub field_name: &'static str,
}

impl Clone for ContentScaled {
    fn clone(&self) -> Self {
        ContentScaled {
            inner: self.inner.box_clone(),
            field_name: self.field_name,
        }
    }
}

impl Query for ContentScaled {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ContentWeight {
            inner: self.inner.weight(enable_scoring)?,
            field_name: self.field_name,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct ContentWeight {
    inner: Box<dyn Weight>,
    field_name: &'static str,
}

/// The factor of a passage without one (a record, an old segment).
const NEUTRAL: f64 = 1.0;

impl Weight for ContentWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(ContentScorer {
            inner: self.inner.scorer(reader, boost)?,
            factor: reader.fast_fields().f64(self.field_name).ok(),
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let factor = reader
            .fast_fields()
            .f64(self.field_name)
            .ok()
            .and_then(|c| c.first(doc))
            .unwrap_or(NEUTRAL) as Score;
        let mut out = Explanation::new("content factor", inner.value() * factor);
        out.add_detail(inner);
        out.add_const("factor", factor);
        Ok(out)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct ContentScorer {
    inner: Box<dyn Scorer>,
    factor: Option<Column<f64>>,
}

impl DocSet for ContentScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> tantivy::SeekDangerResult {
        self.inner.seek_danger(target)
    }

    fn fill_buffer(&mut self, buffer: &mut [DocId; tantivy::COLLECT_BLOCK_BUFFER_LEN]) -> usize {
        self.inner.fill_buffer(buffer)
    }

    fn count(&mut self, alive_bitset: &tantivy::fastfield::AliveBitSet) -> u32 {
        self.inner.count(alive_bitset)
    }

    fn count_including_deleted(&mut self) -> u32 {
        self.inner.count_including_deleted()
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for ContentScorer {
    fn score(&mut self) -> Score {
        let factor = self
            .factor
            .as_ref()
            .and_then(|c| c.first(self.inner.doc()))
            .unwrap_or(NEUTRAL);
        self.inner.score() * factor as Score
    }
}

/// The content factor of one passage, for `--explain`.
pub fn content_factor(reader: &SegmentReader, doc: DocId, field_name: &str) -> f32 {
    reader
        .fast_fields()
        .f64(field_name)
        .ok()
        .and_then(|c| c.first(doc))
        .unwrap_or(NEUTRAL) as f32
}
