//! The pinned environment, written once for the tests, the benchmark and the demo: every git
//! and lineage process they start runs with no user or system git config (signing, hooksPath,
//! templates of the machine's owner must not change a result), a fixed identity, fixed commit
//! dates and lineage clock, UTC, the C locale, no colour, and none of git's repository
//! variables (a hook running the demo must not leak its `GIT_DIR` into it).

use std::path::Path;
use std::process::Command;

use crate::clock::NOW_ENV;

/// The person every pinned commit is by.
pub const NAME: &str = "Dana Developer";
pub const EMAIL: &str = "dana@example.com";
/// The default commit date (author and committer).
pub const DATE: &str = "2026-11-02T10:00:00Z";
/// The default lineage clock (`LINEAGE_NOW`): before [`DATE`], as an edit precedes its commit.
pub const NOW: &str = "2026-11-02T09:00:00Z";

/// What varies between pinned runs.
#[derive(Debug, Clone, Copy)]
pub struct Pinned<'a> {
    /// `HOME` (agents' user configuration lives there); left as is when `None`.
    pub home: Option<&'a Path>,
    /// `GIT_AUTHOR_DATE` and `GIT_COMMITTER_DATE`.
    pub date: &'a str,
    /// lineage's clock.
    pub now: &'a str,
}

impl Default for Pinned<'_> {
    fn default() -> Self {
        Pinned {
            home: None,
            date: DATE,
            now: NOW,
        }
    }
}

/// Applies the pinned environment to `cmd`.
pub fn pin(cmd: &mut Command, pinned: &Pinned<'_>) {
    for var in [
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_NAMESPACE",
    ] {
        cmd.env_remove(var);
    }
    if let Some(home) = pinned.home {
        cmd.env("HOME", home);
    }
    cmd.env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", NAME)
        .env("GIT_AUTHOR_EMAIL", EMAIL)
        .env("GIT_COMMITTER_NAME", NAME)
        .env("GIT_COMMITTER_EMAIL", EMAIL)
        .env("GIT_AUTHOR_DATE", pinned.date)
        .env("GIT_COMMITTER_DATE", pinned.date)
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .env("NO_COLOR", "1")
        // Output on a pseudo-terminal (`script`) is read by the test, not by a person.
        .env("GIT_PAGER", "cat")
        .env(NOW_ENV, pinned.now);
}
