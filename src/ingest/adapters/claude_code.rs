//! Claude Code hooks (`.claude/settings.json`): SessionStart (the only event with the model),
//! UserPromptSubmit, PostToolUse for Edit, MultiEdit, Write and NotebookEdit. Failed and
//! pre-tool events record nothing.

use serde_json::Value;

use super::json::{at, first_str, has, str_at, string};
use super::{
    Adapter, Edit, Event, NOT_AN_EDIT, Parsed, added_lines, edits, notebook_source_lines, other_event,
    replacements,
};

pub struct ClaudeCode;

/// Events this agent sends that carry nothing to record.
const KNOWN_EVENTS: &[&str] = &[
    "SessionEnd",
    "Stop",
    "SubagentStart",
    "SubagentStop",
    "Notification",
    "PreCompact",
    "PermissionRequest",
];

impl Adapter for ClaudeCode {
    fn name(&self) -> &'static str {
        "claude-code"
    }

    fn recognises(&self, p: &Value) -> bool {
        has(p, "hook_event_name")
            && has(p, "session_id")
            && (str_at(p, &["transcript_path"]).is_some_and(|t| t.contains("/.claude/"))
                || has(p, "permission_mode"))
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let event = match str_at(p, &["hook_event_name"]).ok_or("no hook_event_name")? {
            "SessionStart" => Event::Model,
            "UserPromptSubmit" => match str_at(p, &["prompt"]) {
                Some(prompt) => Event::Prompt(prompt.to_string()),
                None => return Err("UserPromptSubmit without a prompt".into()),
            },
            "PostToolUse" => tool_edits(p)?,
            "PostToolUseFailure" => Event::Nothing("the tool failed"),
            "PreToolUse" => Event::Nothing("the edit is not applied yet"),
            other => other_event(other, KNOWN_EVENTS)?,
        };
        Ok(Parsed {
            tool: "claude-code".into(),
            tool_version: None,
            model: string(p, &["model"]),
            session: string(p, &["session_id"]),
            cwd: str_at(p, &["cwd"]).map(Into::into),
            event,
        })
    }
}

/// The edits of a PostToolUse payload, from the tool's input (and its response, which holds
/// the file as it was before a Write).
pub(super) fn tool_edits(p: &Value) -> Result<Event, String> {
    let input = p.get("tool_input").ok_or("PostToolUse without tool_input")?;
    let path = first_str(input, &["file_path", "filePath", "path", "notebook_path"])
        .ok_or("the tool input names no file");
    Ok(match str_at(p, &["tool_name"]).unwrap_or_default() {
        "Edit" => {
            let old = first_str(input, &["old_string"]).unwrap_or_default();
            let new = first_str(input, &["new_string"]).ok_or("Edit without new_string")?;
            let mut inserted = added_lines(old, new);
            // Everything before the replaced text is unchanged: where it was in the file as
            // it was is where the new text starts (when it occurred once, as Edit requires).
            if let (Some(written), Some(original)) = (
                inserted.written.as_mut(),
                str_at(p, &["tool_response", "originalFile"]),
            ) && !old.is_empty()
            {
                let mut found = original.match_indices(old).map(|(at, _)| at);
                if let (Some(at), None) = (found.next(), found.next()) {
                    written.offset = Some(at);
                }
            }
            edits([Edit::applied(path?, inserted)])
        }
        "MultiEdit" => replacements(
            path?,
            at(input, &["edits"])
                .and_then(Value::as_array)
                .ok_or("MultiEdit without edits")?,
        ),
        "Write" => {
            let content = str_at(input, &["content"]).ok_or("Write without content")?;
            let before = str_at(p, &["tool_response", "originalFile"]).unwrap_or_default();
            edits([Edit::applied(path?, added_lines(before, content))])
        }
        "NotebookEdit" if str_at(input, &["edit_mode"]) == Some("delete") => {
            Event::Nothing("a notebook cell was deleted")
        }
        "NotebookEdit" => {
            let source = str_at(input, &["new_source"]).ok_or("NotebookEdit without new_source")?;
            edits([Edit::applied(path?, notebook_source_lines(source))])
        }
        _ => NOT_AN_EDIT,
    })
}
