//! `record`: an AI edit reported by a person or a script becomes a journal entry: the path is
//! checked (inside the work tree, not in a nested repository), the text too (UTF-8, no NUL,
//! not empty, not huge), secrets are redacted, and the entry is appended to the journal.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use anyhow::Result;

use crate::clock;
use crate::engine::place::{self, Located, Written};
use crate::engine::{LineKey, Source, SourceLines, is_trivial, key_to_hex, line_key, short_key_to_hex};
use crate::error::user_error;
use crate::git::Repo;
use crate::ingest::redact::redact;
use crate::install::hooks;
use crate::model::{ChangedFile, Entry, ObjectId, Progress, Status};
use crate::store::journal::Journal;

/// Inserted text larger than this is refused: no edit an agent makes is that big, and hashing
/// it on every commit would be.
pub const MAX_INSERTED_BYTES: usize = 8 << 20;

/// An AI edit as reported, before it becomes an [`Entry`].
#[derive(Debug, Clone)]
pub struct NewEdit {
    /// Path relative to the work tree root, `/`-separated, already checked.
    pub file: String,
    pub inserted: String,
    pub tool: String,
    pub tool_version: Option<String>,
    pub model: Option<String>,
    pub session: Option<String>,
    pub prompt: Option<String>,
    pub status: Status,
    pub user: Option<String>,
    pub source: String,
    /// The work tree it was recorded in ([`Repo::worktree_id`]).
    pub worktree: Option<String>,
    /// The file as it is on disk after the edit, when readable: it locates the edit.
    pub file_text: Option<String>,
    /// Lines of `inserted` the edit kept from what it replaced (see [`Entry::optional`]).
    pub optional: Vec<usize>,
    /// The whole text the edit wrote at its place, and its line where `inserted` starts.
    pub written: Option<crate::ingest::text::Written>,
    /// How many lines the edit removed or replaced.
    pub deleted: usize,
    /// The agent's call that made it (see [`Entry::call`]).
    pub call: Option<String>,
    /// The lines the edit removed or replaced, when known.
    pub removed: Vec<String>,
}

/// The entry for `edit`, redacted and sealed with its id, and the kinds of secret redacted.
pub fn make_entry(edit: NewEdit) -> (Entry, Vec<&'static str>) {
    let mut kinds = Vec::new();
    let mut original_keys = BTreeMap::new();
    let inserted = {
        let redacted = redact(&edit.inserted);
        kinds.extend(&redacted.kinds);
        if !redacted.kinds.is_empty() {
            // Committed lines still hold the secret: keep the original keys of changed lines.
            for (i, (before, after)) in edit.inserted.lines().zip(redacted.text.lines()).enumerate() {
                if before != after {
                    original_keys.insert(i, key_to_hex(&line_key(before)));
                }
            }
        }
        redacted.text.into_owned()
    };
    let located = edit.file_text.as_deref().map_or_else(Located::default, |text| {
        let written = edit.written.as_ref().map(|w| Written {
            text: &w.text,
            first: w.first,
            offset: w.offset,
        });
        place::locate(text, &edit.inserted, written)
    });
    let prompt = edit.prompt.as_deref().map(|p| {
        let redacted = redact(p);
        kinds.extend(&redacted.kinds);
        redacted.text.into_owned()
    });
    let entry = Entry {
        id: String::new(),
        recorded_at: clock::format(clock::now()),
        tool: edit.tool,
        tool_version: edit.tool_version,
        model: edit.model,
        session: edit.session,
        prompt,
        file: edit.file,
        inserted,
        status: edit.status,
        user: edit.user,
        source: edit.source,
        worktree: edit.worktree,
        deleted: edit.deleted,
        anchor: located.place.above.as_ref().map(key_to_hex),
        below: located.place.below.as_ref().map(key_to_hex),
        farther_above: located
            .farther_above
            .iter()
            .map(|&k| short_key_to_hex(k))
            .collect(),
        farther_below: located
            .farther_below
            .iter()
            .map(|&k| short_key_to_hex(k))
            .collect(),
        original_keys,
        optional: edit.optional,
        replaced: replaced_keys(&edit.removed),
        call: edit.call,
        progress: Progress::default(),
    }
    .seal();
    (entry, kinds)
}

/// The keys of the first few non-trivial lines an edit removed: enough to know the block that
/// replaced them in a commit's diff.
fn replaced_keys(removed: &[String]) -> Vec<String> {
    const KEPT: usize = 8;
    removed
        .iter()
        .filter(|l| !is_trivial(l))
        .take(KEPT)
        .map(|l| key_to_hex(&line_key(l)))
        .collect()
}

/// Checks inserted text: UTF-8, not binary, not empty (nor only blank, unless `blank` allows
/// it: an agent's payload says where its blank lines went, a bare text cannot), not huge.
pub fn check_inserted(bytes: Vec<u8>, blank: bool) -> Result<String> {
    if bytes.len() > MAX_INSERTED_BYTES {
        return Err(user_error(
            format!(
                "the inserted text is {} bytes; lineage records at most {MAX_INSERTED_BYTES}",
                bytes.len()
            ),
            "record the edit's inserted lines, not a whole generated artifact",
        ));
    }
    if bytes.contains(&0) {
        return Err(user_error(
            "the inserted text is binary (it contains NUL bytes)",
            "lineage tracks text lines; record only text edits",
        ));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        user_error(
            format!(
                "the inserted text is not valid UTF-8 (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
            "convert the file to UTF-8, or record the text as the editor saved it",
        )
    })?;
    if text.is_empty() || (!blank && text.trim().is_empty()) {
        return Err(user_error(
            "the inserted text is empty",
            "pipe the text the AI inserted on stdin, or pass --code-file <file>",
        ));
    }
    Ok(text)
}

/// Said when an append found the journal's last line torn (a recorder killed mid-write).
pub const TORN_TAIL_WARNING: &str = "the journal's last line was torn (a recorder was killed mid-write); it was moved to the quarantine (lineage/quarantine.jsonl)";

/// What recording an edit did.
#[derive(Debug)]
pub struct Recorded {
    pub entry: Entry,
    pub warnings: Vec<String>,
}

/// How long after a commit a record of lines it already adds counts as late for it.
const LATE_WINDOW_SECS: i64 = 120;

/// The HEAD commit, when it was made moments ago and already adds every non-trivial line of
/// `entry` to its file: the agent's write was committed before its hook recorded it. Checked
/// only when HEAD is that recent, so a `record` pays for no diff otherwise, nor for reading
/// the commit when HEAD has not moved for longer (~0.15 ms of a call).
pub fn late_commit(repo: &Repo, entry: &Entry) -> Option<ObjectId> {
    if repo.head_still_for(std::time::Duration::from_secs(LATE_WINDOW_SECS.unsigned_abs())) {
        return None;
    }
    let head = repo.head().ok()??;
    let summary = repo.commit_summary(head).ok()?;
    let age = clock::now().timestamp() - summary.committer_time;
    if !(0..=LATE_WINDOW_SECS).contains(&age) {
        return None;
    }
    let changes = repo
        .diff_of_paths(summary.parent, head, Some(&[entry.file.as_str()]))
        .ok()?;
    let added: HashSet<LineKey> = changes
        .iter()
        .flat_map(ChangedFile::added)
        .map(|l| line_key(&l.text))
        .collect();
    let lines = SourceLines::of(&Source::from_entry(entry));
    let required: Vec<LineKey> = lines.required().map(|i| lines.lines[i].key).collect();
    if required.is_empty() || !required.iter().all(|k| added.contains(k)) {
        return None;
    }
    // The agent's own copy still uncommitted in the work tree is what a later commit will bind:
    // the lines in HEAD are then someone else's.
    let waiting: HashSet<LineKey> = repo
        .uncommitted_changes(&[entry.file.as_str()])
        .ok()?
        .iter()
        .flat_map(ChangedFile::added)
        .map(|l| line_key(&l.text))
        .collect();
    if required.iter().any(|k| waiting.contains(k)) {
        return None;
    }
    Some(head)
}

/// Appends `edit` to the journal of `repo`.
pub fn record(repo: &Repo, edit: NewEdit) -> Result<Recorded> {
    let (mut entry, redacted) = make_entry(edit);
    entry.progress.late = late_commit(repo, &entry);
    let journal = Journal::of(repo);
    let appended = journal.append(&entry).map_err(|e| {
        user_error(
            format!("cannot write to the journal: {e:#}"),
            format!("check that {} is writable", journal.root().display()),
        )
    })?;
    let mut warnings = Vec::new();
    if appended.torn_tail_quarantined {
        warnings.push(TORN_TAIL_WARNING.to_string());
    }
    if !redacted.is_empty() {
        warnings.push(format!(
            "redacted {} secret(s) before recording: {}",
            redacted.len(),
            redacted.join(", ")
        ));
    }
    if hooks::installed(&repo.hooks_dir())
        .iter()
        .any(|(_, present)| !present)
    {
        warnings.push(
            "lineage's git hooks are not installed here, so commits will not be bound; run `lineage init`"
                .into(),
        );
    }
    Ok(Recorded { entry, warnings })
}

/// The file an edit names (relative to `base`, or absolute) as a path in the work tree, and
/// its text when it exists and is small enough to search (where the edit sits in it is the
/// entry's anchor). Paths outside the work tree, in a nested repository, or naming a
/// directory are refused.
pub fn locate(repo: &Repo, base: &Path, path: &Path) -> Result<(String, Option<String>)> {
    let file = repo.relative_path(base, path)?;
    if repo.in_nested_repository(&file) {
        return Err(user_error(
            format!(
                "{} belongs to another repository (a submodule or nested clone)",
                path.display()
            ),
            "record it in that repository: run lineage from inside it",
        ));
    }
    let full = repo.workdir()?.join(&file);
    if full.is_dir() {
        return Err(user_error(
            format!("{} is a directory", path.display()),
            "pass the path of the file the AI edited",
        ));
    }
    // Reading a FIFO or a device would hang or never end: only regular files (or files not
    // written yet) are edits.
    if let Ok(meta) = std::fs::metadata(&full)
        && !meta.is_file()
    {
        return Err(user_error(
            format!("{} is not a regular file", path.display()),
            "lineage records edits of regular files only",
        ));
    }
    let small = std::fs::metadata(&full).is_ok_and(|m| m.len() <= MAX_INSERTED_BYTES as u64);
    let text = small.then(|| std::fs::read_to_string(&full).ok()).flatten();
    Ok((file, text))
}
