//! `plansearch index --watch`: keep the index up to date with a folder that
//! receives reports.
//!
//! The loop sleeps until the file system reports a change, waits until the
//! changes have stopped for the debounce time (a copy of many files, or one
//! large file written in pieces, gives one batch), then an ordinary
//! incremental run rescans the corpus: events only say *when* to look; what
//! changed is found by fingerprints as in any run, so a missed or duplicated
//! event costs nothing but a rescan.
//!
//! Only events that can mean a change count. inotify also reports every
//! open and every read-only close, and a rescan opens every folder of the
//! corpus: counting those made each run schedule the next, once a second on
//! an unchanged corpus.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use notify::event::{AccessKind, AccessMode};
use notify::{Event as FsEvent, EventKind, RecursiveMode, Watcher};

use crate::error::{Error, Result};

use super::layout::{IndexLock, Layout};
use super::{Event, IndexConfig, Summary, update};

/// How often the loop looks at `config.stop` while it waits.
const STOP_POLL: Duration = Duration::from_millis(200);

type FsEvents = Receiver<notify::Result<FsEvent>>;

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
    // A dictionary that cannot be read stops the watch before it starts.
    config.dictionary()?;
    let layout = Layout::claim(&config.index)?;
    let _lock = IndexLock::acquire(&layout)?;
    let (tx, rx) = channel();
    let mut watcher = notify::recommended_watcher(tx).map_err(|e| watch_error(config, e))?;
    // Watch before the first run, so that nothing arriving during it is missed.
    watcher
        .watch(&config.corpus, RecursiveMode::Recursive)
        .map_err(|e| watch_error(config, e))?;
    let index_dir = std::fs::canonicalize(layout.root()).unwrap_or_default();
    let news = |event: &FsEvent| is_change(&event.kind) && !is_only_under(event, &index_dir);
    let mut run = |on_event: &mut dyn FnMut(Event)| -> bool {
        // Read on every run: an edited dict.txt rebuilds, as `index` would.
        let outcome = config
            .dictionary()
            .and_then(|dictionary| update::run(config, &dictionary, &layout, on_event));
        let interrupted = matches!(&outcome, Ok(s) if s.interrupted);
        on_run(outcome.as_ref());
        !interrupted
    };
    if !run(on_event) {
        return Ok(());
    }
    on_event(Event::Watching);
    loop {
        match next_news(&rx, &news, config, None) {
            Wait::Stopped => return Ok(()),
            Wait::Quiet => continue,
            Wait::News => {}
        }
        // Wait until the batch is complete: no news for `debounce`.
        loop {
            match next_news(&rx, &news, config, Some(Instant::now() + debounce)) {
                Wait::Stopped => return Ok(()),
                Wait::Quiet => break,
                Wait::News => {}
            }
        }
        if !run(on_event) {
            return Ok(());
        }
        on_event(Event::Watching);
    }
}

enum Wait {
    News,
    /// Nothing new before the deadline (or within one stop poll, without one).
    Quiet,
    Stopped,
}

/// Waits for the next event that is news, until `deadline` (one stop poll
/// without one), skipping the others.
fn next_news(
    rx: &FsEvents,
    news: &dyn Fn(&FsEvent) -> bool,
    config: &IndexConfig,
    deadline: Option<Instant>,
) -> Wait {
    let deadline = deadline.unwrap_or_else(|| Instant::now() + STOP_POLL);
    loop {
        if config.stop.load(Ordering::Relaxed) {
            return Wait::Stopped;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Wait::Quiet;
        }
        match rx.recv_timeout(left.min(STOP_POLL)) {
            Ok(Ok(event)) if news(&event) => return Wait::News,
            Ok(Ok(_)) | Err(RecvTimeoutError::Timeout) => {}
            Ok(Err(e)) => log::warn!("watching {}: {e}", config.corpus.display()),
            Err(RecvTimeoutError::Disconnected) => return Wait::Stopped,
        }
    }
}

/// Whether an event can mean that a file was added, changed, moved or
/// removed. Opening, reading and closing a file unwritten cannot; closing a
/// file opened for writing can (it is how a copy ends).
fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The index's own writes, when it lies inside the corpus, are not news.
fn is_only_under(event: &FsEvent, dir: &Path) -> bool {
    !dir.as_os_str().is_empty()
        && !event.paths.is_empty()
        && event.paths.iter().all(|p| is_under(p, dir))
}

fn is_under(path: &Path, dir: &Path) -> bool {
    let path: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    path.starts_with(dir)
}

fn watch_error(config: &IndexConfig, e: notify::Error) -> Error {
    Error::io(
        &config.corpus,
        std::io::Error::other(format!(
            "cannot watch for new files ({e}); index without watching instead"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind, RemoveKind};

    #[test]
    fn only_events_that_can_mean_a_change_count() {
        for (kind, change) in [
            (EventKind::Access(AccessKind::Open(AccessMode::Any)), false),
            (
                EventKind::Access(AccessKind::Close(AccessMode::Read)),
                false,
            ),
            (EventKind::Access(AccessKind::Read), false),
            (
                EventKind::Access(AccessKind::Close(AccessMode::Write)),
                true,
            ),
            (EventKind::Create(CreateKind::File), true),
            (EventKind::Modify(ModifyKind::Any), true),
            (EventKind::Remove(RemoveKind::Any), true),
            (EventKind::Any, true),
        ] {
            assert_eq!(is_change(&kind), change, "{kind:?}");
        }
    }
}
