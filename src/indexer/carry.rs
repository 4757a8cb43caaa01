//! Which batch each passage of a changed file belongs to. A report re-saved
//! with one paragraph corrected brings one new passage, not all of them: the
//! passages its version indexed before said word for word keep the batch
//! that first added them, so `search --new` and a saved query's new hits
//! show what is new in the text, not what was re-read.

use std::collections::HashMap;

use tantivy::collector::DocSetCollector;
use tantivy::schema::Value;
use tantivy::{Searcher, TantivyDocument};

use crate::document::Document;
use crate::error::Result;
use crate::schema::{self, Fields, names};

use super::state::DocEntry;

/// The entry of a document new to the index, in batch `batch`: passages
/// whose text is in `earlier` (an earlier version's passage texts and their
/// batches) keep that batch.
pub(super) fn new_entry(doc: &Document, batch: u32, earlier: &HashMap<String, u32>) -> DocEntry {
    let passage_batches: Vec<u32> = doc
        .passages
        .iter()
        .map(|(p, _)| earlier.get(&p.text).copied().unwrap_or(batch))
        .collect();
    let mixed = passage_batches.iter().any(|b| *b != batch);
    DocEntry {
        passages: doc.passages.len() as u32,
        bytes: doc.bytes,
        batch,
        passage_batches: if mixed { passage_batches } else { Vec::new() },
    }
}

/// The entry of a document a rebuild reads again, which the index being
/// replaced held as `before`: its passages keep their batches. When the
/// rules now cut it into other passages, which passage is which is not
/// known, and all are of the document's batch.
pub(super) fn rebuilt_entry(doc: &Document, before: &DocEntry) -> DocEntry {
    let passages = doc.passages.len() as u32;
    let same_cut = before.passages == passages;
    DocEntry {
        passages,
        bytes: doc.bytes,
        batch: before.batch,
        passage_batches: if same_cut {
            before.passage_batches.clone()
        } else {
            Vec::new()
        },
    }
}

/// The passage texts of document `key` in the searcher's index, each with
/// the batch that added it; empty when the index does not hold it.
pub(super) fn passage_batches(
    searcher: &Searcher,
    fields: &Fields,
    key: &str,
) -> Result<HashMap<String, u32>> {
    let query = schema::passages_of_document(fields, key);
    let mut out = HashMap::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let segment = searcher.segment_reader(address.segment_ord);
        let batch = segment
            .fast_fields()
            .u64(names::BATCH)?
            .first(address.doc_id)
            .unwrap_or(0);
        let stored: TantivyDocument = searcher.doc(address)?;
        if let Some(text) = stored.get_first(fields.body).and_then(|v| v.as_str()) {
            out.insert(text.to_string(), batch as u32);
        }
    }
    Ok(out)
}
