//! Commit time: what the git hooks do with the journal.
//!
//! `pre-commit` binds the index git is committing and saves the result as a plan in this
//! worktree's git dir. `post-commit` takes the journal lock, reuses the plan when it matches the
//! commit that was made (same parent, same tree, its entries still unused), or binds the commit
//! itself (`--no-verify` skips pre-commit; a hook may have changed the index); then writes the
//! note and only after that settles the journal, so a failure in between leaves entries pending
//! rather than lost.
//!
//! Only entries recorded in the committing worktree take part: an edit pending in one worktree
//! must not be claimed by a similar line committed in another. Commits that replay existing
//! work (rebase, cherry-pick, revert, merges) bind nothing.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::PathBuf;

use anyhow::Result;
use serde::{Deserialize, Serialize};

use crate::binding::{Binding, Claim, EntryLines, FileClaims, LineKey, bind, non_trivial_lines};
use crate::clock;
use crate::git::Repo;
use crate::journal::Loaded;
use crate::model::{Entry, Fate, NoteRecord, SettledOutcome, Status};
use crate::notes::{compose, union};
use crate::settings::Settings;

/// What pre-commit decided, saved for post-commit.
#[derive(Debug, Serialize, Deserialize)]
struct Plan {
    parent: Option<String>,
    tree: String,
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
fn load_journal(repo: &Repo, report: &mut HookReport) -> Result<Loaded> {
    let journal = repo.journal();
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
    if !repo.journal().exists() {
        return Ok(report);
    }
    let mut loaded = load_journal(repo, &mut report)?;
    let (mine, _) = loaded.take_worktree_entries(&repo.worktree_id());
    if mine.is_empty() {
        return Ok(report);
    }
    let staged = repo.staged()?;
    let binding = bind(&staged.files, &mine);
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
    let journal = repo.journal();
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
    let mut loaded = load_journal(repo, &mut report)?;
    let (mine, others) = loaded.take_worktree_entries(&repo.worktree_id());
    if mine.is_empty() && loaded.damaged.is_empty() {
        return Ok(report);
    }
    let commit = repo.commit_summary(&head)?;

    let binding = if commit.parent_count > 1 || repo.is_replaying() {
        Binding::default()
    } else {
        let planned = plan
            .and_then(|bytes| serde_json::from_slice::<Plan>(&bytes).ok())
            .filter(|p| p.parent == commit.parent && p.tree == commit.tree)
            .and_then(|p| binding_from_plan(&p, &mine));
        match planned {
            Some(binding) => binding,
            None => bind(&repo.commit_diff(&head)?, &mine),
        }
    };

    let fates = decide_fates(repo, &binding, &mine, &settings, &head, &mut report);
    let records = compose(&binding, &mine, &fates, settings.prompts);
    if !records.is_empty() {
        let lines: Vec<String> = records.iter().map(NoteRecord::to_line).collect();
        repo.update_note(&head, |existing| union(existing, &lines))?;
    }

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

/// Decides, for every entry this commit touched or that is due, what happens to it. Problems
/// become warnings: the note must still be written.
fn decide_fates(
    repo: &Repo,
    binding: &Binding,
    entries: &[Entry],
    settings: &Settings,
    commit: &str,
    report: &mut HookReport,
) -> BTreeMap<usize, Fate> {
    let mut claimed: BTreeMap<usize, Vec<&Claim>> = BTreeMap::new();
    for (_, claim) in binding.claims() {
        claimed.entry(claim.entry).or_default().push(claim);
    }
    let mut fates = BTreeMap::new();
    let mut unfinished = Vec::new();
    for (&index, claims) in &claimed {
        let entry = &entries[index];
        let mut progress = entry.progress.clone();
        progress.used.extend(claims.iter().map(|c| c.entry_line));
        progress
            .modified
            .extend(claims.iter().filter(|c| c.modified).map(|c| c.entry_line));
        progress.used.sort_unstable();
        progress.modified.sort_unstable();
        progress.commits.push(commit.to_string());
        let all_used = non_trivial_lines(&entry.inserted).all(|i| progress.used.binary_search(&i).is_ok());
        if all_used {
            fates.insert(index, Fate::Done);
        } else {
            let mut updated = entry.clone();
            updated.progress = progress;
            unfinished.push((index, updated));
        }
    }

    // A partly committed entry stays pending only while its other lines are still in the work
    // tree, uncommitted (`git add -p`); lines a human deleted will never come.
    let (indices, updated): (Vec<usize>, Vec<Entry>) = unfinished.into_iter().unzip();
    let paths: BTreeSet<&str> = updated.iter().map(|e| e.file.as_str()).collect();
    // Positions in `updated` whose lines are still waiting; `None`: unknown, so all wait.
    let waiting: Option<HashSet<usize>> =
        match repo.uncommitted_added_lines(&paths.into_iter().collect::<Vec<_>>()) {
            Ok(uncommitted) => Some(
                bind(&uncommitted, &updated)
                    .claims()
                    .map(|(_, c)| c.entry)
                    .collect(),
            ),
            Err(e) => {
                report.warnings.push(format!(
                    "cannot read the work tree, so partly committed edits stay pending: {e:#}"
                ));
                None
            }
        };
    for (position, (index, updated)) in indices.into_iter().zip(updated).enumerate() {
        let fate = match &waiting {
            Some(waiting) if !waiting.contains(&position) => Fate::Dropped,
            _ => Fate::Partial(Box::new(updated)),
        };
        fates.insert(index, fate);
    }

    for index in superseded(binding, entries, &fates) {
        fates.insert(index, Fate::Done);
    }

    let now = clock::now();
    for (index, entry) in entries.iter().enumerate() {
        if fates.contains_key(&index) {
            continue;
        }
        if entry.status == Status::Rejected {
            fates.insert(index, Fate::Settled(SettledOutcome::Rejected));
            continue;
        }
        let recorded = clock::parse(&entry.recorded_at);
        if recorded.is_none_or(|t| now - t <= settings.expire) {
            continue;
        }
        // An entry with lines in history is accounted for by those notes, even when a failed
        // settlement never recorded its progress here.
        let in_history = !entry.progress.commits.is_empty()
            || recorded.is_some_and(|t| {
                repo.notes_mention_since(&entry.id, t.timestamp())
                    .unwrap_or_else(|e| {
                        report
                            .warnings
                            .push(format!("cannot search the notes for {}: {e:#}", entry.short_id()));
                        false
                    })
            });
        let fate = if in_history {
            Fate::Done
        } else {
            Fate::Settled(SettledOutcome::Discarded)
        };
        fates.insert(index, fate);
    }
    fates
}

/// Entries of files this commit bound that got no line of their own because a newer entry
/// claimed every one of them (an agent rewrote its own edit): their lines are in history, under
/// the newer record, and must not linger to claim a human's identical lines later.
fn superseded(binding: &Binding, entries: &[Entry], fates: &BTreeMap<usize, Fate>) -> Vec<usize> {
    let mut out = Vec::new();
    let mut lines_of: HashMap<usize, EntryLines<'_>> = HashMap::new();
    for file in &binding.files {
        let mut claimed_keys: HashSet<LineKey> = HashSet::new();
        for claim in file.claims.iter().filter(|c| !c.modified) {
            let lines = lines_of
                .entry(claim.entry)
                .or_insert_with(|| EntryLines::of(&entries[claim.entry]));
            claimed_keys.insert(lines.lines[claim.entry_line].key);
        }
        for (index, entry) in entries.iter().enumerate() {
            if entry.file != file.path || entry.status != Status::Applied || fates.contains_key(&index) {
                continue;
            }
            let lines = EntryLines::of(entry);
            let mut remaining = lines
                .non_trivial()
                .filter(|i| entry.progress.used.binary_search(i).is_err())
                .peekable();
            if remaining.peek().is_some() && remaining.all(|i| claimed_keys.contains(&lines.lines[i].key)) {
                out.push(index);
            }
        }
    }
    out
}
