//! `lineage agent install|uninstall|list`: wire coding agents' hooks to `lineage record`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;

use crate::error::user_error;
use crate::git::Repo;
use crate::install::agents::{self, AGENTS, Agent, Outcome, Roots, Scope};
use crate::render;

/// Wire a coding agent's hooks so it records its edits with lineage.
///
/// lineage's entries are merged into the agent's own configuration (JSON with comments, TOML,
/// its hooks directory or plugin folder), keeping every other setting and hook; installing
/// twice adds nothing, and uninstalling removes exactly lineage's entries.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
}

#[derive(Debug, Subcommand)]
enum Action {
    /// Add lineage's hooks to an agent's configuration.
    Install(Target),
    /// Remove lineage's hooks from an agent's configuration.
    Uninstall(Target),
    /// Show which agents have lineage's hooks, here and for the user.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, clap::Args)]
struct Target {
    /// claude-code, cursor, codex, gemini-cli, copilot-cli, vscode-copilot, windsurf, cline or
    /// opencode.
    agent: String,
    /// The user's configuration, for every repository (e.g. ~/.claude/settings.json).
    #[arg(long, conflicts_with = "project")]
    user: bool,
    /// This repository's configuration (e.g. .claude/settings.json); the default.
    #[arg(long)]
    project: bool,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    let home = std::env::var_os("HOME").map(PathBuf::from);
    let project = Repo::discover(cwd)
        .ok()
        .and_then(|r| r.workdir().ok().map(Path::to_path_buf));
    let roots = Roots {
        project: project.as_deref(),
        home: home.as_deref(),
    };
    match args.action {
        Action::Install(target) => change(&target, &roots, true, out),
        Action::Uninstall(target) => change(&target, &roots, false, out),
        Action::List { json } => list(&roots, json, out),
    }
}

fn change(target: &Target, roots: &Roots<'_>, install: bool, out: &mut dyn Write) -> Result<()> {
    let agent = agents::agent(&target.agent).ok_or_else(|| {
        user_error(
            format!("unknown agent: {}", target.agent),
            format!(
                "name one of: {}",
                AGENTS.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
            ),
        )
    })?;
    let scope = if target.user { Scope::User } else { Scope::Project };
    let path = agent.path(scope, roots).ok_or_else(|| match scope {
        Scope::Project => user_error(
            "not in a git repository, so there is no project configuration to change",
            "run this inside the repository, or pass --user for your own configuration",
        ),
        Scope::User => user_error(
            "HOME is not set",
            "set HOME, or use --project inside a repository",
        ),
    })?;
    let changes = if install {
        let binary = std::env::current_exe().context("cannot locate the lineage binary")?;
        agent.install(&path, &agents::command_for(agent.name, &binary))?
    } else {
        agent.uninstall(&path)?
    };
    for change in changes {
        let file = change.path.display();
        match change.outcome {
            Outcome::Added(n) => writeln!(out, "{}: added {n} hook entr{} to {file}", agent.name, plural(n))?,
            Outcome::Unchanged => writeln!(out, "{}: already installed in {file}", agent.name)?,
            Outcome::Removed(n) => writeln!(
                out,
                "{}: removed {n} hook entr{} from {file}",
                agent.name,
                plural(n)
            )?,
            Outcome::NotInstalled => writeln!(out, "{}: not installed in {file}", agent.name)?,
            Outcome::Skipped(why) => super::warn(format_args!("{}: {why}", agent.name)),
        }
    }
    if let (true, Some(note)) = (install, agent.note) {
        writeln!(out, "note: {note}")?;
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "y" } else { "ies" }
}

#[derive(Serialize)]
struct Listed {
    agent: &'static str,
    project: Option<Place>,
    user: Option<Place>,
}

#[derive(Serialize)]
struct Place {
    path: String,
    installed: bool,
}

fn place(agent: &Agent, scope: Scope, roots: &Roots<'_>) -> Option<Place> {
    agent.path(scope, roots).map(|path| Place {
        installed: agent.installed(&path),
        path: path.display().to_string(),
    })
}

fn list(roots: &Roots<'_>, json: bool, out: &mut dyn Write) -> Result<()> {
    let listed: Vec<Listed> = AGENTS
        .iter()
        .map(|agent| Listed {
            agent: agent.name,
            project: place(agent, Scope::Project, roots),
            user: place(agent, Scope::User, roots),
        })
        .collect();
    if json {
        return render::json_list(out, "agents", &listed);
    }
    let cell = |place: &Option<Place>| match place {
        Some(p) if p.installed => format!("installed  {}", p.path),
        Some(p) => format!("-          {}", p.path),
        None => "-".to_string(),
    };
    let rows: Vec<Vec<String>> = listed
        .iter()
        .map(|l| vec![l.agent.to_string(), cell(&l.project), cell(&l.user)])
        .collect();
    render::rows(out, &["agent", "project", "user"], rows)
}
