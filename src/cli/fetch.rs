//! `lineage fetch [REMOTE]`: bring a remote's notes in and merge them.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::ops::sync::fetch;

/// Fetch the remote's lineage notes into refs/notes/remotes/<remote>/lineage and merge them
/// into refs/notes/lineage (per commit, the union of lines: nothing of yours is overwritten).
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    sharing: super::sync::Sharing,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    args.sharing.run(cwd, super::sync::Direction::Fetch, fetch, out)
}
