//! Fuzzing on stable: proptest generates hostile input for every parser of outside data (notes
//! from collaborators, agents' hook payloads, commit messages, hex ids, ranges) and checks it
//! never panics and keeps its promises. CI runs a few thousand inputs per target; a long run:
//!
//! ```sh
//! FUZZ_CASES=1000000 cargo test --release --test fuzz
//! ```

use lineage::ingest::adapters::{self, Adapter};
use lineage::ingest::{redact, text, trailers};
use lineage::model::{NoteRecord, ObjectId, ParsedNote, normalize};
use lineage::render::escape;
use proptest::prelude::*;
use serde_json::{Value, json};

fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

/// A valid record line to mutate: the shapes notes really hold.
const SEED_LINES: &[&str] = &[
    r#"{"file":"src/a.rs","id":"4496e9c2","kind":"edit","lineage":1,"model":"m","modified":[[2,2]],"outcome":"modified","prompt_id":"14","ranges":[[1,3]],"recorded_at":"2026-11-02T09:30:00Z","session":"s","tool":"claude-code","user":"Dana <d@x>"}"#,
    r#"{"id":"14","kind":"prompt","lineage":1,"session":"s","text":"Add a total"}"#,
    r#"{"file":"a.rs","id":"90","kind":"settled","lineage":1,"lines":1,"model":null,"outcome":"rejected","prompt_id":null,"recorded_at":"r","session":null,"tool":"cursor"}"#,
    r#"{"at":"2026-01-01","by":"Ann","kind":"review","lineage":1,"ranges":[[5,1]],"verdict":"approved"}"#,
];

/// Text that is mostly note-shaped: seed lines cut, spliced and salted with arbitrary text.
fn note_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        (0..SEED_LINES.len(), any::<usize>(), any::<usize>(), ".{0,12}").prop_map(|(i, a, b, salt)| {
            let seed = SEED_LINES[i];
            let cut = |n: usize| {
                let n = n % (seed.len() + 1);
                (0..=n).rev().find(|&k| seed.is_char_boundary(k)).unwrap_or(0)
            };
            let (x, y) = (cut(a).min(cut(b)), cut(a).max(cut(b)));
            format!("{}{salt}{}", &seed[..x], &seed[y..])
        }),
        Just(SEED_LINES[0].to_string()),
        ".{0,80}",
        "\\PC{0,40}",
    ];
    prop::collection::vec(line, 0..8).prop_map(|lines| lines.join("\n"))
}

/// JSON values whose keys are the ones agents' payloads use, so parsing goes deep.
fn payload() -> impl Strategy<Value = Value> {
    const KEYS: &[&str] = &[
        "hook_event_name",
        "hookEventName",
        "tool_name",
        "toolName",
        "tool_input",
        "toolArgs",
        "tool_response",
        "file_path",
        "filePath",
        "path",
        "old_string",
        "new_string",
        "content",
        "edits",
        "session_id",
        "sessionId",
        "cwd",
        "workspace_roots",
        "prompt",
        "model",
        "transcript_path",
        "conversation_id",
        "event",
        "type",
        "input",
        "output",
        "args",
        "agent_action_name",
        "tool_info",
        "hookName",
        "taskId",
        "parameters",
        "diff",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        ".{0,30}".prop_map(Value::String),
        prop::sample::select(vec![
            "PostToolUse",
            "Edit",
            "Write",
            "MultiEdit",
            "apply_patch",
            "afterFileEdit",
            "UserPromptSubmit",
            "SessionStart",
            "replace",
            "write_file",
            "edit",
            "*** Begin Patch\n*** Update File: a.rs\n@@\n-x\n+y\n*** End Patch",
        ])
        .prop_map(|s| Value::String(s.to_string())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..6).prop_map(|pairs| {
                Value::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
            }),
        ]
    })
}

proptest! {
    #![proptest_config(config(2000))]

    /// The note parser never panics, counts every line, and what it reads writes back to a
    /// line that reads the same.
    #[test]
    fn note_parser(text in note_text()) {
        let note = ParsedNote::parse(&text);
        let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
        prop_assert_eq!(note.records.len() + note.skipped + note.unknown, lines);
        for record in &note.records {
            let again = ParsedNote::parse(&record.to_line());
            prop_assert_eq!(&again.records, &vec![record.clone()]);
            if let NoteRecord::Edit(edit) = record {
                prop_assert!(edit.ranges.windows(2).all(|w| w[0][1] + 1 < w[1][0]));
            }
        }
    }

    /// Every adapter reads any JSON without panicking, and shape detection agrees with itself.
    #[test]
    fn adapters(value in payload()) {
        for name in adapters::names() {
            let adapter: &dyn Adapter = adapters::by_name(name).unwrap();
            let _ = adapter.recognises(&value);
            let _ = adapter.parse(&value);
            let _ = adapter.answer(&value);
        }
        if let Some(adapter) = adapters::detect(&value) {
            prop_assert!(adapter.recognises(&value));
        }
    }

    /// Commit messages and identities are a collaborator's text too.
    #[test]
    fn trailers(author in ".{0,40}", message in "(.{0,40}\n){0,6}") {
        let _ = trailers::aider(&author, &author, &message);
        let _ = trailers::agent_trailers(&message);
    }

    /// What is shown to a person never carries a control or bidi character.
    #[test]
    fn escaping(text in "\\PC{0,20}|.{0,40}|[\\x00-\\x1f\\x7f-\\u{9f}\\u{202a}-\\u{202e}a]{0,20}") {
        let shown = escape(&text);
        let bidi = '\u{202a}'..='\u{202e}';
        let dangerous = shown.chars().any(|c| c.is_control() || bidi.contains(&c));
        prop_assert!(!dangerous, "{}", shown);
        prop_assert!(shown.len() >= text.len());
    }

    #[test]
    fn object_ids(text in "[0-9a-fA-F]{38,66}|.{0,70}") {
        if let Some(id) = ObjectId::from_hex(&text) {
            prop_assert_eq!(id.to_hex(), text.to_ascii_lowercase());
        }
    }

    #[test]
    fn ranges(pairs in prop::collection::vec((any::<u32>(), any::<u32>()), 0..12)) {
        let ranges = normalize(pairs.iter().map(|&(a, b)| [a, b]).collect());
        prop_assert!(ranges.iter().all(|[a, b]| *a >= 1 && a <= b));
        prop_assert!(ranges.windows(2).all(|w| w[0][1].saturating_add(1) < w[1][0]));
    }

    /// Redaction and replace-style diffs take any text; redaction keeps the line count.
    #[test]
    fn text_readers(old in "(.{0,30}\n){0,6}", new in "(.{0,30}\n){0,6}") {
        let _ = text::added_lines(&old, &new);
        let redacted = redact::redact(&new);
        prop_assert_eq!(redacted.text.lines().count(), new.lines().count());
    }

    /// `.lineage.toml` is committed by anyone: any text is read or refused, never a panic, and
    /// ignore globs it yields either build or are refused.
    #[test]
    fn project_config(text in "(\\[stats\\]\n)?(ignore = \\[(\"[a-z*/\\[\\]{}.!]{0,8}\",? ?){0,4}\\]\n)?.{0,40}") {
        if let Ok(config) = lineage::config::ProjectConfig::parse(&text) {
            let _ = lineage::query::history::Ignore::new(&config.stats_ignore);
        }
    }
}
