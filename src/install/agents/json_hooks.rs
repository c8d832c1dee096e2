//! Hooks in a JSON settings file (Claude Code, Cursor, Gemini CLI, Windsurf): a `hooks` object
//! mapping each event to a list of entries. Edited through a concrete syntax tree, so the
//! user's comments, key order and formatting survive.

use std::path::Path;

use anyhow::Result;
use jsonc_parser::ParseOptions;
use jsonc_parser::cst::{CstArray, CstInputValue, CstRootNode};
use serde_json::Value;

use super::{Outcome, is_lineage_command, read_config, remove_file, write_file};
use crate::error::user_error;

pub struct Spec {
    /// Events, each with the tool matcher to use (where the agent has matchers).
    events: &'static [(&'static str, Option<&'static str>)],
    /// `{"matcher", "hooks": [handler]}` groups (Claude Code, Gemini), or bare handlers.
    grouped: bool,
    /// A top-level `"version": 1` the file needs (Cursor).
    versioned: bool,
    /// Extra handler fields besides `command`.
    extra: &'static [(&'static str, Extra)],
}

#[derive(Clone, Copy)]
enum Extra {
    Text(&'static str),
    Number(u32),
    Flag(bool),
}

pub const CLAUDE_CODE: Spec = Spec {
    events: &[
        ("PostToolUse", Some("Edit|MultiEdit|Write|NotebookEdit")),
        ("UserPromptSubmit", None),
        ("SessionStart", None),
    ],
    grouped: true,
    versioned: false,
    extra: &[("type", Extra::Text("command")), ("timeout", Extra::Number(10))],
};

pub const CURSOR: Spec = Spec {
    events: &[
        ("afterFileEdit", None),
        ("afterTabFileEdit", None),
        ("beforeSubmitPrompt", None),
    ],
    grouped: false,
    versioned: true,
    extra: &[("timeout", Extra::Number(10))],
};

pub const GEMINI: Spec = Spec {
    events: &[
        ("AfterTool", Some("write_file|replace")),
        ("BeforeAgent", None),
        ("BeforeModel", None),
    ],
    grouped: true,
    versioned: false,
    // Gemini's timeouts are in milliseconds; `name` is what `/hooks disable` takes.
    extra: &[
        ("name", Extra::Text("lineage")),
        ("type", Extra::Text("command")),
        ("timeout", Extra::Number(10_000)),
    ],
};

pub const WINDSURF: Spec = Spec {
    events: &[("post_write_code", None), ("pre_user_prompt", None)],
    grouped: false,
    versioned: false,
    extra: &[("show_output", Extra::Flag(false))],
};

impl Spec {
    fn handler(&self, command: &str) -> CstInputValue {
        let mut fields: Vec<(String, CstInputValue)> = self
            .extra
            .iter()
            .map(|(key, value)| {
                let value = match value {
                    Extra::Text(text) => CstInputValue::String((*text).into()),
                    Extra::Number(n) => CstInputValue::Number(n.to_string()),
                    Extra::Flag(b) => CstInputValue::Bool(*b),
                };
                ((*key).to_string(), value)
            })
            .collect();
        let at = fields
            .iter()
            .position(|(k, _)| k == "timeout" || k == "show_output")
            .unwrap_or(fields.len());
        fields.insert(at, ("command".into(), CstInputValue::String(command.into())));
        CstInputValue::Object(fields)
    }

    fn entry(&self, matcher: Option<&str>, command: &str) -> CstInputValue {
        if !self.grouped {
            return self.handler(command);
        }
        let mut group = Vec::new();
        if let Some(matcher) = matcher {
            group.push(("matcher".to_string(), CstInputValue::String(matcher.into())));
        }
        group.push((
            "hooks".to_string(),
            CstInputValue::Array(vec![self.handler(command)]),
        ));
        CstInputValue::Object(group)
    }

    /// Whether an entry of an event's list is (or, grouped, holds) lineage's handler.
    fn holds_lineage(&self, entry: &Value) -> bool {
        if self.grouped {
            entry["hooks"]
                .as_array()
                .is_some_and(|hooks| hooks.iter().any(is_lineage_handler))
        } else {
            is_lineage_handler(entry)
        }
    }
}

fn is_lineage_handler(handler: &Value) -> bool {
    handler["command"].as_str().is_some_and(is_lineage_command)
}

fn parse(path: &Path, text: &str) -> Result<CstRootNode> {
    CstRootNode::parse(text, &ParseOptions::default()).map_err(|e| {
        user_error(
            format!("cannot read {}: {e}", path.display()),
            "fix the file's JSON (or move it aside), then install again",
        )
    })
}

fn not_an_object(path: &Path, what: &str) -> anyhow::Error {
    user_error(
        format!(
            "{what} in {} is not what lineage expects, so it was left alone",
            path.display()
        ),
        "fix that key by hand (it should hold an object of event lists), then install again",
    )
}

pub fn install(path: &Path, spec: &Spec, command: &str) -> Result<Outcome> {
    let text = read_config(path)?.unwrap_or_else(|| "{}\n".to_string());
    let root = parse(path, &text)?;
    if root.value().is_none() {
        root.object_value_or_set();
    }
    let top = root
        .object_value()
        .ok_or_else(|| not_an_object(path, "the top level"))?;
    if spec.versioned && top.get("version").is_none() {
        top.insert(0, "version", CstInputValue::Number("1".into()));
    }
    let hooks = top
        .object_value_or_create("hooks")
        .ok_or_else(|| not_an_object(path, "\"hooks\""))?;
    let mut added = 0;
    for (event, matcher) in spec.events {
        let list: CstArray = hooks
            .array_value_or_create(event)
            .ok_or_else(|| not_an_object(path, &format!("\"hooks\".\"{event}\"")))?;
        let present = list
            .elements()
            .iter()
            .any(|e| e.to_serde_value().is_some_and(|v| spec.holds_lineage(&v)));
        if !present {
            list.append(spec.entry(*matcher, command));
            added += 1;
        }
    }
    if added == 0 {
        return Ok(Outcome::Unchanged);
    }
    write_file(path, &root.to_string())?;
    Ok(Outcome::Added(added))
}

pub fn uninstall(path: &Path, spec: &Spec) -> Result<Outcome> {
    let Some(text) = read_config(path)? else {
        return Ok(Outcome::NotInstalled);
    };
    let root = parse(path, &text)?;
    let Some(hooks) = root.object_value().and_then(|top| top.object_value("hooks")) else {
        return Ok(Outcome::NotInstalled);
    };
    let mut removed = 0;
    for (event, _) in spec.events {
        let Some(prop) = hooks.get(event) else { continue };
        let Some(list) = prop.array_value() else { continue };
        for element in list.elements() {
            let Some(value) = element.to_serde_value() else {
                continue;
            };
            if !spec.holds_lineage(&value) {
                continue;
            }
            removed += 1;
            // In a group, only lineage's handlers go; the group goes when nothing else is left.
            let group_hooks = element.as_object().and_then(|group| group.array_value("hooks"));
            match group_hooks {
                Some(handlers) if spec.grouped => {
                    for handler in handlers.elements() {
                        if handler.to_serde_value().is_some_and(|h| is_lineage_handler(&h)) {
                            handler.remove();
                        }
                    }
                    if handlers.elements().is_empty() {
                        element.remove();
                    }
                }
                _ => element.remove(),
            }
        }
        if list.elements().is_empty() {
            prop.remove();
        }
    }
    if removed == 0 {
        return Ok(Outcome::NotInstalled);
    }
    let top = root.object_value().expect("checked above");
    if top
        .object_value("hooks")
        .is_some_and(|h| h.properties().is_empty())
    {
        top.get("hooks").expect("just found").remove();
    }
    // A file that holds nothing but what lineage put there was lineage's to begin with.
    let left: Vec<String> = top.properties().iter().filter_map(|p| p.decoded_name()).collect();
    if left.is_empty() || (spec.versioned && left == ["version"]) {
        remove_file(path)?;
    } else {
        write_file(path, &root.to_string())?;
    }
    Ok(Outcome::Removed(removed))
}

pub fn installed(path: &Path, spec: &Spec) -> bool {
    let Some(value) = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| CstRootNode::parse(&text, &ParseOptions::default()).ok())
        .and_then(|root| root.value()?.to_serde_value())
    else {
        return false;
    };
    spec.events.iter().all(|(event, _)| {
        value["hooks"][event]
            .as_array()
            .is_some_and(|list| list.iter().any(|e| spec.holds_lineage(e)))
    })
}
