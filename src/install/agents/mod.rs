//! `lineage agent install|uninstall|list`: wiring an agent's own hook configuration to
//! `lineage record --from <agent>`.
//!
//! Each agent keeps hooks its own way ([`Layout`]): a `hooks` map in a JSON (with comments)
//! settings file, `[[hooks.<event>]]` tables in TOML, a hooks file or plugin lineage owns
//! outright, or one executable script per event. Installing merges lineage's entries in and
//! keeps everything else byte for byte (comments and formatting included); running it twice
//! adds nothing; uninstalling removes exactly lineage's entries. An entry is lineage's when its
//! command runs `… record --from <agent>` with a program named `lineage`.

mod files;
mod json_hooks;
mod toml_hooks;

use std::path::{Path, PathBuf};

use anyhow::Result;

/// Where an agent's configuration lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The repository's own (`.claude/settings.json`, …), shared when committed.
    Project,
    /// The user's (`~/.claude/settings.json`, …), for every repository.
    User,
}

/// How an agent keeps its hooks.
enum Layout {
    /// `{"hooks": {"<event>": [...]}}` in a JSON file that may hold comments.
    JsonHooks(json_hooks::Spec),
    /// `[[hooks.<event>]]` tables in a TOML file.
    TomlHooks(toml_hooks::Spec),
    /// A file lineage writes whole (a hooks file in a directory of them, a plugin).
    OwnedFile(fn(&str) -> String),
    /// One executable script per event, named after it, in this directory.
    Scripts(&'static [&'static str]),
}

pub struct Agent {
    pub name: &'static str,
    /// Paths relative to the repository root and to the home directory.
    project: &'static str,
    user: &'static str,
    layout: Layout,
    /// Something the user must do after installing, when there is.
    pub note: Option<&'static str>,
}

/// What happened to one configuration file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// lineage's entries were added (this many).
    Added(usize),
    /// Everything was there already.
    Unchanged,
    /// lineage's entries were removed (this many).
    Removed(usize),
    /// There was nothing of lineage's to remove.
    NotInstalled,
    /// A file of the user's is in the way; nothing was changed in it.
    Skipped(String),
}

#[derive(Debug, Clone)]
pub struct Change {
    pub path: PathBuf,
    pub outcome: Outcome,
}

pub static AGENTS: &[Agent] = &[
    Agent {
        name: "claude-code",
        project: ".claude/settings.json",
        user: ".claude/settings.json",
        layout: Layout::JsonHooks(json_hooks::CLAUDE_CODE),
        note: None,
    },
    Agent {
        name: "cursor",
        project: ".cursor/hooks.json",
        user: ".cursor/hooks.json",
        layout: Layout::JsonHooks(json_hooks::CURSOR),
        note: None,
    },
    Agent {
        name: "codex",
        project: ".codex/config.toml",
        user: ".codex/config.toml",
        layout: Layout::TomlHooks(toml_hooks::CODEX),
        note: Some(
            "Codex runs new hooks only once you trust them: open `/hooks` in Codex and trust lineage's",
        ),
    },
    Agent {
        name: "gemini-cli",
        project: ".gemini/settings.json",
        user: ".gemini/settings.json",
        layout: Layout::JsonHooks(json_hooks::GEMINI),
        note: None,
    },
    Agent {
        name: "copilot-cli",
        project: ".github/hooks/lineage.json",
        user: ".copilot/hooks/lineage.json",
        layout: Layout::OwnedFile(files::copilot_cli_hooks),
        note: Some("Copilot CLI reads hooks when it starts: restart running sessions"),
    },
    Agent {
        name: "vscode-copilot",
        project: ".github/hooks/lineage-vscode.json",
        user: ".copilot/hooks/lineage-vscode.json",
        layout: Layout::OwnedFile(files::vscode_hooks),
        note: Some(
            "VS Code also runs Copilot CLI's and Claude Code's hook files: install one of them, not several",
        ),
    },
    Agent {
        name: "windsurf",
        project: ".windsurf/hooks.json",
        user: ".codeium/windsurf/hooks.json",
        layout: Layout::JsonHooks(json_hooks::WINDSURF),
        note: None,
    },
    Agent {
        name: "cline",
        project: ".clinerules/hooks",
        user: "Documents/Cline/Hooks",
        layout: Layout::Scripts(&["PostToolUse", "UserPromptSubmit", "TaskStart"]),
        note: Some("Cline runs hooks only with hooks enabled in its settings"),
    },
    Agent {
        name: "opencode",
        project: ".opencode/plugins/lineage.js",
        user: ".config/opencode/plugins/lineage.js",
        layout: Layout::OwnedFile(files::opencode_plugin),
        note: Some("OpenCode loads plugins when it starts: restart it"),
    },
];

pub fn agent(name: &str) -> Option<&'static Agent> {
    let name = match name {
        "claude" => "claude-code",
        "gemini" => "gemini-cli",
        "copilot" => "copilot-cli",
        other => other,
    };
    AGENTS.iter().find(|a| a.name == name)
}

/// The directories scopes are relative to.
pub struct Roots<'a> {
    pub project: Option<&'a Path>,
    pub home: Option<&'a Path>,
}

impl Agent {
    /// The configuration file (or script directory) for `scope`.
    pub fn path(&self, scope: Scope, roots: &Roots<'_>) -> Option<PathBuf> {
        match scope {
            Scope::Project => roots.project.map(|root| root.join(self.project)),
            Scope::User => roots.home.map(|home| home.join(self.user)),
        }
    }

    /// Adds lineage's hook entries, running `command` (`<lineage> record --from <agent>`).
    pub fn install(&self, path: &Path, command: &str) -> Result<Vec<Change>> {
        match &self.layout {
            Layout::JsonHooks(spec) => one(path, json_hooks::install(path, spec, &guarded(command))),
            Layout::TomlHooks(spec) => one(path, toml_hooks::install(path, spec, &guarded(command))),
            Layout::OwnedFile(render) => one(path, files::install_owned(path, &render(command))),
            Layout::Scripts(events) => files::install_scripts(path, events, command),
        }
    }

    pub fn uninstall(&self, path: &Path) -> Result<Vec<Change>> {
        match &self.layout {
            Layout::JsonHooks(spec) => one(path, json_hooks::uninstall(path, spec)),
            Layout::TomlHooks(spec) => one(path, toml_hooks::uninstall(path, spec)),
            Layout::OwnedFile(_) => one(path, files::uninstall_owned(path)),
            Layout::Scripts(events) => files::uninstall_scripts(path, events),
        }
    }

    /// Whether lineage's entries are in `path`.
    pub fn installed(&self, path: &Path) -> bool {
        match &self.layout {
            Layout::JsonHooks(spec) => json_hooks::installed(path, spec),
            Layout::TomlHooks(spec) => toml_hooks::installed(path, spec),
            Layout::OwnedFile(_) => files::is_owned(path),
            Layout::Scripts(events) => events.iter().all(|e| files::is_owned(&path.join(e))),
        }
    }
}

fn one(path: &Path, outcome: Result<Outcome>) -> Result<Vec<Change>> {
    Ok(vec![Change {
        path: path.to_path_buf(),
        outcome: outcome?,
    }])
}

/// Whether a hook command is lineage's: it runs a program named `lineage` with
/// `record --from` (guarded or not, see [`guarded`]).
pub fn is_lineage_command(command: &str) -> bool {
    command.split_once(" record --from ").is_some_and(|(before, _)| {
        let program = before.split_whitespace().last().unwrap_or_default();
        let program = program.trim_matches(['\'', '"']);
        Path::new(program)
            .file_name()
            .is_some_and(|name| name == "lineage")
    })
}

/// `command` (`<program> record --from <agent>`) as a shell command that does nothing, quietly
/// and successfully, where lineage is not installed: agents' hook files are usually committed,
/// and a teammate without lineage must not get `lineage: not found` on every edit.
pub fn guarded(command: &str) -> String {
    let program = command
        .split_once(" record --from ")
        .map_or("lineage", |(program, _)| program);
    if program == "lineage" {
        format!("command -v lineage >/dev/null 2>&1 && {command} || true")
    } else {
        format!("test -x {program} && {command} || true")
    }
}

/// The command a hook runs: `lineage` when that is the binary on `PATH`, else its absolute
/// path (GUI editors may not inherit the shell's `PATH`).
pub fn command_for(agent: &str, binary: &Path) -> String {
    let on_path = std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            let candidate = dir.join("lineage");
            candidate.exists() && std::fs::canonicalize(&candidate).ok() == std::fs::canonicalize(binary).ok()
        })
    });
    let program = if on_path {
        "lineage".to_string()
    } else {
        let text = binary.to_string_lossy();
        if text.contains(|c: char| c.is_whitespace() || "'\"\\$`".contains(c)) {
            format!("'{}'", text.replace('\'', r"'\''"))
        } else {
            text.into_owned()
        }
    };
    format!("{program} record --from {agent}")
}

/// Removes a file lineage created, and the directories above it that are left empty (such as
/// `.cursor/` or `.github/hooks/`), up to two levels.
fn remove_file(path: &Path) -> Result<()> {
    use anyhow::Context;
    std::fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))?;
    for dir in path.ancestors().skip(1).take(2) {
        // Fails, harmlessly, on a directory that holds anything else.
        if std::fs::remove_dir(dir).is_err() {
            break;
        }
    }
    Ok(())
}

/// A configuration file's text; `None` when there is no such file.
fn read_config(path: &Path) -> Result<Option<String>> {
    use anyhow::Context;
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e).with_context(|| format!("cannot read {}", path.display())),
    }
}

/// Writes `text` to `path` through a temporary file, creating its directory.
fn write_file(path: &Path, text: &str) -> Result<()> {
    use anyhow::Context;
    let dir = path.parent().context("a configuration file has a directory")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut temp = tempfile::Builder::new().prefix(".lineage-").tempfile_in(dir)?;
    std::io::Write::write_all(&mut temp, text.as_bytes())?;
    if let Ok(meta) = std::fs::metadata(path) {
        std::fs::set_permissions(temp.path(), meta.permissions())?;
    }
    temp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lineage_commands() {
        assert!(is_lineage_command("lineage record --from claude-code"));
        assert!(is_lineage_command(
            "/home/me/.cargo/bin/lineage record --from cursor"
        ));
        assert!(is_lineage_command("'/opt/my tools/lineage' record --from cursor"));
        assert!(!is_lineage_command("npx prettier --write"));
        assert!(!is_lineage_command("lineage status"));
        assert!(!is_lineage_command("my-lineage record --from x"));
    }
}
