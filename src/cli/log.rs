//! `lineage log`: commits with their AI share, tools and models, and review status.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::model::ReviewRecord;
use crate::query::history::{self, CommitFacts, Figures, review_status};
use crate::render;

/// Commits with their AI share, tools and models, and review verdict.
///
/// Commits, newest first, like `git log --oneline` with provenance: the share of the lines each
/// added that AI wrote (`?` when lineage never saw the commit), AI lines over all added lines,
/// the tools and models, and the latest review verdict.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commits (default: HEAD's history): `main..topic`, `HEAD~20..`, a revision.
    range: Option<String>,
    /// Only commits touching these paths, and only their lines.
    #[arg(last = true, value_name = "PATHS")]
    paths: Vec<String>,
    /// Print JSON (docs/json.md): `{"schema":1,"commits":[{"commit",…}]}`.
    #[arg(long)]
    json: bool,
}

impl Args {
    pub fn is_human(&self) -> bool {
        !self.json
    }
}

#[derive(Serialize)]
struct LogEntry<'a> {
    commit: String,
    author: &'a str,
    author_time: i64,
    date: String,
    summary: &'a str,
    seen: bool,
    #[serde(flatten)]
    figures: Figures,
    tools: Vec<ToolLines<'a>>,
    review: Option<&'a ReviewRecord>,
}

#[derive(Serialize)]
struct ToolLines<'a> {
    tool: &'a str,
    model: Option<&'a str>,
    lines: u64,
}

fn entry(commit: &CommitFacts) -> LogEntry<'_> {
    let mut tools: Vec<ToolLines<'_>> = Vec::new();
    for share in commit.files.iter().flat_map(|f| &f.ai) {
        let lines = u64::from(share.accepted + share.modified);
        match tools
            .iter_mut()
            .find(|t| t.tool == share.tool && t.model == share.model.as_deref())
        {
            Some(t) => t.lines += lines,
            None => tools.push(ToolLines {
                tool: &share.tool,
                model: share.model.as_deref(),
                lines,
            }),
        }
    }
    LogEntry {
        commit: commit.commit.to_hex(),
        author: &commit.author,
        author_time: commit.author_time,
        date: history::day(commit.author_time),
        summary: &commit.summary,
        seen: commit.seen,
        figures: commit.tally().into(),
        tools,
        review: review_status(&commit.reviews),
    }
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let paths = super::repo_paths(&repo, cwd, &args.paths)?;
    let ignore = super::ignored_paths(&repo, &[])?;
    let facts = history::commits(&repo, args.range.as_deref(), &paths, &ignore, &mut |_, _| {})?;
    if args.json {
        let entries: Vec<LogEntry<'_>> = facts.iter().map(entry).collect();
        return render::json_list(out, "commits", &entries);
    }
    render::history::log(out, &facts)
}
