//! What becomes of each journal entry when a commit is made (DESIGN §2.3), decided without I/O.
//! The commit hook supplies the two facts that need git: which partly committed entries still
//! have lines waiting in the work tree, and whether an expired entry's id is in a note.
//!
//! 1. [`Fates::after_commit`]: entries whose every non-trivial line is now committed are done;
//!    entries this commit took part of are *unfinished* until the hook says whether the rest
//!    still waits in the work tree ([`Fates::resolve_unfinished`]).
//! 2. [`Fates::superseded_candidates`]: an entry whose remaining lines a newer entry claimed in
//!    this commit (an agent rewriting its own edit) is done, unless its lines still wait in the
//!    work tree ([`Fates::settle_superseded`]).
//! 3. [`Fates::due`]: rejected entries are settled; entries pending past the expiry with none of
//!    their lines committed are expired, and the hook decides discarded or done.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Duration, Utc};

use super::bind::{Binding, Claim, SourceLines};
use super::keys::LineKey;
use crate::engine::Source;
use crate::model::{Entry, Fate, ObjectId, SettledOutcome, Status};

/// The fates decided so far, by index into the entries a commit saw.
#[derive(Debug, Default)]
pub struct Fates {
    pub decided: BTreeMap<usize, Fate>,
    /// Entries this commit took part of, with their progress advanced; still to be resolved.
    pub unfinished: Vec<(usize, Entry)>,
}

/// Why an entry nobody committed is settled now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Due {
    /// Its agent or user declined it.
    Rejected,
    /// Pending past `lineage.journal.expire` with none of its lines committed here, or with its
    /// lines gone from the work tree uncommitted: never reached history, unless a note says so.
    Expired,
}

impl Fates {
    /// Advances the progress of every entry `binding` claimed lines of, in `commit`.
    pub fn after_commit(binding: &Binding, entries: &[Entry], commit: ObjectId) -> Fates {
        let mut claimed: BTreeMap<usize, Vec<&Claim>> = BTreeMap::new();
        for (_, claim) in binding.claims() {
            claimed.entry(claim.entry).or_default().push(claim);
        }
        let mut fates = Fates::default();
        for (index, claims) in claimed {
            let entry = &entries[index];
            let mut progress = entry.progress.clone();
            progress.used.extend(claims.iter().map(|c| c.entry_line));
            progress
                .modified
                .extend(claims.iter().filter(|c| c.modified).map(|c| c.entry_line));
            progress.used.sort_unstable();
            progress.modified.sort_unstable();
            progress.commits.push(commit);
            let all_used = SourceLines::required_of(&Source::from_entry(entry))
                .all(|i| progress.used.binary_search(&i).is_ok());
            if all_used {
                fates.decided.insert(index, Fate::Done);
            } else {
                let mut updated = entry.clone();
                updated.progress = progress;
                fates.unfinished.push((index, updated));
            }
        }
        fates
    }

    /// The unfinished entries, updated, for the hook to look for in the work tree.
    pub fn unfinished_entries(&self) -> Vec<&Entry> {
        self.unfinished.iter().map(|(_, e)| e).collect()
    }

    /// A partly committed entry stays pending only while its other lines are still in the work
    /// tree, uncommitted (`git add -p`); lines a human deleted will never come. `waiting`:
    /// positions in [`Fates::unfinished`] whose lines are still there, or `None` when the work
    /// tree could not be read (then all wait).
    pub fn resolve_unfinished(&mut self, waiting: Option<&HashSet<usize>>) {
        for (position, (index, updated)) in std::mem::take(&mut self.unfinished).into_iter().enumerate() {
            let fate = match waiting {
                Some(waiting) if !waiting.contains(&position) => Fate::Dropped,
                _ => Fate::Partial(Box::new(updated)),
            };
            self.decided.insert(index, fate);
        }
    }

    /// Entries of files this commit bound that got no line of their own because a newer entry
    /// claimed every one of them (an agent rewrote its own edit): their lines are in history,
    /// under the newer record, and must not linger to claim a human's identical lines later.
    /// Only candidates: one whose lines are still uncommitted in the work tree (two agents
    /// inserted the same line in two places, one was committed) is not superseded; the hook
    /// looks, then calls [`Fates::settle_superseded`].
    pub fn superseded_candidates(&self, binding: &Binding, entries: &[Entry]) -> Vec<usize> {
        let mut superseded = Vec::new();
        for file in &binding.files {
            let claimed_keys: HashSet<LineKey> = file
                .claims
                .iter()
                .filter(|c| !c.modified)
                .map(|c| c.key)
                .collect();
            for (index, entry) in entries.iter().enumerate() {
                if entry.file != file.path
                    || entry.status != Status::Applied
                    || self.decided.contains_key(&index)
                {
                    continue;
                }
                let lines = SourceLines::of(&Source::from_entry(entry));
                let mut remaining = lines
                    .required()
                    .filter(|i| entry.progress.used.binary_search(i).is_err())
                    .peekable();
                if remaining.peek().is_some() && remaining.all(|i| claimed_keys.contains(&lines.lines[i].key))
                {
                    superseded.push(index);
                }
            }
        }
        superseded.sort_unstable();
        superseded.dedup();
        superseded
    }

    /// Settles the superseded `candidates` whose lines are not waiting in the work tree
    /// (`waiting`: positions in `candidates`; `None`: unknown, so none is settled).
    pub fn settle_superseded(&mut self, candidates: &[usize], waiting: Option<&HashSet<usize>>) {
        let Some(waiting) = waiting else { return };
        for (position, &index) in candidates.iter().enumerate() {
            if !waiting.contains(&position) {
                self.decided.insert(index, Fate::Done);
            }
        }
    }

    /// Entries without a fate yet that are due for settlement at `now`.
    pub fn due(&self, entries: &[Entry], now: DateTime<Utc>, expire: Duration) -> Vec<(usize, Due)> {
        entries
            .iter()
            .enumerate()
            .filter(|(index, _)| !self.decided.contains_key(index))
            .filter_map(|(index, entry)| {
                if entry.status == Status::Rejected {
                    return Some((index, Due::Rejected));
                }
                let recorded = crate::clock::parse(&entry.recorded_at)?;
                (now - recorded > expire).then_some((index, Due::Expired))
            })
            .collect()
    }

    /// Settles a due entry; `in_history` says whether its lines are accounted for by a note
    /// (an expired entry with lines in history is done, not discarded).
    pub fn settle_due(&mut self, index: usize, due: Due, in_history: bool) {
        let fate = match (due, in_history) {
            (Due::Rejected, _) => Fate::Settled(SettledOutcome::Rejected),
            (Due::Expired, true) => Fate::Done,
            (Due::Expired, false) => Fate::Settled(SettledOutcome::Discarded),
        };
        self.decided.insert(index, fate);
    }
}
