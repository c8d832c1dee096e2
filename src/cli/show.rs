//! `lineage show`: the provenance recorded for one commit.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::git::Repo;
use crate::model::{NoteRecord, ParsedNote};
use crate::render::{self, ShowView};

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
    let summary = repo.commit_summary(&commit)?;
    let note = repo
        .notes()?
        .read(&commit)?
        .map(|t| ParsedNote::parse(&t))
        .unwrap_or_default();
    if note.skipped > 0 {
        super::warn(format_args!(
            "skipped {} line(s) of the note on {} that are not lineage v1 records",
            note.skipped,
            &commit[..12]
        ));
    }
    let mut view = ShowView {
        commit,
        summary: summary.summary,
        author: summary.author,
        committer: summary.committer,
        edits: Vec::new(),
        settled: Vec::new(),
        prompts: Vec::new(),
        reviews: Vec::new(),
        skipped_lines: note.skipped,
    };
    for record in note.records {
        match record {
            NoteRecord::Edit(e) => view.edits.push(e),
            NoteRecord::Settled(s) => view.settled.push(s),
            NoteRecord::Prompt(p) => view.prompts.push(p),
            NoteRecord::Review(r) => view.reviews.push(r),
        }
    }
    view.edits
        .sort_by(|a, b| (&a.file, &a.ranges).cmp(&(&b.file, &b.ranges)));
    if args.json {
        render::json(out, &view)
    } else {
        render::show(out, &view)
    }
}
