//! Errors of the library; each says what went wrong in the terms of the
//! request (a folder, an index, a query), never of a front end's options:
//! the command line adds its own advice (`advice` in main.rs), the API its
//! status code.

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
    #[error("corpus folder {} does not exist", .0.display())]
    NoCorpus(PathBuf),
    /// There is no index where one was expected.
    #[error("no index at {}", .0.display())]
    NoIndex(PathBuf),
    /// The index was built by another version of plansearch or another dictionary.
    #[error("the index at {} was built {}; it must be rebuilt from the corpus", .path.display(), .why)]
    StaleIndex {
        /// The index folder.
        path: PathBuf,
        /// What differs.
        why: String,
    },
    /// A run would remove most of the index because most of the corpus is
    /// gone; nothing was changed.
    #[error("{} holds only {} of the {} files indexed from it: updating would remove {} from the index (is a share unmounted or a folder moved?); nothing was changed", .corpus.display(), .indexed - .removed, .indexed, .removed)]
    MassRemoval {
        /// The corpus folder.
        corpus: PathBuf,
        /// Indexed files no longer found.
        removed: usize,
        /// Files in the index.
        indexed: usize,
    },
    /// The disk filled up while indexing; the index is as it was before the run.
    #[error("no space left for the index at {}: {detail}; the index is as it was before this run{}; free some space (a rebuild needs about as much again as the index takes) and run again", .path.display(), if *.removed_rebuild { ", and the unfinished rebuild was removed" } else { "" })]
    OutOfSpace {
        /// The index folder.
        path: PathBuf,
        /// The failure as reported.
        detail: String,
        /// An unfinished rebuild was removed to free its space.
        removed_rebuild: bool,
    },
    /// Files of the index are damaged (a disk error, a bad copy, a hand
    /// edit); a rebuild from the corpus repairs it.
    #[error("the index at {} is damaged: {why}; rebuilding it from the corpus repairs it", .path.display())]
    Damaged {
        /// The index folder.
        path: PathBuf,
        /// Which files, and how.
        why: String,
    },
    /// The query could not be understood.
    #[error("bad query: {0}")]
    Query(String),
    /// A filter value could not be understood.
    #[error("bad filter: {0}")]
    Filter(String),
    /// The index folder holds something else.
    #[error("{} is not a plansearch index (it has no plansearch.json) and is not empty", .0.display())]
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
