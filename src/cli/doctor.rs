//! `lineage doctor`: check what lineage needs, and say what to do.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::error::user_error;
use crate::ops::doctor::{Level, doctor};
use crate::render;

/// Check this repository's provenance setup: git hooks (installed, chained, replaced by a hook
/// manager), notes (the ref, refspecs that would overwrite it, old rewrite settings, notes not
/// pushed), the journal (pending, expiring, stranded and quarantined edits, logged warnings)
/// and the agents wired to lineage.
///
/// Exits with 1 when something is broken. `--fix` applies the fixes that cannot lose anything:
/// installing lineage's hooks and removing an old `notes.rewriteRef`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Apply the safe fixes.
    #[arg(long)]
    fix: bool,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = super::open_repo(cwd)?;
    let binary = std::env::current_exe().context("cannot locate the lineage binary")?;
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    let found = doctor(&repo, args.fix, &binary, home.as_deref())?;
    if args.json {
        render::json_list(out, "findings", &found)?;
    } else {
        for f in &found {
            let level = match (f.level, f.fixed) {
                (_, true) => "fixed",
                (Level::Ok, _) => "ok",
                (Level::Warn, _) => "warn",
                (Level::Error, _) => "error",
            };
            writeln!(out, "{level:<6}{:<9}{}", f.check, render::escape(&f.message))?;
            if let (Some(hint), false) = (&f.hint, f.fixed) {
                writeln!(out, "{:<15}hint: {}", "", render::escape(hint))?;
            }
        }
    }
    let broken = found
        .iter()
        .filter(|f| f.level == Level::Error && !f.fixed)
        .count();
    if broken > 0 {
        out.flush()?;
        return Err(user_error(
            format!("{broken} problem(s) stand between this repository and complete provenance"),
            "follow the hints above; `lineage doctor --fix` applies the safe fixes",
        ));
    }
    Ok(())
}
