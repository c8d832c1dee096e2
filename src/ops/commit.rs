//! Commit time: what the git hooks do with the journal.
//!
//! `pre-commit` binds the index git is committing and saves the result as a plan in this
//! worktree's git dir. `post-commit` takes the journal lock, reuses the plan when it matches the
//! commit that was made (same parent, same tree, its entries still unused), or binds the commit
//! itself (`--no-verify` skips pre-commit; a hook may have changed the index); then writes the
//! note and only after that settles the journal, so a failure in between leaves entries pending
//! rather than lost. The decisions are the engine's; this file does the I/O around them.
//!
//! Only entries recorded in the committing worktree take part: an edit pending in one worktree
//! must not be claimed by a similar line committed in another. Commits that replay existing
//! work (rebase, cherry-pick, revert, merges) bind nothing.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::PathBuf;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::clock;
use crate::engine::compose::compose;
use crate::engine::fates::{Due, Fates};
use crate::engine::{Binding, Claim, FileClaims, bind, file_diffs, sources};
use crate::git::Repo;
use crate::model::{Entry, Fate, ObjectId};
use crate::settings::Settings;
use crate::store::journal::{Journal, Loaded};
use crate::store::notes::{Notes, Transaction};

/// What pre-commit decided, saved for post-commit.
#[derive(Debug, Serialize, Deserialize)]
struct Plan {
    parent: Option<ObjectId>,
    tree: ObjectId,
    claims: Vec<PlannedClaim>,
}

#[derive(Debug, Serialize, Deserialize)]
struct PlannedClaim {
    file: String,
    line: u32,
    entry: String,
    entry_line: usize,
    modified: bool,
}

/// What a hook has to say: warnings only (success is silent).
#[derive(Debug, Default)]
pub struct HookReport {
    pub warnings: Vec<String>,
}

fn plan_path(repo: &Repo) -> PathBuf {
    repo.git_dir().join("lineage-plan.json")
}

/// Loads the journal, turning damaged lines into warnings.
fn load_journal(journal: &Journal, report: &mut HookReport) -> Result<Loaded> {
    let loaded = journal.load()?;
    for damaged in &loaded.damaged {
        report.warnings.push(format!(
            "unreadable journal entry on line {} of {} ({}); it is moved to {} at the next commit",
            damaged.line,
            journal.entries_path().display(),
            damaged.problem,
            journal.quarantine_path().display(),
        ));
    }
    Ok(loaded)
}

/// pre-commit: bind the staged lines and save the plan.
pub fn pre_commit(repo: &Repo) -> Result<HookReport> {
    let mut report = HookReport::default();
    let journal = Journal::of(repo);
    if !journal.exists() {
        return Ok(report);
    }
    let mut loaded = load_journal(&journal, &mut report)?;
    let (mine, _) = loaded.take_worktree_entries(&repo.worktree_id());
    if mine.is_empty() {
        return Ok(report);
    }
    let staged = repo.staged()?;
    let binding = bind(&file_diffs(staged.files), &sources(&mine));
    let plan = Plan {
        parent: staged.parent,
        tree: staged.tree,
        claims: binding
            .claims()
            .map(|(file, c)| PlannedClaim {
                file: file.to_string(),
                line: c.line,
                entry: mine[c.entry].id.clone(),
                entry_line: c.entry_line,
                modified: c.modified,
            })
            .collect(),
    };
    fs::write(plan_path(repo), serde_json::to_vec(&plan)?)?;
    Ok(report)
}

/// post-commit: write the note for HEAD and settle the journal.
pub fn post_commit(repo: &Repo) -> Result<HookReport> {
    let mut report = HookReport::default();
    let journal = Journal::of(repo);
    let plan = fs::read(plan_path(repo)).ok();
    let _ = fs::remove_file(plan_path(repo));
    if !journal.exists() {
        return Ok(report);
    }
    let Some(head) = repo.head()? else {
        return Ok(report);
    };
    let (settings, warnings) = Settings::load(repo);
    report.warnings.extend(warnings);
    // Without the lock the journal must not be rewritten (a concurrent append would be lost),
    // but the note is still worth writing.
    let lock = journal
        .lock()
        .map_err(|e| {
            report
                .warnings
                .push(format!("{e:#}; the journal is left as it is"))
        })
        .ok();
    journal.sweep_temp_files();
    // Entries spilled while the journal was busy join the log first; if that fails, this hook
    // settles nothing (a spilled entry must never outlive its settlement).
    let lock = lock.and_then(|lock| match journal.absorb_spill(&lock) {
        Ok(_) => Some(lock),
        Err(e) => {
            report.warnings.push(format!(
                "cannot absorb spilled journal entries, so the journal is left as it is: {e:#}"
            ));
            None
        }
    });
    let mut loaded = load_journal(&journal, &mut report)?;
    let (mine, others) = loaded.take_worktree_entries(&repo.worktree_id());
    if mine.is_empty() && loaded.damaged.is_empty() {
        return Ok(report);
    }
    let commit = repo.commit_summary(head)?;

    let binding = if commit.parent_count > 1 || repo.is_replaying() {
        Binding::default()
    } else {
        let planned = plan
            .and_then(|bytes| serde_json::from_slice::<Plan>(&bytes).ok())
            .filter(|p| p.parent == commit.parent && p.tree == commit.tree)
            .and_then(|p| binding_from_plan(&p, &mine));
        match planned {
            Some(binding) => binding,
            None => bind(&file_diffs(repo.commit_diff(head)?), &sources(&mine)),
        }
    };

    let fates = decide_fates(repo, &binding, &mine, &settings, head, &mut report);
    let records = compose(&binding, &mine, &fates, settings.prompts);
    let mut notes = Transaction::new();
    notes.add(head, &records);
    notes.commit(repo)?;

    // Only now that the note exists may entries leave the journal.
    let unchanged = fates.is_empty() && loaded.damaged.is_empty();
    let mut fates = fates;
    let mut pending = others;
    for (index, entry) in mine.into_iter().enumerate() {
        match fates.remove(&index) {
            None => pending.push(entry),
            Some(Fate::Partial(updated)) => pending.push(*updated),
            Some(Fate::Done | Fate::Dropped | Fate::Settled(_)) => {}
        }
    }
    if let (false, Some(lock)) = (unchanged, &lock)
        && let Err(e) = journal.settle(lock, &pending, &loaded.damaged)
    {
        report.warnings.push(format!(
            "the note is written, but the journal could not be settled, so its entries stay pending: {e:#}"
        ));
    }
    Ok(report)
}

/// The plan's claims as a binding over `entries`, or `None` if any claim no longer holds.
fn binding_from_plan(plan: &Plan, entries: &[Entry]) -> Option<Binding> {
    let index: HashMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .collect();
    let mut files: Vec<FileClaims> = Vec::new();
    for planned in &plan.claims {
        let entry = *index.get(planned.entry.as_str())?;
        if entries[entry]
            .progress
            .used
            .binary_search(&planned.entry_line)
            .is_ok()
        {
            return None;
        }
        if files.last().is_none_or(|f| f.path != planned.file) {
            files.push(FileClaims {
                path: planned.file.clone(),
                claims: Vec::new(),
            });
        }
        files.last_mut()?.claims.push(Claim {
            line: planned.line,
            entry,
            entry_line: planned.entry_line,
            modified: planned.modified,
        });
    }
    Some(Binding { files })
}

/// The engine decides every entry's fate; this supplies what it needs from git: whether the
/// rest of a partly committed entry still waits in the work tree, and whether an expired
/// entry's id is in a note. Problems become warnings: the note must still be written.
fn decide_fates(
    repo: &Repo,
    binding: &Binding,
    entries: &[Entry],
    settings: &Settings,
    commit: ObjectId,
    report: &mut HookReport,
) -> std::collections::BTreeMap<usize, Fate> {
    let mut fates = Fates::after_commit(binding, entries, commit);

    let unfinished = fates.unfinished_entries();
    let paths: BTreeSet<&str> = unfinished.iter().map(|e| e.file.as_str()).collect();
    let waiting: Option<HashSet<usize>> =
        match repo.uncommitted_changes(&paths.into_iter().collect::<Vec<_>>()) {
            Ok(uncommitted) => {
                let unfinished: Vec<Entry> = unfinished.into_iter().cloned().collect();
                Some(
                    bind(&file_diffs(uncommitted), &sources(&unfinished))
                        .claims()
                        .map(|(_, c)| c.entry)
                        .collect(),
                )
            }
            Err(e) => {
                report.warnings.push(format!(
                    "cannot read the work tree, so partly committed edits stay pending: {e:#}"
                ));
                None
            }
        };
    fates.resolve_unfinished(waiting.as_ref());
    fates.settle_superseded(binding, entries);

    let due = fates.due(entries, clock::now(), settings.expire);
    let mut notes: Option<Notes<'_>> = None;
    for (index, why) in due {
        let entry = &entries[index];
        // An entry with lines in history is accounted for by those notes, even when a failed
        // settlement never recorded its progress here.
        let in_history = why == Due::Expired
            && (!entry.progress.commits.is_empty()
                || notes_mention(repo, &mut notes, entry).unwrap_or_else(|e| {
                    report
                        .warnings
                        .push(format!("cannot search the notes for {}: {e:#}", entry.short_id()));
                    false
                }));
        fates.settle_due(index, why, in_history);
    }
    fates.decided
}

/// Whether a note of a commit made since `entry` was recorded mentions it.
fn notes_mention<'r>(repo: &'r Repo, notes: &mut Option<Notes<'r>>, entry: &Entry) -> Result<bool> {
    let Some(recorded) = clock::parse(&entry.recorded_at) else {
        return Ok(false);
    };
    if notes.is_none() {
        *notes = Some(Notes::open(repo)?);
    }
    let notes = notes.as_ref().expect("opened above");
    for commit in repo.head_commits_since(recorded.timestamp())? {
        if notes.mentions(commit, &entry.id)? {
            return Ok(true);
        }
    }
    Ok(false)
}
