//! A deadline for the work of one request, checked inside long loops so
//! that work past its time cap stops instead of running on unseen.
//!
//! The server runs each request's work on a thread of its own (tokio's
//! blocking pool) and answers 503 when the time cap passes; [`until`] sets
//! the deadline for that thread, and the long loops of the query commands
//! (passages collected, facets counted, a document assembled) call
//! [`check`] or a [`Ticker`], which fail with [`Error::Cancelled`] once it
//! has passed. The deadline is the thread's, not a parameter, so that every
//! query command can be stopped without each of their signatures carrying
//! it; the command line sets none, and nothing is ever cancelled there.

use std::cell::Cell;
use std::time::Instant;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::query::Query;
use tantivy::schema::Schema;
use tantivy::{DocId, Score, Searcher, SegmentOrdinal, SegmentReader};

use crate::error::{Error, Result};

thread_local! {
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
}

/// Runs `work` with `deadline` set for this thread, and restores the one
/// before (none, usually) afterwards, panic or not.
pub fn until<T>(deadline: Instant, work: impl FnOnce() -> T) -> T {
    struct Restore(Option<Instant>);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.with(|d| d.set(self.0));
        }
    }
    let _restore = Restore(DEADLINE.with(|d| d.replace(Some(deadline))));
    work()
}

/// True once this thread's deadline has passed.
pub fn expired() -> bool {
    DEADLINE
        .with(|d| d.get())
        .is_some_and(|d| Instant::now() >= d)
}

/// Fails with [`Error::Cancelled`] once this thread's deadline has passed.
pub fn check() -> Result<()> {
    if expired() {
        Err(Error::Cancelled)
    } else {
        Ok(())
    }
}

/// How many steps of a loop pass between two looks at the clock.
const STEPS: u32 = 512;

/// [`check`] for a hot loop: looks at the clock every 512 steps only.
#[derive(Debug, Default)]
pub struct Ticker {
    steps: u32,
    expired: bool,
}

impl Ticker {
    /// A ticker for one loop.
    pub fn new() -> Ticker {
        Ticker::default()
    }

    /// True once the deadline has passed (seen at the last look).
    pub fn expired(&mut self) -> bool {
        if !self.expired {
            self.steps += 1;
            if self.steps >= STEPS {
                self.steps = 0;
                self.expired = expired();
            }
        }
        self.expired
    }

    /// [`Ticker::expired`] as an error.
    pub fn check(&mut self) -> Result<()> {
        if self.expired() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// `searcher.search(query, collector)` that stops once this thread's
/// deadline has passed: no segment is begun after it, and a segment under
/// way takes no more documents. For collectors that count or group every
/// match (facets, groups); top-k collectors keep their own pruning.
pub fn search<C: Collector>(
    searcher: &Searcher,
    query: &dyn Query,
    collector: &C,
) -> Result<C::Fruit> {
    let found = searcher.search(query, &Stoppable(collector));
    check()?;
    Ok(found?)
}

/// A collector that stops at the deadline (see [`search`]).
struct Stoppable<'a, C>(&'a C);

impl<C: Collector> Collector for Stoppable<'_, C> {
    type Fruit = C::Fruit;
    type Child = StoppableSegment<C::Child>;

    fn check_schema(&self, schema: &Schema) -> tantivy::Result<()> {
        self.0.check_schema(schema)
    }

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<Self::Child> {
        if expired() {
            return Err(tantivy::TantivyError::InternalError(
                Error::Cancelled.to_string(),
            ));
        }
        Ok(StoppableSegment {
            inner: self.0.for_segment(segment, reader)?,
            ticker: Ticker::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        self.0.requires_scoring()
    }

    fn merge_fruits(
        &self,
        fruits: Vec<<C::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.0.merge_fruits(fruits)
    }
}

struct StoppableSegment<S> {
    inner: S,
    ticker: Ticker,
}

impl<S: SegmentCollector> SegmentCollector for StoppableSegment<S> {
    type Fruit = S::Fruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        if !self.ticker.expired() {
            self.inner.collect(doc, score);
        }
    }

    fn collect_block(&mut self, docs: &[DocId]) {
        if !expired() {
            self.inner.collect_block(docs);
        }
    }

    fn harvest(self) -> S::Fruit {
        self.inner.harvest()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_deadline_holds_for_its_work_only() {
        assert!(check().is_ok(), "no deadline: never cancelled");
        let past = Instant::now() - Duration::from_millis(1);
        let inside = until(past, || {
            let mut ticker = Ticker::new();
            let stopped_at = (1..=10_000).find(|_| ticker.expired());
            (check().is_err(), stopped_at)
        });
        assert_eq!(inside, (true, Some(STEPS)));
        assert!(check().is_ok(), "the deadline ends with its work");
        let later = Instant::now() + Duration::from_secs(600);
        assert!(until(later, || check().is_ok()));
        let nested = until(later, || until(past, expired) && !expired());
        assert!(nested, "an inner deadline is undone when its work ends");
    }
}
