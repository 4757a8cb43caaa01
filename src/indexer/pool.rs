//! Work on files spread over a few threads, results handed back to the caller's
//! thread as they complete.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::sync_channel;

use crate::error::Result;

/// Runs `work` on every item over `threads` workers and hands each result, in
/// completion order, to `sink` on the calling thread. Stops early when `stop`
/// is set (or `sink` fails); returns whether every item was handed over.
pub(crate) fn for_each<T: Sync, R: Send>(
    items: &[T],
    threads: usize,
    stop: &AtomicBool,
    work: impl Fn(&T) -> R + Sync,
    mut sink: impl FnMut(R) -> Result<()>,
) -> Result<bool> {
    let next = Mutex::new(items.iter());
    let (tx, rx) = sync_channel::<R>(threads.max(1) * 4);
    let work = &work;
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    if stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let Some(item) = next.lock().map(|mut it| it.next()).ok().flatten() else {
                        break;
                    };
                    if tx.send(work(item)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut handed = 0;
        let mut result = Ok(());
        while let Ok(outcome) = rx.recv() {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            handed += 1;
            if let Err(e) = sink(outcome) {
                result = Err(e);
                break;
            }
        }
        // Workers stop at their next send once the receiver is gone.
        drop(rx);
        result.map(|()| handed == items.len())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_handed_over_once() {
        let items: Vec<u32> = (0..100).collect();
        let mut seen = Vec::new();
        let done = for_each(
            &items,
            3,
            &AtomicBool::new(false),
            |i| i * 2,
            |r| {
                seen.push(r);
                Ok(())
            },
        )
        .unwrap();
        assert!(done);
        seen.sort_unstable();
        assert_eq!(seen, items.iter().map(|i| i * 2).collect::<Vec<_>>());
    }

    #[test]
    fn a_stop_flag_ends_the_work_early() {
        let items: Vec<u32> = (0..1000).collect();
        let stop = AtomicBool::new(false);
        let mut seen = 0;
        let done = for_each(
            &items,
            2,
            &stop,
            |i| *i,
            |_| {
                seen += 1;
                if seen == 10 {
                    stop.store(true, Ordering::Relaxed);
                }
                Ok(())
            },
        )
        .unwrap();
        assert!(!done);
        assert_eq!(seen, 10);
    }
}
