//! VS Code GitHub Copilot agent hooks: UserPromptSubmit and PostToolUse for
//! `replace_string_in_file`, `multi_replace_string_in_file`, `create_file`,
//! `insert_edit_into_file` and `apply_patch`. VS Code also runs the hooks in
//! `.claude/settings.json`; its payloads carry a `timestamp` and its own tool names.

use serde_json::Value;

use super::codex::parse_patch;
use super::json::{at, first_str, has, str_at, string};
use super::{Adapter, Edit, Event, NOT_AN_EDIT, Parsed, added_lines, edits, other_event};

pub struct VsCodeCopilot;

/// Events this agent sends that carry nothing to record.
const KNOWN_EVENTS: &[&str] = &[
    "SessionStart",
    "PreToolUse",
    "PreCompact",
    "SubagentStart",
    "SubagentStop",
    "Stop",
];

const TOOLS: &[&str] = &[
    "replace_string_in_file",
    "multi_replace_string_in_file",
    "create_file",
    "insert_edit_into_file",
    "apply_patch",
];

impl Adapter for VsCodeCopilot {
    fn name(&self) -> &'static str {
        "vscode-copilot"
    }

    fn recognises(&self, p: &Value) -> bool {
        has(p, "hook_event_name")
            && (str_at(p, &["transcript_path"]).is_some_and(|t| t.contains("GitHub.copilot-chat"))
                || (has(p, "timestamp") && str_at(p, &["tool_name"]).is_some_and(|t| TOOLS.contains(&t))))
    }

    /// VS Code parses a hook's stdout as JSON.
    fn answer(&self, _payload: &Value) -> Option<&'static str> {
        Some("{}")
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let event = match str_at(p, &["hook_event_name"]).ok_or("no hook_event_name")? {
            "UserPromptSubmit" => {
                Event::Prompt(string(p, &["prompt"]).ok_or("UserPromptSubmit without a prompt")?)
            }
            "PostToolUse" => tool_edits(p)?,
            other => other_event(other, KNOWN_EVENTS)?,
        };
        Ok(Parsed {
            tool: "copilot".into(),
            tool_version: None,
            model: None,
            session: string(p, &["session_id"]),
            cwd: str_at(p, &["cwd"]).map(Into::into),
            event,
        })
    }
}

fn replacement(input: &Value) -> Option<Edit> {
    let path = first_str(input, &["filePath", "file_path", "path"])?;
    let inserted = added_lines(
        first_str(input, &["oldString", "old_string"]).unwrap_or_default(),
        first_str(input, &["newString", "new_string"])?,
    );
    Some(Edit::applied(path, inserted))
}

fn tool_edits(p: &Value) -> Result<Event, String> {
    let input = p.get("tool_input").ok_or("PostToolUse without tool_input")?;
    Ok(match str_at(p, &["tool_name"]).unwrap_or_default() {
        "replace_string_in_file" => edits(replacement(input)),
        "multi_replace_string_in_file" => edits(
            at(input, &["replacements"])
                .and_then(Value::as_array)
                .ok_or("multi_replace_string_in_file without replacements")?
                .iter()
                .filter_map(replacement),
        ),
        "create_file" | "insert_edit_into_file" => {
            let path =
                first_str(input, &["filePath", "file_path", "path"]).ok_or("the tool names no file")?;
            let text = first_str(input, &["content", "code"]).unwrap_or_default();
            // insert_edit_into_file elides unchanged code with `...existing code...` markers.
            let inserted: String = text
                .lines()
                .filter(|l| !l.contains("...existing code..."))
                .map(|l| format!("{l}\n"))
                .collect();
            edits([Edit::applied(path, inserted)])
        }
        "apply_patch" => {
            let patch =
                first_str(input, &["input", "patch", "command"]).ok_or("apply_patch without a patch")?;
            edits(parse_patch(patch)?)
        }
        _ => NOT_AN_EDIT,
    })
}
