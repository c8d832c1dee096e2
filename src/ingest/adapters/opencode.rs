//! OpenCode, through the plugin `lineage agent install opencode` writes: it pipes each
//! plugin callback as `{"hook", "input", "output"}` (or `{"hook": "event", "event"}`) to
//! `lineage record --from opencode`. `tool.execute.after` for `edit`, `write` and `multiedit`
//! carries the edits; assistant `message.updated` events name the model.

use serde_json::Value;

use super::json::{at, first_str, str_at, string};
use super::{Adapter, Edit, Event, NOT_AN_EDIT, Parsed, added_lines, edits};

pub struct OpenCode;

impl Adapter for OpenCode {
    fn name(&self) -> &'static str {
        "opencode"
    }

    fn recognises(&self, p: &Value) -> bool {
        str_at(p, &["hook"])
            .is_some_and(|h| h == "event" || h.starts_with("tool.execute.") || h.starts_with("chat."))
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let mut parsed = Parsed {
            tool: "opencode".into(),
            tool_version: None,
            model: None,
            session: None,
            cwd: None,
            event: Event::Nothing("not an edit or prompt event"),
        };
        match str_at(p, &["hook"]).unwrap_or_default() {
            "tool.execute.after" => {
                let input = p.get("input").ok_or("tool.execute.after without input")?;
                parsed.session = string(input, &["sessionID"]);
                parsed.event = tool_edits(input, p.get("output").unwrap_or(&Value::Null));
            }
            "event" => {
                let info = at(p, &["event", "properties", "info"]).unwrap_or(&Value::Null);
                match str_at(p, &["event", "type"]).unwrap_or_default() {
                    "message.updated" if str_at(info, &["role"]) == Some("assistant") => {
                        parsed.session = string(info, &["sessionID"]);
                        parsed.model = string(info, &["modelID"]);
                        parsed.event = Event::Model;
                    }
                    "session.created" => {
                        parsed.session = string(info, &["id"]);
                        parsed.cwd = str_at(info, &["directory"]).map(Into::into);
                    }
                    _ => {}
                }
            }
            "chat.message" => {
                // A user message: its text parts are the prompt.
                let text: Vec<&str> = at(p, &["output", "parts"])
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter(|part| str_at(part, &["type"]) == Some("text"))
                    .filter_map(|part| str_at(part, &["text"]))
                    .collect();
                parsed.session = string(p, &["input", "sessionID"]);
                parsed.model = string(p, &["input", "model", "modelID"]);
                if !text.is_empty() {
                    parsed.event = Event::Prompt(text.join("\n"));
                }
            }
            _ => {}
        }
        Ok(parsed)
    }
}

fn tool_edits(input: &Value, output: &Value) -> Event {
    let args = input.get("args").unwrap_or(&Value::Null);
    let edit = |args: &Value, before: &str| -> Option<Edit> {
        let path = first_str(args, &["filePath", "file_path", "path"])?;
        let inserted = match first_str(args, &["newString", "new_string"]) {
            Some(new) => added_lines(
                first_str(args, &["oldString", "old_string"]).unwrap_or_default(),
                new,
            ),
            None => added_lines(before, first_str(args, &["content"])?),
        };
        Some(Edit::applied(path, inserted))
    };
    let before = str_at(output, &["metadata", "filediff", "before"]).unwrap_or_default();
    match str_at(input, &["tool"]).unwrap_or_default() {
        "edit" | "write" => edits(edit(args, before)),
        "multiedit" => {
            let path = first_str(args, &["filePath", "file_path"]).unwrap_or_default();
            edits(
                at(args, &["edits"])
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|e| {
                        let mut e = e.clone();
                        e.as_object_mut()?
                            .entry("filePath")
                            .or_insert_with(|| path.into());
                        edit(&e, "")
                    }),
            )
        }
        _ => NOT_AN_EDIT,
    }
}
