//! Cursor hooks (`.cursor/hooks.json`): afterFileEdit (agent edits), afterTabFileEdit (Tab
//! completions, recorded as tool `cursor-tab`), beforeSubmitPrompt, and postToolUse for the
//! agent's Write and StrReplace tools. Cursor sends its model and version with every event, and
//! reads the hook's stdout as JSON.

use serde_json::Value;

use super::json::{at, first_str, has, str_at, string};
use super::{Adapter, Edit, Event, NOT_AN_EDIT, Parsed, added_lines, edits, other_event, replacements};

pub struct Cursor;

/// Events this agent sends that carry nothing to record.
const KNOWN_EVENTS: &[&str] = &[
    "beforeShellExecution",
    "afterShellExecution",
    "beforeMCPExecution",
    "afterMCPExecution",
    "beforeReadFile",
    "beforeTabFileRead",
    "afterAgentResponse",
    "afterAgentThought",
    "stop",
    "sessionEnd",
    "preToolUse",
    "postToolUseFailure",
    "subagentStart",
    "subagentStop",
    "preCompact",
];

impl Adapter for Cursor {
    fn name(&self) -> &'static str {
        "cursor"
    }

    fn recognises(&self, p: &Value) -> bool {
        has(p, "cursor_version")
    }

    /// Cursor reads a hook's stdout as JSON: an empty object, or `continue` for a prompt.
    fn answer(&self, payload: &Value) -> Option<&'static str> {
        match str_at(payload, &["hook_event_name"]) {
            Some("beforeSubmitPrompt") => Some(r#"{"continue":true}"#),
            _ => Some("{}"),
        }
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let event_name = first_str(p, &["hook_event_name"]).ok_or("no hook_event_name")?;
        let mut tool = "cursor";
        let event = match event_name {
            "afterFileEdit" => file_edits(p)?,
            "afterTabFileEdit" => {
                tool = "cursor-tab";
                file_edits(p)?
            }
            "beforeSubmitPrompt" => {
                Event::Prompt(string(p, &["prompt"]).ok_or("beforeSubmitPrompt without a prompt")?)
            }
            "postToolUse" => tool_edits(p)?,
            "sessionStart" => Event::Model,
            other => other_event(other, KNOWN_EVENTS)?,
        };
        Ok(Parsed {
            tool: tool.into(),
            tool_version: string(p, &["cursor_version"]),
            // Tab completions come from Cursor's own model, not the chat model in the payload.
            model: if tool == "cursor-tab" {
                None
            } else {
                string(p, &["model"])
            },
            session: first_str(p, &["conversation_id", "session_id"]).map(str::to_string),
            cwd: first_str(p, &["cwd"]).or_else(|| first_root(p)).map(Into::into),
            event,
        })
    }
}

fn first_root(p: &Value) -> Option<&str> {
    at(p, &["workspace_roots"])?.as_array()?.first()?.as_str()
}

fn file_edits(p: &Value) -> Result<Event, String> {
    let path = str_at(p, &["file_path"]).ok_or("the edit names no file")?;
    Ok(replacements(
        path,
        at(p, &["edits"]).and_then(Value::as_array).ok_or("no edits")?,
    ))
}

fn tool_edits(p: &Value) -> Result<Event, String> {
    let input = p.get("tool_input").ok_or("postToolUse without tool_input")?;
    let Some(path) = first_str(input, &["file_path", "path", "filePath"]) else {
        return Ok(NOT_AN_EDIT);
    };
    let inserted = match str_at(p, &["tool_name"]).unwrap_or_default() {
        "Write" => str_at(input, &["content"]).map(|c| added_lines("", c)),
        "StrReplace" | "Edit" => Some(added_lines(
            str_at(input, &["old_string"]).unwrap_or_default(),
            str_at(input, &["new_string"]).unwrap_or_default(),
        )),
        _ => None,
    };
    Ok(inserted.map_or(NOT_AN_EDIT, |inserted| edits([Edit::applied(path, inserted)])))
}
