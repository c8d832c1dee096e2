//! `refs/notes/lineage`, read and written through libgit2 with a fanout like git's own.
//!
//! libgit2's `note()` writes every note flat in one tree, and lookups in a flat tree of
//! thousands of notes get ~20× slower. Git splits a notes tree into `ab/cdef…` subtrees once a
//! level holds more than a few hundred notes; this writer does the same, and the reader follows
//! whatever layout it finds (flat, fanned out, or mixed from older writers).

use anyhow::{Result, bail};
use git2::{ErrorCode, FileMode, ObjectType, Oid, Repository, Signature, Tree};

use super::objects::write_blob;
use super::{id, oid};
use crate::error::user_error;
use crate::model::ObjectId;

pub const NOTES_REF: &str = "refs/notes/lineage";

/// A level holding more notes than this is split into two-hex-digit subtrees.
const FANOUT_THRESHOLD: usize = 256;

/// How long a writer keeps retrying a notes ref that other writers (or `gc --auto` holding
/// `packed-refs.lock`) keep busy, before giving up. The caller keeps what it meant to write
/// (the journal stays pending, the commit's plan stays) so a later hook writes it.
const UPDATE_PATIENCE: std::time::Duration = std::time::Duration::from_secs(3);

/// Reads notes from one snapshot of the notes tree (one ref lookup for many commits).
pub struct NotesReader<'r> {
    repo: &'r Repository,
    tree: Option<Tree<'r>>,
}

/// A note as stored: the commit it annotates and its blob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoteBlob {
    pub commit: ObjectId,
    pub blob: ObjectId,
}

/// The commit `refs/notes/lineage` points to; `None` when there is no such ref. A ref that
/// points at anything else (a blob from a hostile `refs/notes/*:refs/notes/*` fetch) is an
/// error that says so: nothing is read from it, and nothing is written over it.
fn notes_commit(repo: &Repository) -> Result<Option<git2::Commit<'_>>> {
    notes_ref_commit(repo, NOTES_REF)
}

/// [`notes_commit`] of any notes ref (a remote's tracking ref too).
pub(super) fn notes_ref_commit<'r>(repo: &'r Repository, name: &str) -> Result<Option<git2::Commit<'r>>> {
    let reference = match repo.find_reference(name) {
        Ok(reference) => reference,
        Err(e) if e.code() == ErrorCode::NotFound => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let target = reference.peel(ObjectType::Any)?;
    match target.into_commit() {
        Ok(commit) => Ok(Some(commit)),
        Err(other) => Err(user_error(
            format!(
                "{name} points at a {} ({}), not a notes commit",
                other.kind().map_or("object", |k| k.str()),
                other.id()
            ),
            match name {
                NOTES_REF => format!(
                    "a fetch may have overwritten it; `git reflog {NOTES_REF}` lists its earlier values, \
                     and `git update-ref {NOTES_REF} <commit>` restores one"
                ),
                _ => format!(
                    "it mirrors a remote's {NOTES_REF}, which holds no notes there; ask whoever pushed it to restore it"
                ),
            },
        )),
    }
}

impl<'r> NotesReader<'r> {
    pub(super) fn open(repo: &'r Repository) -> Result<Self> {
        let tree = notes_commit(repo)?.map(|c| c.tree()).transpose()?;
        Ok(NotesReader { repo, tree })
    }

    /// The note blob of `commit`, if it has one.
    pub fn find(&self, commit: ObjectId) -> Result<Option<ObjectId>> {
        let Some(tree) = &self.tree else {
            return Ok(None);
        };
        Ok(find(self.repo, tree, &commit.to_hex())?.map(id))
    }

    /// The text of a note blob (invalid UTF-8 replaced).
    pub fn text(&self, blob: ObjectId) -> Result<String> {
        let blob = self.repo.find_blob(oid(blob)?)?;
        Ok(String::from_utf8_lossy(blob.content()).into_owned())
    }

    /// The note of `commit`, if it has one.
    pub fn read(&self, commit: ObjectId) -> Result<Option<String>> {
        self.find(commit)?.map(|blob| self.text(blob)).transpose()
    }

    /// Every note, in any layout (flat, fanned out, mixed); entries whose path is not a
    /// commit id (another tool's files) are left out.
    pub fn list(&self) -> Result<Vec<NoteBlob>> {
        let mut notes = Vec::new();
        if let Some(tree) = &self.tree {
            list(self.repo, tree, &mut String::new(), &mut notes)?;
        }
        Ok(notes)
    }
}

fn list(repo: &Repository, tree: &Tree<'_>, prefix: &mut String, out: &mut Vec<NoteBlob>) -> Result<()> {
    for entry in tree.iter() {
        let Some(name) = entry
            .name()
            .ok()
            .filter(|n| n.bytes().all(|b| b.is_ascii_hexdigit()))
        else {
            continue;
        };
        let depth = prefix.len();
        prefix.push_str(name);
        match entry.kind() {
            Some(ObjectType::Blob) => out.extend(ObjectId::from_hex(prefix).map(|commit| NoteBlob {
                commit,
                blob: id(entry.id()),
            })),
            Some(ObjectType::Tree) if is_fanout(name, prefix.len()) => {
                list(repo, &repo.find_tree(entry.id())?, prefix, out)?;
            }
            _ => {}
        }
        prefix.truncate(depth);
    }
    Ok(())
}

/// Whether a tree named `name`, reached at a path of `depth` hex digits (its own included), is
/// a fanout level that can hold notes: two hex digits, and no deeper than an id (a fetched
/// tree nested further holds no note, however deep it goes).
fn is_fanout(name: &str, depth: usize) -> bool {
    name.len() == 2 && name.bytes().all(|b| b.is_ascii_hexdigit()) && depth < 64
}

fn find(repo: &Repository, tree: &Tree<'_>, rest: &str) -> Result<Option<Oid>> {
    if let Some(entry) = tree.get_name(rest)
        && entry.kind() == Some(ObjectType::Blob)
    {
        return Ok(Some(entry.id()));
    }
    if let (Some(prefix), Some(rest)) = (rest.get(..2), rest.get(2..))
        && !rest.is_empty()
        && let Some(entry) = tree.get_name(prefix)
        && entry.kind() == Some(ObjectType::Tree)
    {
        return find(repo, &repo.find_tree(entry.id())?, rest);
    }
    Ok(None)
}

/// Writes the notes of `commits` (see `Repo::update_notes`); the commits whose note changed.
pub(super) fn update(
    repo: &Repository,
    commits: &[ObjectId],
    mut merge: impl FnMut(ObjectId, Option<&[u8]>) -> Option<Vec<u8>>,
) -> Result<Vec<ObjectId>> {
    let signature = repo
        .signature()
        .or_else(|_| Signature::now("lineage", "lineage@localhost"))?;
    let started = std::time::Instant::now();
    let mut backoff = Backoff::new(2, 100);
    while started.elapsed() < UPDATE_PATIENCE {
        let current = notes_commit(repo)?;
        let tree = current.as_ref().map(|c| c.tree()).transpose()?;
        let mut changes: Vec<NoteAt> = Vec::new();
        let mut changed: Vec<ObjectId> = Vec::new();
        for &commit in commits {
            let hex = commit.to_hex();
            let existing = match &tree {
                Some(tree) => find(repo, tree, &hex)?
                    .map(|blob| repo.find_blob(blob).map(|b| b.content().to_vec()))
                    .transpose()?,
                None => None,
            };
            let Some(text) = merge(commit, existing.as_deref()) else {
                continue;
            };
            if existing.as_deref() == Some(text.as_slice()) {
                continue;
            }
            changes.push((hex, write_blob(repo, &text)?));
            changed.push(commit);
        }
        if changes.is_empty() {
            return Ok(changed);
        }
        changes.sort();
        let new_tree = repo.find_tree(upsert(repo, tree.as_ref(), &changes)?)?;
        let parents: Vec<_> = current.iter().collect();
        let notes_commit = repo.commit(
            None,
            &signature,
            &signature,
            "Notes added by 'lineage'",
            &new_tree,
            &parents,
        )?;
        if move_ref(
            repo,
            current.as_ref().map(|c| c.id()),
            notes_commit,
            "lineage: note",
        )? {
            return Ok(changed);
        }
        // Another writer moved the ref first: merge again on top of its work.
        std::thread::sleep(backoff.pause());
    }
    bail!(
        "{NOTES_REF} stayed busy for {UPDATE_PATIENCE:?} (concurrent writers, or a lock held by gc); the note was not written yet"
    )
}

/// Moves the notes ref from `expected` (none: absent) to `to`, as one compare-and-swap;
/// `false` when another writer moved it first.
pub(super) fn move_ref(repo: &Repository, expected: Option<Oid>, to: Oid, why: &str) -> Result<bool> {
    let moved = match expected {
        Some(current) => repo.reference_matching(NOTES_REF, to, true, current, why),
        None => repo.reference(NOTES_REF, to, false, why),
    };
    match moved {
        Ok(_) => Ok(true),
        Err(e)
            if matches!(
                e.code(),
                ErrorCode::Modified | ErrorCode::Exists | ErrorCode::Locked
            ) =>
        {
            Ok(false)
        }
        Err(e) => Err(e.into()),
    }
}

/// What merging two notes commits gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergedNotes {
    /// The notes commit holding the union: one of the two when the other is its ancestor,
    /// else a new merge commit with both as parents.
    pub commit: ObjectId,
    /// Notes whose text the result changes against `ours`.
    pub changed: usize,
}

/// The union of notes commits `ours` (absent: none) and `theirs`: each note that differs is
/// `merge(ours_text, theirs_text)`. Only subtrees that differ are walked, so the cost follows
/// what changed, not how many notes there are. Writes objects, moves no ref.
pub(super) fn merge(
    repo: &Repository,
    ours: Option<Oid>,
    theirs: Oid,
    merge_text: impl Fn(Option<&[u8]>, &[u8]) -> Vec<u8>,
) -> Result<MergedNotes> {
    let Some(ours) = ours else {
        return Ok(MergedNotes {
            commit: id(theirs),
            changed: count_notes(repo, &repo.find_commit(theirs)?.tree()?)?,
        });
    };
    if ours == theirs || repo.graph_descendant_of(ours, theirs)? {
        return Ok(MergedNotes {
            commit: id(ours),
            changed: 0,
        });
    }
    let (our_commit, their_commit) = (repo.find_commit(ours)?, repo.find_commit(theirs)?);
    let (our_tree, their_tree) = (our_commit.tree()?, their_commit.tree()?);
    let mut ours_found = std::collections::HashMap::new();
    let mut theirs_found = std::collections::HashMap::new();
    differing(
        repo,
        Some(&our_tree),
        Some(&their_tree),
        &mut String::new(),
        &mut ours_found,
        &mut theirs_found,
    )?;
    // Theirs already holds ours: it is the union, and only the notes that differ are counted.
    if repo.graph_descendant_of(theirs, ours)? {
        let changed = theirs_found
            .iter()
            .filter(|(hex, blob)| ours_found.get(*hex) != Some(*blob))
            .count();
        return Ok(MergedNotes {
            commit: id(theirs),
            changed,
        });
    }
    let mut changes: Vec<(String, Oid)> = Vec::new();
    for (hex, their_blob) in &theirs_found {
        let blob = match ours_found.get(hex) {
            Some(our_blob) if our_blob == their_blob => continue,
            Some(our_blob) => {
                let text = |b: Oid| -> Result<Vec<u8>> { Ok(repo.find_blob(b)?.content().to_vec()) };
                let merged = merge_text(Some(&text(*our_blob)?), &text(*their_blob)?);
                let blob = write_blob(repo, &merged)?;
                if blob == *our_blob {
                    continue;
                }
                blob
            }
            None => *their_blob,
        };
        changes.push((hex.clone(), blob));
    }
    changes.sort();
    let tree = repo.find_tree(upsert(repo, Some(&our_tree), &changes)?)?;
    let signature = repo
        .signature()
        .or_else(|_| Signature::now("lineage", "lineage@localhost"))?;
    let commit = repo.commit(
        None,
        &signature,
        &signature,
        "Notes merged by 'lineage'",
        &tree,
        &[&our_commit, &their_commit],
    )?;
    Ok(MergedNotes {
        commit: id(commit),
        changed: changes.len(),
    })
}

/// Collects the notes (full hex → blob) under the entries in which `ours` and `theirs`
/// differ, descending only into fanout subtrees both sides have and that differ.
fn differing(
    repo: &Repository,
    ours: Option<&Tree<'_>>,
    theirs: Option<&Tree<'_>>,
    prefix: &mut String,
    ours_found: &mut std::collections::HashMap<String, Oid>,
    theirs_found: &mut std::collections::HashMap<String, Oid>,
) -> Result<()> {
    let entries = |tree: Option<&Tree<'_>>| -> std::collections::BTreeMap<String, (Oid, Option<ObjectType>)> {
        tree.map(|t| {
            t.iter()
                .filter_map(|e| Some((e.name().ok()?.to_string(), (e.id(), e.kind()))))
                .collect()
        })
        .unwrap_or_default()
    };
    let (mine, yours) = (entries(ours), entries(theirs));
    let names: std::collections::BTreeSet<&String> = mine.keys().chain(yours.keys()).collect();
    for name in names {
        let (a, b) = (mine.get(name), yours.get(name));
        if a.map(|e| e.0) == b.map(|e| e.0) {
            continue;
        }
        let depth = prefix.len();
        prefix.push_str(name);
        let subtree = |e: Option<&(Oid, Option<ObjectType>)>| -> Result<Option<Tree<'_>>> {
            match e {
                Some((oid, Some(ObjectType::Tree))) if is_fanout(name, prefix.len()) => {
                    Ok(Some(repo.find_tree(*oid)?))
                }
                _ => Ok(None),
            }
        };
        let (ta, tb) = (subtree(a)?, subtree(b)?);
        if ta.is_some() && tb.is_some() {
            differing(repo, ta.as_ref(), tb.as_ref(), prefix, ours_found, theirs_found)?;
        } else {
            for (side, found) in [(a, &mut *ours_found), (b, &mut *theirs_found)] {
                collect(repo, side, name, prefix, found)?;
            }
        }
        prefix.truncate(depth);
    }
    Ok(())
}

/// Every note under one tree entry named `name` (a note blob, or a fanout subtree), at path
/// `prefix` (its name included).
fn collect(
    repo: &Repository,
    entry: Option<&(Oid, Option<ObjectType>)>,
    name: &str,
    prefix: &str,
    found: &mut std::collections::HashMap<String, Oid>,
) -> Result<()> {
    match entry {
        Some((blob, Some(ObjectType::Blob))) if ObjectId::from_hex(prefix).is_some() => {
            found.insert(prefix.to_string(), *blob);
        }
        Some((tree, Some(ObjectType::Tree))) if is_fanout(name, prefix.len()) => {
            let mut notes = Vec::new();
            list(repo, &repo.find_tree(*tree)?, &mut prefix.to_string(), &mut notes)?;
            for note in notes {
                found.insert(note.commit.to_hex(), oid(note.blob)?);
            }
        }
        _ => {}
    }
    Ok(())
}

fn count_notes(repo: &Repository, tree: &Tree<'_>) -> Result<usize> {
    let mut notes = Vec::new();
    list(repo, tree, &mut String::new(), &mut notes)?;
    Ok(notes.len())
}

/// Exponential backoff with jitter, so writers that collided do not collide again in step.
pub struct Backoff {
    delay_ms: u64,
    cap_ms: u64,
    seed: u64,
}

impl Backoff {
    /// Pauses up to `first_ms`, doubling up to `cap_ms`.
    pub fn new(first_ms: u64, cap_ms: u64) -> Backoff {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        Backoff {
            delay_ms: first_ms.max(1),
            cap_ms,
            seed: u64::from(nanos) ^ (u64::from(std::process::id()) << 32) | 1,
        }
    }

    /// The next pause: a random time up to the current delay, which then doubles.
    pub fn pause(&mut self) -> std::time::Duration {
        // xorshift64
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        let pause = 1 + self.seed % self.delay_ms;
        self.delay_ms = (self.delay_ms * 2).min(self.cap_ms);
        std::time::Duration::from_millis(pause)
    }
}

/// A note blob to put in a tree, by the commit's hex digits that remain at that level.
type NoteAt = (String, Oid);

/// Writes the tree `tree` with the note blobs of `notes` (each commit's remaining hex digits,
/// sorted) put in place, descending into existing fanout subtrees and splitting crowded levels.
/// Each tree it touches is written once, however many notes land in it.
fn upsert(repo: &Repository, tree: Option<&Tree<'_>>, notes: &[NoteAt]) -> Result<Oid> {
    let mut builder = repo.treebuilder(tree)?;
    let fanned_out = tree.is_some_and(|t| {
        t.iter()
            .any(|e| e.name_bytes().len() == 2 && e.kind() == Some(ObjectType::Tree))
    });
    if fanned_out {
        let (deeper, here): (Vec<&NoteAt>, Vec<&NoteAt>) = notes.iter().partition(|(rest, _)| rest.len() > 2);
        for (rest, blob) in here {
            builder.insert(rest, *blob, FileMode::Blob.into())?;
        }
        for group in deeper.chunk_by(|a, b| a.0[..2] == b.0[..2]) {
            let fanout = &group[0].0[..2];
            let mut below: Vec<NoteAt> = Vec::with_capacity(group.len());
            for (rest, blob) in group {
                // An older, flat note for this commit at this level would shadow nothing but
                // confuse readers: the one in the subtree replaces it.
                if builder.get(rest.as_str())?.is_some() {
                    builder.remove(rest.as_str())?;
                }
                below.push((rest[2..].to_string(), *blob));
            }
            let sub = match tree.and_then(|t| t.get_name(fanout)) {
                Some(e) if e.kind() == Some(ObjectType::Tree) => Some(repo.find_tree(e.id())?),
                _ => None,
            };
            let sub = upsert(repo, sub.as_ref(), &below)?;
            builder.insert(fanout, sub, FileMode::Tree.into())?;
        }
        return Ok(builder.write()?);
    }
    for (rest, blob) in notes {
        builder.insert(rest, *blob, FileMode::Blob.into())?;
    }
    if builder.len() > FANOUT_THRESHOLD && notes.iter().all(|(rest, _)| rest.len() > 2) {
        let flat = repo.find_tree(builder.write()?)?;
        return fan_out(repo, &flat);
    }
    Ok(builder.write()?)
}

/// Moves every note blob of a flat level into two-hex-digit subtrees.
fn fan_out(repo: &Repository, flat: &Tree<'_>) -> Result<Oid> {
    let mut groups: std::collections::BTreeMap<String, Vec<(String, Oid, i32)>> = Default::default();
    let mut root = repo.treebuilder(None)?;
    for entry in flat.iter() {
        let name = entry.name().unwrap_or_default();
        let is_note = entry.kind() == Some(ObjectType::Blob)
            && name.len() > 2
            && name.bytes().all(|b| b.is_ascii_hexdigit());
        if is_note {
            groups.entry(name[..2].to_string()).or_default().push((
                name[2..].to_string(),
                entry.id(),
                entry.filemode(),
            ));
        } else {
            root.insert(entry.name_bytes(), entry.id(), entry.filemode())?;
        }
    }
    for (prefix, notes) in groups {
        let mut sub = repo.treebuilder(None)?;
        for (name, id, mode) in notes {
            sub.insert(name, id, mode)?;
        }
        root.insert(prefix, sub.write()?, FileMode::Tree.into())?;
    }
    Ok(root.write()?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit_ids(n: usize) -> Vec<ObjectId> {
        // Note targets need not exist for the tree layout; spread them over the hex space.
        (0..n)
            .map(|i| format!("{:040x}", (i as u128 + 1) * 0x0f0f_0f0f_0f0f_0f0f_0f0f_0f0f_0f0f))
            .map(|hex| ObjectId::from_hex(&hex).unwrap())
            .collect()
    }

    /// A new repository with a committer identity (notes commits need one).
    fn repository_with_identity() -> (tempfile::TempDir, Repository) {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let mut config = repo.config().unwrap();
        config.set_str("user.name", "t").unwrap();
        config.set_str("user.email", "t@example.com").unwrap();
        (dir, repo)
    }

    #[test]
    fn many_notes_fan_out_like_git_and_read_back() {
        let (dir, repo) = repository_with_identity();
        let ids = commit_ids(600);
        // One at a time for the first half (a level crosses the threshold on its own), then
        // the rest in one transaction.
        for id in &ids[..300] {
            update(&repo, &[*id], |c, _| Some(format!("note of {c}\n").into_bytes())).unwrap();
        }
        update(&repo, &ids[300..], |c, _| {
            Some(format!("note of {c}\n").into_bytes())
        })
        .unwrap();
        let reader = NotesReader::open(&repo).unwrap();
        for id in &ids {
            assert_eq!(reader.read(*id).unwrap().unwrap(), format!("note of {id}\n"));
        }
        let missing = ObjectId::from_hex(&"f".repeat(40)).unwrap();
        assert_eq!(reader.read(missing).unwrap(), None);
        let mut listed: Vec<ObjectId> = reader.list().unwrap().iter().map(|n| n.commit).collect();
        listed.sort();
        let mut expected = ids.clone();
        expected.sort();
        assert_eq!(listed, expected, "iteration finds every note once");
        let root = reader.tree.as_ref().unwrap();
        assert!(root.len() <= FANOUT_THRESHOLD, "the root level is fanned out");
        assert!(
            root.iter()
                .all(|e| e.name_bytes().len() == 2 && e.kind() == Some(ObjectType::Tree))
        );

        // git itself finds every note in that layout.
        let listed = std::process::Command::new("git")
            .args(["notes", "--ref=lineage", "list"])
            .current_dir(dir.path())
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .output()
            .unwrap();
        assert!(listed.status.success());
        let mut objects: Vec<String> = String::from_utf8(listed.stdout)
            .unwrap()
            .lines()
            .map(|l| l.split(' ').nth(1).unwrap().to_string())
            .collect();
        objects.sort();
        assert_eq!(objects, expected.iter().map(ObjectId::to_hex).collect::<Vec<_>>());
    }

    /// Two notes commits that diverged merge into the union of each note's lines, walking
    /// only what differs; a tree nested deeper than any id (from a fetch) holds no note.
    #[test]
    fn diverged_notes_merge_as_the_union() {
        let (_dir, repo) = repository_with_identity();
        let ids = commit_ids(300);
        update(&repo, &ids, |c, _| Some(format!("base {c}\n").into_bytes())).unwrap();
        let base = repo.refname_to_id(NOTES_REF).unwrap();
        update(&repo, &ids[..2], |_, old| {
            Some([old.unwrap(), b"ours\n"].concat())
        })
        .unwrap();
        let ours = repo.refname_to_id(NOTES_REF).unwrap();
        repo.reference(NOTES_REF, base, true, "t").unwrap();
        update(&repo, &ids[1..3], |_, old| {
            Some([old.unwrap(), b"theirs\n"].concat())
        })
        .unwrap();
        let theirs = repo.refname_to_id(NOTES_REF).unwrap();
        let union = |a: Option<&[u8]>, b: &[u8]| {
            let mut all: Vec<&[u8]> = a
                .unwrap_or_default()
                .split(|&c| c == b'\n')
                .chain(b.split(|&c| c == b'\n'))
                .filter(|l| !l.is_empty())
                .collect();
            all.sort();
            all.dedup();
            let mut text = all.join(&b'\n');
            text.push(b'\n');
            text
        };
        let merged = merge(&repo, Some(ours), theirs, union).unwrap();
        assert_eq!(merged.changed, 2);
        repo.reference(NOTES_REF, oid(merged.commit).unwrap(), true, "t")
            .unwrap();
        let reader = NotesReader::open(&repo).unwrap();
        assert!(reader.read(ids[0]).unwrap().unwrap().contains("ours"));
        let both = reader.read(ids[1]).unwrap().unwrap();
        assert!(both.contains("ours") && both.contains("theirs"), "{both}");
        assert!(reader.read(ids[2]).unwrap().unwrap().contains("theirs"));
        assert_eq!(
            merge(&repo, Some(oid(merged.commit).unwrap()), theirs, union)
                .unwrap()
                .changed,
            0
        );

        // A hostile tree: "aa/aa/aa/…" 200 levels deep, on their side only.
        let blob = repo.blob(b"x").unwrap();
        let mut tree = repo.treebuilder(None).unwrap();
        tree.insert("aa", blob, FileMode::Blob.into()).unwrap();
        let mut id = tree.write().unwrap();
        for _ in 0..200 {
            let mut level = repo.treebuilder(None).unwrap();
            level.insert("aa", id, FileMode::Tree.into()).unwrap();
            id = level.write().unwrap();
        }
        let sig = Signature::now("t", "t@example.com").unwrap();
        let deep = repo
            .commit(None, &sig, &sig, "deep", &repo.find_tree(id).unwrap(), &[])
            .unwrap();
        let merged = merge(&repo, Some(theirs), deep, union).unwrap();
        assert_eq!(merged.changed, 0);

        // A note under a four-digit directory is no note to git: it is not merged either.
        let mut sub = repo.treebuilder(None).unwrap();
        sub.insert(&ids[0].to_hex()[4..], blob, FileMode::Blob.into())
            .unwrap();
        let mut root = repo.treebuilder(None).unwrap();
        root.insert(&ids[0].to_hex()[..4], sub.write().unwrap(), FileMode::Tree.into())
            .unwrap();
        let odd = repo
            .commit(
                None,
                &sig,
                &sig,
                "odd",
                &repo.find_tree(root.write().unwrap()).unwrap(),
                &[],
            )
            .unwrap();
        assert_eq!(merge(&repo, Some(theirs), odd, union).unwrap().changed, 0);
    }

    #[test]
    fn update_merges_with_the_existing_note() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let id = ObjectId::from_hex(&"1".repeat(40)).unwrap();
        let append = |line: &'static str| {
            move |_, old: Option<&[u8]>| Some([old.unwrap_or_default(), line.as_bytes(), b"\n"].concat())
        };
        update(&repo, &[id], append("a")).unwrap();
        update(&repo, &[id], append("b")).unwrap();
        let reader = NotesReader::open(&repo).unwrap();
        assert_eq!(reader.read(id).unwrap().unwrap(), "a\nb\n");
    }
}
