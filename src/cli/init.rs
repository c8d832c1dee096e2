//! `lineage init`: create the journal and install the git hooks (or remove them).

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::git::Repo;
use crate::install::hooks::{Installed, Removed};
use crate::ops::init;

/// Set up lineage in this repository: the journal and the git hooks.
///
/// Creates the journal and installs the prepare-commit-msg, post-commit and post-rewrite hooks.
/// Existing hooks keep working: lineage adds its lines to a shell hook (between
/// `# >>> lineage >>>` markers) or chains a non-shell hook. `core.hooksPath` is honoured.
/// Running it again changes nothing; `--uninstall` removes exactly what it added.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Remove lineage's hooks. Pending journal entries and notes are kept.
    #[arg(long, conflicts_with_all = ["remote", "push_with_branches"])]
    uninstall: bool,
    /// Make a plain `git fetch REMOTE` bring its notes into refs/notes/remotes/REMOTE/lineage
    /// (never forced onto your notes; `lineage fetch` or `sync` merges them).
    #[arg(long, value_name = "REMOTE")]
    remote: Option<String>,
    /// With --remote: also push notes whenever branches are pushed to it (a pre-push hook
    /// that never blocks the push).
    #[arg(long, requires = "remote")]
    push_with_branches: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let repo = Repo::discover(cwd)?;
    if args.uninstall {
        let done = init::uninstall(&repo)?;
        if done.notes_rewrite_disabled {
            writeln!(out, "notes: amend and rebase no longer copy refs/notes/lineage")?;
        }
        for (name, removed) in done.hooks {
            let what = match removed {
                Removed::Deleted => "removed",
                Removed::BlockRemoved => "lineage's lines removed, your hook kept",
                Removed::Restored => "removed, your original hook restored",
                Removed::NotInstalled => "was not installed",
            };
            writeln!(out, "{name}: {what}")?;
        }
        match done.journal_kept {
            None => writeln!(out, "journal: removed (it was empty)")?,
            Some((root, pending)) => writeln!(
                out,
                "journal: kept at {} ({pending} pending entries)",
                root.display()
            )?,
        }
        return Ok(());
    }

    // A remote that does not exist is refused before anything is installed.
    if let Some(remote) = &args.remote {
        repo.check_remote(remote)?;
    }
    let binary = std::env::current_exe().context("cannot locate the lineage binary")?;
    let done = init::install(&repo, &binary)?;
    writeln!(out, "journal: {}", done.journal.display())?;
    writeln!(out, "hooks:   {}", done.hooks_dir.display())?;
    if done.notes_rewrite_removed {
        writeln!(
            out,
            "notes:   notes.rewriteRef for refs/notes/lineage removed (post-rewrite re-binds notes on amend and rebase)"
        )?;
    }
    for (name, installed) in done.hooks {
        let what = match installed {
            Installed::Created => "installed",
            Installed::AddedToExisting => "installed (added to your existing hook, which still runs)",
            Installed::Chained => "installed (your existing hook is chained and still runs)",
            Installed::Updated => "updated",
            Installed::Unchanged => "already installed",
        };
        writeln!(out, "  {name}: {what}")?;
    }
    if let Some(remote) = &args.remote {
        let sharing = init::share_with(&repo, remote, args.push_with_branches, &binary)?;
        let state = if sharing.refspec_added {
            "added"
        } else {
            "already there"
        };
        writeln!(
            out,
            "remote:  git fetch {} brings notes ({} {state})",
            sharing.remote, sharing.refspec
        )?;
        if sharing.pre_push.is_some() {
            writeln!(
                out,
                "  pre-push: installed (notes are pushed along with branches)"
            )?;
        }
    }
    Ok(())
}
