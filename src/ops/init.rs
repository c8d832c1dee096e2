//! `init`: set lineage up in a repository (the journal, the git hooks), or take it out again,
//! keeping pending data.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::git::{NOTES_REF, Repo, tracking_ref};
use crate::install::hooks::{self, Installed, Removed};
use crate::store::journal::Journal;

/// What `init` did.
#[derive(Debug)]
pub struct Setup {
    pub journal: PathBuf,
    pub hooks_dir: PathBuf,
    /// An earlier version's `notes.rewriteRef` for lineage's ref was removed: git's verbatim
    /// copy of a note onto a rewritten commit keeps stale ranges, and `post-rewrite` now
    /// re-binds the note instead.
    pub notes_rewrite_removed: bool,
    pub hooks: Vec<(&'static str, Installed)>,
}

/// What `init --uninstall` did.
#[derive(Debug)]
pub struct Teardown {
    pub notes_rewrite_disabled: bool,
    pub hooks: Vec<(&'static str, Removed)>,
    /// `None`: the journal was empty and is gone; else where it is kept, with its pending
    /// (and damaged) entries.
    pub journal_kept: Option<(PathBuf, usize)>,
}

/// Creates the journal and installs the hooks, which run `binary`.
pub fn install(repo: &Repo, binary: &Path) -> Result<Setup> {
    repo.workdir()?;
    let journal = Journal::of(repo);
    journal.create()?;
    // What exists now is history the hooks never saw; commits from here on are theirs.
    if journal.seen().is_none() {
        match repo.head()? {
            Some(head) => journal.mark_seen(head)?,
            None => journal.start_seen()?,
        }
    }
    let hooks_dir = repo.hooks_dir();
    let notes_rewrite_removed = repo.disable_notes_rewrite()?;
    let hooks = hooks::install(&hooks_dir, binary)?;
    Ok(Setup {
        journal: journal.root().to_path_buf(),
        hooks_dir,
        notes_rewrite_removed,
        hooks,
    })
}

/// What `init --remote` did.
#[derive(Debug)]
pub struct Sharing {
    pub remote: String,
    /// The fetch refspec, and whether it was added now.
    pub refspec: String,
    pub refspec_added: bool,
    /// The pre-push hook, when asked for.
    pub pre_push: Option<Installed>,
}

/// Makes a plain `git fetch` of `remote` bring its notes into their tracking ref (never onto
/// the local ref), and with `push_with_branches` installs a pre-push hook that syncs notes
/// whenever branches are pushed there.
pub fn share_with(repo: &Repo, remote: &str, push_with_branches: bool, binary: &Path) -> Result<Sharing> {
    repo.check_remote(remote)?;
    let refspec = format!("+{NOTES_REF}:{}", tracking_ref(remote));
    let refspec_added = repo.add_fetch_refspec(remote, &refspec)?;
    let pre_push = match push_with_branches {
        true => Some(hooks::install_optional(&repo.hooks_dir(), "pre-push", binary)?.1),
        false => None,
    };
    Ok(Sharing {
        remote: remote.to_string(),
        refspec,
        refspec_added,
        pre_push,
    })
}

/// Removes the hooks; the journal goes too when nothing is pending in it.
pub fn uninstall(repo: &Repo) -> Result<Teardown> {
    repo.workdir()?;
    let journal = Journal::of(repo);
    let notes_rewrite_disabled = repo.disable_notes_rewrite()?;
    let hooks = hooks::uninstall(&repo.hooks_dir())?;
    let loaded = journal.load()?;
    let pending = loaded.entries.len() + loaded.damaged.len();
    let journal_kept = if pending == 0 && !journal.quarantine_path().exists() {
        if journal.root().exists() {
            std::fs::remove_dir_all(journal.root())
                .with_context(|| format!("cannot remove {}", journal.root().display()))?;
        }
        None
    } else {
        Some((journal.root().to_path_buf(), pending))
    };
    Ok(Teardown {
        notes_rewrite_disabled,
        hooks,
        journal_kept,
    })
}
