//! Agent hook payloads → lineage events. One file per payload format, all behind [`Adapter`].
//!
//! An adapter reads one JSON payload (what the agent's hook sends on stdin) and says what it
//! means: a prompt to remember for the session, a model to remember, file edits with the text
//! the AI inserted, or nothing to record. It does no I/O: `ops/record_hook.rs` resolves paths,
//! keeps session state and writes the journal.
//!
//! Agents run each other's hook files (Cursor and VS Code read `.claude/settings.json`), so the
//! payload's shape decides which adapter reads it ([`detect`]), not only the `--from` flag.

mod claude_code;
mod cline;
mod codex;
mod copilot_cli;
mod cursor;
mod gemini;
mod generic;
mod opencode;
mod vscode_copilot;
mod windsurf;

use std::path::PathBuf;

use serde_json::Value;

use crate::model::Status;

use super::text::{Inserted, Written, added_lines, notebook_source_lines};

/// What a payload means for lineage.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The user submitted a prompt: the session's next edits link to it.
    Prompt(String),
    /// The session announced its model (Claude Code only does at SessionStart).
    Model,
    /// The agent changed files.
    Edits(Vec<Edit>),
    /// Nothing to record (a shell command, a read, a stop, a failed tool), and why.
    Nothing(&'static str),
}

/// One file edit, as the agent reported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Edit {
    /// As the payload gives it: absolute, or relative to [`Parsed::cwd`].
    pub path: String,
    /// The lines the AI inserted (not the context it repeated).
    pub inserted: String,
    /// Lines of `inserted` (by index) the edit kept from what it replaced, between lines it
    /// changed: they may bind along with the changed ones, never alone.
    pub optional: Vec<usize>,
    /// The whole text the edit wrote at its place, and the line of it where `inserted` starts.
    pub written: Option<Written>,
    /// How many lines the edit removed or replaced.
    pub deleted: usize,
    /// The lines it removed or replaced, when the payload tells them.
    pub removed: Vec<String>,
    pub status: Status,
}

/// A payload, read.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// The tool to record: `claude-code`, `cursor`, `cursor-tab`, `codex`, …
    pub tool: String,
    pub tool_version: Option<String>,
    pub model: Option<String>,
    pub session: Option<String>,
    /// The directory the agent works in (its cwd or first workspace root).
    pub cwd: Option<PathBuf>,
    pub event: Event,
}

pub trait Adapter: Sync {
    /// The name `--from` takes, and the `source` recorded in entries.
    fn name(&self) -> &'static str;
    /// Whether the payload has this agent's shape.
    fn recognises(&self, payload: &Value) -> bool;
    fn parse(&self, payload: &Value) -> Result<Parsed, String>;
    /// What the agent expects on stdout in hook mode, if anything (most need silence: some
    /// agents feed a prompt hook's stdout to the model). `payload` is `Null` when unreadable.
    fn answer(&self, _payload: &Value) -> Option<&'static str> {
        None
    }
}

/// In detection order: the most distinctive shapes first; Claude Code's plain shape, which
/// others imitate, and the generic format last.
static ADAPTERS: &[&dyn Adapter] = &[
    &cursor::Cursor,
    &cline::Cline,
    &windsurf::Windsurf,
    &opencode::OpenCode,
    &copilot_cli::CopilotCli,
    &codex::Codex,
    &gemini::Gemini,
    &vscode_copilot::VsCodeCopilot,
    &claude_code::ClaudeCode,
    &generic::Generic,
];

/// Every adapter's name, for help texts and errors.
pub fn names() -> Vec<&'static str> {
    ADAPTERS.iter().map(|a| a.name()).collect()
}

pub fn by_name(name: &str) -> Option<&'static dyn Adapter> {
    let name = match name {
        "copilot" => "copilot-cli",
        "gemini" => "gemini-cli",
        "claude" => "claude-code",
        other => other,
    };
    ADAPTERS.iter().copied().find(|a| a.name() == name)
}

/// The adapter whose shape the payload has.
pub fn detect(payload: &Value) -> Option<&'static dyn Adapter> {
    ADAPTERS.iter().copied().find(|a| a.recognises(payload))
}

/// The adapter to read `payload` with when the hook was wired for `wired`: the payload's own
/// shape wins (another agent may be running this agent's hook file), and a payload of no known
/// shape is read as `wired` says.
pub fn choose(wired: Option<&'static dyn Adapter>, payload: &Value) -> Option<&'static dyn Adapter> {
    detect(payload).or(wired)
}

impl Edit {
    /// An edit the agent applied to `path`, inserting `inserted`.
    fn applied(path: impl Into<String>, inserted: impl Into<Inserted>) -> Edit {
        let inserted = inserted.into();
        Edit {
            path: path.into(),
            inserted: inserted.text,
            optional: inserted.optional,
            written: inserted.written,
            deleted: inserted.deleted,
            removed: inserted.removed,
            status: Status::Applied,
        }
    }
}

/// The event of these edits, less those that changed nothing lineage can count.
fn edits(edits: impl IntoIterator<Item = Edit>) -> Event {
    Event::Edits(
        edits
            .into_iter()
            .filter(|e| !e.inserted.is_empty() || e.deleted > 0)
            .collect(),
    )
}

/// Edits of `path` given as `{old_string, new_string}` replacements (Cursor, Windsurf, Claude
/// Code's MultiEdit): one edit each.
fn replacements(path: &str, list: &[Value]) -> Event {
    edits(list.iter().map(|e| {
        let old = json::str_at(e, &["old_string"]).unwrap_or_default();
        let new = json::str_at(e, &["new_string"]).unwrap_or_default();
        Edit::applied(path, added_lines(old, new))
    }))
}

/// What a tool that changed no file means.
const NOT_AN_EDIT: Event = Event::Nothing("the tool does not edit files");

/// What an event the adapter does not record means: nothing, when the agent has such an event
/// (a stop, a shell command); an error for a name the agent never sends.
fn other_event(name: &str, known: &[&str]) -> Result<Event, String> {
    if known.contains(&name) {
        Ok(Event::Nothing("not an edit or prompt event"))
    } else {
        Err(format!("unknown event {name:?}"))
    }
}

/// Small readers for JSON payloads.
pub(crate) mod json {
    use serde_json::Value;

    /// The string at `path` (object keys), if there is one.
    pub fn str_at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a str> {
        at(value, path)?.as_str()
    }

    pub fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
        path.iter().try_fold(value, |v, key| v.get(key))
    }

    /// The first of several spellings that is present (`file_path`, `filePath`, `path`).
    pub fn first_str<'a>(value: &'a Value, keys: &[&str]) -> Option<&'a str> {
        keys.iter().find_map(|k| value.get(k)?.as_str())
    }

    pub fn string(value: &Value, path: &[&str]) -> Option<String> {
        str_at(value, path).map(str::to_string)
    }

    pub fn has(value: &Value, key: &str) -> bool {
        value.get(key).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixtures() -> Vec<(String, Value)> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/agent-payloads");
        let mut all: Vec<(String, Value)> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .map(|p| {
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap())
            })
            .collect();
        all.sort_by(|a, b| a.0.cmp(&b.0));
        all
    }

    fn expected_adapter(file: &str) -> &'static str {
        let agent = file.split('.').next().unwrap();
        match agent {
            "gemini" => "gemini-cli",
            other => by_name(other)
                .map(|a| a.name())
                .unwrap_or_else(|| panic!("no adapter for {file}")),
        }
    }

    /// What each fixture must mean: edits, a prompt, a model, or nothing.
    fn expected_kind(file: &str) -> &'static str {
        const EDITS: &[&str] = &[
            "post-tool-use.",
            "after-file-edit",
            "after-tab-file-edit",
            "post-write-code",
            "after-tool.",
            "tool-execute-after",
        ];
        const PROMPTS: &[&str] = &[
            "user-prompt-submit",
            "before-submit-prompt",
            "pre-user-prompt",
            "before-agent",
            "notify.agent-turn-complete",
            "cline.task-start",
            "copilot-cli.session-start",
        ];
        const MODELS: &[&str] = &[
            "claude-code.session-start",
            "cursor.session-start",
            "codex.session-start",
            "before-model",
            "message-updated",
        ];
        const NOTHING: &[&str] = &["post-tool-use-failure", "post-tool-use.bash"];
        if NOTHING.iter().any(|k| file.contains(k)) {
            "nothing"
        } else if EDITS.iter().any(|k| file.contains(k)) {
            "edits"
        } else if PROMPTS.iter().any(|k| file.contains(k)) {
            "prompt"
        } else if MODELS.iter().any(|k| file.contains(k)) {
            "model"
        } else {
            "nothing"
        }
    }

    #[test]
    fn every_fixture_is_recognised_and_read() {
        for (file, payload) in fixtures() {
            let adapter = detect(&payload).unwrap_or_else(|| panic!("{file}: no adapter recognises it"));
            assert_eq!(adapter.name(), expected_adapter(&file), "{file}");
            let parsed = adapter.parse(&payload).unwrap_or_else(|e| panic!("{file}: {e}"));
            let kind = match &parsed.event {
                Event::Edits(edits) if !edits.is_empty() => "edits",
                Event::Edits(_) => "empty edits",
                Event::Prompt(_) => "prompt",
                Event::Model => "model",
                Event::Nothing(_) => "nothing",
            };
            assert_eq!(kind, expected_kind(&file), "{file}: {:?}", parsed.event);
            // An explicit --from of another agent still reads the payload by its shape.
            assert_eq!(
                choose(by_name("claude-code"), &payload).unwrap().name(),
                adapter.name()
            );
        }
    }

    #[test]
    fn replace_style_edits_claim_only_new_lines() {
        let payload: Value = serde_json::from_str(include_str!(
            "../../../fixtures/agent-payloads/claude-code.post-tool-use.edit.json"
        ))
        .unwrap();
        let parsed = detect(&payload).unwrap().parse(&payload).unwrap();
        let Event::Edits(edits) = parsed.event else {
            panic!()
        };
        assert_eq!(
            edits[0].inserted,
            "\n    /// Subtotal plus per-line tax, rounded half-even to cents.\n    pub fn total_with_tax(&self) -> Decimal {\n        let tax: Decimal = self.lines.iter().map(|l| l.amount() * l.tax_rate).sum();\n        (self.subtotal() + tax).round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven)\n    }\n"
        );
    }

    #[test]
    fn multi_edit_payloads_give_one_edit_each() {
        let payload: Value = serde_json::from_str(include_str!(
            "../../../fixtures/agent-payloads/claude-code.post-tool-use.multiedit.legacy.json"
        ))
        .unwrap();
        let Event::Edits(edits) = detect(&payload).unwrap().parse(&payload).unwrap().event else {
            panic!()
        };
        let inserted: Vec<&str> = edits.iter().map(|e| e.inserted.as_str()).collect();
        assert_eq!(
            inserted,
            vec!["mod tax;\n", "pub use tax::{round_cents, TaxRate};\n"]
        );
    }
}
