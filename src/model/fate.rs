//! What becomes of a journal entry when a commit settles the journal.

use super::{Entry, SettledOutcome};

/// The fate of one entry after a commit.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// All of it is in history now; remove it from the journal.
    Done,
    /// Finished with some of its lines never committed (a human deleted them): remove it, and
    /// its record's outcome is `modified`.
    Dropped,
    /// Part of it was committed and the rest is still in the work tree: keep it, with progress.
    Partial(Box<Entry>),
    /// It only removed lines, and this commit holds the removal: an `edit` record without
    /// lines says so; remove it.
    Removed,
    /// It never reached history; write a `settled` record and remove it.
    Settled(SettledOutcome),
}
