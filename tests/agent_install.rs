//! `lineage agent install|uninstall|list`: merging into the agents' own configuration, and the
//! installed hooks, run as the agent would run them, recording edits.

mod common;

use std::path::Path;
use std::process::Stdio;

use common::{TestRepo, stderr, stdout};
use serde_json::Value;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/agent-payloads");

const CLAUDE_SETTINGS: &str = r#"{
  // The team's settings: lineage must keep every line of them.
  "permissions": {
    "allow": ["Bash(cargo test:*)"]
  },
  "hooks": {
    "PostToolUse": [
      {
        "matcher": "Bash",
        "hooks": [{ "type": "command", "command": "./scripts/log-bash.sh" }]
      }
    ],
    "Stop": [{ "hooks": [{ "type": "command", "command": "notify-send done" }] }]
  },
  "model": "opus"
}
"#;

/// Reads JSON that may hold `//` comments on their own lines (as the settings above do).
fn read_json(path: &Path) -> Value {
    let text: String = std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    serde_json::from_str(&text).unwrap()
}

/// Scenario 6: install into a settings file with other hooks and settings keeps all of them,
/// adds lineage's once even when run twice, and uninstall restores the file byte for byte.
#[test]
fn claude_code_settings_are_merged_and_restored() {
    let repo = TestRepo::new();
    repo.write(".claude/settings.json", CLAUDE_SETTINGS);
    let first = repo.lineage_ok(&["agent", "install", "claude-code", "--project"]);
    assert!(first.contains("claude-code: added 3 hook entries"), "{first}");
    let second = repo.lineage_ok(&["agent", "install", "claude-code", "--project"]);
    assert!(second.contains("already installed"), "{second}");

    let text = repo.read(".claude/settings.json");
    assert!(text.contains("// The team's settings"), "comments survive");
    let settings = read_json(&repo.path().join(".claude/settings.json"));
    assert_eq!(settings["model"], "opus");
    assert_eq!(settings["permissions"]["allow"][0], "Bash(cargo test:*)");
    let post = settings["hooks"]["PostToolUse"].as_array().unwrap();
    assert_eq!(post.len(), 2);
    assert_eq!(post[0]["hooks"][0]["command"], "./scripts/log-bash.sh");
    assert_eq!(post[1]["matcher"], "Edit|MultiEdit|Write|NotebookEdit");
    let command = post[1]["hooks"][0]["command"].as_str().unwrap();
    assert!(
        command.contains("lineage record --from claude-code") && command.ends_with(" || true"),
        "{command}"
    );
    assert_eq!(
        settings["hooks"]["Stop"][0]["hooks"][0]["command"],
        "notify-send done"
    );
    for event in ["UserPromptSubmit", "SessionStart"] {
        assert_eq!(settings["hooks"][event].as_array().unwrap().len(), 1, "{event}");
    }
    assert_eq!(text.matches("record --from claude-code").count(), 3);

    let out = repo.lineage_ok(&["agent", "uninstall", "claude-code"]);
    assert!(out.contains("removed 3 hook entries"), "{out}");
    assert_eq!(repo.read(".claude/settings.json"), CLAUDE_SETTINGS);
    let again = repo.lineage_ok(&["agent", "uninstall", "claude-code"]);
    assert!(again.contains("not installed"), "{again}");
}

/// A configuration file lineage created is removed again, and `list` follows along.
#[test]
fn files_lineage_created_are_removed_and_listed() {
    let repo = TestRepo::new();
    repo.lineage_ok(&["agent", "install", "cursor"]);
    let cursor = read_json(&repo.path().join(".cursor/hooks.json"));
    assert_eq!(cursor["version"], 1);
    let listed: Value = serde_json::from_str(&repo.lineage_ok(&["agent", "list", "--json"])).unwrap();
    let row = |name: &str| {
        listed["agents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["agent"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(row("cursor")["project"]["installed"], true);
    assert_eq!(row("cursor")["user"]["installed"], false);
    assert_eq!(row("claude-code")["project"]["installed"], false);
    repo.lineage_ok(&["agent", "uninstall", "cursor"]);
    assert!(
        !repo.path().join(".cursor").exists(),
        "the directory lineage created goes too"
    );
}

/// Codex keeps its hooks in TOML: comments and other settings survive, uninstall restores.
#[test]
fn codex_toml_is_merged_and_restored() {
    let repo = TestRepo::new();
    let original = "# my Codex settings\nmodel = \"gpt-5-codex\"\n\n[features]\nweb_search = true # keep\n";
    repo.write(".codex/config.toml", original);
    let out = repo.lineage_ok(&["agent", "install", "codex"]);
    assert!(
        out.contains("added 3 hook entries") && out.contains("/hooks"),
        "{out}"
    );
    let doc: toml_edit::DocumentMut = repo.read(".codex/config.toml").parse().unwrap();
    assert_eq!(doc["model"].as_str(), Some("gpt-5-codex"));
    assert_eq!(
        doc["hooks"]["PostToolUse"][0]["matcher"].as_str(),
        Some("^apply_patch$")
    );
    repo.lineage_ok(&["agent", "install", "codex"]);
    assert_eq!(
        repo.read(".codex/config.toml")
            .matches("record --from codex")
            .count(),
        3
    );
    repo.lineage_ok(&["agent", "uninstall", "codex"]);
    assert_eq!(repo.read(".codex/config.toml"), original);
}

/// `--user` writes under HOME, not in the repository.
#[test]
fn user_scope_writes_under_home() {
    let repo = TestRepo::new();
    repo.lineage_ok(&["agent", "install", "gemini-cli", "--user"]);
    assert!(repo.home().join(".gemini/settings.json").exists());
    assert!(!repo.path().join(".gemini").exists());
    repo.lineage_ok(&["agent", "uninstall", "gemini-cli", "--user"]);
    assert!(!repo.home().join(".gemini/settings.json").exists());
}

/// What is in the way is left alone, with a warning or an error naming the file.
#[test]
fn foreign_files_are_left_alone() {
    let repo = TestRepo::new();
    repo.write(
        ".github/hooks/lineage.json",
        "{\"version\": 1, \"hooks\": {\"postToolUse\": [{\"bash\": \"./mine.sh\"}]}}\n",
    );
    let out = repo.lineage(&["agent", "install", "copilot-cli"]);
    assert!(out.status.success());
    assert!(
        stderr(&out).contains("exists and is not lineage's"),
        "{}",
        stderr(&out)
    );
    assert!(repo.read(".github/hooks/lineage.json").contains("./mine.sh"));

    repo.write(".cursor/hooks.json", "{ \"hooks\": [1, 2] }\n");
    let out = repo.lineage(&["agent", "install", "cursor"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("error: \"hooks\" in"), "{}", stderr(&out));
    assert!(stderr(&out).contains("hint: "));
    assert_eq!(repo.read(".cursor/hooks.json"), "{ \"hooks\": [1, 2] }\n");

    repo.write(".gemini/settings.json", "{ broken");
    let out = repo.lineage(&["agent", "install", "gemini-cli"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("cannot read"), "{}", stderr(&out));
    assert_eq!(repo.read(".gemini/settings.json"), "{ broken");

    let out = repo.lineage(&["agent", "install", "notepad"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("unknown agent: notepad"));
}

/// Runs a hook command as the agent would: through the shell, in the repository, with the
/// payload on stdin.
fn run_hook(repo: &TestRepo, command: &str, payload: &str) -> std::process::Output {
    let mut cmd = repo.command("sh");
    cmd.args(["-c", command])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), payload.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn payload(repo: &TestRepo, name: &str) -> String {
    std::fs::read_to_string(format!("{FIXTURES}/{name}.json"))
        .unwrap()
        .replace("/home/dana/code/ledgerly", repo.path().to_str().unwrap())
}

/// Every agent's installed hook, run as the agent runs it on an edit, records the edit.
#[test]
fn installed_hooks_record_edits() {
    // (agent, config file, where its edit hook's command is, edit fixture)
    let cases: [(&str, &str, &[&str], &str); 7] = [
        (
            "claude-code",
            ".claude/settings.json",
            &["hooks", "PostToolUse", "0", "hooks", "0", "command"],
            "claude-code.post-tool-use.write",
        ),
        (
            "cursor",
            ".cursor/hooks.json",
            &["hooks", "afterFileEdit", "0", "command"],
            "cursor.after-file-edit",
        ),
        (
            "gemini-cli",
            ".gemini/settings.json",
            &["hooks", "AfterTool", "0", "hooks", "0", "command"],
            "gemini.after-tool.write-file",
        ),
        (
            "windsurf",
            ".windsurf/hooks.json",
            &["hooks", "post_write_code", "0", "command"],
            "windsurf.post-write-code",
        ),
        (
            "copilot-cli",
            ".github/hooks/lineage.json",
            &["hooks", "postToolUse", "0", "bash"],
            "copilot-cli.post-tool-use.create.vscode-compat",
        ),
        (
            "vscode-copilot",
            ".github/hooks/lineage-vscode.json",
            &["hooks", "PostToolUse", "0", "command"],
            "vscode-copilot.post-tool-use.replace-string-in-file",
        ),
        (
            "codex",
            ".codex/config.toml",
            &[],
            "codex.post-tool-use.apply-patch",
        ),
    ];
    for (agent, file, pointer, fixture) in cases {
        let repo = TestRepo::new();
        repo.lineage_ok(&["agent", "install", agent]);
        let command = if file.ends_with(".toml") {
            let doc: toml_edit::DocumentMut = repo.read(file).parse().unwrap();
            doc["hooks"]["PostToolUse"][0]["hooks"][0]["command"]
                .as_str()
                .unwrap()
                .to_string()
        } else {
            let config = read_json(&repo.path().join(file));
            let at = pointer.iter().fold(&config, |v, key| match key.parse::<usize>() {
                Ok(i) => &v[i],
                Err(_) => &v[*key],
            });
            at.as_str()
                .unwrap_or_else(|| panic!("{agent}: no command at {pointer:?}"))
                .to_string()
        };
        let out = run_hook(&repo, &command, &payload(&repo, fixture));
        assert!(out.status.success(), "{agent}: {}", stderr(&out));
        assert!(stderr(&out).is_empty(), "{agent}: {}", stderr(&out));
        assert!(repo.journal_len() >= 1, "{agent}: the hook recorded nothing");
    }
}

/// Cline's hooks are executable scripts named after the events; they answer Cline.
#[test]
fn cline_scripts_record_and_answer() {
    let repo = TestRepo::new();
    let out = repo.lineage_ok(&["agent", "install", "cline"]);
    assert_eq!(out.matches("added 1 hook entry").count(), 3, "{out}");
    let script = repo.path().join(".clinerules/hooks/PostToolUse");
    let mode = std::os::unix::fs::PermissionsExt::mode(&std::fs::metadata(&script).unwrap().permissions());
    assert_eq!(mode & 0o111, 0o111, "the script is executable");
    let out = run_hook(
        &repo,
        script.to_str().unwrap(),
        &payload(&repo, "cline.post-tool-use.write-to-file"),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "{\"cancel\":false}\n");
    assert_eq!(repo.journal_len(), 1);
    // A script of the user's own is never overwritten.
    let repo = TestRepo::new();
    repo.write(
        ".clinerules/hooks/TaskStart",
        "#!/bin/sh\necho '{\"cancel\":false}'\n",
    );
    let out = repo.lineage(&["agent", "install", "cline"]);
    assert!(
        stderr(&out).contains("TaskStart exists and is not lineage's"),
        "{}",
        stderr(&out)
    );
    repo.lineage_ok(&["agent", "uninstall", "cline"]);
    assert!(repo.path().join(".clinerules/hooks/TaskStart").exists());
    assert!(!repo.path().join(".clinerules/hooks/PostToolUse").exists());
}

/// The OpenCode plugin, loaded by Node as OpenCode would load it, pipes a tool result to
/// lineage, which records the edit.
#[test]
fn opencode_plugin_records_edits() {
    let repo = TestRepo::new();
    repo.lineage_ok(&["agent", "install", "opencode"]);
    let plugin = repo.path().join(".opencode/plugins/lineage.js");
    let module = repo.scratch().join("lineage-plugin.mjs");
    std::fs::copy(&plugin, &module).unwrap();
    let fixture: Value =
        serde_json::from_str(&payload(&repo, "opencode.tool-execute-after.edit.plugin-args")).unwrap();
    let driver = format!(
        "import {{ LineagePlugin }} from {module:?};\n\
         const hooks = await LineagePlugin({{}});\n\
         await hooks['tool.execute.after']({input}, {output});\n",
        module = module.to_str().unwrap(),
        input = fixture["input"],
        output = fixture["output"],
    );
    let script = repo.scratch().join("drive.mjs");
    std::fs::write(&script, driver).unwrap();
    let mut node = repo.command("node");
    let status = node
        .arg(&script)
        .status()
        .expect("node is installed (.ci/run checks)");
    assert!(status.success());
    // The plugin does not wait for lineage: give the child a moment.
    for _ in 0..50 {
        if repo.journal_len() == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let entries = repo.journal_entries();
    assert_eq!(entries.len(), 1, "the plugin's call recorded the edit");
    assert_eq!(entries[0]["source"], "opencode");
    assert_eq!(entries[0]["file"], "src/billing/invoice.rs");
}

/// Agents' hook files are committed: on a teammate's machine without lineage, the hook
/// command does nothing, silently, and succeeds; where lineage is, it records.
#[test]
fn a_hook_command_is_a_silent_no_op_where_lineage_is_missing() {
    let repo = TestRepo::new();
    repo.lineage_ok(&["agent", "install", "claude-code", "--project"]);
    let settings = read_json(&repo.path().join(".claude/settings.json"));
    let command = settings["hooks"]["PostToolUse"][0]["hooks"][0]["command"]
        .as_str()
        .unwrap()
        .to_string();
    let payload = r#"{"session_id":"s","hook_event_name":"UserPromptSubmit","prompt":"hi"}"#;
    let elsewhere = command.replace(common::LINEAGE, "/home/teammate/.cargo/bin/lineage");
    let bare_path = command.replace(common::LINEAGE, "lineage");
    for (cmd, path) in [(&elsewhere, "/usr/bin:/bin"), (&bare_path, "/usr/bin:/bin")] {
        let mut sh = repo.command("sh");
        sh.args(["-c", cmd]).env("PATH", path);
        let out = repo.run_command(sh, payload.as_bytes());
        assert_eq!(out.status.code(), Some(0), "{cmd}");
        assert!(
            out.stdout.is_empty() && out.stderr.is_empty(),
            "{cmd}: {}",
            stderr(&out)
        );
    }
    let mut sh = repo.command("sh");
    sh.args(["-c", &command]);
    let out = repo.run_command(sh, payload.as_bytes());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
