//! Provenance in other tools' formats: Agent Trace records (one per commit with AI lines) and an
//! in-toto Statement v1 for a range (DESIGN §3.6, docs/export.md).

use std::collections::BTreeMap;

use anyhow::Result;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::git::Repo;
use crate::model::{ObjectId, ParsedNote, hex};
use crate::query::history::{CommitFacts, Tally};

/// The Agent Trace version written. The specification is 0.1.0; its published schema
/// (`schemas/v1/trace-record.json`) takes `major.minor` only, so records say `0.1`.
pub const AGENT_TRACE_VERSION: &str = "0.1";

/// lineage's in-toto predicate type.
pub const PREDICATE_TYPE: &str = "urn:lineage:predicate:ai-provenance:v1";

/// A model name as models.dev spells it (`provider/model`), from what the agent reported.
fn model_id(model: &str) -> String {
    let lower = model.to_ascii_lowercase();
    let provider = if model.contains('/') {
        None
    } else if lower.starts_with("claude") {
        Some("anthropic")
    } else if lower.starts_with("gpt")
        || lower.starts_with("o1")
        || lower.starts_with("o3")
        || lower.starts_with("o4")
        || lower.contains("codex")
    {
        Some("openai")
    } else if lower.starts_with("gemini") {
        Some("google")
    } else {
        None
    };
    let id = match provider {
        Some(provider) => format!("{provider}/{model}"),
        None => model.to_string(),
    };
    id.chars().take(250).collect()
}

/// A UUID (version 8, RFC 9562) derived from the commit: exporting twice gives the same ids.
fn record_id(commit: ObjectId) -> String {
    let digest = Sha256::digest(format!("lineage agent-trace {commit}").as_bytes());
    let mut b: [u8; 16] = digest[..16].try_into().expect("16 of 32 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex(&b);
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A conversation as records name it: the agent's session and the model.
type Conversation<'a> = (Option<&'a str>, Option<&'a str>);

/// The Agent Trace record of a commit's AI lines (`None` when it has none): a file per path, a
/// conversation per session and model (contributor `ai`), ranges with the sha256 of their
/// lines as committed, and a `mixed` contributor on ranges a person edited.
pub fn agent_trace(
    repo: &Repo,
    facts: &CommitFacts,
    note: &ParsedNote,
    wanted: &dyn Fn(&str) -> bool,
) -> Result<Option<Value>> {
    // Per path, per conversation: ranges.
    let mut files: BTreeMap<&str, BTreeMap<Conversation<'_>, Vec<Value>>> = BTreeMap::new();
    let mut tools: Vec<(&str, Option<&str>)> = Vec::new();
    let mut texts: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for edit in note.edits().filter(|e| wanted(&e.file) && !e.ranges.is_empty()) {
        if !texts.contains_key(edit.file.as_str()) {
            let text = repo.text_in_commit(facts.commit, &edit.file)?.unwrap_or_default();
            texts.insert(&edit.file, text.lines().map(String::from).collect());
        }
        let lines = &texts[edit.file.as_str()];
        if !tools.iter().any(|(t, _)| *t == edit.tool) {
            tools.push((&edit.tool, edit.tool_version.as_deref()));
        }
        let conversation = files
            .entry(&edit.file)
            .or_default()
            .entry((edit.session.as_deref(), edit.model.as_deref()))
            .or_default();
        for (start, end, modified) in super::export::runs(edit) {
            let text: String = (start..=end)
                .map(|n| lines.get(n as usize - 1).map_or("", String::as_str))
                .collect::<Vec<_>>()
                .join("\n");
            let mut range = json!({
                "start_line": start,
                "end_line": end,
                "content_hash": format!("sha256:{}", hex(&Sha256::digest(text.as_bytes()))),
            });
            if modified {
                let mut contributor = json!({"type": "mixed"});
                if let Some(model) = &edit.model {
                    contributor["model_id"] = json!(model_id(model));
                }
                range["contributor"] = contributor;
            }
            conversation.push(range);
        }
    }
    if files.is_empty() {
        return Ok(None);
    }
    let files: Vec<Value> = files
        .into_iter()
        .map(|(path, conversations)| {
            let conversations: Vec<Value> = conversations
                .into_iter()
                .map(|((_, model), ranges)| {
                    let mut contributor = json!({"type": "ai"});
                    if let Some(model) = model {
                        contributor["model_id"] = json!(model_id(model));
                    }
                    json!({"contributor": contributor, "ranges": ranges})
                })
                .collect();
            json!({"path": path, "conversations": conversations})
        })
        .collect();
    let mut record = json!({
        "version": AGENT_TRACE_VERSION,
        "id": record_id(facts.commit),
        "timestamp": chrono::DateTime::from_timestamp(facts.author_time, 0)
            .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
            .unwrap_or_default(),
        "vcs": {"type": "git", "revision": facts.commit.to_hex()},
        "files": files,
        "metadata": {"dev.lineage": {"seen": facts.seen, "summary": facts.summary}},
    });
    // One agent wrote it all: that is the tool; else lineage, which traced it.
    record["tool"] = match tools.as_slice() {
        [(name, version)] => json!({"name": name, "version": version.unwrap_or("unknown")}),
        _ => json!({"name": "lineage", "version": env!("CARGO_PKG_VERSION")}),
    };
    Ok(Some(record))
}

/// An in-toto Statement v1 about `commits` (subjects by `gitCommit` digest), with lineage's
/// predicate: the range's totals, by model and tool, and each commit's figures.
pub fn in_toto(
    range: &str,
    commits: &[CommitFacts],
    total: &Tally,
    by_model: &BTreeMap<String, Tally>,
    by_tool: &BTreeMap<String, Tally>,
) -> Value {
    let subject: Vec<Value> = commits
        .iter()
        .map(|c| json!({"name": format!("commit {}", c.commit), "digest": {"gitCommit": c.commit.to_hex()}}))
        .collect();
    let figures = |t: &Tally| {
        json!({
            "ai_added": t.ai_added, "ai_modified": t.ai_modified, "human_added": t.human_added,
            "unknown": t.unknown, "rejected": t.rejected, "discarded": t.discarded,
            "unreviewed_ai": t.unreviewed_ai, "ai_share": t.ai_share(), "acceptance_rate": t.acceptance_rate(),
        })
    };
    let keyed = |rows: &BTreeMap<String, Tally>| -> Vec<Value> {
        rows.iter()
            .map(|(k, t)| {
                let mut v = figures(t);
                v["key"] = json!(k);
                v
            })
            .collect()
    };
    json!({
        "_type": "https://in-toto.io/Statement/v1",
        "subject": subject,
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "range": range,
            "generator": {"name": "lineage", "version": env!("CARGO_PKG_VERSION")},
            "total": figures(total),
            "by_model": keyed(by_model),
            "by_tool": keyed(by_tool),
            "commits": commits.iter().map(|c| {
                let mut v = figures(&c.tally());
                v["commit"] = json!(c.commit.to_hex());
                v["seen"] = json!(c.seen);
                v["review"] = json!(crate::query::history::review_status(&c.reviews).map(|r| r.verdict.clone()));
                v
            }).collect::<Vec<_>>(),
        },
    })
}
