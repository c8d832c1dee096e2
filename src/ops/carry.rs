//! Provenance that follows history rewrites and copies (see ARCHITECTURE.md, "Rewrites"):
//! `post-rewrite` after an amend or a rebase, `post-commit` after a cherry-pick, a squash
//! merge, a revert of a revert or a commit after `git reset`, and `lineage reattach` for
//! commits made without hooks. Each target commit is bound, by content, against the notes of
//! the commits its lines came from (its donors) with [`carry`]; every note is written in one
//! notes-ref update.

use std::collections::{BTreeSet, HashMap, HashSet};

use anyhow::Result;

use crate::engine::carry::{Donor, carry};
use crate::engine::{LineKey, file_diffs, line_key};
use crate::error::user_error;
use crate::git::Repo;
use crate::model::{ChangedFile, NoteRecord, ObjectId, ParsedNote};
use crate::ops::commit::Covered;
use crate::store::journal::Journal;
use crate::store::notes::{Notes, Transaction};

/// How a target commit stands to its donors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// It replaces them (amend, rebase): lines of their notes that git copied onto it are
    /// taken out (their ranges are stale), and their prompts, settlements and deletions come
    /// along; their reviews too when the tree is the same.
    Rewrite,
    /// It holds some of their lines (cherry-pick, squash, reattach): only lines are carried,
    /// with the prompts they link to.
    Copy,
    /// It was made again from commits a `git reset` left behind, which git names only by
    /// inference (the reflog): a [`Relation::Copy`] where a file takes part only when every
    /// line it adds is a line those commits added. After `reset --hard`, lines a person
    /// retypes among their own are not the abandoned AI's.
    Recommit,
}

/// What carrying did for one target commit.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Carried {
    pub commit: ObjectId,
    /// Lines of the commit bound to an AI edit of a donor.
    pub lines: usize,
    /// Lines of the donors' records that were not found in the commit.
    pub unmatched: usize,
    /// Whether its note changes (or would, on a dry run).
    pub changes: bool,
}

/// Binds each target (a commit, and the commits it came from) against its donors' notes, and
/// writes every note in one update unless `dry_run`. `progress` hears (done, total).
pub fn carry_notes(
    repo: &Repo,
    targets: &[(ObjectId, Vec<ObjectId>)],
    relation: Relation,
    dry_run: bool,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<Carried>> {
    let notes = Notes::open(repo)?;
    let mut transaction = Transaction::new();
    let mut report = Vec::new();
    // Per donor commit, read, parsed and turned into donors once: `reattach` gives every
    // target the same donors.
    let mut read: HashMap<ObjectId, Option<Read>> = HashMap::new();
    for (done, (target, olds)) in targets.iter().enumerate() {
        progress(done, targets.len());
        for &old in olds.iter().filter(|old| *old != target) {
            if let std::collections::hash_map::Entry::Vacant(slot) = read.entry(old) {
                slot.insert(read_donor(repo, &notes, old));
            }
        }
        let old_notes: Vec<&Read> = olds
            .iter()
            .filter(|old| *old != target)
            .filter_map(|old| read.get(old)?.as_ref())
            .collect();
        if old_notes.is_empty() {
            continue;
        }
        let existing_text = notes.text(*target)?.unwrap_or_default();
        // What git copied from the replaced commits (`notes.rewriteRef`) goes: its ranges are
        // the old commit's.
        let copied: HashSet<String> = match relation {
            Relation::Rewrite => {
                let old_lines: HashSet<&str> = old_notes
                    .iter()
                    .flat_map(|r| r.text.lines().map(str::trim))
                    .collect();
                existing_text
                    .lines()
                    .map(str::trim)
                    .filter(|l| old_lines.contains(l))
                    .map(String::from)
                    .collect()
            }
            Relation::Copy | Relation::Recommit => HashSet::new(),
        };
        let kept: String = existing_text
            .lines()
            .filter(|l| !copied.contains(l.trim()))
            .map(|l| format!("{l}\n"))
            .collect();

        let donors: Vec<Donor> = old_notes.iter().flat_map(|r| r.donors.iter().cloned()).collect();
        // The target's added lines its own note does not attribute yet, in the files the
        // donors name (the only ones they can bind in): proportional to the provenance carried,
        // not to the commit.
        let paths: Vec<&str> = donors
            .iter()
            .map(|d| d.record.file.as_str())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let mut changes = repo.commit_diff_of_paths(*target, &paths)?;
        Covered::by_edits(ParsedNote::parse(&kept).edits()).uncount(&mut changes);
        if relation == Relation::Recommit {
            keep_files_made_of(repo, olds, &paths, &mut changes)?;
        }
        let offered: usize = donors.iter().map(Donor::lines).sum();
        let mut records = carry(&file_diffs(changes), &donors);
        let lines: usize = records
            .iter()
            .filter_map(|r| match r {
                NoteRecord::Edit(e) => {
                    Some(e.ranges.iter().map(|[a, b]| (b - a + 1) as usize).sum::<usize>())
                }
                _ => None,
            })
            .sum();
        let same_tree = relation == Relation::Rewrite && {
            let tree = repo.commit_summary(*target)?.tree;
            old_notes.iter().all(|r| r.tree == Some(tree))
        };
        let linked: BTreeSet<String> = records
            .iter()
            .filter_map(|r| match r {
                NoteRecord::Edit(e) => e.prompt_id.clone(),
                _ => None,
            })
            .collect();
        for r in &old_notes {
            for record in &r.note.records {
                let comes_along = match (record, relation) {
                    (NoteRecord::Prompt(p), _) => linked.contains(&p.id) || relation == Relation::Rewrite,
                    (NoteRecord::Settled(_), Relation::Rewrite) => true,
                    (NoteRecord::Edit(e), Relation::Rewrite) => e.ranges.is_empty(),
                    (NoteRecord::Review(_), Relation::Rewrite) => same_tree,
                    (NoteRecord::Seen(_), Relation::Rewrite) => true,
                    _ => false,
                };
                if comes_along {
                    records.push(record.clone());
                }
            }
        }
        let new_lines: Vec<String> = records.iter().map(NoteRecord::to_line).collect();
        let existing_lines: HashSet<&str> = existing_text.lines().map(str::trim).collect();
        let changes_note =
            !copied.is_empty() || new_lines.iter().any(|l| !existing_lines.contains(l.as_str()));
        report.push(Carried {
            commit: *target,
            lines,
            unmatched: offered.saturating_sub(lines),
            changes: changes_note,
        });
        if changes_note {
            transaction.drop_lines(*target, copied);
            transaction.add(*target, &records);
        }
    }
    progress(targets.len(), targets.len());
    if !dry_run {
        transaction.commit(repo)?;
    }
    Ok(report)
}

/// A donor commit as carrying needs it: its note (as stored and parsed), its tree, and the
/// donors its edit records make with the text of their lines there.
struct Read {
    text: String,
    note: ParsedNote,
    tree: Option<ObjectId>,
    donors: Vec<Donor>,
}

/// `None` when `commit` has no note.
fn read_donor(repo: &Repo, notes: &Notes<'_>, commit: ObjectId) -> Option<Read> {
    let text = notes.text(commit).ok()??;
    let note = ParsedNote::parse(&text);
    // Each file's text read once, however many records name it.
    let mut files: HashMap<&str, Option<String>> = HashMap::new();
    let mut donors = Vec::new();
    for edit in note.edits().filter(|e| !e.ranges.is_empty()) {
        // Binding matches a donor to the target's file of the same path, or the file git finds
        // renamed from it.
        let file = files
            .entry(&edit.file)
            .or_insert_with(|| repo.text_in_commit(commit, &edit.file).ok().flatten());
        donors.extend(file.as_deref().and_then(|t| Donor::new(edit.clone(), t)));
    }
    let tree = repo.commit_summary(commit).ok().map(|s| s.tree);
    Some(Read {
        text,
        note,
        tree,
        donors,
    })
}

/// Turns into context every line of the files of `changes` that add a line none of `commits`
/// added (see [`Relation::Recommit`]).
fn keep_files_made_of(
    repo: &Repo,
    commits: &[ObjectId],
    paths: &[&str],
    changes: &mut [ChangedFile],
) -> Result<()> {
    let mut added: HashMap<String, HashSet<LineKey>> = HashMap::new();
    for &commit in commits {
        for file in repo.commit_diff_of_paths(commit, paths)? {
            let keys = added.entry(file.path.clone()).or_default();
            keys.extend(file.added().map(|l| line_key(&l.text)));
        }
    }
    for file in changes {
        let theirs = added.get(&file.path);
        let made_of = file
            .added()
            .all(|l| theirs.is_some_and(|keys| keys.contains(&line_key(&l.text))));
        if !made_of {
            for line in file.hunks.iter_mut().flatten() {
                line.added = false;
            }
        }
    }
    Ok(())
}

/// `lineage reattach`: carries the notes of the commits `from` names onto the commits `onto`
/// names, for commits made without hooks (a server-side squash or rebase, a bot's patch).
/// `onto` is a commit or a range (`main~3..main`); each of `from` is a range, or a ref whose
/// commits not reachable from the targets are taken (a pull request's branch).
pub fn reattach(
    repo: &Repo,
    from: &[String],
    onto: &str,
    dry_run: bool,
    progress: impl FnMut(usize, usize),
) -> Result<Vec<Carried>> {
    let mut targets = if onto.contains("..") {
        repo.rev_list(onto)?
    } else {
        vec![repo.resolve_commit(onto)?]
    };
    targets.reverse();
    if targets.is_empty() {
        return Err(user_error(
            format!("{onto} holds no commits"),
            "name the commits to attribute, e.g. --onto main~3..main or --onto <commit>",
        ));
    }
    let mut donors: Vec<ObjectId> = Vec::new();
    let mut named = 0;
    for spec in from {
        let found = if spec.contains("..") {
            repo.rev_list(spec)?
        } else {
            let tip = repo.resolve_commit(spec)?;
            named += 1;
            repo.commits_left_behind(tip, &targets, REATTACH_LIMIT)?
        };
        named += found.len();
        for donor in found {
            if !targets.contains(&donor) && !donors.contains(&donor) {
                donors.push(donor);
            }
        }
    }
    if named == 0 {
        return Err(user_error(
            format!("no commits to take provenance from in {}", from.join(" ")),
            "name the original commits, e.g. --from <pull request branch> or --from main..topic",
        ));
    }
    // The commits named are already the targets' history (a plain merge): nothing to carry.
    if donors.is_empty() {
        return Ok(Vec::new());
    }
    let targets: Vec<(ObjectId, Vec<ObjectId>)> = targets.into_iter().map(|t| (t, donors.clone())).collect();
    carry_notes(repo, &targets, Relation::Copy, dry_run, progress)
}

/// The most commits a ref given to `reattach --from` contributes.
const REATTACH_LIMIT: usize = 10_000;

/// `git`'s list for `post-rewrite` (`<old> <new> [<extra>]` per line) as targets: each new
/// commit with the commits it replaces (several when a rebase squashed them), in order.
pub fn rewritten(list: &str) -> Vec<(ObjectId, Vec<ObjectId>)> {
    let mut targets: Vec<(ObjectId, Vec<ObjectId>)> = Vec::new();
    for line in list.lines() {
        let mut words = line.split_whitespace();
        let (Some(old), Some(new)) = (
            words.next().and_then(ObjectId::from_hex),
            words.next().and_then(ObjectId::from_hex),
        ) else {
            continue;
        };
        match targets.iter_mut().find(|(n, _)| *n == new) {
            Some((_, olds)) => olds.push(old),
            None => targets.push((new, vec![old])),
        }
    }
    targets
}

/// `post-rewrite`: carries the notes of the commits an amend or a rebase replaced, and marks
/// the new commits seen (the post-commit hook leaves a rebase's picks to this one pass).
pub fn post_rewrite(repo: &Repo, list: &str) -> Result<Vec<Carried>> {
    let targets = rewritten(list);
    let carried = carry_notes(repo, &targets, Relation::Rewrite, false, |_, _| {})?;
    let journal = Journal::of(repo);
    if journal.seen().is_some() {
        let new: Vec<ObjectId> = targets.iter().map(|(new, _)| *new).collect();
        journal.mark_all_seen(&new)?;
    }
    Ok(carried)
}

/// The commits whose lines `commit` (just made) copies, from what git leaves behind: the
/// cherry-pick in progress or its `-x` line, the commits a squash merge or a `cherry-pick -n`
/// named when it was staged (`staged`, saved by prepare-commit-msg), the commit a revert of a revert
/// restores, and the commits a `git reset` left behind.
pub fn donors_of(repo: &Repo, commit: ObjectId, message: &str, staged: &[ObjectId]) -> Donors {
    // A rebase's picks are cherry-picks too; its post-rewrite carries them all in one update.
    if repo.is_rebasing() {
        return Donors::default();
    }
    let mut donors: Vec<ObjectId> = staged.to_vec();
    let mut add = |id: ObjectId| {
        if id != commit && !donors.contains(&id) {
            donors.push(id);
        }
    };
    if let Some(picked) = repo
        .state_file("CHERRY_PICK_HEAD")
        .and_then(|t| ObjectId::from_hex(t.trim()))
    {
        add(picked);
    }
    for line in message.lines() {
        if let Some(picked) = line
            .trim()
            .strip_prefix("(cherry picked from commit ")
            .and_then(|rest| rest.strip_suffix(')'))
            .and_then(|sha| repo.resolve_commit(sha).ok())
        {
            add(picked);
        }
    }
    if let Some(reverted) = reverted_commit(repo, message)
        && let Ok(summary) = repo.commit_summary(reverted)
        && let Some(restored) = reverted_commit(repo, &summary.message)
    {
        add(restored);
    }
    let left_behind = repo
        .left_behind_by_reset(commit, 50)
        .unwrap_or_default()
        .into_iter()
        .filter(|c| !donors.contains(c))
        .collect();
    Donors {
        named: donors,
        left_behind,
    }
}

/// The commits a new commit copies lines from.
#[derive(Debug, Default)]
pub struct Donors {
    /// Named by git (a cherry-pick, a squash, a revert): [`Relation::Copy`].
    pub named: Vec<ObjectId>,
    /// Left behind by a `git reset` before it: [`Relation::Recommit`].
    pub left_behind: Vec<ObjectId>,
}

/// The commit a revert's message names (`This reverts commit <sha>.`).
fn reverted_commit(repo: &Repo, message: &str) -> Option<ObjectId> {
    message.lines().find_map(|line| {
        let rest = line.trim().strip_prefix("This reverts commit ")?;
        let sha: String = rest.chars().take_while(char::is_ascii_hexdigit).collect();
        repo.resolve_commit(&sha).ok()
    })
}

/// What prepare-commit-msg notes of a commit being staged from other commits: the commit being
/// cherry-picked, the commits a `merge --squash` lists (`SQUASH_MSG`), or the commit whose
/// message a `cherry-pick -n` left (`MERGE_MSG` with no merge in progress). Gone by
/// post-commit, so saved then.
pub fn staged_donors(repo: &Repo) -> Vec<ObjectId> {
    // A cherry-pick resumed after a conflict (`--continue`) removes CHERRY_PICK_HEAD before
    // post-commit runs.
    if let Some(picked) = repo
        .state_file("CHERRY_PICK_HEAD")
        .and_then(|t| ObjectId::from_hex(t.trim()))
    {
        return vec![picked];
    }
    if let Some(squash) = repo.state_file("SQUASH_MSG") {
        return squash
            .lines()
            .filter_map(|l| l.strip_prefix("commit "))
            .filter_map(|sha| ObjectId::from_hex(sha.trim()))
            .collect();
    }
    // `cherry-pick -n` leaves the picked commit's message; a revert leaves one too, naming
    // what it reverts. Only a message that one commit has names the commit copied from: a
    // common one ("wip", "fix") would offer unrelated commits' AI lines as the source.
    if repo.state_file("MERGE_HEAD").is_none()
        && let Some(message) = repo.state_file("MERGE_MSG")
        && !message.starts_with("Revert \"")
    {
        let found = repo.commits_with_message(&message, 1000).unwrap_or_default();
        if found.len() == 1 {
            return found;
        }
    }
    Vec::new()
}
