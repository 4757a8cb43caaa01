//! plansearch: full-text search over Chinese county development documents
//! (政府工作报告, 规划, 实施意见, 工作方案, 典型材料), built for researchers who
//! compare measures across counties.
//!
//! The pipeline, one module per concern:
//! [`read`] (bytes of any format to text) → [`corpus`] (walk, clean, passages)
//! → [`extract`] (region, year, type, sectors, issuance, instruments, targets)
//! → [`mod@document`] (one file analysed) → [`indexer`] (tantivy index with the
//! [`tokenizer`]s and [`schema`], updated incrementally, crash-safe) →
//! [`query`] + [`mod@search`]. On top of search: [`similar`] measures, [`stats`],
//! [`timeline`], [`crosstab`] and [`export`]s; [`service`] holds the query
//! commands as the calls the command line and the web API share, and [`saved`]
//! queries follow a question across batches. The embedded rule tables and
//! their digest are in the crate's `lexicon` (not public).
//!
//! The command line, the web page and API, and terminal output are the
//! binary's (`src/main.rs`), not this library's.
//!
//! ```no_run
//! use plansearch::indexer::{build_index, open_index, IndexConfig};
//! use plansearch::query::FilterSpec;
//! use plansearch::search::{search, SearchRequest};
//!
//! let config = IndexConfig::new("corpus", "index");
//! build_index(&config, &mut |_| {})?;
//! let index = open_index(config.index.as_path())?;
//! let request = SearchRequest {
//!     query: "肉牛养殖".into(),
//!     filters: FilterSpec {
//!         regions: vec!["甘肃".into()],
//!         ..Default::default()
//!     },
//!     limit: Some(10),
//!     facets: true,
//!     ..Default::default()
//! };
//! for hit in search(&index, &request)?.hits {
//!     println!("{} {}", hit.title, hit.snippet);
//! }
//! # Ok::<(), plansearch::error::Error>(())
//! ```
#![warn(missing_docs)]

pub mod cancel;
pub mod corpus;
pub mod crosstab;
pub mod document;
pub mod error;
/// The evaluation harness of `examples/eval_*` (judged questions, recall
/// oracle): public for those examples, not part of the library's API.
#[doc(hidden)]
pub mod eval;
pub mod export;
pub mod extract;
pub mod gazetteer;
pub mod indexer;
pub(crate) mod lexicon;
pub mod query;
pub mod read;
pub mod saved;
pub mod schema;
pub mod search;
pub mod service;
pub mod similar;
pub mod stats;
pub(crate) mod synonyms;
pub mod text;
pub mod timeline;
pub mod tokenizer;
pub mod vocabulary;
