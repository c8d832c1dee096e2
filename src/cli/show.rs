//! `lineage show`: the provenance recorded for one commit.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::git::Repo;
use crate::query::show::commit_provenance;
use crate::render;

/// Show the provenance recorded for a commit.
///
/// The files and lines AI wrote, with tools, models, prompts and outcomes; the AI edits that
/// were rejected or discarded instead of committed; and reviews.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The commit (default: HEAD).
    #[arg(default_value = "HEAD")]
    rev: String,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    let commit = repo.resolve_commit(&args.rev)?;
    let view = commit_provenance(&repo, commit)?;
    if view.skipped_lines > 0 {
        super::warn(format_args!(
            "skipped {} line(s) of the note on {} that are not lineage v1 records",
            view.skipped_lines,
            commit.abbrev(12)
        ));
    }
    if args.json {
        render::json(out, &view)
    } else {
        render::show(out, &view)
    }
}
