//! `plansearch index --watch`: keep the index up to date with a folder that
//! receives reports.
//!
//! File system events are debounced (a copy of many files, or one large file
//! written in pieces, gives one batch), then an ordinary incremental run
//! rescans the corpus: events only say *when* to look; what changed is found
//! by fingerprints as in any run, so a missed or duplicated event costs
//! nothing but a rescan.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{RecvTimeoutError, channel};
use std::time::Duration;

use notify_debouncer_mini::notify::RecursiveMode;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer};

use crate::error::{Error, Result};

use super::layout::{IndexLock, Layout};
use super::{Event, IndexConfig, Summary, update};

/// Runs once, then again after each debounced batch of changes in the corpus,
/// until `config.stop` is set. Holds the index's lock all along. Each run's
/// outcome goes to `on_run`; a failed run is reported there and watching goes
/// on.
pub fn watch(
    config: &IndexConfig,
    debounce: Duration,
    on_event: &mut dyn FnMut(Event),
    on_run: &mut dyn FnMut(Result<&Summary, &Error>),
) -> Result<()> {
    if !config.corpus.is_dir() {
        return Err(Error::NoCorpus(config.corpus.clone()));
    }
    let layout = Layout::claim(&config.index)?;
    let _lock = IndexLock::acquire(&layout)?;
    let (tx, rx) = channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(debounce, tx).map_err(|e| watch_error(config, e))?;
    // Watch before the first run, so that nothing arriving during it is missed.
    debouncer
        .watcher()
        .watch(&config.corpus, RecursiveMode::Recursive)
        .map_err(|e| watch_error(config, e))?;
    let index_dir = std::fs::canonicalize(layout.root()).unwrap_or_default();
    let mut run = |on_event: &mut dyn FnMut(Event)| -> bool {
        let outcome = update::run(config, &layout, on_event);
        let interrupted = matches!(&outcome, Ok(s) if s.interrupted);
        on_run(outcome.as_ref());
        !interrupted
    };
    if !run(on_event) {
        return Ok(());
    }
    on_event(Event::Watching);
    loop {
        if config.stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(Ok(events)) => {
                // The index's own writes, when it lies inside the corpus, are
                // not news.
                let news = events
                    .iter()
                    .any(|e| !is_under(&e.path, &index_dir) || index_dir.as_os_str().is_empty());
                if news {
                    if !run(on_event) {
                        return Ok(());
                    }
                    on_event(Event::Watching);
                }
            }
            Ok(Err(e)) => log::warn!("watching {}: {e}", config.corpus.display()),
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return Ok(()),
        }
    }
}

fn is_under(path: &Path, dir: &Path) -> bool {
    let path: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    path.starts_with(dir)
}

fn watch_error(config: &IndexConfig, e: notify_debouncer_mini::notify::Error) -> Error {
    Error::io(
        &config.corpus,
        std::io::Error::other(format!(
            "cannot watch for new files ({e}); run `plansearch index` without --watch instead"
        )),
    )
}
