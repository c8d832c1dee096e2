//! `lineage push [REMOTE]`: send the notes, never forced.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::git::Repo;
use crate::ops::sync::push;
use crate::render;

/// Push refs/notes/lineage to the remote without force. When the remote has notes you do not
/// have, nothing is pushed: `lineage sync` merges them first.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The remote (default: the one `git push` would use, else `origin`).
    remote: Option<String>,
    /// Show what would be pushed, and push nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    let shared = push(&repo, args.remote.as_deref(), args.dry_run, false)?;
    if args.json {
        return render::json(out, &shared);
    }
    super::sync::report(out, &shared, "push")
}
