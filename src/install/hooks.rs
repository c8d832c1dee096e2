//! Installing lineage's git hooks without disturbing the user's own.
//!
//! The scripts in the project's `hooks/` folder are a shebang plus a block between
//! `# >>> lineage >>>` and `# <<< lineage <<<`. Where no hook exists, the script is written as
//! is. Where a shell hook exists, the block goes right after its shebang line (before any
//! `exit` of the user's), and the user's lines run, and can fail the commit, as before. Any
//! other existing hook (a binary, a Python script) is renamed `<hook>.lineage-chained` and
//! called from the block with `exec`, so its exit status is still the hook's. Uninstalling
//! removes the block, deletes files that held nothing else, and renames chained hooks back.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// The hooks lineage installs, with their scripts.
pub const HOOKS: &[(&str, &str)] = &[
    (
        "prepare-commit-msg",
        include_str!("../../hooks/prepare-commit-msg"),
    ),
    ("post-commit", include_str!("../../hooks/post-commit")),
    ("post-rewrite", include_str!("../../hooks/post-rewrite")),
];

/// Hooks earlier versions installed: `init` and `init --uninstall` take lineage's block out.
/// (pre-commit: git reads the whole index again after it runs; prepare-commit-msg does the job.)
pub const RETIRED_HOOKS: &[&str] = &["pre-commit"];

/// Hooks installed on request only: `pre-push` (`init --push-with-branches`).
pub const OPTIONAL_HOOKS: &[(&str, &str)] = &[("pre-push", include_str!("../../hooks/pre-push"))];

const BEGIN: &str = "# >>> lineage >>>";
const END: &str = "# <<< lineage <<<";
const CHAINED_SUFFIX: &str = ".lineage-chained";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Installed {
    /// No hook existed; lineage's script was written.
    Created,
    /// lineage's block was added to the user's shell hook.
    AddedToExisting,
    /// The user's non-shell hook was renamed and is called from lineage's script.
    Chained,
    /// lineage's block was there and has been refreshed.
    Updated,
    /// lineage's block was there, exactly as it would be written.
    Unchanged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removed {
    /// The hook held only lineage's script; the file is gone.
    Deleted,
    /// lineage's block was taken out of the user's hook.
    BlockRemoved,
    /// lineage's script is gone and the user's chained hook is back in its place.
    Restored,
    /// The hook had no lineage block.
    NotInstalled,
}

fn hook_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

fn chained_path(dir: &Path, name: &str) -> PathBuf {
    dir.join(format!("{name}{CHAINED_SUFFIX}"))
}

/// lineage's block for `script`, calling `binary`, and `exec`ing a chained hook when there is one.
fn block(script: &str, binary: &Path, chained: Option<&str>) -> String {
    let start = script.find(BEGIN).expect("hook scripts hold a lineage block");
    let end = script.find(END).expect("hook scripts hold a lineage block");
    let mut block = script[start..end].replace("@LINEAGE@", &shell_quote(&binary.to_string_lossy()));
    if let Some(name) = chained {
        // A hook git would not have run (not executable) still does not run.
        block.push_str(&format!(
            "chained=\"$(dirname \"$0\")/{name}{CHAINED_SUFFIX}\"\nif [ -x \"$chained\" ]; then exec \"$chained\" \"$@\"; fi\n"
        ));
    }
    block.push_str(END);
    block.push('\n');
    block
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

/// The byte range of lineage's block in `text`, end line included.
fn find_block(text: &str) -> Option<std::ops::Range<usize>> {
    let start = text.find(BEGIN)?;
    let end_marker = start + text[start..].find(END)?;
    let end = text[end_marker..]
        .find('\n')
        .map_or(text.len(), |n| end_marker + n + 1);
    Some(start..end)
}

fn is_shell_script(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    first.starts_with("#!")
        && ["sh", "bash", "dash", "zsh", "ksh", "ash"].iter().any(|shell| {
            first
                .split(|c: char| c == '/' || c.is_whitespace())
                .any(|word| word == *shell)
        })
}

/// Installs every hook in `dir` (created if missing), calling `binary`. Idempotent.
pub fn install(dir: &Path, binary: &Path) -> Result<Vec<(&'static str, Installed)>> {
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the hooks directory {}", dir.display()))?;
    for name in RETIRED_HOOKS {
        uninstall_one(dir, name)?;
    }
    HOOKS
        .iter()
        .map(|&(name, script)| Ok((name, install_one(dir, name, script, binary)?)))
        .collect()
}

/// Installs one of [`OPTIONAL_HOOKS`] in `dir`. Idempotent.
pub fn install_optional(dir: &Path, name: &'static str, binary: &Path) -> Result<(&'static str, Installed)> {
    let (_, script) = OPTIONAL_HOOKS
        .iter()
        .find(|(n, _)| *n == name)
        .with_context(|| format!("{name} is not a hook lineage installs"))?;
    fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the hooks directory {}", dir.display()))?;
    Ok((name, install_one(dir, name, script, binary)?))
}

fn install_one(dir: &Path, name: &str, script: &str, binary: &Path) -> Result<Installed> {
    let path = hook_path(dir, name);
    let chained = chained_path(dir, name).exists().then_some(name);
    let existing = match fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("cannot read {}", path.display())),
    };
    let new_block = block(script, binary, chained);
    let Some(bytes) = existing else {
        let shebang = script.lines().next().unwrap_or("#!/bin/sh");
        write_executable(&path, &format!("{shebang}\n{new_block}"))?;
        return Ok(Installed::Created);
    };
    // A symlink (say, to a script the team tracks) or a hook git does not run (not executable)
    // stays exactly as it is, renamed and called from lineage's script.
    let leave_as_is = fs::symlink_metadata(&path)?.file_type().is_symlink() || !is_executable(&path);
    let text = String::from_utf8(bytes)
        .ok()
        .filter(|t| is_shell_script(t) && (find_block(t).is_some() || !leave_as_is));
    match text {
        Some(text) => {
            if let Some(range) = find_block(&text) {
                if text[range.clone()] == new_block {
                    return Ok(Installed::Unchanged);
                }
                let updated = format!("{}{new_block}{}", &text[..range.start], &text[range.end..]);
                write_keeping_mode(&path, &updated)?;
                return Ok(Installed::Updated);
            }
            let shebang_end = text.find('\n').map_or(text.len(), |n| n + 1);
            let mut updated = text[..shebang_end].to_string();
            if !updated.ends_with('\n') {
                updated.push('\n');
            }
            updated.push_str(&new_block);
            updated.push_str(&text[shebang_end..]);
            write_keeping_mode(&path, &updated)?;
            Ok(Installed::AddedToExisting)
        }
        None => {
            let chained = chained_path(dir, name);
            if chained.exists() || fs::symlink_metadata(&chained).is_ok() {
                anyhow::bail!(
                    "{} is in the way of chaining {}; move it aside and run init again",
                    chained.display(),
                    path.display()
                );
            }
            fs::rename(&path, &chained)
                .with_context(|| format!("cannot move {} aside to chain it", path.display()))?;
            let shebang = script.lines().next().unwrap_or("#!/bin/sh");
            write_executable(
                &path,
                &format!("{shebang}\n{}", block(script, binary, Some(name))),
            )?;
            Ok(Installed::Chained)
        }
    }
}

/// Removes lineage from every hook in `dir`, restoring what was there before.
pub fn uninstall(dir: &Path) -> Result<Vec<(&'static str, Removed)>> {
    let mut removed: Vec<(&'static str, Removed)> = HOOKS
        .iter()
        .map(|&(name, _)| Ok((name, uninstall_one(dir, name)?)))
        .collect::<Result<_>>()?;
    let others = OPTIONAL_HOOKS.iter().map(|(name, _)| name).chain(RETIRED_HOOKS);
    for &name in others {
        match uninstall_one(dir, name)? {
            Removed::NotInstalled => {}
            done => removed.push((name, done)),
        }
    }
    Ok(removed)
}

fn uninstall_one(dir: &Path, name: &str) -> Result<Removed> {
    let path = hook_path(dir, name);
    let Ok(text) = fs::read_to_string(&path) else {
        return Ok(Removed::NotInstalled);
    };
    let Some(range) = find_block(&text) else {
        return Ok(Removed::NotInstalled);
    };
    let rest = format!("{}{}", &text[..range.start], &text[range.end..]);
    let only_shebang = holds_only_shebang(&rest);
    let chained = chained_path(dir, name);
    if chained.exists() && only_shebang {
        fs::rename(&chained, &path).with_context(|| format!("cannot restore {}", path.display()))?;
        return Ok(Removed::Restored);
    }
    if only_shebang {
        fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
        return Ok(Removed::Deleted);
    }
    write_keeping_mode(&path, &rest)?;
    Ok(Removed::BlockRemoved)
}

fn holds_only_shebang(text: &str) -> bool {
    let body = match text.split_once('\n') {
        Some((first, body)) if first.starts_with("#!") => body,
        _ if text.starts_with("#!") => "",
        _ => text,
    };
    body.trim().is_empty()
}

/// Whether each hook in `dir` holds lineage's block.
pub fn installed(dir: &Path) -> Vec<(&'static str, bool)> {
    HOOKS
        .iter()
        .map(|&(name, _)| {
            let path = hook_path(dir, name);
            let present =
                is_executable(&path) && fs::read_to_string(&path).is_ok_and(|t| find_block(&t).is_some());
            (name, present)
        })
        .collect()
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.exists()
    }
}

fn write_keeping_mode(path: &Path, text: &str) -> Result<()> {
    let permissions = fs::metadata(path)?.permissions();
    let temp = path.with_extension("lineage-tmp");
    fs::write(&temp, text)?;
    fs::set_permissions(&temp, permissions)?;
    fs::rename(&temp, path).with_context(|| format!("cannot write {}", path.display()))
}

fn write_executable(path: &Path, text: &str) -> Result<()> {
    fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(path, fs::Permissions::from_mode(0o755))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn block_is_found_and_quoted() {
        let b = block(HOOKS[0].1, Path::new("/opt/it's/lineage"), None);
        assert!(b.starts_with(BEGIN) && b.ends_with(&format!("{END}\n")));
        assert!(b.contains(r"lineage='/opt/it'\''s/lineage'"));
        let text = format!("#!/bin/sh\n{b}echo mine\n");
        assert_eq!(&text[find_block(&text).unwrap()], b);
    }

    #[test]
    fn shell_detection() {
        assert!(is_shell_script("#!/bin/sh\n"));
        assert!(is_shell_script("#!/usr/bin/env bash\nset -e\n"));
        assert!(!is_shell_script("#!/usr/bin/env python3\n"));
        assert!(!is_shell_script("echo no shebang\n"));
    }
}
