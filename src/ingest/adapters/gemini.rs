//! Gemini CLI hooks (`.gemini/settings.json`): BeforeAgent (the prompt), BeforeModel (the only
//! event that names the model), AfterTool for `replace` and `write_file`. Gemini reads the
//! hook's stdout as JSON, so lineage prints nothing.

use serde_json::Value;

use super::json::{first_str, has, str_at, string};
use super::{Adapter, Edit, Event, NOT_AN_EDIT, Parsed, added_lines, edits, other_event};

pub struct Gemini;

/// Events this agent sends that carry nothing to record.
const KNOWN_EVENTS: &[&str] = &[
    "SessionStart",
    "SessionEnd",
    "AfterAgent",
    "AfterModel",
    "BeforeToolSelection",
    "BeforeTool",
    "PreCompress",
    "Notification",
];

/// Events only Gemini CLI has.
const GEMINI_EVENTS: &[&str] = &[
    "BeforeAgent",
    "AfterAgent",
    "BeforeModel",
    "AfterModel",
    "BeforeTool",
    "AfterTool",
    "BeforeToolSelection",
];

impl Adapter for Gemini {
    fn name(&self) -> &'static str {
        "gemini-cli"
    }

    fn recognises(&self, p: &Value) -> bool {
        str_at(p, &["hook_event_name"]).is_some_and(|e| GEMINI_EVENTS.contains(&e))
            || str_at(p, &["transcript_path"]).is_some_and(|t| t.contains("/.gemini/"))
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let mut model = string(p, &["model"]);
        let event = match str_at(p, &["hook_event_name"]).ok_or("no hook_event_name")? {
            "BeforeAgent" => Event::Prompt(string(p, &["prompt"]).ok_or("BeforeAgent without a prompt")?),
            "BeforeModel" => {
                model = string(p, &["llm_request", "model"]);
                Event::Model
            }
            "AfterTool" => tool_edits(p)?,
            other => other_event(other, KNOWN_EVENTS)?,
        };
        Ok(Parsed {
            tool: "gemini-cli".into(),
            tool_version: None,
            model,
            session: string(p, &["session_id"]),
            cwd: str_at(p, &["cwd"]).map(Into::into),
            event,
        })
    }
}

fn tool_edits(p: &Value) -> Result<Event, String> {
    let input = p.get("tool_input").ok_or("AfterTool without tool_input")?;
    if has(p.get("tool_response").unwrap_or(&Value::Null), "error") {
        return Ok(Event::Nothing("the tool failed"));
    }
    let Some(path) = first_str(input, &["file_path", "absolute_path", "path"]) else {
        return Ok(NOT_AN_EDIT);
    };
    let inserted = match str_at(p, &["tool_name"]).unwrap_or_default() {
        "replace" => Some(added_lines(
            str_at(input, &["old_string"]).unwrap_or_default(),
            str_at(input, &["new_string"]).unwrap_or_default(),
        )),
        "write_file" => str_at(input, &["content"]).map(|content| {
            let before =
                str_at(p, &["tool_response", "returnDisplay", "originalContent"]).unwrap_or_default();
            added_lines(before, content)
        }),
        _ => None,
    };
    Ok(inserted.map_or(NOT_AN_EDIT, |inserted| edits([Edit::applied(path, inserted)])))
}
