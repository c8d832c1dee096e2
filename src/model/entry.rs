//! A journal entry: one recorded AI edit waiting to be committed (DESIGN §2.1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::ObjectId;
use super::note::canonical_json;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// The agent wrote the edit to disk.
    #[default]
    Applied,
    /// The agent or the user declined it; it is settled as `rejected` at the next commit.
    Rejected,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Applied => "applied",
            Status::Rejected => "rejected",
        }
    }
}

/// One recorded AI edit. Everything but `progress` is fixed at record time; `id` is the sha256
/// of the recorded fields (all but `id`, `progress` and `worktree`) in canonical JSON.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub id: String,
    pub recorded_at: String,
    pub tool: String,
    pub tool_version: Option<String>,
    pub model: Option<String>,
    pub session: Option<String>,
    /// The user's prompt, secret-redacted.
    pub prompt: Option<String>,
    /// Path relative to the work tree root, `/`-separated.
    pub file: String,
    /// The text the AI inserted, secret-redacted.
    pub inserted: String,
    pub status: Status,
    /// `Name <email>` of the git user who drove the agent.
    pub user: Option<String>,
    /// `cli`, or the adapter that read the agent's payload.
    pub source: String,
    /// The work tree the edit was recorded in: only commits made there bind it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub worktree: Option<String>,
    /// How many lines the edit removed or replaced (provenance too: an edit may only delete).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub deleted: usize,
    /// Line key (hex) of the nearest non-trivial line above the inserted text in the file when
    /// it was recorded: with `below`, the edit's place, which tells the AI's copy of a line from
    /// a human's identical one, and shows an edit undone where it was made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub anchor: Option<String>,
    /// Line key (hex) of the nearest non-trivial line below the inserted text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub below: Option<String>,
    /// Short line keys (the first 16 hex digits) of the non-trivial lines beyond `anchor`, going
    /// up, nearest first (a few): they tell the edit's place from look-alike places that differ
    /// a few lines away.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub farther_above: Vec<String>,
    /// Short line keys of the non-trivial lines beyond `below`, going down, nearest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub farther_below: Vec<String>,
    /// Line keys (hex) of the lines redaction changed, by line index: committed lines still hold
    /// the original text, so binding must match the original's key.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub original_keys: BTreeMap<usize, String>,
    /// Lines of `inserted` (by index) the edit kept from what it replaced, between lines it
    /// changed: they may bind along with the changed ones, never alone, and the edit is
    /// complete without them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub optional: Vec<usize>,
    /// Line keys (hex) of the first non-trivial lines the edit removed or replaced: the commit's
    /// diff removes them where the edit's lines were added, even after a person changed the
    /// lines around the edit's place.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaced: Vec<String>,
    /// The agent's call that made the edit: a digest of its hook payload and the edit's index
    /// in it: two calls making the same edit at look-alike places in the same second are two
    /// entries, not one id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call: Option<String>,
    #[serde(default, skip_serializing_if = "Progress::is_empty")]
    pub progress: Progress,
}

/// What earlier commits already took from an entry (a partial commit, `git add -p`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Indices of inserted lines already committed (verbatim or modified).
    pub used: Vec<usize>,
    /// The subset of `used` that was committed after a human edit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modified: Vec<usize>,
    /// Commits that carry part of this entry.
    pub commits: Vec<ObjectId>,
    /// A commit made moments before the edit was recorded that already adds its lines (the
    /// agent wrote the file, someone committed it, then the agent's hook recorded): the next
    /// hook run binds the entry to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub late: Option<ObjectId>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Progress {
    pub fn is_empty(&self) -> bool {
        self.used.is_empty() && self.commits.is_empty() && self.late.is_none()
    }
}

impl Entry {
    /// The content-derived id of this entry's recorded fields.
    pub fn compute_id(&self) -> String {
        let mut value = serde_json::to_value(self).expect("an entry serialises");
        let fields = value.as_object_mut().expect("an entry is an object");
        // Local bookkeeping, not what was recorded: the same edit has the same id anywhere.
        for local in ["id", "progress", "worktree"] {
            fields.remove(local);
        }
        hex(&Sha256::digest(canonical_json(&value).as_bytes()))
    }

    /// Sets `id` from the content; call once all recorded fields are final.
    pub fn seal(mut self) -> Self {
        self.id = self.compute_id();
        self
    }

    /// An edit that removed lines and inserted none: it binds no line, and is settled by the
    /// commit that removes them at its place.
    pub fn deletes_only(&self) -> bool {
        self.inserted.is_empty() && self.deleted > 0
    }

    /// The first 12 characters of the id (a journal edited by hand may hold any text).
    pub fn short_id(&self) -> String {
        self.id.chars().take(12).collect()
    }

    /// The id of the prompt as notes store it, or `None` when there is no prompt.
    pub fn prompt_id(&self) -> Option<String> {
        self.prompt.as_deref().map(prompt_id)
    }
}

/// sha256 hex of a (redacted) prompt text: how note `prompt` records and `edit` records link.
pub fn prompt_id(text: &str) -> String {
    hex(&Sha256::digest(text.as_bytes()))
}

pub fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        out.push(DIGITS[usize::from(b >> 4)] as char);
        out.push(DIGITS[usize::from(b & 0xf)] as char);
    }
    out
}
