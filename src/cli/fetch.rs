//! `lineage fetch [REMOTE]`: bring a remote's notes in and merge them.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::git::Repo;
use crate::ops::sync::fetch;
use crate::render;

/// Fetch the remote's lineage notes into refs/notes/remotes/<remote>/lineage and merge them
/// into refs/notes/lineage (per commit, the union of lines: nothing of yours is overwritten).
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The remote (default: the current branch's, else `origin`).
    remote: Option<String>,
    /// Show what the remote has, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    let shared = fetch(&repo, args.remote.as_deref(), args.dry_run)?;
    if args.json {
        return render::json(out, &shared);
    }
    super::sync::report(out, &shared, "fetch")
}
