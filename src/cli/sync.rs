//! `lineage sync [REMOTE]`: fetch, merge and push lineage's notes.

use std::io::Write;
use std::path::Path;

use anyhow::Result;

use crate::git::Repo;
use crate::ops::sync::{Shared, sync};
use crate::render;

/// Share notes both ways: fetch the remote's notes, merge them with yours (per commit, the
/// union of lines: nothing is lost), and push the union without force.
///
/// When someone pushes notes in between, the push is rejected; sync then fetches, merges and
/// pushes again, a few times, before it gives up with the local notes unchanged.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(flatten)]
    sharing: Sharing,
}

/// What `fetch`, `push` and `sync` take.
#[derive(Debug, clap::Args)]
pub struct Sharing {
    /// The remote (default: the one git would use: the branch's push or fetch remote, else
    /// `origin`, else the only one).
    remote: Option<String>,
    /// Show what would move, and change nothing.
    #[arg(long)]
    dry_run: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

/// Which way notes travel: what the report speaks of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Fetch,
    Push,
    Both,
}

impl Direction {
    fn fetches(self) -> bool {
        self != Direction::Push
    }

    fn pushes(self) -> bool {
        self != Direction::Fetch
    }
}

impl Sharing {
    /// Runs `op` in the repository at `cwd` and prints what it did.
    pub fn run(
        &self,
        cwd: &Path,
        what: Direction,
        op: impl FnOnce(&Repo, Option<&str>, bool) -> Result<Shared>,
        out: &mut dyn Write,
    ) -> Result<()> {
        let repo = super::open_repo(cwd)?;
        let shared = op(&repo, self.remote.as_deref(), self.dry_run)?;
        if self.json {
            return render::json(out, &shared);
        }
        report(out, &shared, what)
    }
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    args.sharing.run(cwd, Direction::Both, sync, out)
}

/// The lines `fetch`, `push` and `sync` print.
fn report(out: &mut dyn Write, shared: &Shared, what: Direction) -> Result<()> {
    let remote = render::escape(&shared.remote);
    if shared.dry_run {
        let theirs = shared.remote_notes.map_or("no lineage notes".to_string(), |c| {
            format!("notes at {}", c.abbrev(12))
        });
        writeln!(out, "{remote} has {theirs}")?;
        if what.pushes() {
            let verb = if shared.pushed {
                "would push"
            } else {
                "nothing to push"
            };
            writeln!(out, "{verb} (dry run: nothing changed)")?;
        }
        return Ok(());
    }
    if shared.remote_notes.is_none() && !shared.pushed {
        writeln!(out, "{remote} has no lineage notes yet")?;
        return Ok(());
    }
    if what.fetches() {
        match shared.merged {
            0 => writeln!(out, "fetched from {remote}: nothing new")?,
            1 => writeln!(
                out,
                "fetched from {remote}: 1 note merged into refs/notes/lineage"
            )?,
            n => writeln!(
                out,
                "fetched from {remote}: {n} notes merged into refs/notes/lineage"
            )?,
        }
    }
    if what.pushes() {
        match (shared.pushed, shared.attempts) {
            (false, _) => writeln!(out, "{remote} is up to date")?,
            (true, 1) => writeln!(out, "pushed refs/notes/lineage to {remote}")?,
            (true, n) => writeln!(
                out,
                "pushed refs/notes/lineage to {remote} (after {} rejected pushes: others pushed first)",
                n - 1
            )?,
        }
    }
    Ok(())
}
