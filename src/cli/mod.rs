//! The command line: one file per command, each with its clap arguments (whose doc comments are
//! the help text) and a `run` function. Only this module and `render` print.

mod agent;
mod blame;
mod check;
mod ci;
mod completions;
mod demo;
mod doctor;
mod explain;
mod export;
mod fetch;
mod hook;
mod import;
mod init;
mod log;
mod pager;
mod push;
mod reattach;
mod record;
mod repair;
mod report;
mod review;
mod show;
mod stats;
mod status;
mod sync;
mod verify;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Parser, Subcommand};

use crate::git::Repo;

/// Provenance for AI-written code, kept in git notes.
///
/// Agents record their edits with `lineage record`; git hooks bind the committed lines to those
/// records and write a note on refs/notes/lineage; `lineage blame` shows which lines an AI wrote,
/// with which model and tool, from which prompt.
#[derive(Debug, Parser)]
#[command(name = "lineage", version, max_term_width = 100)]
pub struct Cli {
    /// Run as if lineage was started in DIR (before the command, as with git: after `blame`,
    /// -C is copy detection).
    #[arg(short = 'C', value_name = "DIR")]
    pub directory: Option<PathBuf>,

    /// Do not pipe long output (blame, show) into a pager.
    #[arg(long)]
    pub no_pager: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Init(init::Args),
    Record(Box<record::Args>),
    Status(status::Args),
    Blame(blame::Args),
    Show(show::Args),
    Explain(explain::Args),
    Log(log::Args),
    Stats(stats::Args),
    Review(review::Args),
    Report(report::Args),
    Export(export::Args),
    Verify(verify::Args),
    Check(check::Args),
    Agent(agent::Args),
    Import(import::Args),
    Repair(repair::Args),
    Reattach(reattach::Args),
    Fetch(fetch::Args),
    Push(push::Args),
    Sync(sync::Args),
    Doctor(doctor::Args),
    Ci(ci::Args),
    Completions(completions::CompletionArgs),
    Man(completions::ManArgs),
    Demo(demo::Args),
    #[command(hide = true)]
    Hook(hook::Args),
}

/// The command line as clap reads it: git's attached optional values (`blame -M20 -C30`)
/// become `-M=20 -C=30`, since clap would otherwise take the next word (the file) as the value.
pub fn git_style_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<std::ffi::OsString> {
    let mut in_blame = false;
    let mut after_dashes = false;
    args.into_iter()
        .map(|arg| {
            let Some(text) = arg.to_str() else { return arg };
            if after_dashes {
                return arg;
            }
            after_dashes = in_blame && text == "--";
            in_blame |= text == "blame";
            let attached = ["-M", "-C"].iter().find_map(|flag| {
                let value = text.strip_prefix(flag)?;
                (!value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| format!("{flag}={value}"))
            });
            match (in_blame && text != "blame", attached) {
                (true, Some(rewritten)) => rewritten.into(),
                _ => arg,
            }
        })
        .collect()
}

/// Runs the command lines that need no parsing, the ones lineage's hook scripts pass at every
/// commit (see [`hook::Args::is_post_commit`]); `None` for any other.
pub fn run_fixed(args: &[std::ffi::OsString]) -> Option<Result<()>> {
    hook::Args::is_post_commit(args).then(|| hook::run(hook::Args::post_commit()))
}

pub fn run(cli: Cli) -> Result<()> {
    let cwd = match &cli.directory {
        Some(dir) => std::fs::canonicalize(dir).map_err(|_| {
            crate::error::user_error(
                format!("cannot use -C {}: no such directory", dir.display()),
                "pass an existing directory",
            )
        })?,
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    // Long human output goes through a pager on a terminal, as git's blame and show do.
    let pages = !cli.no_pager
        && io::stdout().is_terminal()
        && match &cli.command {
            Command::Blame(args) => args.is_human(),
            Command::Show(args) => args.is_human(),
            Command::Log(args) => args.is_human(),
            Command::Explain(args) => args.is_human(),
            _ => false,
        };
    let mut pager = pages.then(|| pager::spawn(&cwd)).flatten();
    // Block-buffered: stdout is line-buffered, and a 100,000-line blame is 100,000 flushes.
    let stdout = io::stdout();
    let sink: Box<dyn Write> = match pager.as_mut().and_then(|p| p.stdin.take()) {
        Some(stdin) => Box::new(stdin),
        None => Box::new(stdout.lock()),
    };
    let mut out = io::BufWriter::with_capacity(1 << 16, sink);
    let result = match cli.command {
        Command::Init(args) => init::run(&cwd, args, &mut out),
        Command::Record(args) => record::run(&cwd, *args, &mut out),
        Command::Status(args) => status::run(&cwd, args, &mut out),
        Command::Blame(args) => blame::run(&cwd, args, &mut out),
        Command::Show(args) => show::run(&cwd, args, &mut out),
        Command::Explain(args) => explain::run(&cwd, args, &mut out),
        Command::Log(args) => log::run(&cwd, args, &mut out),
        Command::Stats(args) => stats::run(&cwd, args, &mut out),
        Command::Review(args) => review::run(&cwd, args, &mut out),
        Command::Report(args) => report::run(&cwd, args, &mut out),
        Command::Export(args) => export::run(&cwd, args, &mut out),
        Command::Verify(args) => verify::run(&cwd, args, &mut out),
        Command::Check(args) => check::run(&cwd, args, &mut out),
        Command::Agent(args) => agent::run(&cwd, args, &mut out),
        Command::Import(args) => import::run(&cwd, args, &mut out),
        Command::Repair(args) => repair::run(&cwd, args, &mut out),
        Command::Reattach(args) => reattach::run(&cwd, args, &mut out),
        Command::Fetch(args) => fetch::run(&cwd, args, &mut out),
        Command::Push(args) => push::run(&cwd, args, &mut out),
        Command::Sync(args) => sync::run(&cwd, args, &mut out),
        Command::Doctor(args) => doctor::run(&cwd, args, &mut out),
        Command::Ci(args) => ci::run(&cwd, args, &mut out),
        Command::Completions(args) => completions::completions(args, &mut out),
        Command::Man(args) => completions::man(args, &mut out),
        Command::Demo(args) => demo::run(args, &mut out),
        Command::Hook(args) => hook::run(args),
    };
    out.flush().ok();
    drop(out);
    if let Some(mut pager) = pager {
        let _ = pager.wait();
    }
    result
}

/// The repository at `cwd`, the notes the post-commit script owes written first (see
/// [`crate::ops::commit::write_owed_notes`]): what reads, checks or shares notes next sees them.
fn open_repo(cwd: &Path) -> Result<Repo> {
    let repo = Repo::discover(cwd)?;
    for warning in crate::ops::commit::write_owed_notes(&repo).warnings {
        warn(warning);
    }
    Ok(repo)
}

/// Paths a person gave, relative to `cwd`, as paths from the work tree's root; the root
/// itself (`.`) means every path.
fn repo_paths(repo: &Repo, cwd: &Path, paths: &[String]) -> Result<Vec<String>> {
    let root = repo.workdir()?;
    let mut out = Vec::new();
    for path in paths {
        let full = cwd.join(path);
        if std::fs::canonicalize(&full).is_ok_and(|f| std::fs::canonicalize(root).is_ok_and(|r| f == r)) {
            return Ok(Vec::new());
        }
        out.push(repo.relative_path(cwd, Path::new(path))?);
    }
    Ok(out)
}

/// Where a command's file output goes: `output` (relative to `cwd`) through a temporary file
/// renamed into place once whole, or `out`.
fn write_output(
    cwd: &Path,
    output: Option<&Path>,
    out: &mut dyn Write,
    write: &mut dyn FnMut(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    let Some(output) = output else {
        return write(out);
    };
    let target = cwd.join(output);
    let dir = target
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(cwd);
    let mut builder = tempfile::Builder::new();
    // A report or export is for others to read, as a file written with `>` would be.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut file = builder.tempfile_in(dir).map_err(|e| {
        // The OS's reason, without the temporary file's name.
        let reason = e.raw_os_error().map_or_else(
            || e.kind().to_string(),
            |code| std::io::Error::from_raw_os_error(code).to_string(),
        );
        crate::error::user_error(
            format!("cannot write {}: {reason}", target.display()),
            "write into an existing directory you can write to",
        )
    })?;
    {
        let mut buffered = std::io::BufWriter::new(file.as_file_mut());
        write(&mut buffered)?;
        buffered.flush()?;
    }
    file.persist(&target).map_err(|e| {
        crate::error::user_error(
            format!("cannot write {}: {}", target.display(), e.error),
            "name a file you can write (not a directory)",
        )
    })?;
    Ok(())
}

/// The paths left out of figures: `[stats] ignore` of `.lineage.toml`, and `extra` globs.
fn ignored_paths(repo: &Repo, extra: &[String]) -> Result<crate::query::history::Ignore> {
    let mut patterns = crate::config::ProjectConfig::load(repo)?.stats_ignore;
    patterns.extend(extra.iter().cloned());
    crate::query::history::Ignore::new(&patterns)
}

/// Prints a warning the way every lineage command does. Warnings quote paths and names from
/// payloads and notes, so they are escaped like every other human output.
fn warn(message: impl std::fmt::Display) {
    eprintln!(
        "lineage: warning: {}",
        crate::render::escape(&message.to_string())
    );
}

/// A progress bar on stderr for a walk over commits, drawn only on a terminal and only once
/// the walk is longer than `more_than` commits (a short one would only flicker).
pub struct Progress {
    bar: Option<indicatif::ProgressBar>,
    more_than: usize,
}

impl Progress {
    pub fn new(what: &str, more_than: usize) -> Progress {
        let template = format!("{what} {{pos}}/{{len}} commits {{wide_bar}} {{eta}}");
        let bar = std::io::IsTerminal::is_terminal(&std::io::stderr()).then(|| {
            indicatif::ProgressBar::hidden()
                .with_style(indicatif::ProgressStyle::with_template(&template).expect("a valid template"))
        });
        Progress { bar, more_than }
    }

    /// `done` of `total` commits are through.
    pub fn update(&self, done: usize, total: usize) {
        if let Some(bar) = &self.bar {
            if total > self.more_than && bar.is_hidden() {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
            bar.set_length(total as u64);
            bar.set_position(done as u64);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}
