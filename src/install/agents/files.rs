//! Hook files lineage writes whole: Copilot's and VS Code's hooks files (each agent reads every
//! file in its hooks directory), OpenCode's plugin, and Cline's one script per event. A file is
//! lineage's when it says `lineage-managed` or all its hook commands are lineage's; any other
//! file in the way is left alone.

use std::path::Path;

use anyhow::Result;
use serde_json::{Value, json};

use super::{Change, Outcome, guarded, is_lineage_command, remove_file, write_file};

const MARK: &str = "lineage-managed";

pub fn copilot_cli_hooks(command: &str) -> String {
    let handler =
        json!([{ "type": "command", "bash": guarded(command), "powershell": command, "timeoutSec": 10 }]);
    pretty(&json!({
        "version": 1,
        "hooks": {
            "postToolUse": handler,
            "userPromptSubmitted": handler,
            "sessionStart": handler,
        }
    }))
}

pub fn vscode_hooks(command: &str) -> String {
    let handler = json!([{ "type": "command", "command": guarded(command), "timeout": 10 }]);
    pretty(&json!({ "hooks": { "PostToolUse": handler, "UserPromptSubmit": handler } }))
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).expect("JSON serialises");
    text.push('\n');
    text
}

/// An OpenCode (1.x) plugin that pipes tool results, user messages and session events to
/// `lineage record --from opencode`, without waiting and without ever failing OpenCode.
pub fn opencode_plugin(command: &str) -> String {
    let program = command.strip_suffix(" record --from opencode").unwrap_or(command);
    let program = program.trim_matches('\'');
    format!(
        r#"// {MARK}: written by `lineage agent install opencode`; `lineage agent uninstall opencode` removes it.
// Pipes OpenCode's plugin callbacks to lineage, which records AI edits for git provenance.
import {{ spawn }} from "node:child_process"

const LINEAGE = {program}
const send = (payload) => {{
  try {{
    const child = spawn(LINEAGE, ["record", "--from", "opencode"], {{ stdio: ["pipe", "ignore", "ignore"] }})
    child.on("error", () => {{}})
    child.stdin.on("error", () => {{}})
    child.stdin.end(JSON.stringify(payload))
  }} catch {{}}
}}

// Older OpenCode versions pass a tool's arguments only to the "before" callback.
const argsByCall = new Map()
const EVENTS = new Set(["session.created", "message.updated"])

export const LineagePlugin = async () => ({{
  "tool.execute.before": async (input, output) => {{
    argsByCall.set(input.callID, output?.args)
  }},
  "tool.execute.after": async (input, output) => {{
    const args = input.args ?? argsByCall.get(input.callID)
    argsByCall.delete(input.callID)
    send({{ hook: "tool.execute.after", input: {{ ...input, args }}, output }})
  }},
  "chat.message": async (input, output) => {{
    send({{ hook: "chat.message", input, output: {{ parts: output?.parts }} }})
  }},
  event: async ({{ event }}) => {{
    if (EVENTS.has(event?.type)) send({{ hook: "event", event }})
  }},
}})
"#,
        program = serde_json::to_string(program).expect("a string serialises"),
    )
}

/// A hook script; where lineage is not installed it does nothing (see [`guarded`]).
fn script(command: &str) -> String {
    format!(
        "#!/bin/sh\n# {MARK}: `lineage agent uninstall cline` removes this script.\n{}\n",
        guarded(command)
    )
}

/// Whether `path` is a file lineage wrote.
pub fn is_owned(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    if text.contains(MARK) {
        return true;
    }
    let Ok(value) = serde_json::from_str::<Value>(&text) else {
        return false;
    };
    let commands: Vec<&str> = value["hooks"]
        .as_object()
        .into_iter()
        .flat_map(|events| events.values())
        .filter_map(Value::as_array)
        .flatten()
        .flat_map(|handler| ["command", "bash", "powershell"].map(|k| handler[k].as_str()))
        .flatten()
        .collect();
    !commands.is_empty() && commands.iter().all(|c| is_lineage_command(c))
}

fn in_the_way(path: &Path) -> Outcome {
    Outcome::Skipped(format!(
        "{} exists and is not lineage's; it was left alone (move it aside to install)",
        path.display()
    ))
}

pub fn install_owned(path: &Path, content: &str) -> Result<Outcome> {
    match std::fs::read_to_string(path) {
        Ok(existing) if existing == content => Ok(Outcome::Unchanged),
        Ok(_) if !is_owned(path) => Ok(in_the_way(path)),
        _ => {
            write_file(path, content)?;
            Ok(Outcome::Added(1))
        }
    }
}

pub fn uninstall_owned(path: &Path) -> Result<Outcome> {
    if !path.exists() {
        return Ok(Outcome::NotInstalled);
    }
    if !is_owned(path) {
        return Ok(in_the_way(path));
    }
    remove_file(path)?;
    Ok(Outcome::Removed(1))
}

pub fn install_scripts(dir: &Path, events: &[&str], command: &str) -> Result<Vec<Change>> {
    let content = script(command);
    events
        .iter()
        .map(|event| {
            let path = dir.join(event);
            let outcome = install_owned(&path, &content)?;
            if outcome == Outcome::Added(1) {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::PermissionsExt;
                    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755))?;
                }
            }
            Ok(Change { path, outcome })
        })
        .collect()
}

pub fn uninstall_scripts(dir: &Path, events: &[&str]) -> Result<Vec<Change>> {
    events
        .iter()
        .map(|event| {
            let path = dir.join(event);
            Ok(Change {
                outcome: uninstall_owned(&path)?,
                path,
            })
        })
        .collect()
}
