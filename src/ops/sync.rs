//! Sharing notes (DESIGN §3.5): `fetch` brings a remote's notes into its tracking ref
//! (`refs/notes/remotes/<remote>/lineage`) and merges them into the local ref as a per-commit
//! union of lines; `push` sends the local ref without force; `sync` does both, and when the
//! push is rejected because someone pushed in between, fetches, merges and pushes again, a
//! bounded number of times with jittered backoff. A failed sync leaves the local notes ref as
//! it was: the merge is pushed first and only then becomes the local ref.

use anyhow::Result;
use serde::Serialize;

use crate::error::user_error;
use crate::git::{Backoff, MergedNotes, NOTES_REF, Pushed, Repo};
use crate::model::ObjectId;
use crate::store::notes::union;

/// How many times `sync` pushes before it gives up on a remote that keeps moving.
const PUSH_ATTEMPTS: u32 = 8;

/// What a fetch, push or sync did (or, on a dry run, would do).
#[derive(Debug, Clone, Serialize)]
pub struct Shared {
    pub remote: String,
    /// The remote's notes commit, when it has notes.
    pub remote_notes: Option<ObjectId>,
    /// Notes of the local ref that the remote's notes changed (added or extended).
    pub merged: usize,
    /// Whether the remote's ref moved (or would).
    pub pushed: bool,
    /// Pushes tried (more than one when another writer pushed in between).
    pub attempts: u32,
    pub dry_run: bool,
}

impl Shared {
    fn new(remote: &str, dry_run: bool) -> Shared {
        Shared {
            remote: remote.to_string(),
            remote_notes: None,
            merged: 0,
            pushed: false,
            attempts: 0,
            dry_run,
        }
    }
}

/// The union of two notes' texts: theirs' lines join ours (see [`union`]), as bytes.
fn union_text(ours: Option<&[u8]>, theirs: &[u8]) -> Vec<u8> {
    union(ours, &theirs.split(|&b| b == b'\n').collect::<Vec<_>>())
}

fn remote_or_default(repo: &Repo, remote: Option<&str>, push: bool) -> Result<String> {
    let remote = match remote {
        Some(r) => r.to_string(),
        None => repo.default_remote(push)?,
    };
    repo.check_remote(&remote)?;
    Ok(remote)
}

/// Makes the local notes ref hold `theirs` too, retrying when a hook moves it meanwhile.
fn merge_into_local(repo: &Repo, theirs: ObjectId) -> Result<usize> {
    let mut merged_total = 0;
    for _ in 0..32 {
        let local = repo.ref_commit(NOTES_REF)?;
        let MergedNotes { commit, changed } = repo.merge_notes(local, theirs, union_text)?;
        if Some(commit) == local {
            return Ok(merged_total);
        }
        if repo.advance_notes_ref(local, commit, "lineage: merge remote notes")? {
            merged_total += changed;
            return Ok(merged_total);
        }
    }
    anyhow::bail!(
        "{NOTES_REF} kept moving while the fetched notes were merged; nothing was lost, run it again"
    )
}

/// `lineage fetch`.
pub fn fetch(repo: &Repo, remote: Option<&str>, dry_run: bool) -> Result<Shared> {
    let remote = remote_or_default(repo, remote, false)?;
    let mut shared = Shared::new(&remote, dry_run);
    if dry_run {
        shared.remote_notes = repo.remote_notes(&remote)?;
        return Ok(shared);
    }
    shared.remote_notes = repo.fetch_notes(&remote)?;
    if let Some(theirs) = shared.remote_notes {
        shared.merged = merge_into_local(repo, theirs)?;
    }
    Ok(shared)
}

/// `lineage push`: the local notes, never forced. A remote holding notes we lack is an error
/// that points at `sync`.
pub fn push(repo: &Repo, remote: Option<&str>, dry_run: bool, no_verify: bool) -> Result<Shared> {
    let remote = remote_or_default(repo, remote, true)?;
    let Some(local) = repo.ref_commit(NOTES_REF)? else {
        return Err(user_error(
            "there are no lineage notes here to push",
            "notes are written when commits are made with lineage's hooks (`lineage init`)",
        ));
    };
    let mut shared = Shared::new(&remote, dry_run);
    shared.attempts = 1;
    if dry_run {
        shared.remote_notes = repo.remote_notes(&remote)?;
        // A push is never forced: it moves the remote only forward, from notes the local
        // ones hold.
        shared.pushed = shared
            .remote_notes
            .is_none_or(|r| r != local && repo.is_ancestor(r, local));
        return Ok(shared);
    }
    match repo.push_notes(&remote, local, no_verify)? {
        Pushed::Moved => shared.pushed = true,
        Pushed::UpToDate => {}
        Pushed::Rejected => {
            return Err(user_error(
                format!("'{remote}' has lineage notes that are not here; nothing was pushed"),
                format!("run `lineage sync {remote}`: it merges them and pushes the union"),
            ));
        }
    }
    shared.remote_notes = Some(local);
    Ok(shared)
}

/// `lineage sync`: fetch, merge, push the union; on a rejected push, again.
pub fn sync(repo: &Repo, remote: Option<&str>, dry_run: bool) -> Result<Shared> {
    sync_pushing(repo, remote, dry_run, false)
}

/// The `pre-push` hook of `init --push-with-branches`: syncs notes with the remote being
/// pushed to (its push skips the hooks: no recursion). A URL instead of a remote name, or a
/// repository without notes, is left alone.
pub fn pre_push(repo: &Repo, remote: &str) -> Result<Option<Shared>> {
    if repo.check_remote(remote).is_err() || repo.ref_commit(NOTES_REF)?.is_none() {
        return Ok(None);
    }
    sync_pushing(repo, Some(remote), false, true).map(Some)
}

fn sync_pushing(repo: &Repo, remote: Option<&str>, dry_run: bool, no_verify: bool) -> Result<Shared> {
    let remote = remote_or_default(repo, remote, true)?;
    let mut shared = Shared::new(&remote, dry_run);
    if dry_run {
        shared.remote_notes = repo.remote_notes(&remote)?;
        let local = repo.ref_commit(NOTES_REF)?;
        shared.pushed = match (local, shared.remote_notes) {
            (None, _) => false,
            (Some(l), Some(r)) => !repo.is_ancestor(l, r),
            (Some(_), None) => true,
        };
        return Ok(shared);
    }
    // Others pushing at once: random pauses up to a delay that doubles, so they spread.
    let mut jitter = Backoff::new(50, 1000);
    while shared.attempts < PUSH_ATTEMPTS {
        shared.attempts += 1;
        let theirs = repo.fetch_notes(&remote)?;
        shared.remote_notes = theirs;
        let local = repo.ref_commit(NOTES_REF)?;
        // The union, pushed before it becomes the local ref.
        let (union, changed) = match (local, theirs) {
            (_, Some(theirs)) => {
                let merged = repo.merge_notes(local, theirs, union_text)?;
                (merged.commit, merged.changed)
            }
            (Some(local), None) => (local, 0),
            (None, None) => return Ok(shared),
        };
        let pushed = match theirs {
            Some(theirs) if theirs == union => Pushed::UpToDate,
            _ => repo.push_notes(&remote, union, no_verify)?,
        };
        match pushed {
            Pushed::Rejected => std::thread::sleep(jitter.pause()),
            Pushed::Moved | Pushed::UpToDate => {
                shared.pushed = pushed == Pushed::Moved;
                shared.remote_notes = Some(union);
                // The union holds the local notes: it becomes the ref, unless a hook moved the
                // ref meanwhile (then it is merged in).
                if Some(union) != local {
                    if !repo.advance_notes_ref(local, union, "lineage: merge remote notes")? {
                        merge_into_local(repo, union)?;
                    }
                    shared.merged = changed;
                }
                return Ok(shared);
            }
        }
    }
    Err(user_error(
        format!(
            "the notes on '{remote}' kept moving: {PUSH_ATTEMPTS} pushes were rejected because others pushed first; the local notes are unchanged"
        ),
        format!("run `lineage sync {remote}` again"),
    ))
}
