//! Errors of the library; each says what to do next.

use std::path::PathBuf;

/// Everything that can go wrong in plansearch.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// tantivy failed.
    #[error(transparent)]
    Tantivy(#[from] tantivy::TantivyError),
    /// A file or directory could not be read or written.
    #[error("{}: {source}", .path.display())]
    Io {
        /// The path involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The corpus folder does not exist or is not a folder.
    #[error("corpus folder {} does not exist; pass --corpus DIR with your documents", .0.display())]
    NoCorpus(PathBuf),
    /// There is no index where one was expected.
    #[error("no index at {}; run `plansearch index --corpus DIR --index {}` first", .0.display(), .0.display())]
    NoIndex(PathBuf),
    /// The index was built by another version of plansearch or another dictionary.
    #[error("the index at {} was built {}; run `plansearch index --full` to rebuild it", .path.display(), .why)]
    StaleIndex {
        /// The index folder.
        path: PathBuf,
        /// What differs.
        why: String,
    },
    /// The query could not be understood.
    #[error("bad query: {0}")]
    Query(String),
    /// A filter value could not be understood.
    #[error("bad filter: {0}")]
    Filter(String),
    /// The index folder holds something else.
    #[error("{} is not a plansearch index (it has no plansearch.json) and is not empty; pass --index with a new or empty folder", .0.display())]
    NotAnIndex(PathBuf),
    /// Another indexer holds the index.
    #[error("{0}")]
    Locked(String),
    /// A request that cannot be answered as given (an unknown passage, a
    /// passage number out of range, empty text); the message says what to change.
    #[error("{0}")]
    Invalid(String),
    /// A passage or document asked for by id that the index does not hold;
    /// the message says how to find a current one.
    #[error("{0}")]
    NotFound(String),
    /// The work ran past the deadline set for it ([`crate::cancel`]) and
    /// was stopped.
    #[error("stopped: the work ran past its time cap")]
    Cancelled,
}

impl Error {
    /// An I/O error at a path.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
