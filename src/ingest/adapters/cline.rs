//! Cline hooks (scripts in `.clinerules/hooks/`): TaskStart (the initial task is the first
//! prompt), UserPromptSubmit, PostToolUse for `write_to_file` and `replace_in_file` (whose
//! SEARCH/REPLACE blocks become one edit each). Paths are relative to the first workspace
//! root. Cline reads the hook's stdout and expects `{"cancel": false}`.

use serde_json::Value;

use super::json::{at, has, str_at, string};
use super::{Adapter, Edit, Event, NOT_AN_EDIT, Parsed, added_lines, edits, other_event};

pub struct Cline;

/// Events this agent sends that carry nothing to record.
const KNOWN_EVENTS: &[&str] = &[
    "TaskResume",
    "TaskCancel",
    "TaskComplete",
    "PreToolUse",
    "PreCompact",
];

impl Adapter for Cline {
    fn name(&self) -> &'static str {
        "cline"
    }

    fn recognises(&self, p: &Value) -> bool {
        has(p, "clineVersion") || (has(p, "hookName") && has(p, "taskId"))
    }

    fn answer(&self, _payload: &Value) -> Option<&'static str> {
        Some(r#"{"cancel":false}"#)
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        let event = match str_at(p, &["hookName"]).ok_or("no hookName")? {
            "TaskStart" => match str_at(p, &["taskStart", "taskMetadata", "initialTask"]) {
                Some(task) => Event::Prompt(task.to_string()),
                None => Event::Model,
            },
            "UserPromptSubmit" => Event::Prompt(
                string(p, &["userPromptSubmit", "prompt"]).ok_or("UserPromptSubmit without a prompt")?,
            ),
            "PostToolUse" => tool_edits(p.get("postToolUse").ok_or("PostToolUse without postToolUse")?)?,
            other => other_event(other, KNOWN_EVENTS)?,
        };
        let model = match p.get("model") {
            Some(Value::String(model)) => Some(model.clone()),
            Some(model) => string(model, &["slug"]).or_else(|| string(model, &["id"])),
            None => None,
        };
        Ok(Parsed {
            tool: "cline".into(),
            tool_version: string(p, &["clineVersion"]),
            model,
            session: string(p, &["taskId"]),
            cwd: at(p, &["workspaceRoots"])
                .and_then(Value::as_array)
                .and_then(|roots| roots.first())
                .and_then(Value::as_str)
                .map(Into::into),
            event,
        })
    }
}

fn tool_edits(post: &Value) -> Result<Event, String> {
    if post.get("success").and_then(Value::as_bool) == Some(false) {
        return Ok(Event::Nothing("the tool failed or was denied"));
    }
    let params = post.get("parameters").ok_or("PostToolUse without parameters")?;
    let Some(path) = str_at(params, &["path"]) else {
        return Ok(NOT_AN_EDIT);
    };
    Ok(match str_at(post, &["toolName"]).unwrap_or_default() {
        "write_to_file" => edits([Edit::applied(
            path,
            added_lines("", str_at(params, &["content"]).unwrap_or_default()),
        )]),
        "replace_in_file" => edits(
            search_replace_blocks(str_at(params, &["diff"]).unwrap_or_default())
                .into_iter()
                .map(|(search, replace)| Edit::applied(path, added_lines(&search, &replace))),
        ),
        _ => NOT_AN_EDIT,
    })
}

/// The (search, replace) pairs of a Cline diff: `------- SEARCH` … `=======` … `+++++++ REPLACE`
/// (or the older `<<<<<<< SEARCH` … `>>>>>>> REPLACE`).
fn search_replace_blocks(diff: &str) -> Vec<(String, String)> {
    enum State {
        Outside,
        Search,
        Replace,
    }
    let mut blocks = Vec::new();
    let (mut search, mut replace) = (String::new(), String::new());
    let mut state = State::Outside;
    for line in diff.lines() {
        let marker = line.trim_end();
        match state {
            State::Outside if marker.ends_with("SEARCH") && marker.starts_with(['-', '<']) => {
                search.clear();
                replace.clear();
                state = State::Search;
            }
            State::Search if marker == "=======" => state = State::Replace,
            State::Replace if marker.ends_with("REPLACE") && marker.starts_with(['+', '>']) => {
                blocks.push((std::mem::take(&mut search), std::mem::take(&mut replace)));
                state = State::Outside;
            }
            State::Search => {
                search.push_str(line);
                search.push('\n');
            }
            State::Replace => {
                replace.push_str(line);
                replace.push('\n');
            }
            State::Outside => {}
        }
    }
    blocks
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_in_both_marker_styles() {
        let diff = "------- SEARCH\na\n=======\na\nb\n+++++++ REPLACE\n<<<<<<< SEARCH\nx\n=======\ny\n>>>>>>> REPLACE\n";
        assert_eq!(
            search_replace_blocks(diff),
            vec![("a\n".into(), "a\nb\n".into()), ("x\n".into(), "y\n".into())]
        );
    }
}
