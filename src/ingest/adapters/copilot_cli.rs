//! GitHub Copilot CLI hooks, in both spellings: camelCase (`sessionId`, `toolName`, `toolArgs`
//! as a JSON string, no event name: the fields tell the event) and the VS Code-compatible
//! snake_case (`hook_event_name`, `tool_input`). Tools `edit` (old_str/new_str) and `create`
//! (file_text). Copilot sends no model.

use serde_json::Value;

use super::json::{first_str, has, str_at, string};
use super::{Adapter, Edit, Event, NOT_AN_EDIT, Parsed, added_lines, edits, other_event};

pub struct CopilotCli;

/// Events this agent sends that carry nothing to record.
const KNOWN_EVENTS: &[&str] = &[
    "SessionStart",
    "SessionEnd",
    "PreToolUse",
    "Stop",
    "SubagentStop",
    "ErrorOccurred",
];

impl Adapter for CopilotCli {
    fn name(&self) -> &'static str {
        "copilot-cli"
    }

    fn recognises(&self, p: &Value) -> bool {
        let camel = has(p, "sessionId") && !has(p, "hook_event_name");
        // The snake_case form: like VS Code's, but without a transcript and with the CLI's
        // tool names.
        let snake = has(p, "hook_event_name")
            && has(p, "session_id")
            && has(p, "timestamp")
            && !has(p, "transcript_path")
            && !has(p, "permission_mode");
        camel || snake
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let event = match str_at(p, &["hook_event_name"]) {
            Some("PostToolUse") => {
                let input = p.get("tool_input").cloned().unwrap_or(Value::Null);
                let failed = str_at(p, &["tool_result", "result_type"]).is_some_and(|r| r != "success");
                tool_edit(str_at(p, &["tool_name"]).unwrap_or_default(), &input, failed)
            }
            Some("UserPromptSubmit") => {
                Event::Prompt(string(p, &["prompt"]).ok_or("UserPromptSubmit without a prompt")?)
            }
            Some(other) => other_event(other, KNOWN_EVENTS)?,
            None => camel_event(p)?,
        };
        Ok(Parsed {
            tool: "copilot".into(),
            tool_version: None,
            model: None,
            session: first_str(p, &["sessionId", "session_id"]).map(str::to_string),
            cwd: str_at(p, &["cwd"]).map(Into::into),
            event,
        })
    }
}

/// camelCase payloads name no event; their fields do.
fn camel_event(p: &Value) -> Result<Event, String> {
    if let Some(tool) = str_at(p, &["toolName"]) {
        let Some(result) = p.get("toolResult") else {
            return Ok(Event::Nothing("the edit is not applied yet"));
        };
        let args: Value = match p.get("toolArgs") {
            Some(Value::String(text)) => {
                serde_json::from_str(text).map_err(|e| format!("toolArgs is not JSON: {e}"))?
            }
            Some(args) => args.clone(),
            None => Value::Null,
        };
        let failed = str_at(result, &["resultType"]).is_some_and(|r| r != "success");
        return Ok(tool_edit(tool, &args, failed));
    }
    if let Some(prompt) = first_str(p, &["prompt", "initialPrompt"]) {
        return Ok(Event::Prompt(prompt.to_string()));
    }
    Ok(Event::Nothing("not an edit or prompt event"))
}

fn tool_edit(tool: &str, args: &Value, failed: bool) -> Event {
    if failed {
        return Event::Nothing("the tool failed");
    }
    let Some(path) = first_str(args, &["path", "file_path", "filePath"]) else {
        return NOT_AN_EDIT;
    };
    let inserted = match tool {
        "edit" | "str_replace" => Some(added_lines(
            first_str(args, &["old_str", "old_string"]).unwrap_or_default(),
            first_str(args, &["new_str", "new_string"]).unwrap_or_default(),
        )),
        "create" => first_str(args, &["file_text", "content"]).map(|c| added_lines("", c)),
        _ => None,
    };
    inserted.map_or(NOT_AN_EDIT, |inserted| edits([Edit::applied(path, inserted)]))
}
