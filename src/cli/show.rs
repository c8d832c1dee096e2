//! `lineage show`: the provenance recorded for one commit.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::query::show::commit_provenance;
use crate::render;

/// Show the provenance recorded for a commit, or for each commit of a range.
///
/// The files and lines AI wrote, with tools, models, prompts and outcomes; the AI edits that
/// were rejected or discarded instead of committed; and reviews.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commit (default: HEAD), or a range (`main..topic`, `HEAD~5..`), oldest first.
    #[arg(default_value = "HEAD")]
    rev: String,
    /// Print every prompt whole (the tables show its first 60 characters).
    #[arg(long)]
    full: bool,
    /// Print JSON instead of tables (`{"schema":1,"commits":[…]}` for a range).
    #[arg(long)]
    json: bool,
}

impl Args {
    /// Whether the output is the text people read (the one a pager takes).
    pub fn is_human(&self) -> bool {
        !self.json
    }
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let range = args.rev.contains("..");
    let mut commits = match range {
        true => repo.rev_list(&args.rev)?,
        false => vec![repo.resolve_commit(&args.rev)?],
    };
    commits.reverse();
    let mut views = Vec::with_capacity(commits.len());
    for commit in commits {
        let view = commit_provenance(&repo, commit)?;
        if view.skipped_lines > 0 {
            super::warn(format_args!(
                "skipped {} line(s) of the note on {} that are not lineage v1 records",
                view.skipped_lines,
                commit.abbrev(12)
            ));
        }
        views.push(view);
    }
    if args.json {
        return match range {
            true => render::json_list(out, "commits", &views),
            false => render::json(out, &views[0]),
        };
    }
    if views.is_empty() {
        writeln!(out, "No commits in {}.", render::escape(&args.rev))?;
    }
    for (i, view) in views.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        render::show(out, view, args.full)?;
    }
    Ok(())
}
