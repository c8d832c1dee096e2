//! `lineage repair`: recover provenance the hooks did not finish writing.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::ops::commit;

/// Write the notes the hooks missed: commits whose post-commit was killed, or that were made
/// without the hooks (a GUI client, a `core.hooksPath` override).
///
/// The commits of the current branch since the last one the hooks finished are settled, oldest
/// first: from the plan prepare-commit-msg saved when there is one, else by binding the pending AI edits
/// to the commit's added lines. The hooks do the same on their own at the next commit.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub fn run(cwd: &Path, _args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let report = commit::repair(&repo)?;
    for warning in &report.warnings {
        super::warn(warning);
    }
    if report.repaired.is_empty() {
        writeln!(out, "Nothing to repair: the hooks finished every commit.")?;
    }
    for repaired in &report.repaired {
        let summary = repo.commit_summary(*repaired)?;
        writeln!(
            out,
            "repaired {} {}",
            repaired.abbrev(12),
            crate::render::escape(&summary.summary)
        )?;
    }
    Ok(())
}
