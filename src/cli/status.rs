//! `lineage status`: are the hooks installed, what is pending, what would the next commit bind.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::binding::bind;
use crate::git::Repo;
use crate::install;
use crate::render::{self, EntryView, FileBindingView, FileEntriesView, HookView, StatusView};

/// Show the hooks, the pending AI edits, and what the next commit would bind.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    repo.workdir()?;
    let hooks_dir = repo.hooks_dir();
    let journal = repo.journal();
    let mut loaded = journal.load()?;

    let mut pending: BTreeMap<String, Vec<EntryView>> = BTreeMap::new();
    for entry in &loaded.entries {
        pending.entry(entry.file.clone()).or_default().push(EntryView {
            id: entry.id.clone(),
            tool: entry.tool.clone(),
            model: entry.model.clone(),
            recorded_at: entry.recorded_at.clone(),
            status: entry.status.as_str().to_string(),
            lines: entry.inserted.lines().count(),
            committed_lines: entry.progress.used.len(),
        });
    }

    let staged = repo.index_changes().unwrap_or_else(|e| {
        super::warn(format_args!("cannot preview the next commit: {e:#}"));
        Vec::new()
    });
    let (mine, _) = loaded.take_worktree_entries(&repo.worktree_id());
    let binding = bind(&staged, &mine);
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
            FileBindingView {
                file: f.path.clone(),
                ai_lines: f.claims.len(),
                modified_lines: f.claims.iter().filter(|c| c.modified).count(),
                records,
            }
        })
        .collect();

    let view = StatusView {
        hooks_dir: hooks_dir.display().to_string(),
        hooks: install::installed(&hooks_dir)
            .into_iter()
            .map(|(name, installed)| HookView {
                name: name.to_string(),
                installed,
            })
            .collect(),
        journal: journal.root().display().to_string(),
        pending: pending
            .into_iter()
            .map(|(file, entries)| FileEntriesView { file, entries })
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
    };
    if args.json {
        render::json(out, &view)
    } else {
        render::status(out, &view)
    }
}
