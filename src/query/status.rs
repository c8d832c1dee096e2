//! The state of lineage in a repository: are the hooks installed, which AI edits are pending,
//! and what committing the index now would bind. Reads only: nothing is written.

use std::collections::BTreeMap;

use anyhow::Result;
use serde::Serialize;

use crate::engine::{bind, file_diffs, sources_where};
use crate::git::Repo;
use crate::install::hooks;
use crate::store::journal::{Here, Journal};

#[derive(Debug, Serialize)]
pub struct Status {
    pub hooks_dir: String,
    pub hooks: Vec<HookState>,
    pub journal: String,
    /// Entries waiting for a commit, by file.
    pub pending: Vec<FilePending>,
    /// What committing the index now would attribute.
    pub next_commit: Vec<FileBinding>,
    /// Journal lines that could not be read.
    pub damaged: Vec<String>,
    /// Warnings hooks and agents logged (in `log`) since the last commit was made.
    pub logged_warnings: usize,
    pub log: String,
    /// Why the next commit could not be previewed, if it could not.
    #[serde(skip)]
    pub warnings: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct HookState {
    pub name: String,
    pub installed: bool,
}

#[derive(Debug, Serialize)]
pub struct FilePending {
    pub file: String,
    pub entries: Vec<PendingEntry>,
}

#[derive(Debug, Serialize)]
pub struct PendingEntry {
    pub id: String,
    pub tool: String,
    pub model: Option<String>,
    pub recorded_at: String,
    pub status: String,
    pub lines: usize,
    /// Lines it removed or replaced.
    pub deleted: usize,
    /// Lines of it that earlier commits already carry.
    pub committed_lines: usize,
}

#[derive(Debug, Serialize)]
pub struct FileBinding {
    pub file: String,
    pub ai_lines: usize,
    pub modified_lines: usize,
    pub records: Vec<String>,
}

pub fn status(repo: &Repo) -> Result<Status> {
    repo.workdir()?;
    let hooks_dir = repo.hooks_dir();
    let journal = Journal::of(repo);
    let mut loaded = journal.load()?;
    let mut warnings = Vec::new();

    let mut pending: BTreeMap<String, Vec<PendingEntry>> = BTreeMap::new();
    for entry in &loaded.entries {
        pending.entry(entry.file.clone()).or_default().push(PendingEntry {
            id: entry.id.clone(),
            tool: entry.tool.clone(),
            model: entry.model.clone(),
            recorded_at: entry.recorded_at.clone(),
            status: entry.status.as_str().to_string(),
            lines: entry.inserted.lines().count(),
            deleted: entry.deleted,
            committed_lines: entry.progress.used.len(),
        });
    }

    let staged = repo.index_changes().unwrap_or_else(|e| {
        warnings.push(format!("cannot preview the next commit: {e:#}"));
        Vec::new()
    });
    let (mine, _) = loaded.take_worktree_entries(repo);
    let here = Here::of(repo);
    let binding = bind(&file_diffs(staged), &sources_where(&mine, |e| here.recorded(e)));
    let next_commit = binding
        .files
        .iter()
        .map(|f| {
            let mut records: Vec<String> = Vec::new();
            for claim in &f.claims {
                if !records.contains(&mine[claim.entry].id) {
                    records.push(mine[claim.entry].id.clone());
                }
            }
            FileBinding {
                file: f.path.clone(),
                ai_lines: f.claims.len(),
                modified_lines: f.claims.iter().filter(|c| c.modified).count(),
                records,
            }
        })
        .collect();

    let since = repo
        .head()?
        .and_then(|head| repo.commit_summary(head).ok())
        .map_or(i64::MIN, |c| c.committer_time);
    let logged_warnings = std::fs::read_to_string(journal.log_path())
        .unwrap_or_default()
        .lines()
        .filter(|line| {
            line.split_once(' ')
                .and_then(|(at, _)| crate::clock::parse(at))
                .is_some_and(|at| at.timestamp() >= since)
        })
        .count();
    Ok(Status {
        logged_warnings,
        log: journal.log_path().display().to_string(),
        hooks_dir: hooks_dir.display().to_string(),
        hooks: hooks::installed(&hooks_dir)
            .into_iter()
            .map(|(name, installed)| HookState {
                name: name.to_string(),
                installed,
            })
            .collect(),
        journal: journal.root().display().to_string(),
        pending: pending
            .into_iter()
            .map(|(file, entries)| FilePending { file, entries })
            .collect(),
        next_commit,
        damaged: loaded
            .damaged
            .iter()
            .map(|d| {
                format!(
                    "line {} of {} ({})",
                    d.line,
                    journal.entries_path().display(),
                    d.problem
                )
            })
            .collect(),
        warnings,
    })
}
