//! Windsurf Cascade hooks (`.windsurf/hooks.json`): `pre_user_prompt` and `post_write_code`.
//! Windsurf sends its model (`model_name`) with every event.

use serde_json::Value;

use super::json::{at, has, str_at, string};
use super::{Adapter, Edit, Event, Parsed, added_lines};
use crate::model::Status;

pub struct Windsurf;

impl Adapter for Windsurf {
    fn name(&self) -> &'static str {
        "windsurf"
    }

    fn recognises(&self, p: &Value) -> bool {
        has(p, "agent_action_name")
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let event = match str_at(p, &["agent_action_name"]).unwrap_or_default() {
            "pre_user_prompt" => Event::Prompt(
                string(p, &["tool_info", "user_prompt"]).ok_or("pre_user_prompt without a user_prompt")?,
            ),
            "post_write_code" => {
                let path = str_at(p, &["tool_info", "file_path"]).ok_or("post_write_code names no file")?;
                let edits = at(p, &["tool_info", "edits"]).and_then(Value::as_array).ok_or("no edits")?;
                Event::Edits(
                    edits
                        .iter()
                        .map(|e| Edit {
                            path: path.to_string(),
                            inserted: added_lines(
                                str_at(e, &["old_string"]).unwrap_or_default(),
                                str_at(e, &["new_string"]).unwrap_or_default(),
                            ),
                            status: Status::Applied,
                        })
                        .filter(|e| !e.inserted.trim().is_empty())
                        .collect(),
                )
            }
            _ => Event::Nothing("not an edit or prompt event"),
        };
        Ok(Parsed {
            tool: "windsurf".into(),
            tool_version: None,
            model: string(p, &["model_name"]),
            session: string(p, &["trajectory_id"]),
            cwd: None,
            event,
        })
    }
}
