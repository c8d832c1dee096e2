//! `lineage import aider|trailers [RANGE]`: provenance for commits made without lineage's
//! hooks, from the marks AI tools leave on commits.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use chrono::DateTime;
use serde::Serialize;

use crate::adapters::trailers::{self, Evidence};
use crate::clock;
use crate::git::Repo;
use crate::notes::{commit_level_records, union};
use crate::render;

/// Attribute the added lines of commits an AI tool marked, as commit-level evidence.
///
/// `aider`: commits whose author or committer is `Name (aider)`, or that carry a
/// `Co-authored-by: aider (<model>)` trailer. `trailers`: commits with an agent's trailer
/// (`Co-Authored-By: Claude …`, `Co-authored-by: Codex …`, `Assisted-by: AGENT:MODEL`). Every
/// line such a commit added is recorded in its note with `"evidence": "commit"`, which blame
/// shows as `commit-level`: the commit says an AI took part, not which lines it wrote.
/// Running it again changes nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[arg(value_enum)]
    source: Source,
    /// The commits to look at, as git names them (`main..topic`, `HEAD~50..`); default: all
    /// of HEAD's history.
    #[arg(default_value = "HEAD")]
    range: String,
    /// Print JSON instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Source {
    Aider,
    Trailers,
}

#[derive(Serialize)]
struct Imported {
    commit: String,
    tool: String,
    model: Option<String>,
    files: usize,
    lines: usize,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    let source = match args.source {
        Source::Aider => "aider",
        Source::Trailers => "trailers",
    };
    let mut imported = Vec::new();
    for commit in repo.rev_list(&args.range)? {
        let summary = repo.commit_summary(&commit)?;
        // A merge's diff against its first parent is the other branch's work, not its own.
        if summary.parent_count > 1 {
            continue;
        }
        let evidence: Option<Evidence> = match args.source {
            Source::Aider => trailers::aider(&summary.author, &summary.committer, &summary.message),
            Source::Trailers => trailers::agent_trailers(&summary.message),
        };
        let Some(evidence) = evidence else { continue };
        let files = repo.commit_diff(&commit)?;
        let recorded_at = DateTime::from_timestamp(summary.author_time, 0)
            .map(clock::format)
            .unwrap_or_default();
        let records = commit_level_records(source, &commit, &recorded_at, &evidence, &files);
        if records.is_empty() {
            continue;
        }
        let lines: Vec<String> = records.iter().map(|r| r.to_line()).collect();
        repo.update_note(&commit, |existing| union(existing, &lines))?;
        imported.push(Imported {
            commit,
            tool: evidence.tool,
            model: evidence.model,
            files: records.len(),
            lines: files.iter().map(|f| f.added_lines().count()).sum(),
        });
    }
    if args.json {
        return render::json(out, &imported);
    }
    if imported.is_empty() {
        writeln!(out, "No commits in {} carry {source} marks.", args.range)?;
        return Ok(());
    }
    let rows = imported
        .iter()
        .map(|i| {
            vec![
                i.commit[..12].to_string(),
                match &i.model {
                    Some(model) => format!("{}/{model}", i.tool),
                    None => i.tool.clone(),
                },
                i.files.to_string(),
                i.lines.to_string(),
            ]
        })
        .collect();
    render::rows(out, &["commit", "tool/model", "files", "lines"], rows)?;
    writeln!(out, "{} commit(s) attributed at commit level.", imported.len())?;
    Ok(())
}
