//! The index schema: one tantivy document per passage, plus one record per
//! document title and one per section heading.
//!
//! Passages carry their document's key, not its path: paths live in the file
//! table committed with the index (`indexer::IndexState`), so that a moved
//! file changes no passage.
//!
//! Text is indexed once, as character bigrams (with run-start and run-end
//! unigrams): a phrase of bigrams is literal containment, so every passage
//! that says a word is found, however jieba would cut it, and the BM25 of the
//! phrase ranks it. jieba runs at query time only, to split a query word into
//! the parts that may stand close together. A document's title and a
//! section's heading path are indexed once each, in records of their own
//! (`kind` = title / heading), not again on every passage: `title:` and
//! `heading:` find the records and then the passages they hold
//! (`search::records`). Facets are hierarchical fields; the values that facet
//! counts read are also FAST columns.

use tantivy::IndexSettings;
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::store::{Compressor, ZstdCompressor};

use crate::tokenizer::BIGRAMS;

/// Bumped whenever the schema or what goes into a field changes; an index with
/// another version is rebuilt. 3: quantified targets per passage (`targets`,
/// `target_count`), and their years in `target_year`. 4: zstd document store
/// in 64 KB blocks, no field norms on keyword and year fields. 5: one literal
/// (bigram) analysis of the text, no jieba words; titles and headings as
/// records of their own; pages and the content score of each passage. 6: the
/// issue fields on passages (issuers, level of force, document number,
/// dates). 7: policy instruments per passage (`instrument`). 8: versions of
/// one text (`version`, `version_date` on title records), `doc_num` indexed
/// so that a document's passages can be found or left out by its number.
/// 9: the batch (indexing run) that added each passage (`batch`), for
/// `search --new`.
pub const SCHEMA_VERSION: u32 = 9;

/// What a tantivy document of the index is.
pub mod kinds {
    /// A passage: what searches return.
    pub const PASSAGE: &str = "passage";
    /// A document's title, once per document.
    pub const TITLE: &str = "title";
    /// A section's heading path, once per section.
    pub const HEADING: &str = "heading";
}

/// Field names.
pub mod names {
    /// What the record is: [`super::kinds`].
    pub const KIND: &str = "kind";
    /// The document's key: its fingerprint (content hash), its identity across renames.
    pub const DOC_KEY: &str = "doc_key";
    /// 64-bit number derived from the document key, for grouping.
    pub const DOC_NUM: &str = "doc_num";
    /// Passage id as printed with hits: `<doc_key>:<number>`.
    pub const PASSAGE_ID: &str = "passage_id";
    /// 1-based passage number in its document.
    pub const PASSAGE_NO: &str = "passage_no";
    /// The section a passage stands in (and a heading record names):
    /// `<doc_key>/<n>`.
    pub const SECTION: &str = "section";
    /// Document title as shown (stored on passages).
    pub const TITLE: &str = "title";
    /// Document title, literal (indexed on title records).
    pub const TITLE_TEXT: &str = "title_text";
    /// Heading path as shown (stored on passages).
    pub const HEADING: &str = "heading";
    /// Heading path, literal (indexed on heading records).
    pub const HEADING_TEXT: &str = "heading_text";
    /// Passage text, literal (bigrams with positions), stored.
    pub const BODY: &str = "body";
    /// First and last page of a passage, for paged formats.
    pub const PAGE_FIRST: &str = "page_first";
    /// See [`PAGE_FIRST`].
    pub const PAGE_LAST: &str = "page_last";
    /// How much concrete content a passage holds (`extract::content`): a
    /// factor on its score.
    pub const CONTENT: &str = "content";
    /// Region facet `/省/市/县`.
    pub const REGION: &str = "region";
    /// Province name.
    pub const PROVINCE: &str = "province";
    /// City name.
    pub const CITY: &str = "city";
    /// County name.
    pub const COUNTY: &str = "county";
    /// Region code of the deepest known level.
    pub const REGION_CODE: &str = "region_code";
    /// Year of the document.
    pub const YEAR: &str = "year";
    /// Target years of the passage (multi-valued).
    pub const TARGET_YEAR: &str = "target_year";
    /// Document type label.
    pub const DOC_TYPE: &str = "doc_type";
    /// Sector facet `/农业农村/特色种养业` (up to two).
    pub const SECTOR: &str = "sector";
    /// Quantified targets of the passage, as a JSON array (stored only).
    pub const TARGETS: &str = "targets";
    /// Number of quantified targets (for `--has-target`).
    pub const TARGET_COUNT: &str = "target_count";
    /// Issuing bodies, normalised (`extract::issuance::normalise_issuer`),
    /// one value each: facet counts and `--issuer`.
    pub const ISSUER: &str = "issuer";
    /// Level of force label (效力级别).
    pub const FORCE: &str = "force";
    /// Document number, normalised (鲁政发〔2021〕5号): `docno:`.
    pub const DOC_NUMBER: &str = "doc_number";
    /// Dates as YYYYMMDD numbers: written (成文), published, effective.
    pub const WRITTEN: &str = "written";
    /// See [`WRITTEN`].
    pub const PUBLISHED: &str = "published";
    /// See [`WRITTEN`].
    pub const EFFECTIVE: &str = "effective";
    /// The document's own date (written, else adopted, published,
    /// effective) as YYYYMMDD, for `--sort newest|oldest`.
    pub const DOC_DATE: &str = "doc_date";
    /// Policy instrument facet `/环境型/税收优惠`,
    /// `/环境型/策略性措施/示范试点` (up to three).
    pub const INSTRUMENT: &str = "instrument";
    /// On title records: the key of the text the document is a version of
    /// (`extract::versions`), absent for documents without versions.
    pub const VERSION: &str = "version";
    /// On title records: the date the version stands for, YYYYMMDD.
    pub const VERSION_DATE: &str = "version_date";
    /// The batch that added the passage: the number of the indexing run
    /// that first indexed its document (`indexer::Batch`); 0 for documents
    /// indexed before batches were recorded.
    pub const BATCH: &str = "batch";
}

/// Handles to every field.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// See [`names::KIND`].
    pub kind: Field,
    /// See [`names::DOC_KEY`].
    pub doc_key: Field,
    /// See [`names::DOC_NUM`].
    pub doc_num: Field,
    /// See [`names::PASSAGE_ID`].
    pub passage_id: Field,
    /// See [`names::PASSAGE_NO`].
    pub passage_no: Field,
    /// See [`names::SECTION`].
    pub section: Field,
    /// See [`names::TITLE`].
    pub title: Field,
    /// See [`names::TITLE_TEXT`].
    pub title_text: Field,
    /// See [`names::HEADING`].
    pub heading: Field,
    /// See [`names::HEADING_TEXT`].
    pub heading_text: Field,
    /// See [`names::BODY`].
    pub body: Field,
    /// See [`names::PAGE_FIRST`].
    pub page_first: Field,
    /// See [`names::PAGE_LAST`].
    pub page_last: Field,
    /// See [`names::CONTENT`].
    pub content: Field,
    /// See [`names::REGION`].
    pub region: Field,
    /// See [`names::PROVINCE`].
    pub province: Field,
    /// See [`names::CITY`].
    pub city: Field,
    /// See [`names::COUNTY`].
    pub county: Field,
    /// See [`names::REGION_CODE`].
    pub region_code: Field,
    /// See [`names::YEAR`].
    pub year: Field,
    /// See [`names::TARGET_YEAR`].
    pub target_year: Field,
    /// See [`names::DOC_TYPE`].
    pub doc_type: Field,
    /// See [`names::SECTOR`].
    pub sector: Field,
    /// See [`names::TARGETS`].
    pub targets: Field,
    /// See [`names::TARGET_COUNT`].
    pub target_count: Field,
    /// See [`names::ISSUER`].
    pub issuer: Field,
    /// See [`names::FORCE`].
    pub force: Field,
    /// See [`names::DOC_NUMBER`].
    pub doc_number: Field,
    /// See [`names::WRITTEN`].
    pub written: Field,
    /// See [`names::PUBLISHED`].
    pub published: Field,
    /// See [`names::EFFECTIVE`].
    pub effective: Field,
    /// See [`names::DOC_DATE`].
    pub doc_date: Field,
    /// See [`names::INSTRUMENT`].
    pub instrument: Field,
    /// See [`names::VERSION`].
    pub version: Field,
    /// See [`names::VERSION_DATE`].
    pub version_date: Field,
    /// See [`names::BATCH`].
    pub batch: Field,
}

/// Literal text: bigrams with positions (phrases are containment), scored
/// by BM25 with norms when `scored`.
fn literal(stored: bool, scored: bool) -> TextOptions {
    // Positions for phrases everywhere; norms only where BM25 reads them
    // (records are matched, not ranked).
    let indexing = TextFieldIndexing::default()
        .set_tokenizer(BIGRAMS)
        .set_fieldnorms(scored)
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = TextOptions::default().set_indexing_options(indexing);
    if stored {
        options.set_stored()
    } else {
        options
    }
}

/// Shown, not searched: stored only.
fn shown() -> TextOptions {
    TextOptions::default().set_stored()
}

/// A whole-value keyword field: indexed as one term, stored, and a fast column
/// if asked. No field norms: nothing scores these fields, and norms would cost
/// a byte per passage each.
fn keyword(fast: bool) -> TextOptions {
    let options = TextOptions::default()
        .set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("raw")
                .set_fieldnorms(false)
                .set_index_option(IndexRecordOption::Basic),
        )
        .set_stored();
    if fast {
        options.set_fast("raw")
    } else {
        options
    }
}

/// A year or a count: indexed for range filters, stored, fast for facet
/// counts; no norms.
fn year() -> NumericOptions {
    NumericOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast()
}

/// Bytes of passages compressed together in the document store: large enough
/// for zstd to find the title and heading repeated across a document's
/// passages, small enough that fetching one hit decompresses little.
pub const DOCSTORE_BLOCK_BYTES: usize = 64 * 1024;

/// How an index is created: the schema plus zstd for the document store (the
/// stored passages are most of the index; zstd makes them about half of what
/// tantivy's default lz4 does).
pub fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(ZSTD_LEVEL),
        }),
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        ..IndexSettings::default()
    }
}

/// zstd level of the document store.
const ZSTD_LEVEL: i32 = 3;

/// Builds the schema.
pub fn build() -> Schema {
    use names::*;
    let mut b = Schema::builder();
    b.add_text_field(KIND, keyword(false));
    b.add_text_field(DOC_KEY, keyword(true));
    b.add_u64_field(DOC_NUM, NumericOptions::default().set_indexed().set_fast());
    b.add_text_field(PASSAGE_ID, keyword(false));
    b.add_u64_field(
        PASSAGE_NO,
        NumericOptions::default().set_stored().set_fast(),
    );
    b.add_text_field(SECTION, keyword(true));
    b.add_text_field(TITLE, shown());
    b.add_text_field(TITLE_TEXT, literal(true, false));
    b.add_text_field(HEADING, shown());
    b.add_text_field(HEADING_TEXT, literal(true, false));
    b.add_text_field(BODY, literal(true, true));
    b.add_u64_field(PAGE_FIRST, NumericOptions::default().set_stored());
    b.add_u64_field(PAGE_LAST, NumericOptions::default().set_stored());
    b.add_f64_field(CONTENT, NumericOptions::default().set_stored().set_fast());
    b.add_facet_field(REGION, FacetOptions::default().set_stored());
    b.add_text_field(PROVINCE, keyword(true));
    b.add_text_field(CITY, keyword(true));
    b.add_text_field(COUNTY, keyword(true));
    b.add_text_field(REGION_CODE, keyword(false));
    b.add_u64_field(YEAR, year());
    b.add_u64_field(TARGET_YEAR, year());
    b.add_text_field(DOC_TYPE, keyword(true));
    b.add_facet_field(SECTOR, FacetOptions::default().set_stored());
    b.add_text_field(TARGETS, TextOptions::default().set_stored());
    b.add_u64_field(TARGET_COUNT, year());
    b.add_text_field(ISSUER, keyword(true));
    b.add_text_field(FORCE, keyword(true));
    b.add_text_field(DOC_NUMBER, keyword(false));
    b.add_u64_field(WRITTEN, NumericOptions::default().set_stored());
    b.add_u64_field(PUBLISHED, NumericOptions::default().set_stored());
    b.add_u64_field(EFFECTIVE, NumericOptions::default().set_stored());
    b.add_u64_field(DOC_DATE, year());
    b.add_facet_field(INSTRUMENT, FacetOptions::default().set_stored());
    b.add_u64_field(VERSION, NumericOptions::default().set_fast());
    b.add_u64_field(VERSION_DATE, NumericOptions::default().set_fast());
    b.add_u64_field(BATCH, NumericOptions::default().set_indexed().set_fast());
    b.build()
}

impl Fields {
    /// Looks up every field in a schema (built by [`build`]).
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        use names::*;
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            kind: f(KIND)?,
            doc_key: f(DOC_KEY)?,
            doc_num: f(DOC_NUM)?,
            passage_id: f(PASSAGE_ID)?,
            passage_no: f(PASSAGE_NO)?,
            section: f(SECTION)?,
            title: f(TITLE)?,
            title_text: f(TITLE_TEXT)?,
            heading: f(HEADING)?,
            heading_text: f(HEADING_TEXT)?,
            body: f(BODY)?,
            page_first: f(PAGE_FIRST)?,
            page_last: f(PAGE_LAST)?,
            content: f(CONTENT)?,
            region: f(REGION)?,
            province: f(PROVINCE)?,
            city: f(CITY)?,
            county: f(COUNTY)?,
            region_code: f(REGION_CODE)?,
            year: f(YEAR)?,
            target_year: f(TARGET_YEAR)?,
            doc_type: f(DOC_TYPE)?,
            sector: f(SECTOR)?,
            targets: f(TARGETS)?,
            target_count: f(TARGET_COUNT)?,
            issuer: f(ISSUER)?,
            force: f(FORCE)?,
            doc_number: f(DOC_NUMBER)?,
            written: f(WRITTEN)?,
            published: f(PUBLISHED)?,
            effective: f(EFFECTIVE)?,
            doc_date: f(DOC_DATE)?,
            instrument: f(INSTRUMENT)?,
            version: f(VERSION)?,
            version_date: f(VERSION_DATE)?,
            batch: f(BATCH)?,
        })
    }
}

/// The 64-bit grouping number of a document key.
pub fn doc_num(doc_key: &str) -> u64 {
    u64::from_str_radix(doc_key.get(..16).unwrap_or(doc_key), 16).unwrap_or_else(|_| {
        let h = blake3::hash(doc_key.as_bytes());
        u64::from_le_bytes(h.as_bytes()[..8].try_into().expect("8 bytes"))
    })
}

/// The passages of document `key` (its title and heading records left out).
pub fn passages_of_document(fields: &Fields, key: &str) -> Box<dyn tantivy::query::Query> {
    Box::new(tantivy::query::BooleanQuery::intersection(vec![
        Box::new(tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(fields.doc_key, key),
            IndexRecordOption::Basic,
        )),
        passages(fields),
    ]))
}

/// The query that keeps passages only (not title or heading records).
pub fn passages(fields: &Fields) -> Box<dyn tantivy::query::Query> {
    Box::new(tantivy::query::TermQuery::new(
        tantivy::Term::from_field_text(fields.kind, kinds::PASSAGE),
        IndexRecordOption::Basic,
    ))
}
