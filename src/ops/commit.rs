//! Commit time: what the git hooks do with the journal, and how they heal.
//!
//! `prepare-commit-msg` only marks the journal (its script appends the marker itself, starting
//! no process; see `store::journal`) and saves the commits a squash merge or `cherry-pick -n`
//! stages from. `post-commit` takes the journal lock and settles the commit: it binds the
//! commit's own diff of the files with pending edits to the entries recorded before the
//! commit was prepared (an entry recorded while the message was being written waits for a
//! later commit); then it writes the note, and only after that settles the journal and marks
//! the commit seen. Binding once, after the commit, costs one process and one reading of the
//! journal less than binding before it and checking the result after. The decisions are the
//! engine's; this file does the I/O around them.
//!
//! **Recovery.** Every step can die (kill -9, a full disk, a panic), and some commits never
//! run the hooks (a GUI client, a `core.hooksPath` override). So before settling its own
//! commit, post-commit (and `lineage repair`) looks for the commits on the current branch the
//! hooks did not finish, oldest first: a commit of ours with no note is bound against the
//! pending entries (one with a note was settled before its hook died: its entries have left
//! the journal, and it is only marked seen). Only then is anything settled, so no entry is
//! written off as never committed while its commit waits for its note.
//!
//! Only entries recorded in the committing worktree take part: an edit pending in one worktree
//! must not be claimed by a similar line committed in another. Commits that replay existing
//! work (rebase, cherry-pick, revert, merges) bind nothing. An amend binds only what it adds
//! to the commit it replaces.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::Result;

use crate::clock;
use crate::engine::compose::compose;
use crate::engine::fates::{Due, Fates};
use crate::engine::{
    Binding, FileLines, LineKey, Place, Source, SourceLines, WholeLines, bind, closed, displaced, file_diffs,
    key_from_hex, line_key, sources, sources_where,
};
use crate::error::user_error;
use crate::git::{Compared, Repo};
use crate::model::{
    ChangedFile, EditRecord, Entry, Fate, NoteRecord, ObjectId, SEEN_BY_HOOKS, SeenRecord, Status, normalize,
    ranges_contain,
};
use crate::ops::carry;
use crate::parallel;
use crate::settings::Settings;
use crate::store::journal::{Here, Journal, JournalLock, Loaded, Settlement};
use crate::store::notes::{Notes, Transaction};

/// What a hook has to say: warnings only (success is silent).
#[derive(Debug, Default)]
pub struct HookReport {
    pub warnings: Vec<String>,
    /// Commits whose provenance was recovered before this one (a killed hook, a hook-less
    /// commit), oldest first.
    pub repaired: Vec<ObjectId>,
}

/// Which commit is being settled, and how.
#[derive(Clone, Copy)]
enum Mode<'a> {
    /// The commit git just made (replays are only known for this one).
    Current,
    /// A commit the hooks missed (killed, or never run).
    Missed,
    /// An earlier commit that already holds the lines of these entries, recorded after it was
    /// made: only they bind, only to lines its note does not cover yet.
    Late(&'a HashSet<String>),
}

/// How far back the hooks look for commits they missed.
const MISSED_WALK_LIMIT: usize = 100;

/// How many of prepare-commit-msg's markers the journal's log may hold before a commit that
/// settles nothing rewrites it anyway (16 bytes each; a rewrite that keeps entries is synced).
const MARKERS_KEPT: usize = 16;

/// For tests of recovery: `LINEAGE_FAULT=<point>` makes the hook abort at that point, as a
/// kill -9 or a crash would.
fn fault(point: &str) {
    if std::env::var_os("LINEAGE_FAULT").is_some_and(|p| p == point) {
        std::process::abort();
    }
}

/// Where prepare-commit-msg leaves what post-commit needs and git removes first (donors).
fn plans_dir(repo: &Repo) -> PathBuf {
    repo.git_dir().join("lineage-plans")
}

/// Loads the journal (spill files included), turning damaged lines into warnings.
fn load_journal(journal: &Journal, report: &mut HookReport) -> Result<Loaded> {
    let loaded = journal.load()?;
    report_damage(journal, &loaded, report);
    Ok(loaded)
}

fn report_damage(journal: &Journal, loaded: &Loaded, report: &mut HookReport) {
    for damaged in &loaded.damaged {
        report.warnings.push(format!(
            "unreadable journal entry on line {} of {} ({}); it is moved to {} at the next commit",
            damaged.line,
            journal.entries_path().display(),
            damaged.problem,
            journal.quarantine_path().display(),
        ));
    }
}

/// prepare-commit-msg: mark the journal where the commit was prepared, and save the commits a
/// squash merge or `cherry-pick -n` stages from.
pub fn prepare_commit(repo: &Repo) -> Result<HookReport> {
    let journal = Journal::of(repo);
    if !journal.exists() {
        return Ok(HookReport::default());
    }
    // Hook scripts of earlier versions start lineage here instead of marking the log.
    journal.mark_prepared()?;
    // A squash merge or `cherry-pick -n`: post-commit finds what it copies by the tree.
    let donors = carry::staged_donors(repo);
    if !donors.is_empty() {
        save_staged_donors(repo, repo.staged_tree()?, &donors)?;
    }
    Ok(HookReport::default())
}

/// The files `entries` were recorded in, each once, sorted.
fn files_of(entries: &[Entry]) -> Vec<&str> {
    let files: BTreeSet<&str> = entries.iter().map(|e| e.file.as_str()).collect();
    files.into_iter().collect()
}

fn donors_path(repo: &Repo, tree: ObjectId) -> PathBuf {
    plans_dir(repo).join(format!("{tree}.donors"))
}

/// The commits a squash merge or a `cherry-pick -n` stages from (see
/// [`carry::staged_donors`]), saved by tree for post-commit: git removes what names them first.
fn save_staged_donors(repo: &Repo, tree: ObjectId, donors: &[ObjectId]) -> Result<()> {
    if donors.is_empty() {
        return Ok(());
    }
    let list: String = donors.iter().map(|d| format!("{d}\n")).collect();
    fs::create_dir_all(plans_dir(repo))?;
    fs::write(donors_path(repo, tree), list)?;
    Ok(())
}

/// Carries into HEAD the provenance of the commits it copies lines from (a cherry-pick, a
/// squash merge, a revert of a revert, a commit after `git reset`): only lines its note does
/// not attribute yet.
fn carry_from_donors(repo: &Repo, head: ObjectId, summary: &crate::git::CommitSummary) -> Result<()> {
    let path = donors_path(repo, summary.tree);
    let staged: Vec<ObjectId> = fs::read_to_string(&path)
        .unwrap_or_default()
        .lines()
        .filter_map(ObjectId::from_hex)
        .collect();
    let donors = carry::donors_of(repo, head, &summary.message, &staged);
    note_orig_head_checked(repo, donors.left_behind.is_empty())?;
    for (commits, relation) in [
        (donors.named, carry::Relation::Copy),
        (donors.left_behind, carry::Relation::Recommit),
    ] {
        if !commits.is_empty() {
            carry::carry_notes(repo, &[(head, commits)], relation, false, |_, _| {})?;
        }
    }
    let _ = fs::remove_file(path);
    Ok(())
}

/// Each commit after a reset may copy what it left behind, so the post-commit script starts
/// lineage while `ORIG_HEAD` is not the one saved here: saved once a commit copies nothing a
/// reset left behind, removed while commits may.
fn note_orig_head_checked(repo: &Repo, nothing_left_behind: bool) -> Result<()> {
    let path = repo.git_dir().join("lineage-orig-head");
    match (nothing_left_behind, repo.state_file("ORIG_HEAD")) {
        (true, Some(orig)) => fs::write(&path, format!("{}\n", orig.trim()))?,
        _ if path.exists() => fs::remove_file(&path)?,
        _ => {}
    }
    Ok(())
}

/// post-commit: recover what earlier commits missed, then write the note for HEAD and settle
/// the journal; then carry in what HEAD copies from other commits.
pub fn post_commit(repo: &Repo) -> Result<HookReport> {
    let mut report = settle_head(repo)?;
    if let Some(head) = repo.head()?
        && Journal::of(repo).exists()
    {
        let summary = repo.commit_summary(head)?;
        if let Err(e) = carry_from_donors(repo, head, &summary) {
            report.warnings.push(format!(
                "cannot carry provenance from the commits this one copies: {e:#}"
            ));
        }
    }
    Ok(report)
}

fn settle_head(repo: &Repo) -> Result<HookReport> {
    let mut report = write_owed_notes(repo);
    let journal = Journal::of(repo);
    let Some(head) = repo.head()? else {
        return Ok(report);
    };
    if !journal.exists() {
        return Ok(report);
    }
    fault("post-commit:start");
    let summary = repo.commit_summary(head)?;
    if journal.is_empty() {
        // Nothing to bind or repair: only remember that the hooks saw this commit, under the
        // lock when it is free at once (the seen log's compaction rewrites it under the lock).
        let _lock = journal.try_lock();
        start_seen_log(&journal, summary.parent)?;
        // Its lines are human, not unknown: the note says the hooks saw it.
        let mut notes = Transaction::new();
        notes.add(head, &[seen_by_hooks()]);
        notes.commit(repo)?;
        journal.mark_seen(head)?;
        return Ok(report);
    }
    let (settings, warnings) = Settings::load(repo);
    report.warnings.extend(warnings);
    // Without the lock the journal must not be rewritten (a concurrent append would be lost),
    // and nothing may be repaired, but this commit's note is still worth writing.
    let lock = journal
        .lock()
        .map_err(|e| {
            report
                .warnings
                .push(format!("{e:#}; the journal is left as it is"))
        })
        .ok();
    fault("post-commit:locked");
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
    fault("post-commit:absorbed");
    start_seen_log(&journal, summary.parent)?;
    if let Some(lock) = &lock {
        if let Err(e) = settle_late_records(repo, &journal, lock, &settings, &mut report) {
            report.warnings.push(format!(
                "cannot bind records made after their commit; they stay pending: {e:#}"
            ));
        }
        settle_missed(repo, &journal, lock, &settings, summary.parent, &mut report)?;
    }
    settle_commit(
        repo,
        &journal,
        lock.as_ref(),
        &settings,
        head,
        Mode::Current,
        &mut report,
    )?;
    if let Some(lock) = &lock {
        let _ = journal.compact_seen(lock);
        sweep_stale_plans(repo);
    }
    Ok(report)
}

/// Writes the `seen` notes the post-commit script owes: it saw these commits with nothing
/// pending and nothing to carry, and noted them without starting lineage (see
/// `store::journal`). One notes commit for all. When another lineage process holds the
/// journal, they wait for the next one: until then those commits read as unknown, never AI.
/// Never fails: a failure is a warning, and the notes stay owed.
pub fn write_owed_notes(repo: &Repo) -> HookReport {
    let mut report = HookReport::default();
    if let Err(e) = try_write_owed_notes(repo) {
        report.warnings.push(format!(
            "cannot write the notes of commits made with nothing pending; they are written later: {e:#}"
        ));
    }
    report
}

fn try_write_owed_notes(repo: &Repo) -> Result<()> {
    let journal = Journal::of(repo);
    if !journal.owes_notes() {
        return Ok(());
    }
    let Some(lock) = journal.try_lock() else {
        return Ok(());
    };
    let mut written = HashSet::new();
    // A list a writer left behind, then the one the script keeps appending to; a line appended
    // while the list was being moved aside shows on the second reading of it.
    for _ in 0..4 {
        let owed: Vec<ObjectId> = journal
            .take_owed(&lock)?
            .into_iter()
            .filter(|c| written.insert(*c))
            .collect();
        if owed.is_empty() {
            journal.forget_owed(&lock)?;
            if !journal.owes_notes() {
                break;
            }
            continue;
        }
        let mut notes = Transaction::new();
        for commit in &owed {
            if repo.commit_summary(*commit).is_ok() {
                notes.add(*commit, &[seen_by_hooks()]);
            }
        }
        notes.commit(repo)?;
    }
    Ok(())
}

/// The record that says the hooks processed a commit (see [`SeenRecord`]).
fn seen_by_hooks() -> NoteRecord {
    NoteRecord::Seen(SeenRecord {
        by: SEEN_BY_HOOKS.to_string(),
    })
}

/// Settles the commits the hooks missed up to `from`, oldest first.
fn settle_missed(
    repo: &Repo,
    journal: &Journal,
    lock: &JournalLock,
    settings: &Settings,
    from: Option<ObjectId>,
    report: &mut HookReport,
) -> Result<()> {
    for missed in missed_commits(repo, journal, from)? {
        settle_commit(repo, journal, Some(lock), settings, missed, Mode::Missed, report)?;
        report.repaired.push(missed);
    }
    Ok(())
}

/// Files left in `lineage-plans` for commits that were never made (a later hook rejected them;
/// plans of earlier versions) are dropped after a week.
fn sweep_stale_plans(repo: &Repo) {
    const STALE: std::time::Duration = std::time::Duration::from_secs(7 * 24 * 3600);
    let now = std::time::SystemTime::now();
    for item in fs::read_dir(plans_dir(repo)).into_iter().flatten().flatten() {
        let stale = item
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE);
        if stale {
            let _ = fs::remove_file(item.path());
        }
    }
}

/// `lineage repair`: settle the commits the hooks missed on the current branch, HEAD included.
pub fn repair(repo: &Repo) -> Result<HookReport> {
    let mut report = HookReport::default();
    let journal = Journal::of(repo);
    let Some(head) = repo.head()? else {
        return Ok(report);
    };
    if !journal.exists() {
        return Err(user_error(
            "lineage is not set up in this repository",
            "run `lineage init` first",
        ));
    }
    let lock = journal.lock()?;
    journal.absorb_spill(&lock)?;
    let (settings, warnings) = Settings::load(repo);
    report.warnings.extend(warnings);
    start_seen_log(&journal, Some(head))?;
    settle_late_records(repo, &journal, &lock, &settings, &mut report)?;
    settle_missed(repo, &journal, &lock, &settings, Some(head), &mut report)?;
    Ok(report)
}

/// Binds the entries recorded after the commit that already held their lines (see
/// `Progress::late`), each to its commit.
fn settle_late_records(
    repo: &Repo,
    journal: &Journal,
    lock: &JournalLock,
    settings: &Settings,
    report: &mut HookReport,
) -> Result<()> {
    // Parsing the journal costs milliseconds at a thousand entries: only when one is late.
    if !journal.mentions("\"late\":") {
        return Ok(());
    }
    let here = Here::of(repo);
    let mut late: BTreeMap<ObjectId, HashSet<String>> = BTreeMap::new();
    for entry in journal.load()?.entries.into_iter().filter(|e| here.recorded(e)) {
        if let (Some(commit), true) = (entry.progress.late, entry.progress.used.is_empty()) {
            late.entry(commit).or_default().insert(entry.id);
        }
    }
    for (commit, ids) in &late {
        settle_commit(
            repo,
            journal,
            Some(lock),
            settings,
            *commit,
            Mode::Late(ids),
            report,
        )?;
        if !report.repaired.contains(commit) {
            report.repaired.push(*commit);
        }
    }
    Ok(())
}

/// Starts the seen log at `commit` when there is none yet (lineage set up before it kept one):
/// what came before is not taken for missed. Without a commit (the first commit of a
/// repository), the log starts empty: every commit is the hooks' own.
fn start_seen_log(journal: &Journal, commit: Option<ObjectId>) -> Result<()> {
    if journal.seen().is_none() {
        match commit {
            Some(commit) => journal.mark_seen(commit)?,
            None => journal.start_seen()?,
        }
    }
    Ok(())
}

/// The commits from `from` back along first parents that the hooks never finished, oldest
/// first: up to the newest commit they did finish, and only our own (a commit someone else
/// made and we pulled has its author's notes, not our journal's edits).
fn missed_commits(repo: &Repo, journal: &Journal, from: Option<ObjectId>) -> Result<Vec<ObjectId>> {
    let Some(from) = from else {
        return Ok(Vec::new());
    };
    let Some(seen) = journal.seen() else {
        return Ok(Vec::new());
    };
    let me = repo.committer_email();
    let mut missed = Vec::new();
    let mut next = Some(from);
    while let Some(commit) = next.filter(|_| missed.len() < MISSED_WALK_LIMIT) {
        if seen.contains(&commit) {
            missed.reverse();
            return Ok(missed);
        }
        let summary = repo.commit_summary(commit)?;
        // Ours alone: authored and committed here (a patch applied with `git am`, authored by
        // someone else, holds no edit of our journal).
        let ours = me.as_deref() == Some(summary.committer_email.as_str())
            && summary
                .author
                .ends_with(&format!("<{}>", summary.committer_email));
        if summary.parent_count <= 1 && ours {
            missed.push(commit);
        }
        // A log started empty (lineage set up before the first commit) covers the root too.
        if summary.parent.is_none() && seen.is_empty() {
            missed.reverse();
            return Ok(missed);
        }
        next = summary.parent;
    }
    // No handled commit within reach: the history is not one the hooks have been keeping.
    Ok(Vec::new())
}

/// Writes the note of `commit` and settles the journal for it (when `lock` is held), then marks
/// it seen and drops its plan. A missed commit that has a note but no plan was finished but for
/// the seen mark.
fn settle_commit(
    repo: &Repo,
    journal: &Journal,
    lock: Option<&JournalLock>,
    settings: &Settings,
    commit: ObjectId,
    mode: Mode<'_>,
    report: &mut HookReport,
) -> Result<()> {
    let summary = repo.commit_summary(commit)?;
    // An amend adds to the commit it replaces: only that is new.
    let base = match (mode, repo.amended_commit(commit)?) {
        (Mode::Late(_), _) | (_, None) => summary.parent,
        (_, Some(replaced)) => Some(replaced),
    };
    // A merge made here binds what it resolved (the lines new to every parent); one a rebase
    // replays, or one the hooks missed, binds nothing.
    let merge = summary.parent_count > 1;
    // A missed commit with a note was settled before its hook died: its entries have left the
    // journal, and binding its lines to others now could only be wrong.
    if matches!(mode, Mode::Missed) && Notes::open(repo)?.text(commit)?.is_some() {
        journal.mark_seen(commit)?;
        return Ok(());
    }
    let mut loaded = match lock {
        // Settling: the log its callers absorbed the spill files into, not spill files written
        // since (they wait for the next settlement, which absorbs them).
        Some(_) => {
            let loaded = journal.load_log()?;
            report_damage(journal, &loaded, report);
            loaded
        }
        None => load_journal(journal, report)?,
    };
    let (mut mine, mut others) = loaded.take_worktree_entries(repo);
    // Entries recorded while the commit was made (after prepare-commit-msg's marker) wait for a
    // later commit: neither bound nor settled by this one.
    if let Mode::Current = mode
        && !loaded.unprepared.is_empty()
    {
        let (later, before): (Vec<Entry>, Vec<Entry>) =
            mine.into_iter().partition(|e| loaded.unprepared.contains(&e.id));
        mine = before;
        others.extend(later);
    }
    let here = Here::of(repo);
    let replayed = match mode {
        Mode::Current => repo.is_replaying(),
        _ => merge,
    };
    let mut covered = Covered::default();
    let binding = if mine.is_empty() || replayed {
        Binding::default()
    } else {
        // Only the files with pending edits can bind.
        let compared = repo.compare(base, commit, &files_of(&mine))?;
        let (changes, displaced) = match mode {
            Mode::Current => changes_and_displaced(repo, &compared, &mine),
            _ => (
                repo.changes_of(&compared, &HashMap::new(), &HashMap::new()),
                HashSet::new(),
            ),
        };
        let mut changes = changes?;
        if merge {
            resolved_only(repo, commit, &summary.parents[1..], &mut changes)?;
        }
        if let Mode::Late(_) = mode {
            covered = Covered::by_note(repo, commit)?;
            covered.uncount(&mut changes);
        }
        let may_bind = |e: &Entry| match mode {
            Mode::Late(ids) => ids.contains(&e.id) && here.recorded(e),
            Mode::Current => here.recorded(e) && !displaced.contains(e.id.as_str()),
            Mode::Missed => here.recorded(e),
        };
        bind(&file_diffs(changes), &sources_where(&mine, may_bind))
    };
    fault("post-commit:bound");

    let fates = match mode {
        Mode::Late(ids) => late_fates(&binding, &mine, ids, &covered, commit),
        Mode::Current => decide_fates(repo, &binding, &mine, settings, commit, !replayed, report),
        Mode::Missed => decide_fates(repo, &binding, &mine, settings, commit, false, report),
    };
    let mut records = compose(&binding, &mine, &fates, settings.prompts);
    records.push(seen_by_hooks());
    // While only another work tree's edits wait, each commit here marks the log and settles
    // nothing: every so often the log is rewritten anyway, without its markers (only for the
    // commit just made, whose marker has done its job).
    let marked_much = matches!(mode, Mode::Current) && loaded.markers >= MARKERS_KEPT;
    let unchanged = fates.is_empty() && loaded.damaged.is_empty() && !marked_much;
    let mut fates = fates;
    let mut pending = others;
    for (index, entry) in mine.into_iter().enumerate() {
        match fates.remove(&index) {
            None => pending.push(entry),
            Some(Fate::Partial(updated)) => pending.push(*updated),
            Some(Fate::Done | Fate::Dropped | Fate::Removed | Fate::Settled(_)) => {}
        }
    }
    let mut notes = Transaction::new();
    notes.add(commit, &records);
    // The journal's replacement is written (and synced, when it keeps entries) on the other
    // core while the note is written; it is put in place only once the note exists.
    let (noted, prepared) = match lock.filter(|_| !unchanged) {
        Some(lock) => {
            let prepare = || journal.prepare_settlement(lock, &pending, &loaded.damaged);
            let (noted, prepared) = parallel::join(|| notes.commit(repo), prepare);
            (noted, Some(prepared))
        }
        None => (notes.commit(repo), None),
    };
    noted?;
    fault("post-commit:noted");

    // Only now that the note exists may entries leave the journal.
    let settled = match (unchanged, prepared) {
        (true, _) => true,
        (false, Some(prepared)) => match prepared.and_then(Settlement::finish) {
            Ok(()) => true,
            Err(e) => {
                report.warnings.push(format!(
                    "the note is written, but the journal could not be settled, so its entries stay pending: {e:#}"
                ));
                false
            }
        },
        (false, None) => false,
    };
    fault("post-commit:settled");
    if settled && !matches!(mode, Mode::Late(_)) {
        journal.mark_seen(commit)?;
        fault("post-commit:seen");
    }
    // Freeing thousands of records and entries (~0.5 ms at 1,000) is left to another thread:
    // the hook exits meanwhile, and the system takes the memory back whole. (When no thread
    // can start, they are freed here.)
    let garbage = (records, pending, binding, loaded);
    let _ = std::thread::Builder::new().spawn(move || drop(garbage));
    Ok(())
}

/// Keeps as added only the lines of a merge's `changes` (against its first parent) that are
/// new against its `other_parents` too: what the merge resolved, not what it merged.
fn resolved_only(
    repo: &Repo,
    commit: ObjectId,
    other_parents: &[ObjectId],
    changes: &mut [ChangedFile],
) -> Result<()> {
    // Only the files whose lines could bind.
    let paths: Vec<String> = changes.iter().map(|f| f.path.clone()).collect();
    let paths: Vec<&str> = paths.iter().map(String::as_str).collect();
    for &other in other_parents {
        let theirs = repo.diff_of_paths(Some(other), commit, Some(&paths))?;
        let new_to_them: HashSet<(&str, u32)> = theirs
            .iter()
            .flat_map(|f| f.added().map(move |l| (f.path.as_str(), l.line)))
            .collect();
        for file in changes.iter_mut() {
            for line in file.hunks.iter_mut().flatten().filter(|l| l.added) {
                if !new_to_them.contains(&(file.path.as_str(), line.line)) {
                    line.added = false;
                }
            }
        }
    }
    Ok(())
}

/// Lines of a commit its note already attributes, by file: a late record, or a carried one,
/// must not take them.
#[derive(Default)]
pub(super) struct Covered {
    lines: HashMap<String, Vec<[u32; 2]>>,
    keys: HashMap<String, HashSet<LineKey>>,
}

impl Covered {
    fn by_note(repo: &Repo, commit: ObjectId) -> Result<Covered> {
        Ok(Covered::by_edits(Notes::open(repo)?.read(commit)?.edits()))
    }

    pub(super) fn by_edits<'a>(edits: impl Iterator<Item = &'a EditRecord>) -> Covered {
        let mut covered = Covered::default();
        for edit in edits {
            covered
                .lines
                .entry(edit.file.clone())
                .or_default()
                .extend(edit.ranges.iter().copied());
        }
        // Sorted and merged once, so each line is looked up, not checked against every range
        // a (collaborator's) note lists.
        for ranges in covered.lines.values_mut() {
            *ranges = normalize(std::mem::take(ranges));
        }
        covered
    }

    /// Turns the covered added lines of `changes` into context, remembering their keys.
    pub(super) fn uncount(&mut self, changes: &mut [ChangedFile]) {
        for file in changes {
            let Some(ranges) = self.lines.get(&file.path) else {
                continue;
            };
            for line in file.hunks.iter_mut().flatten().filter(|l| l.added) {
                if ranges_contain(ranges, line.line) {
                    line.added = false;
                    self.keys
                        .entry(file.path.clone())
                        .or_default()
                        .insert(line_key(&line.text));
                }
            }
        }
    }
}

/// The ids of the applied entries (of the files in `files`, if given) that were undone or
/// rewritten where they were made (see [`displaced`]): in the work tree at `root`, their place
/// holds none of their text, and their text is nowhere whole. They bind nothing: a person's
/// lines elsewhere are not theirs.
fn displaced_entries<'a>(
    root: Option<&Path>,
    entries: impl IntoIterator<Item = &'a Entry>,
    files: Option<&[&str]>,
) -> HashSet<String> {
    let entries: Vec<&Entry> = entries
        .into_iter()
        .filter(|e| has_place(e) && files.is_none_or(|files| files.contains(&e.file.as_str())))
        .collect();
    let copies = work_tree_copies(root, entries.iter().map(|e| e.file.as_str()));
    displaced_in(&copies, entries)
}

/// The changes `compared` holds, and the entries displaced in the work tree (see
/// [`displaced_entries`]). The other core reads the work tree's copies of the changed files,
/// checks which are the committed blobs, and finds the displaced entries, while this one
/// inflates the base's blobs; then the files are diffed here, each copy that is the committed
/// blob in the blob's place.
fn changes_and_displaced(
    repo: &Repo,
    compared: &Compared,
    entries: &[Entry],
) -> (Result<Vec<ChangedFile>>, HashSet<String>) {
    let changed = compared.changed_paths();
    let root = repo.workdir().ok();
    let reading = || {
        let copies = work_tree_copies(root, changed.iter().copied());
        let committed: Vec<&str> = copies
            .iter()
            .filter(|(path, bytes)| compared.holds(path, bytes))
            .map(|(path, _)| *path)
            .collect();
        let displaced = displaced_in(
            &copies,
            entries.iter().filter(|e| changed.contains(&e.file.as_str())),
        );
        (copies, committed, displaced)
    };
    let (base, (copies, committed, displaced)) = parallel::join(|| repo.base_texts(compared), reading);
    let committed: HashMap<&str, &[u8]> = committed
        .iter()
        .map(|path| (*path, copies[path].as_slice()))
        .collect();
    let changes = base.and_then(|base| repo.changes_of(compared, &base, &committed));
    (changes, displaced)
}

/// Whether `entry` can be displaced: an applied edit that recorded its place.
fn has_place(entry: &Entry) -> bool {
    entry.status == Status::Applied && (entry.anchor.is_some() || entry.below.is_some())
}

/// The work tree's copy of each of `files` that can be read, by path.
fn work_tree_copies<'a>(
    root: Option<&Path>,
    files: impl IntoIterator<Item = &'a str>,
) -> HashMap<&'a str, Vec<u8>> {
    let Some(root) = root else {
        return HashMap::new();
    };
    files
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .filter_map(|file| Some((file, fs::read(root.join(file)).ok()?)))
        .collect()
}

/// [`displaced_entries`] among the work tree's `copies` of their files.
fn displaced_in<'a>(
    copies: &HashMap<&str, Vec<u8>>,
    entries: impl IntoIterator<Item = &'a Entry>,
) -> HashSet<String> {
    let mut found = HashSet::new();
    // Each file is searched and indexed once, however many entries it has.
    let mut whole: HashMap<&str, WholeLines<'_>> = HashMap::new();
    let mut indexed: HashMap<&str, FileLines<'_>> = HashMap::new();
    for entry in entries.into_iter().filter(|e| has_place(e)) {
        let file = entry.file.as_str();
        let Some(bytes) = copies.get(file) else {
            continue;
        };
        // An edit whose text is there verbatim, in whole lines, is not displaced: told without
        // indexing the file's lines by their keys (~1 ms for 12,000 lines).
        let whole = whole.entry(file).or_insert_with(|| WholeLines::of(bytes));
        if whole.holds(entry.inserted.as_bytes()) {
            continue;
        }
        if !indexed.contains_key(file) {
            let Ok(text) = std::str::from_utf8(bytes) else {
                continue;
            };
            indexed.insert(file, FileLines::of(text));
        }
        let lines: Vec<&str> = entry.inserted.lines().collect();
        if displaced(&indexed[file], place_of(entry), &lines) {
            found.insert(entry.id.clone());
        }
    }
    found
}

/// The place an entry recorded.
fn place_of(entry: &Entry) -> Place {
    Place {
        above: entry.anchor.as_deref().and_then(key_from_hex),
        below: entry.below.as_deref().and_then(key_from_hex),
    }
}

/// The fates of late entries: bound ones advance as usual; one that bound nothing because
/// records already cover its lines is done (recorded twice); any other stops waiting for that
/// commit and stays pending for a later one.
fn late_fates(
    binding: &Binding,
    entries: &[Entry],
    late: &HashSet<String>,
    covered: &Covered,
    commit: ObjectId,
) -> BTreeMap<usize, Fate> {
    let mut fates = Fates::after_commit(binding, entries, commit);
    // The rest of a partly bound late entry is not in this commit: it waits for another one.
    fates.resolve_unfinished(None);
    let mut decided = fates.decided;
    for (index, entry) in entries.iter().enumerate() {
        if !late.contains(&entry.id) || decided.contains_key(&index) {
            continue;
        }
        let lines = SourceLines::of(&Source::from_entry(entry));
        let keys = covered.keys.get(&entry.file);
        let mut non_trivial = lines.required().peekable();
        let duplicate = non_trivial.peek().is_some()
            && non_trivial.all(|i| keys.is_some_and(|k| k.contains(&lines.lines[i].key)));
        let fate = if duplicate {
            Fate::Done
        } else {
            let mut waiting = entry.clone();
            waiting.progress.late = None;
            Fate::Partial(Box::new(waiting))
        };
        decided.insert(index, fate);
    }
    decided
}

/// The plan's claims as a binding over `entries`, or `None` if any claim no longer holds.
/// The engine decides every entry's fate; this supplies what it needs from git: whether the
/// rest of a partly committed (or superseded) entry still waits in the work tree, and whether
/// an expired entry's id is in a note. Problems become warnings: the note must still be written.
///
/// `current`: the commit is the one git just made (and replays nothing), so the work tree
/// against HEAD shows what of an entry is still to come. For a missed commit, later commits may
/// already hold the rest: its partly committed entries stay pending and nothing is settled as
/// superseded; during a replay, edits wait for a commit of their own.
fn decide_fates(
    repo: &Repo,
    binding: &Binding,
    entries: &[Entry],
    settings: &Settings,
    commit: ObjectId,
    current: bool,
    report: &mut HookReport,
) -> BTreeMap<usize, Fate> {
    let mut fates = Fates::after_commit(binding, entries, commit);
    if !current {
        fates.resolve_unfinished(None);
        return fates.decided;
    }
    let unfinished_at: HashSet<usize> = fates.unfinished.iter().map(|(i, _)| *i).collect();
    let unfinished: Vec<Entry> = fates.unfinished_entries().into_iter().cloned().collect();
    let superseded = fates.superseded_candidates(binding, entries);
    let superseded_entries: Vec<Entry> = superseded.iter().map(|&i| entries[i].clone()).collect();
    // Entries nothing of which was ever committed: if none of their lines is left in the work
    // tree (a person rewrote them, or the edit was undone), they can never be committed, and
    // left pending they would claim a person's identical line later. A stash may hold them.
    let untouched: Vec<usize> = match repo.has_stash() {
        true => Vec::new(),
        false => (0..entries.len())
            .filter(|i| !fates.decided.contains_key(i) && !unfinished_at.contains(i))
            .filter(|i| !superseded.contains(i))
            .filter(|&i| {
                let e = &entries[i];
                e.status == Status::Applied
                    && e.progress.used.is_empty()
                    && e.progress.late.is_none()
                    && !e.deletes_only()
            })
            .collect(),
    };
    let untouched_entries: Vec<Entry> = untouched.iter().map(|&i| entries[i].clone()).collect();
    let paths: BTreeSet<&str> = unfinished
        .iter()
        .chain(&superseded_entries)
        .chain(&untouched_entries)
        .map(|e| e.file.as_str())
        .collect();
    let uncommitted = match repo.uncommitted_changes(&paths.into_iter().collect::<Vec<_>>()) {
        Ok(changes) => Some(file_diffs(changes)),
        Err(e) => {
            report.warnings.push(format!(
                "cannot read the work tree, so partly committed edits stay pending: {e:#}"
            ));
            None
        }
    };
    let waiting = |group: &[Entry]| -> Option<HashSet<usize>> {
        let uncommitted = uncommitted.as_ref()?;
        Some(
            bind(uncommitted, &sources(group))
                .claims()
                .map(|(_, c)| c.entry)
                .collect(),
        )
    };
    fates.resolve_unfinished(waiting(&unfinished).as_ref());
    fates.settle_superseded(&superseded, waiting(&superseded_entries).as_ref());
    // An entry undone where it was made is gone too, whatever alike lines wait elsewhere.
    let displaced = displaced_entries(repo.workdir().ok(), &untouched_entries, None);
    let gone: Vec<usize> = match waiting(&untouched_entries) {
        Some(waiting) => untouched
            .iter()
            .enumerate()
            .filter(|&(position, &index)| {
                !waiting.contains(&position) || displaced.contains(entries[index].id.as_str())
            })
            .map(|(_, &index)| index)
            .collect(),
        None => Vec::new(),
    };

    let (removed, undone) = removals(repo, entries, commit, &fates.decided);
    for index in removed {
        fates.decided.insert(index, Fate::Removed);
    }

    // Settled now: rejected and expired entries, and those whose lines are gone; the last two
    // as discarded unless a note shows their lines reached history after all.
    let mut due = fates.due(entries, clock::now(), settings.expire);
    for index in gone.into_iter().chain(undone) {
        if !due.iter().any(|&(i, _)| i == index) {
            due.push((index, Due::Expired));
        }
    }
    // An expired entry with lines in history is accounted for by those notes, even when a
    // failed settlement never recorded its progress here: one walk for all of them, over every
    // branch, since the oldest was recorded.
    let unaccounted: Vec<&Entry> = due
        .iter()
        .filter(|(_, why)| *why == Due::Expired)
        .map(|&(index, _)| &entries[index])
        .filter(|e| e.progress.commits.is_empty())
        .collect();
    let mentioned = match notes_mentioning(repo, &unaccounted) {
        Ok(mentioned) => Some(mentioned),
        Err(e) => {
            report.warnings.push(format!(
                "cannot search the notes for expired edits, so they stay pending: {e:#}"
            ));
            None
        }
    };
    for (index, why) in due {
        let entry = &entries[index];
        let in_history = match (&mentioned, why) {
            (_, Due::Rejected) => false,
            _ if !entry.progress.commits.is_empty() => true,
            (Some(mentioned), Due::Expired) => mentioned.contains(entry.id.as_str()),
            // Unknown: better pending another day than written off as never committed.
            (None, Due::Expired) => continue,
        };
        fates.settle_due(index, why, in_history);
    }
    fates.decided
}

/// The pending edits that only removed lines, by index: those whose removal `commit` made
/// (their place was open in its parent and is closed in it), and those undone in the work tree
/// (their place is open there, and the commit did not close it).
fn removals(
    repo: &Repo,
    entries: &[Entry],
    commit: ObjectId,
    decided: &BTreeMap<usize, Fate>,
) -> (Vec<usize>, Vec<usize>) {
    let (mut removed, mut undone) = (Vec::new(), Vec::new());
    let pending: Vec<(usize, &Entry)> = entries
        .iter()
        .enumerate()
        .filter(|(index, e)| e.deletes_only() && e.status == Status::Applied && !decided.contains_key(index))
        .collect();
    if pending.is_empty() {
        return (removed, undone);
    }
    // Each file's text in the commit, its parent and the work tree, read once.
    let parent = repo.commit_summary(commit).ok().and_then(|s| s.parent);
    let root = repo.workdir().ok();
    let texts: HashMap<&str, [Option<String>; 3]> = pending
        .iter()
        .map(|(_, e)| e.file.as_str())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .map(|file| {
            let in_commit = |c: Option<ObjectId>| repo.text_in_commit(c?, file).ok().flatten();
            let in_work_tree = root.and_then(|r| fs::read_to_string(r.join(file)).ok());
            (file, [in_commit(Some(commit)), in_commit(parent), in_work_tree])
        })
        .collect();
    let lines: HashMap<&str, [Option<FileLines<'_>>; 3]> = texts
        .iter()
        .map(|(file, t)| (*file, [0, 1, 2].map(|i| t[i].as_deref().map(FileLines::of))))
        .collect();
    for (index, entry) in pending {
        let [committed, before, work_tree] = [0, 1, 2].map(|i| {
            lines[entry.file.as_str()][i]
                .as_ref()
                .and_then(|f| closed(f, place_of(entry)))
        });
        if committed == Some(true) && before == Some(false) {
            removed.push(index);
        } else if work_tree == Some(false) && committed == Some(false) {
            undone.push(index);
        }
    }
    (removed, undone)
}

/// The ids of `entries` that a note of a commit made since the oldest of them was recorded
/// mentions, on any branch.
fn notes_mentioning(repo: &Repo, entries: &[&Entry]) -> Result<HashSet<String>> {
    let mut found = HashSet::new();
    let Some(oldest) = entries.iter().filter_map(|e| clock::parse(&e.recorded_at)).min() else {
        return Ok(found);
    };
    let notes = Notes::open(repo)?;
    for commit in repo.commits_since(oldest.timestamp())? {
        let Some(text) = notes.text(commit)? else { continue };
        for entry in entries {
            if text.contains(entry.id.as_str()) {
                found.insert(entry.id.clone());
            }
        }
        if found.len() == entries.len() {
            break;
        }
    }
    Ok(found)
}
