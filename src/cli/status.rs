//! `lineage status`: are the hooks installed, what is pending, what would the next commit bind.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::query::status::status;
use crate::render;

/// Show the hooks, the pending AI edits, and what the next commit would bind.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let view = status(&repo)?;
    for warning in &view.warnings {
        super::warn(warning);
    }
    if args.json {
        render::json(out, &view)
    } else {
        render::status(out, &view)
    }
}
