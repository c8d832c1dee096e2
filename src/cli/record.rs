//! `lineage record`: add one AI edit to the journal.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

use crate::error::user_error;
use crate::git::Repo;
use crate::model::Status;
use crate::ops::record::{NewEdit, check_inserted, locate, record};
use crate::ops::record_hook;
use crate::render;
use crate::store::journal::Journal;

/// Record one AI edit in the journal.
///
/// The text the AI inserted comes on stdin, or from --code-file. At the next commit, the
/// committed lines that match it are attributed to this record. Secrets in the text and the
/// prompt are redacted before anything is written.
///
/// With --from AGENT, stdin is instead the JSON payload of that agent's hook (claude-code,
/// cursor, codex, gemini-cli, copilot-cli, vscode-copilot, windsurf, cline, opencode, generic,
/// or auto): prompts and models are remembered per session, edits become entries. In this
/// hook mode lineage never fails the agent: problems are warnings on stderr, the exit code is 0,
/// and stdout stays empty unless the agent expects an answer.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Read an agent's hook payload (see above) instead of the flags below.
    #[arg(long, value_name = "AGENT", conflicts_with_all = ["file", "tool", "code_file", "json"])]
    from: Option<String>,
    /// The payload as an argument instead of stdin (Codex's `notify` passes it so).
    #[arg(value_name = "PAYLOAD", requires = "from")]
    payload: Option<String>,
    /// The file the AI edited (relative to the current directory, or absolute).
    #[arg(long, value_name = "PATH", required_unless_present = "from")]
    file: Option<PathBuf>,
    /// The tool that made the edit: claude-code, cursor, codex, gemini-cli, copilot, windsurf,
    /// cline, opencode, aider, or any name.
    #[arg(long, required_unless_present = "from")]
    tool: Option<String>,
    /// The tool's version.
    #[arg(long)]
    tool_version: Option<String>,
    /// The model, as the tool names it (e.g. claude-opus-4-5, gpt-5-codex).
    #[arg(long)]
    model: Option<String>,
    /// The agent's session or conversation id.
    #[arg(long)]
    session: Option<String>,
    /// The user's prompt that led to the edit.
    #[arg(long, conflicts_with = "prompt_file")]
    prompt: Option<String>,
    /// Read the prompt from a file.
    #[arg(long, value_name = "PATH")]
    prompt_file: Option<PathBuf>,
    /// `applied` when the edit was written to disk; `rejected` when it was declined.
    #[arg(long, value_enum, default_value = "applied")]
    status: StatusArg,
    /// Read the inserted text from a file instead of stdin.
    #[arg(long, value_name = "PATH")]
    code_file: Option<PathBuf>,
    /// Print the recorded entry as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum StatusArg {
    Applied,
    Rejected,
}

pub fn run(cwd: &Path, args: Args, out: &mut dyn Write) -> Result<()> {
    if let Some(agent) = &args.from {
        return from_agent(cwd, agent, args.payload, out);
    }
    let (Some(file_arg), Some(tool)) = (args.file, args.tool) else {
        unreachable!("clap requires --file and --tool without --from");
    };
    let repo = Repo::discover(cwd)?;
    let (file, file_text) = locate(&repo, cwd, &file_arg)?;
    let inserted = check_inserted(read_inserted(args.code_file.as_deref(), cwd)?, false)?;
    let prompt = match (&args.prompt, &args.prompt_file) {
        (Some(text), _) => Some(text.clone()),
        (None, Some(path)) => {
            let text = std::fs::read_to_string(cwd.join(path)).map_err(|e| {
                user_error(
                    format!("cannot read --prompt-file {}: {e}", path.display()),
                    "pass a readable UTF-8 text file",
                )
            })?;
            if text.contains('\0') {
                return Err(user_error(
                    format!(
                        "--prompt-file {} is binary (it contains NUL bytes)",
                        path.display()
                    ),
                    "pass the prompt as text",
                ));
            }
            Some(text)
        }
        (None, None) => None,
    };
    let recorded = record(
        &repo,
        NewEdit {
            file,
            inserted,
            tool,
            tool_version: args.tool_version,
            model: args.model,
            session: args.session,
            prompt,
            status: match args.status {
                StatusArg::Applied => Status::Applied,
                StatusArg::Rejected => Status::Rejected,
            },
            user: repo.user(),
            source: "cli".into(),
            worktree: Some(repo.worktree_id()),
            file_text,
            optional: Vec::new(),
            written: None,
            deleted: 0,
            call: None,
            removed: Vec::new(),
        },
    )?;
    for warning in &recorded.warnings {
        super::warn(warning);
    }
    let entry = recorded.entry;
    if args.json {
        render::json(out, &entry)
    } else {
        writeln!(
            out,
            "recorded {} {} ({} lines, {})",
            entry.short_id(),
            render::escape(&entry.file),
            entry.inserted.lines().count(),
            render::escape(&entry.tool)
        )?;
        Ok(())
    }
}

/// Hook mode: never fails the agent. Warnings go to stderr and the journal's log, stdout
/// carries only the answer the agent expects.
fn from_agent(cwd: &Path, agent: &str, payload: Option<String>, out: &mut dyn Write) -> Result<()> {
    let stdin = match payload {
        Some(text) => Ok(text),
        None => read_payload(),
    };
    let outcome = record_hook::run(cwd, agent, stdin);
    if let Some(answer) = outcome.answer {
        writeln!(out, "{answer}")?;
    }
    // A payload too broken to name its repository is still logged, in the one lineage runs in.
    let journal = outcome.journal.clone().or_else(|| {
        Repo::discover(cwd)
            .ok()
            .map(|repo| Journal::of(&repo))
            .filter(Journal::exists)
    });
    for warning in &outcome.warnings {
        super::warn(format_args!("record --from {agent}: {warning}"));
        if let Some(journal) = &journal {
            journal.log(&format!("record --from {agent}: {warning}"));
        }
    }
    Ok(())
}

fn read_payload() -> Result<String, String> {
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err("no payload: stdin is a terminal (agents pipe their hook payload in)".into());
    }
    let mut bytes = Vec::new();
    stdin
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "the payload is not UTF-8".to_string())
}

fn read_inserted(code_file: Option<&Path>, cwd: &Path) -> Result<Vec<u8>> {
    if let Some(path) = code_file {
        return std::fs::read(cwd.join(path)).map_err(|e| {
            user_error(
                format!("cannot read --code-file {}: {e}", path.display()),
                "pass a readable file",
            )
        });
    }
    let mut stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Err(user_error(
            "no inserted text: stdin is a terminal",
            "pipe the text the AI inserted on stdin, or pass --code-file <file>",
        ));
    }
    let mut bytes = Vec::new();
    stdin.read_to_end(&mut bytes).context("cannot read stdin")?;
    Ok(bytes)
}
