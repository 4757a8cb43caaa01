//! The index schema: one tantivy document per passage.
//!
//! Passages carry their document's key, not its path: paths live in the file
//! table committed with the index (`indexer::IndexState`), so that a moved
//! file changes no passage.
//!
//! Text is indexed twice: with jieba words (ranking, phrases) and with character
//! bigrams (literal recall). Facets are hierarchical fields; the values that
//! facet counts read are also FAST columns.

use tantivy::IndexSettings;
use tantivy::schema::{
    FacetOptions, Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::store::{Compressor, ZstdCompressor};

use crate::tokenizer::{BIGRAMS, WORDS};

/// Bumped whenever the schema or what goes into a field changes; an index with
/// another version is rebuilt. 3: quantified targets per passage (`targets`,
/// `target_count`), and their years in `target_year`. 4: zstd document store
/// in 64 KB blocks, no field norms on keyword and year fields.
pub const SCHEMA_VERSION: u32 = 4;

/// Field names.
pub mod names {
    /// The document's key: its fingerprint (content hash), its identity across renames.
    pub const DOC_KEY: &str = "doc_key";
    /// 64-bit number derived from the document key, for grouping.
    pub const DOC_NUM: &str = "doc_num";
    /// Passage id as printed with hits: `<doc_key>:<number>`.
    pub const PASSAGE_ID: &str = "passage_id";
    /// 1-based passage number in its document.
    pub const PASSAGE_NO: &str = "passage_no";
    /// Document title (words).
    pub const TITLE: &str = "title";
    /// Document title (bigrams).
    pub const TITLE_LIT: &str = "title_lit";
    /// Heading path (words).
    pub const HEADING: &str = "heading";
    /// Heading path (bigrams).
    pub const HEADING_LIT: &str = "heading_lit";
    /// Passage text (words).
    pub const BODY: &str = "body";
    /// Passage text (bigrams).
    pub const BODY_LIT: &str = "body_lit";
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
}

/// Handles to every field.
#[derive(Clone, Copy, Debug)]
pub struct Fields {
    /// See [`names::DOC_KEY`].
    pub doc_key: Field,
    /// See [`names::DOC_NUM`].
    pub doc_num: Field,
    /// See [`names::PASSAGE_ID`].
    pub passage_id: Field,
    /// See [`names::PASSAGE_NO`].
    pub passage_no: Field,
    /// See [`names::TITLE`].
    pub title: Field,
    /// See [`names::TITLE_LIT`].
    pub title_lit: Field,
    /// See [`names::HEADING`].
    pub heading: Field,
    /// See [`names::HEADING_LIT`].
    pub heading_lit: Field,
    /// See [`names::BODY`].
    pub body: Field,
    /// See [`names::BODY_LIT`].
    pub body_lit: Field,
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
}

fn words(stored: bool) -> TextOptions {
    let options = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(WORDS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    if stored {
        options.set_stored()
    } else {
        options
    }
}

fn bigrams() -> TextOptions {
    TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(BIGRAMS)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    )
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
    b.add_text_field(DOC_KEY, keyword(true));
    b.add_u64_field(DOC_NUM, NumericOptions::default().set_fast());
    b.add_text_field(PASSAGE_ID, keyword(false));
    b.add_u64_field(
        PASSAGE_NO,
        NumericOptions::default().set_stored().set_fast(),
    );
    b.add_text_field(TITLE, words(true));
    b.add_text_field(TITLE_LIT, bigrams());
    b.add_text_field(HEADING, words(true));
    b.add_text_field(HEADING_LIT, bigrams());
    b.add_text_field(BODY, words(true));
    b.add_text_field(BODY_LIT, bigrams());
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
    b.build()
}

impl Fields {
    /// Looks up every field in a schema (built by [`build`]).
    pub fn new(schema: &Schema) -> tantivy::Result<Fields> {
        use names::*;
        let f = |name: &str| schema.get_field(name);
        Ok(Fields {
            doc_key: f(DOC_KEY)?,
            doc_num: f(DOC_NUM)?,
            passage_id: f(PASSAGE_ID)?,
            passage_no: f(PASSAGE_NO)?,
            title: f(TITLE)?,
            title_lit: f(TITLE_LIT)?,
            heading: f(HEADING)?,
            heading_lit: f(HEADING_LIT)?,
            body: f(BODY)?,
            body_lit: f(BODY_LIT)?,
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
