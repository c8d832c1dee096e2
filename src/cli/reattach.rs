//! `lineage reattach --from <commits> --onto <commits>`: provenance for commits made without
//! hooks from commits that have it.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::ops::carry::reattach;
use crate::render;

/// Carry AI provenance onto commits made without lineage's hooks from the commits they came
/// from: a server-side "Squash and merge" or "Rebase and merge", a patch a bot applied.
///
/// Each commit of --onto has its added lines bound, by content, against the notes of the
/// commits of --from; lines no note covers stay human. Running it again writes nothing.
///
/// Examples:
///   lineage reattach --from origin/feature --onto main        (a squash merge, now main's tip)
///   lineage reattach --from feature --onto main~3..main       (a rebase and merge)
#[derive(Debug, clap::Args)]
#[command(verbatim_doc_comment)]
pub struct Args {
    /// The commits that hold the provenance: a range (`main..feature`),
    /// or a branch whose commits not in --onto's history are taken.
    /// May be given more than once.
    #[arg(long, required = true, value_name = "COMMITS")]
    from: Vec<String>,
    /// The commit, or range of commits (`main~3..main`), to attribute.
    #[arg(long, value_name = "COMMITS")]
    onto: String,
    /// Show what would be written, and write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let progress = super::Progress::new("reattaching", 10);
    let carried = reattach(&repo, &args.from, &args.onto, args.dry_run, |done, total| {
        progress.update(done, total)
    })?;
    drop(progress);
    if args.json {
        return render::json_list(out, "commits", &carried);
    }
    let verb = if args.dry_run { "would bind" } else { "bound" };
    for c in &carried {
        let summary = repo.commit_summary(c.commit)?;
        let note = match (c.lines, c.changes) {
            (0, _) => "no AI line of the given commits found".to_string(),
            (_, false) => format!("{} AI lines, already in its note", c.lines),
            (n, true) => format!("{verb} {n} AI lines"),
        };
        writeln!(
            out,
            "{} {}: {note}; {} lines of their records not found",
            c.commit.abbrev(12),
            render::escape(&summary.summary),
            c.unmatched
        )?;
    }
    let written = carried.iter().filter(|c| c.changes).count();
    match (written, args.dry_run) {
        (0, _) => writeln!(out, "Nothing to write.")?,
        (n, true) => writeln!(out, "Would write {n} notes (dry run: nothing written).")?,
        (n, false) => writeln!(out, "Wrote {n} notes.")?,
    }
    Ok(())
}
