//! Which documents of the index are superseded by a newer version of the same
//! text (`extract::versions` gives each binding document a version key and
//! date on its title record). Read at search time, from fast columns, because
//! a new batch can supersede a document indexed long before.

use std::collections::HashMap;

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::{
    AllQuery, BooleanQuery, EnableScoring, Occur, Query, TermQuery, TermSetQuery, Weight,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Order, Searcher, TantivyDocument, Term};

use crate::indexer::DocPaths;
use crate::schema::{self, Fields, kinds, names};

/// What a hit of a superseded document says: the version that replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SupersededBy {
    /// The newer version's title.
    pub title: String,
    /// Its path in the corpus.
    pub path: String,
    /// The date it stands for, YYYY-MM-DD.
    pub date: String,
}

/// The newer version a superseded document gives way to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Newer {
    /// Its document number.
    pub doc_num: u64,
    /// The date it stands for, YYYYMMDD.
    pub date: u32,
}

/// The superseded documents of an index, by document number.
#[derive(Debug, Default)]
pub struct Versions {
    superseded: HashMap<u64, Newer>,
}

impl Versions {
    /// Groups the title records by version key; in each group every document
    /// dated before the newest is superseded by it. A document without a
    /// version date is never called newest, nor superseded: nothing says which
    /// came first. Equal dates (one text saved twice) supersede nothing.
    pub fn read(searcher: &Searcher) -> tantivy::Result<Versions> {
        let mut groups: HashMap<u64, Vec<(u64, u32)>> = HashMap::new();
        for segment in searcher.segment_readers() {
            let ff = segment.fast_fields();
            let (Ok(version), Ok(date), Ok(num)) = (
                ff.u64(names::VERSION),
                ff.u64(names::VERSION_DATE),
                ff.u64(names::DOC_NUM),
            ) else {
                continue;
            };
            // Only title records of binding texts carry a version key.
            let mut docs = Vec::new();
            version.get_docids_for_value_range(1..=u64::MAX, 0..segment.max_doc(), &mut docs);
            let alive = segment.alive_bitset();
            for doc in docs {
                if alive.is_some_and(|a| !a.is_alive(doc)) {
                    continue;
                }
                let (Some(key), Some(d), Some(n)) =
                    (version.first(doc), date.first(doc), num.first(doc))
                else {
                    continue;
                };
                groups.entry(key).or_default().push((n, d as u32));
            }
        }
        let mut superseded = HashMap::new();
        for docs in groups.values() {
            let Some(&(newest, date)) =
                docs.iter().max_by_key(|(n, d)| (*d, std::cmp::Reverse(*n)))
            else {
                continue;
            };
            for &(n, d) in docs {
                if d < date && n != newest {
                    superseded.insert(
                        n,
                        Newer {
                            doc_num: newest,
                            date,
                        },
                    );
                }
            }
        }
        Ok(Versions { superseded })
    }

    /// The newer version of a document, if it is superseded.
    pub fn newer(&self, doc_num: u64) -> Option<Newer> {
        self.superseded.get(&doc_num).copied()
    }

    /// How many documents are superseded.
    pub fn superseded_count(&self) -> usize {
        self.superseded.len()
    }

    /// The version that supersedes the document of a passage id
    /// (`<doc_key>:<n>`), with its title and path read from one of its
    /// passages.
    pub fn superseded_by(
        &self,
        searcher: &Searcher,
        fields: &Fields,
        paths: &DocPaths,
        passage_id: &str,
    ) -> tantivy::Result<Option<SupersededBy>> {
        let key = passage_id.split(':').next().unwrap_or(passage_id);
        let Some(newer) = self.newer(schema::doc_num(key)) else {
            return Ok(None);
        };
        let query = BooleanQuery::new(vec![
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_u64(fields.doc_num, newer.doc_num),
                    IndexRecordOption::Basic,
                )) as Box<dyn Query>,
            ),
            (
                Occur::Must,
                Box::new(TermQuery::new(
                    Term::from_field_text(fields.kind, kinds::PASSAGE),
                    IndexRecordOption::Basic,
                )),
            ),
        ]);
        let top = searcher.search(
            &query,
            &TopDocs::with_limit(1).order_by_u64_field(names::PASSAGE_NO, Order::Asc),
        )?;
        let Some((_, address)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = searcher.doc(*address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let newer_key = text(fields.doc_key).unwrap_or_default();
        let path = paths.first(&newer_key).unwrap_or_default().to_string();
        let title =
            text(fields.title).unwrap_or_else(|| crate::document::file_title(&path).to_string());
        let d = newer.date;
        Ok(Some(SupersededBy {
            title,
            path,
            date: format!("{:04}-{:02}-{:02}", d / 10_000, d / 100 % 100, d % 100),
        }))
    }
}

/// Matches every record except those of superseded documents (`--current`).
#[derive(Debug, Clone)]
pub struct CurrentOnly {
    /// The document-number field.
    pub doc_num: tantivy::schema::Field,
}

impl CurrentOnly {
    /// The filter for an index's fields.
    pub fn new(fields: &Fields) -> CurrentOnly {
        CurrentOnly {
            doc_num: fields.doc_num,
        }
    }
}

impl Query for CurrentOnly {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let Some(searcher) = enable_scoring.searcher() else {
            return Err(tantivy::TantivyError::InvalidArgument(
                "leaving out superseded versions needs a searcher".into(),
            ));
        };
        let versions = Versions::read(searcher)?;
        let terms = versions
            .superseded
            .keys()
            .map(|n| Term::from_field_u64(self.doc_num, *n));
        let query = BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery) as Box<dyn Query>),
            (Occur::MustNot, Box::new(TermSetQuery::new(terms))),
        ]);
        query.weight(enable_scoring)
    }
}
