//! `lineage push [REMOTE]`: send the notes, never forced.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::ops::sync::push;

/// Push refs/notes/lineage to the remote without force. When the remote has notes you do not
/// have, nothing is pushed: `lineage sync` merges them first.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    sharing: super::sync::Sharing,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    args.sharing.run(
        cwd,
        super::sync::Direction::Push,
        |repo, remote, dry_run| push(repo, remote, dry_run, false),
        out,
    )
}
