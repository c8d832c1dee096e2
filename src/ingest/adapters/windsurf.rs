//! Windsurf Cascade hooks (`.windsurf/hooks.json`): `pre_user_prompt` and `post_write_code`.
//! Windsurf sends its model (`model_name`) with every event.

use serde_json::Value;

use super::json::{at, has, str_at, string};
use super::{Adapter, Event, Parsed, other_event, replacements};

pub struct Windsurf;

/// Events this agent sends that carry nothing to record.
const KNOWN_EVENTS: &[&str] = &[
    "pre_read_code",
    "post_read_code",
    "pre_write_code",
    "pre_run_command",
    "post_run_command",
    "pre_mcp_tool_use",
    "post_mcp_tool_use",
    "post_cascade_response",
    "post_setup_worktree",
];

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
                replacements(
                    path,
                    at(p, &["tool_info", "edits"])
                        .and_then(Value::as_array)
                        .ok_or("no edits")?,
                )
            }
            other => other_event(other, KNOWN_EVENTS)?,
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
