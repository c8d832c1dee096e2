//! The generic format, for any tool without an adapter (docs/agent-hooks.md):
//!
//! ```json
//! {"event": "edit", "tool": "my-agent", "tool_version": "1.2", "model": "m", "session": "s",
//!  "cwd": "/abs/repo", "status": "applied",
//!  "edits": [{"file": "src/a.rs", "inserted": "…"},
//!            {"file": "src/b.rs", "old": "…", "new": "…"},
//!            {"file": "src/c.rs", "content": "…"}]}
//! {"event": "prompt", "tool": "my-agent", "session": "s", "prompt": "…"}
//! {"event": "session", "tool": "my-agent", "session": "s", "model": "m"}
//! ```

use serde_json::Value;

use super::json::{at, first_str, str_at, string};
use super::{Adapter, Edit, Event, Parsed, added_lines};
use crate::ingest::text::Inserted;
use crate::model::Status;

pub struct Generic;

impl Adapter for Generic {
    fn name(&self) -> &'static str {
        "generic"
    }

    fn recognises(&self, p: &Value) -> bool {
        str_at(p, &["event"]).is_some_and(|e| matches!(e, "edit" | "prompt" | "session"))
            && str_at(p, &["tool"]).is_some()
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let tool = string(p, &["tool"]).ok_or("the generic format needs a \"tool\"")?;
        let status = match str_at(p, &["status"]) {
            None | Some("applied") => Status::Applied,
            Some("rejected") => Status::Rejected,
            Some(other) => return Err(format!("status {other:?} is not applied or rejected")),
        };
        let event = match str_at(p, &["event"]).ok_or("the generic format needs an \"event\"")? {
            "prompt" => Event::Prompt(string(p, &["prompt"]).ok_or("a prompt event needs a \"prompt\"")?),
            "session" => Event::Model,
            "edit" => {
                let edits = at(p, &["edits"])
                    .and_then(Value::as_array)
                    .ok_or("an edit event needs \"edits\"")?;
                let mut out = Vec::new();
                for e in edits {
                    let path = first_str(e, &["file", "path"]).ok_or("every edit needs a \"file\"")?;
                    let inserted = match (
                        str_at(e, &["inserted"]),
                        str_at(e, &["new"]),
                        str_at(e, &["content"]),
                    ) {
                        (Some(inserted), _, _) => Inserted::from(inserted.to_string()),
                        (None, Some(new), _) => added_lines(str_at(e, &["old"]).unwrap_or_default(), new),
                        (None, None, Some(content)) => added_lines("", content),
                        _ => {
                            return Err(format!(
                                "the edit of {path} has no \"inserted\", \"new\" or \"content\""
                            ));
                        }
                    };
                    out.push(Edit {
                        path: path.to_string(),
                        inserted: inserted.text,
                        optional: inserted.optional,
                        written: inserted.written,
                        deleted: inserted.deleted,
                        removed: inserted.removed,
                        status,
                    });
                }
                Event::Edits(out)
            }
            other => return Err(format!("unknown event {other:?}")),
        };
        Ok(Parsed {
            tool,
            tool_version: string(p, &["tool_version"]),
            model: string(p, &["model"]),
            session: string(p, &["session"]),
            cwd: str_at(p, &["cwd"]).map(Into::into),
            event,
        })
    }
}
