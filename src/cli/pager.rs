//! The pager long human output goes through on a terminal, chosen as git chooses it.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use crate::git::Repo;

/// Starts the pager (`GIT_PAGER`, `core.pager`, `PAGER`, else `less`) with git's defaults
/// (`LESS=FRX`: quit when the output fits, keep colours); `None` when the pager is `cat` or
/// empty, or cannot start (the output then goes straight to the terminal).
pub fn spawn(cwd: &Path) -> Option<Child> {
    let configured = std::env::var("GIT_PAGER")
        .ok()
        .or_else(|| Repo::discover(cwd).ok()?.config_string("core.pager"))
        .or_else(|| std::env::var("PAGER").ok());
    // Without a configured pager, `less` when there is one (else the terminal directly: a
    // missing pager must not swallow the output).
    let less_on_path = || {
        std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join("less").is_file()))
    };
    let configured = match configured {
        Some(pager) => pager,
        None if less_on_path() => "less".to_string(),
        None => return None,
    };
    let pager = configured.trim();
    if pager.is_empty() || pager == "cat" {
        return None;
    }
    let mut cmd = Command::new("sh");
    cmd.args(["-c", pager]).stdin(Stdio::piped());
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    if std::env::var_os("LV").is_none() {
        cmd.env("LV", "-c");
    }
    cmd.spawn().ok()
}

/// Whether human output may use colour: on a terminal, unless `NO_COLOR` says otherwise.
pub fn colour() -> bool {
    use std::io::IsTerminal;
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}
