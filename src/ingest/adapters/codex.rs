//! OpenAI Codex CLI hooks: SessionStart, UserPromptSubmit, PostToolUse for `apply_patch` (the
//! patch text is parsed into per-file inserted lines), and the legacy `notify` program's
//! `agent-turn-complete` payload, which Codex passes as the last command-line argument.
//! Codex sends its model with every hook event.

use serde_json::Value;

use super::json::{at, has, str_at, string};
use super::{Adapter, Edit, Event, Parsed, edits, other_event};

pub struct Codex;

/// Events this agent sends that carry nothing to record.
const KNOWN_EVENTS: &[&str] = &["SessionEnd", "PreToolUse", "Stop", "PermissionRequest"];

impl Adapter for Codex {
    fn name(&self) -> &'static str {
        "codex"
    }

    fn recognises(&self, p: &Value) -> bool {
        let hooks = has(p, "hook_event_name")
            && (has(p, "turn_id") || str_at(p, &["transcript_path"]).is_some_and(|t| t.contains("/.codex/")));
        let notify = str_at(p, &["type"]).is_some_and(|t| t == "agent-turn-complete") && has(p, "thread-id");
        hooks || notify
    }

    fn parse(&self, p: &Value) -> Result<Parsed, String> {
        if str_at(p, &["type"]) == Some("agent-turn-complete") {
            // The turn is over: its edits were already recorded, so the prompt only links later
            // edits of the same thread (the last input message is the newest prompt).
            let prompt = at(p, &["input-messages"])
                .and_then(Value::as_array)
                .and_then(|m| m.last())
                .and_then(Value::as_str);
            return Ok(Parsed {
                tool: "codex".into(),
                tool_version: None,
                model: None,
                session: string(p, &["thread-id"]),
                cwd: str_at(p, &["cwd"]).map(Into::into),
                event: match prompt {
                    Some(prompt) => Event::Prompt(prompt.to_string()),
                    None => Event::Nothing("the turn carried no prompt"),
                },
            });
        }
        let event = match str_at(p, &["hook_event_name"]).ok_or("no hook_event_name")? {
            "SessionStart" => Event::Model,
            "UserPromptSubmit" => {
                Event::Prompt(string(p, &["prompt"]).ok_or("UserPromptSubmit without a prompt")?)
            }
            "PostToolUse" if str_at(p, &["tool_name"]) == Some("apply_patch") => {
                let patch = str_at(p, &["tool_input", "command"])
                    .or_else(|| str_at(p, &["tool_input", "patch"]))
                    .or_else(|| str_at(p, &["tool_input", "input"]))
                    .ok_or("apply_patch without a patch")?;
                edits(parse_patch(patch)?)
            }
            "PostToolUse" => Event::Nothing("the tool does not edit files"),
            other => other_event(other, KNOWN_EVENTS)?,
        };
        Ok(Parsed {
            tool: "codex".into(),
            tool_version: None,
            model: string(p, &["model"]),
            session: string(p, &["session_id"]),
            cwd: str_at(p, &["cwd"]).map(Into::into),
            event,
        })
    }
}

/// The added lines of each file in an `apply_patch` patch (`*** Add File:`, `*** Update File:`
/// with `+` lines, an optional `*** Move to:`), one edit per file; a file the patch only
/// deletes from comes with nothing inserted.
pub(super) fn parse_patch(patch: &str) -> Result<Vec<Edit>, String> {
    let mut edits: Vec<Edit> = Vec::new();
    let mut current: Option<Edit> = None;
    for line in patch.lines() {
        let header = |prefix: &str| line.strip_prefix(prefix).map(str::trim);
        if let Some(path) = header("*** Add File:").or_else(|| header("*** Update File:")) {
            edits.extend(current.take());
            current = Some(Edit::applied(path, String::new()));
        } else if let Some(path) = header("*** Move to:") {
            if let Some(edit) = current.as_mut() {
                edit.path = path.to_string();
            }
        } else if line.starts_with("*** ") {
            // Delete File, Begin/End Patch, End of File: no added lines.
            edits.extend(current.take());
        } else if let (Some(edit), Some(added)) = (current.as_mut(), line.strip_prefix('+')) {
            edit.inserted.push_str(added);
            edit.inserted.push('\n');
        }
    }
    edits.extend(current);
    if !patch.trim_start().starts_with("*** Begin Patch") {
        return Err("the apply_patch input is not a patch (no `*** Begin Patch`)".into());
    }
    Ok(edits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_with_update_add_move_and_delete() {
        let patch = "*** Begin Patch\n*** Update File: a.rs\n@@ fn a\n ctx\n-old\n+new\n+more\n*** Add File: b.rs\n+one\n+two\n*** Update File: c.rs\n*** Move to: d.rs\n@@\n-x\n+y\n*** Delete File: e.rs\n*** End Patch\n";
        let edits = parse_patch(patch).unwrap();
        let got: Vec<(&str, &str)> = edits
            .iter()
            .map(|e| (e.path.as_str(), e.inserted.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![("a.rs", "new\nmore\n"), ("b.rs", "one\ntwo\n"), ("d.rs", "y\n")]
        );
        assert!(parse_patch("rm -rf /").is_err());
    }
}
