//! Agent hook payloads end to end: the fixtures of nine agents, rewritten into a temporary
//! repository laid out like theirs, piped into `lineage record --from <agent>`, committed
//! through the real hooks, and checked with `lineage blame --json`.

mod common;

use common::{TestRepo, stderr, stdout};
use serde_json::Value;
use sha2::{Digest, Sha256};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/agent-payloads");
/// Where the fixtures' made-up repository lives; rewritten to the test repository.
const DANA_REPO: &str = "/home/dana/code/ledgerly";

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The fixture's text with its repository path pointing at `repo`.
fn payload(repo: &TestRepo, name: &str) -> String {
    let text = std::fs::read_to_string(format!("{FIXTURES}/{name}.json")).unwrap();
    text.replace(DANA_REPO, repo.path().to_str().unwrap())
}

fn sha256(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Pipes a fixture into `record --from <agent>` as the agent's hook would, and checks hook
/// etiquette: exit 0, no warning, nothing on stdout (but Cline's answer).
fn send(repo: &TestRepo, agent: &str, name: &str) {
    let out = repo.lineage_with_stdin(&["record", "--from", agent], payload(repo, name).as_bytes());
    assert!(out.status.success(), "{name}: {}", stderr(&out));
    assert!(stderr(&out).is_empty(), "{name}: {}", stderr(&out));
    // Agents that read a hook's stdout get their answer; the rest get silence.
    let expected = match name.split('.').next().unwrap() {
        "cline" => "{\"cancel\":false}\n",
        "cursor" if name.contains("before-submit-prompt") => "{\"continue\":true}\n",
        "cursor" | "vscode-copilot" => "{}\n",
        _ => "",
    };
    assert_eq!(stdout(&out), expected, "{name}");
}

fn invoice_before() -> String {
    fixture("claude-code.post-tool-use.edit")["tool_response"]["originalFile"]
        .as_str()
        .unwrap()
        .to_string()
}

fn invoice_after() -> String {
    fixture("gemini.after-tool.replace")["tool_response"]["returnDisplay"]["newContent"]
        .as_str()
        .unwrap()
        .to_string()
}

fn tests_file() -> String {
    fixture("claude-code.post-tool-use.write")["tool_input"]["content"]
        .as_str()
        .unwrap()
        .to_string()
}

const MOD_BEFORE: &str =
    "mod invoice;\nmod line_item;\n\npub use invoice::Invoice;\npub use line_item::LineItem;\n";
const MOD_AFTER: &str = "mod invoice;\nmod line_item;\nmod tax;\n\npub use invoice::Invoice;\npub use line_item::LineItem;\npub use tax::{round_cents, TaxRate};\n";

/// A notebook as nbformat writes it, with one code cell holding `source`.
fn notebook(source: &str) -> String {
    let lines: Vec<String> = source
        .split_inclusive('\n')
        .map(|l| serde_json::to_string(l).unwrap())
        .collect();
    format!(
        "{{\n \"cells\": [\n  {{\n   \"cell_type\": \"code\",\n   \"id\": \"c7f1e2a9\",\n   \"metadata\": {{}},\n   \"source\": [\n    {}\n   ]\n  }}\n ],\n \"nbformat\": 4\n}}\n",
        lines.join(",\n    ")
    )
}

const NOTEBOOK_BEFORE: &str = "print(1)";

/// The repository the fixtures describe, as it was before the session.
fn ledgerly() -> TestRepo {
    TestRepo::with_files(&[
        ("src/billing/invoice.rs", &invoice_before()),
        ("src/billing/mod.rs", MOD_BEFORE),
        ("notebooks/tax_rounding.ipynb", &notebook(NOTEBOOK_BEFORE)),
    ])
}

/// AI lines of `file`: (line, tool, model, prompt id).
fn ai_lines(repo: &TestRepo, file: &str) -> Vec<(u64, String, Value, Value)> {
    repo.blame_json(&[file])["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| !l["ai"].is_null())
        .map(|l| {
            let ai = &l["ai"];
            (
                l["line"].as_u64().unwrap(),
                ai["tool"].as_str().unwrap().to_string(),
                ai["model"].clone(),
                ai["prompt_id"].clone(),
            )
        })
        .collect()
}

struct Case {
    agent: &'static str,
    /// The prompt event sent first, when the agent has one in the fixtures.
    prompt: Option<&'static str>,
    edit: &'static str,
    tool: &'static str,
    model: Option<&'static str>,
    /// The files the edit writes, with their content afterwards and the lines that must be AI.
    files: Vec<(&'static str, String, Vec<u64>)>,
}

fn invoice_edit() -> (&'static str, String, Vec<u64>) {
    ("src/billing/invoice.rs", invoice_after(), (28..=33).collect())
}

fn tests_write() -> (&'static str, String, Vec<u64>) {
    ("tests/invoice_totals.rs", tests_file(), (1..=12).collect())
}

fn cases() -> Vec<Case> {
    let case = |agent, prompt, edit, tool, model, files| Case {
        agent,
        prompt,
        edit,
        tool,
        model,
        files,
    };
    let notebook_source = fixture("claude-code.post-tool-use.notebook-edit")["tool_input"]["new_source"]
        .as_str()
        .unwrap()
        .to_string();
    let tab = invoice_before().replace("map(|l| l.amount()).sum()", "map(LineItem::amount).sum()");
    vec![
        case(
            "claude-code",
            Some("claude-code.user-prompt-submit"),
            "claude-code.post-tool-use.edit",
            "claude-code",
            None,
            vec![invoice_edit()],
        ),
        case(
            "claude-code",
            Some("claude-code.user-prompt-submit"),
            "claude-code.post-tool-use.write",
            "claude-code",
            None,
            vec![tests_write()],
        ),
        case(
            "claude-code",
            None,
            "claude-code.post-tool-use.multiedit.legacy",
            "claude-code",
            None,
            vec![("src/billing/mod.rs", MOD_AFTER.into(), vec![3, 7])],
        ),
        case(
            "claude-code",
            None,
            "claude-code.post-tool-use.notebook-edit",
            "claude-code",
            None,
            vec![(
                "notebooks/tax_rounding.ipynb",
                notebook(&notebook_source),
                vec![8, 9, 10],
            )],
        ),
        case(
            "cursor",
            Some("cursor.before-submit-prompt"),
            "cursor.after-file-edit",
            "cursor",
            Some("claude-4.5-sonnet-thinking"),
            vec![invoice_edit()],
        ),
        case(
            "cursor",
            None,
            "cursor.after-tab-file-edit",
            "cursor-tab",
            None,
            vec![("src/billing/invoice.rs", tab, vec![26])],
        ),
        case(
            "cursor",
            Some("cursor.before-submit-prompt"),
            "cursor.post-tool-use.str-replace.inferred",
            "cursor",
            Some("claude-4.5-sonnet-thinking"),
            vec![invoice_edit()],
        ),
        case(
            "cursor",
            Some("cursor.before-submit-prompt"),
            "cursor.post-tool-use.write",
            "cursor",
            Some("claude-4.5-sonnet-thinking"),
            vec![tests_write()],
        ),
        case(
            "codex",
            Some("codex.user-prompt-submit"),
            "codex.post-tool-use.apply-patch",
            "codex",
            Some("gpt-5.3-codex"),
            vec![invoice_edit(), tests_write()],
        ),
        case(
            "gemini-cli",
            Some("gemini.before-agent"),
            "gemini.after-tool.replace",
            "gemini-cli",
            None,
            vec![invoice_edit()],
        ),
        case(
            "gemini-cli",
            Some("gemini.before-agent"),
            "gemini.after-tool.write-file",
            "gemini-cli",
            None,
            vec![tests_write()],
        ),
        case(
            "copilot-cli",
            Some("copilot-cli.user-prompt-submitted.camel"),
            "copilot-cli.post-tool-use.edit.camel",
            "copilot",
            None,
            vec![invoice_edit()],
        ),
        case(
            "copilot-cli",
            Some("copilot-cli.user-prompt-submit.vscode-compat"),
            "copilot-cli.post-tool-use.create.vscode-compat",
            "copilot",
            None,
            vec![tests_write()],
        ),
        case(
            "vscode-copilot",
            Some("vscode-copilot.user-prompt-submit"),
            "vscode-copilot.post-tool-use.replace-string-in-file",
            "copilot",
            None,
            vec![invoice_edit()],
        ),
        case(
            "windsurf",
            Some("windsurf.pre-user-prompt"),
            "windsurf.post-write-code",
            "windsurf",
            Some("Claude Sonnet 4.5"),
            vec![invoice_edit()],
        ),
        case(
            "cline",
            Some("cline.user-prompt-submit"),
            "cline.post-tool-use.replace-in-file",
            "cline",
            Some("claude-sonnet-4-5"),
            vec![invoice_edit()],
        ),
        case(
            "cline",
            Some("cline.user-prompt-submit"),
            "cline.post-tool-use.write-to-file",
            "cline",
            Some("claude-sonnet-4-5"),
            vec![tests_write()],
        ),
        case(
            "opencode",
            None,
            "opencode.tool-execute-after.edit.plugin-args",
            "opencode",
            None,
            vec![invoice_edit()],
        ),
    ]
}

/// The prompt text of a prompt fixture, whatever the agent calls the field.
fn prompt_text(name: &str) -> String {
    let p = fixture(name);
    [
        &p["prompt"],
        &p["tool_info"]["user_prompt"],
        &p["userPromptSubmit"]["prompt"],
    ]
    .into_iter()
    .find_map(|v| v.as_str())
    .unwrap_or_else(|| panic!("{name} has no prompt"))
    .to_string()
}

/// Scenario 1: every edit payload, applied, recorded and committed: exactly its inserted lines
/// are AI, with the agent's tool and model and, after its prompt event, its prompt.
#[test]
fn every_edit_payload_binds_exactly_its_lines() {
    let edit_fixtures: Vec<&str> = cases().iter().map(|c| c.edit).collect();
    for entry in std::fs::read_dir(FIXTURES).unwrap() {
        let name = entry
            .unwrap()
            .file_name()
            .to_string_lossy()
            .trim_end_matches(".json")
            .to_string();
        let is_edit = [
            "post-tool-use.",
            "after-file-edit",
            "after-tab",
            "post-write-code",
            "after-tool.",
            "tool-execute-after",
        ]
        .iter()
        .any(|k| name.contains(k))
            && !name.contains("failure")
            && !name.contains(".bash");
        assert!(
            !is_edit || edit_fixtures.contains(&name.as_str()),
            "{name} has no test case"
        );
    }

    for case in cases() {
        let repo = ledgerly();
        if let Some(prompt) = case.prompt {
            send(&repo, case.agent, prompt);
        }
        for (path, text, _) in &case.files {
            repo.write(path, text);
        }
        send(&repo, case.agent, case.edit);
        repo.commit(case.edit);
        for (path, _, expected) in &case.files {
            let ai = ai_lines(&repo, path);
            let lines: Vec<u64> = ai.iter().map(|l| l.0).collect();
            assert_eq!(&lines, expected, "{}: AI lines of {path}", case.edit);
            for (_, tool, model, prompt_id) in &ai {
                assert_eq!(tool, case.tool, "{}", case.edit);
                assert_eq!(model.as_str(), case.model, "{}", case.edit);
                let expected_prompt = case.prompt.map(|p| sha256(&prompt_text(p)));
                assert_eq!(
                    prompt_id.as_str(),
                    expected_prompt.as_deref(),
                    "{}: prompt",
                    case.edit
                );
            }
        }
    }
}

/// Scenario 2: Claude Code's model comes from SessionStart, its prompt from UserPromptSubmit,
/// and the context lines the Edit repeated stay human.
#[test]
fn claude_code_session_prompt_and_edit() {
    let repo = ledgerly();
    send(&repo, "claude-code", "claude-code.session-start");
    send(&repo, "claude-code", "claude-code.user-prompt-submit");
    repo.write("src/billing/invoice.rs", &invoice_after());
    send(&repo, "claude-code", "claude-code.post-tool-use.edit");
    repo.commit("total_with_tax");
    let blame = repo.blame_json(&["src/billing/invoice.rs"]);
    let lines = blame["lines"].as_array().unwrap();
    for line in lines {
        let n = line["line"].as_u64().unwrap();
        if (28..=33).contains(&n) {
            assert_eq!(line["ai"]["model"], "claude-sonnet-4-6");
            assert_eq!(line["ai"]["session"], "3f2b9c1e-7a4d-4e0b-9b61-2d8f5c0a7e13");
        } else {
            assert!(
                line["ai"].is_null(),
                "line {n} (the Edit's repeated context) must stay human"
            );
        }
    }
    let prompt = &repo.note_of_kind("HEAD", "prompt")[0];
    assert_eq!(prompt["text"], prompt_text("claude-code.user-prompt-submit"));
}

/// Scenario 3: one Codex apply_patch touching two files binds both.
#[test]
fn codex_patch_touching_two_files() {
    let repo = ledgerly();
    repo.write("src/billing/invoice.rs", &invoice_after());
    repo.write("tests/invoice_totals.rs", &tests_file());
    send(&repo, "codex", "codex.post-tool-use.apply-patch");
    assert_eq!(repo.journal_len(), 2);
    repo.commit("patch");
    let edits = repo.note_of_kind("HEAD", "edit");
    let files: Vec<&str> = edits.iter().map(|e| e["file"].as_str().unwrap()).collect();
    assert_eq!(files, vec!["src/billing/invoice.rs", "tests/invoice_totals.rs"]);
    assert!(
        edits
            .iter()
            .all(|e| e["model"] == "gpt-5.3-codex" && e["outcome"] == "accepted")
    );
}

/// Scenario 4: a Cursor payload arriving through the Claude Code hook entry is Cursor's.
#[test]
fn cursor_payload_in_the_claude_code_hook_is_cursor() {
    let repo = ledgerly();
    repo.write("src/billing/invoice.rs", &invoice_after());
    send(&repo, "claude-code", "cursor.after-file-edit");
    let entries = repo.journal_entries();
    assert_eq!(entries[0]["tool"], "cursor");
    assert_eq!(entries[0]["source"], "cursor");
    assert_eq!(entries[0]["tool_version"], "2.4.21");
    // And with --from auto.
    let repo = ledgerly();
    repo.write("src/billing/invoice.rs", &invoice_after());
    send(
        &repo,
        "auto",
        "vscode-copilot.post-tool-use.replace-string-in-file",
    );
    assert_eq!(repo.journal_entries()[0]["source"], "vscode-copilot");
}

/// Events with nothing to record exit 0 silently and record nothing.
#[test]
fn events_without_edits_are_silent() {
    let repo = ledgerly();
    for (agent, name) in [
        ("claude-code", "claude-code.pre-tool-use.edit"),
        ("claude-code", "claude-code.post-tool-use-failure.edit"),
        ("claude-code", "claude-code.stop"),
        ("claude-code", "claude-code.session-end"),
        ("codex", "codex.post-tool-use.bash"),
        ("codex", "codex.stop"),
        ("cursor", "cursor.stop"),
        ("gemini-cli", "gemini.after-agent"),
        ("windsurf", "windsurf.post-cascade-response"),
        ("cline", "cline.task-complete"),
        ("opencode", "opencode.tool-execute-before.edit.plugin-args"),
        ("copilot-cli", "copilot-cli.agent-stop.camel"),
    ] {
        send(&repo, agent, name);
    }
    assert_eq!(repo.journal_len(), 0);
}

/// Codex's legacy `notify` passes its payload as the last argument.
#[test]
fn codex_notify_payload_as_argument() {
    let repo = ledgerly();
    let out = repo.lineage(&[
        "record",
        "--from",
        "codex",
        &payload(&repo, "codex.notify.agent-turn-complete.argv"),
    ]);
    assert!(
        out.status.success() && out.stdout.is_empty() && out.stderr.is_empty(),
        "{}",
        stderr(&out)
    );
    // The turn's prompt links the thread's next edits.
    repo.write("src/billing/invoice.rs", &invoice_after());
    // (Same thread id in both fixtures: the hook's session_id is the notify's thread-id.)
    let edit = payload(&repo, "codex.post-tool-use.apply-patch");
    let out = repo.lineage_with_stdin(&["record", "--from", "codex"], edit.as_bytes());
    assert!(out.status.success());
    let entries = repo.journal_entries();
    assert!(
        entries[0]["prompt"]
            .as_str()
            .unwrap()
            .starts_with("Add a `total_with_tax` method")
    );
}

/// Scenario 5: malformed input never fails the agent: exit 0, nothing on stdout, a warning on
/// stderr, nothing recorded.
#[test]
fn malformed_payloads_only_warn() {
    let repo = ledgerly();
    let outside = payload(&repo, "claude-code.post-tool-use.write").replace(
        repo.path().join("tests/invoice_totals.rs").to_str().unwrap(),
        "/etc/lineage-outside.rs",
    );
    let unknown_event = payload(&repo, "claude-code.stop").replace("\"Stop\"", "\"Teleport\"");
    let cases: Vec<(&str, String, &str)> = vec![
        ("claude-code", "{not json".into(), "not JSON"),
        ("claude-code", "".into(), "empty payload"),
        ("claude-code", unknown_event, "unknown event \"Teleport\""),
        ("claude-code", outside, "skipping /etc/lineage-outside.rs"),
        ("auto", "[1, 2]".into(), "no known agent"),
        (
            "claude-code",
            "{\"a\": 1}".into(),
            "claude-code payload: no hook_event_name",
        ),
        (
            "not-an-agent",
            payload(&repo, "claude-code.stop"),
            "unknown agent \"not-an-agent\"",
        ),
    ];
    for (agent, input, warning) in cases {
        let out = repo.lineage_with_stdin(&["record", "--from", agent], input.as_bytes());
        assert!(out.status.success(), "{warning}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{warning}: stdout {}", stdout(&out));
        assert!(
            stderr(&out).contains("lineage: warning: record --from"),
            "{warning}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(warning),
            "expected {warning:?} in {}",
            stderr(&out)
        );
    }
    assert_eq!(repo.journal_len(), 0);
    // Cline always gets its answer, even for a broken payload.
    let out = repo.lineage_with_stdin(&["record", "--from", "cline"], b"{broken");
    assert_eq!(stdout(&out), "{\"cancel\":false}\n");
    // Outside any repository, too.
    let elsewhere = tempfile::tempdir().unwrap();
    let out = repo.run(
        common::LINEAGE,
        &["record", "--from", "claude-code"],
        Some(
            payload(&repo, "claude-code.stop")
                .replace(repo.path().to_str().unwrap(), "/nonexistent")
                .as_bytes(),
        ),
        Some(elsewhere.path()),
    );
    assert!(out.status.success() && out.stdout.is_empty());
    assert!(
        stderr(&out).contains("not in a git repository"),
        "{}",
        stderr(&out)
    );
}

/// Secrets in prompts are redacted before the session state is saved.
#[test]
fn prompts_are_redacted_in_session_state() {
    let repo = ledgerly();
    let key = ["AKIA", "IOSFODNN7", "EXAMPLE"].concat();
    let prompt = payload(&repo, "claude-code.user-prompt-submit").replace(
        "Add a `total_with_tax`",
        &format!("Use {key} to add a `total_with_tax`"),
    );
    let out = repo.lineage_with_stdin(&["record", "--from", "claude-code"], prompt.as_bytes());
    assert!(out.status.success());
    let sessions = repo.path().join(".git/lineage/sessions");
    for file in std::fs::read_dir(sessions).unwrap() {
        let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
        assert!(
            !text.contains(&key) && text.contains("[REDACTED:aws-access-key]"),
            "{text}"
        );
    }
}

/// A file in a repository nested inside this one (a vendored clone) is not this repository's.
#[test]
fn files_of_a_nested_repository_are_skipped() {
    let repo = ledgerly();
    let nested = repo.path().join("vendor/other");
    std::fs::create_dir_all(&nested).unwrap();
    repo.run("git", &["init", "-q"], None, Some(&nested));
    let edit = payload(&repo, "claude-code.post-tool-use.write")
        .replace("/tests/invoice_totals.rs", "/vendor/other/lib.rs");
    let out = repo.lineage_with_stdin(&["record", "--from", "claude-code"], edit.as_bytes());
    assert!(out.status.success() && out.stdout.is_empty());
    assert!(
        stderr(&out).contains("belongs to another repository"),
        "{}",
        stderr(&out)
    );
    assert_eq!(repo.journal_len(), 0);
}
