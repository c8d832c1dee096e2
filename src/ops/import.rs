//! `import aider|trailers [RANGE]`: provenance for commits made without lineage's hooks, from
//! the marks AI tools leave on commits, written as commit-level records in one notes update.

use std::collections::HashSet;

use anyhow::Result;
use chrono::DateTime;
use serde::Serialize;

use crate::clock;
use crate::engine::compose::commit_level_records;
use crate::git::Repo;
use crate::ingest::trailers;
use crate::model::{CommitEvidence, NoteRecord, ObjectId, SeenRecord};
use crate::store::notes::Transaction;

/// Which marks to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    /// aider's own: `Name (aider)` authors, `Co-authored-by: aider (<model>)`.
    Aider,
    /// Agents' co-author and `Assisted-by` trailers.
    Trailers,
}

impl Marks {
    pub fn name(self) -> &'static str {
        match self {
            Marks::Aider => "aider",
            Marks::Trailers => "trailers",
        }
    }
}

/// One commit attributed at commit level.
#[derive(Debug, Serialize)]
pub struct Imported {
    pub commit: ObjectId,
    pub tool: String,
    pub model: Option<String>,
    pub files: usize,
    pub lines: usize,
    /// Whether its note gained lines now (a second import of the same range adds none).
    pub new: bool,
}

/// Attributes the commits of `range` that carry `marks`.
/// `progress` hears (commits looked at, commits in the range).
pub fn import(
    repo: &Repo,
    marks: Marks,
    range: &str,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<Imported>> {
    let mut imported = Vec::new();
    let mut notes = Transaction::new();
    let commits = repo.rev_list(range)?;
    for (done, commit) in commits.iter().copied().enumerate() {
        progress(done, commits.len());
        let summary = repo.commit_summary(commit)?;
        // A merge's diff against its first parent is the other branch's work, not its own.
        if summary.parent_count > 1 {
            continue;
        }
        let evidence: Option<CommitEvidence> = match marks {
            Marks::Aider => trailers::aider(&summary.author, &summary.committer, &summary.message),
            Marks::Trailers => trailers::agent_trailers(&summary.message),
        };
        let Some(evidence) = evidence else { continue };
        let files = repo.commit_diff(commit)?;
        let recorded_at = DateTime::from_timestamp(summary.author_time, 0)
            .map(clock::format)
            .unwrap_or_default();
        let mut records = commit_level_records(marks.name(), commit, &recorded_at, &evidence, &files);
        if records.is_empty() {
            continue;
        }
        let edited_files = records.len();
        records.push(NoteRecord::Seen(SeenRecord { by: "import".into() }));
        notes.add(commit, &records);
        imported.push(Imported {
            commit,
            tool: evidence.tool,
            model: evidence.model,
            files: edited_files,
            lines: files.iter().map(|f| f.added().count()).sum(),
            new: false,
        });
    }
    progress(commits.len(), commits.len());
    // What the notes gained: a second import of the same range adds nothing.
    let changed: HashSet<ObjectId> = notes.commit(repo)?.into_iter().collect();
    for found in &mut imported {
        found.new = changed.contains(&found.commit);
    }
    Ok(imported)
}
