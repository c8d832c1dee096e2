//! `lineage init`: create the journal and install the git hooks (or remove them).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::git::Repo;
use crate::install::{self, Installed, Removed};

/// Set up lineage in this repository: the journal and the git hooks.
///
/// Creates the journal and installs the pre-commit and post-commit hooks.
/// Existing hooks keep working: lineage adds its lines to a shell hook (between
/// `# >>> lineage >>>` markers) or chains a non-shell hook. `core.hooksPath` is honoured.
/// Running it again changes nothing; `--uninstall` removes exactly what it added.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Remove lineage's hooks. Pending journal entries and notes are kept.
    #[arg(long)]
    uninstall: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    repo.workdir()?;
    let hooks_dir = repo.hooks_dir();
    let journal = repo.journal();
    if args.uninstall {
        if repo.disable_notes_rewrite()? {
            writeln!(out, "notes: amend and rebase no longer copy refs/notes/lineage")?;
        }
        for (name, removed) in install::uninstall(&hooks_dir)? {
            let what = match removed {
                Removed::Deleted => "removed",
                Removed::BlockRemoved => "lineage's lines removed, your hook kept",
                Removed::Restored => "removed, your original hook restored",
                Removed::NotInstalled => "was not installed",
            };
            writeln!(out, "{name}: {what}")?;
        }
        let loaded = journal.load()?;
        let pending = loaded.entries.len() + loaded.damaged.len();
        if pending == 0 && !journal.quarantine_path().exists() {
            if journal.root().exists() {
                std::fs::remove_dir_all(journal.root())
                    .with_context(|| format!("cannot remove {}", journal.root().display()))?;
            }
            writeln!(out, "journal: removed (it was empty)")?;
        } else {
            writeln!(
                out,
                "journal: kept at {} ({pending} pending entries)",
                journal.root().display()
            )?;
        }
        return Ok(());
    }

    journal.create()?;
    let binary = std::env::current_exe().context("cannot locate the lineage binary")?;
    writeln!(out, "journal: {}", journal.root().display())?;
    writeln!(out, "hooks:   {}", hooks_dir.display())?;
    if repo.enable_notes_rewrite()? {
        writeln!(
            out,
            "notes:   amend and rebase copy refs/notes/lineage (notes.rewriteRef)"
        )?;
    }
    for (name, installed) in install::install(&hooks_dir, &binary)? {
        let what = match installed {
            Installed::Created => "installed",
            Installed::AddedToExisting => "installed (added to your existing hook, which still runs)",
            Installed::Chained => "installed (your existing hook is chained and still runs)",
            Installed::Updated => "updated",
            Installed::Unchanged => "already installed",
        };
        writeln!(out, "  {name}: {what}")?;
    }
    Ok(())
}
