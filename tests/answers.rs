//! The reading side (issue: answers for reviewers and auditors): explain, log, stats, review,
//! the HTML report in a real headless Chromium, and the JSON Lines export loaded into a real
//! DuckDB. Every scenario is a real repository driven through the real hooks.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestRepo, stderr, stdout};
use serde_json::Value;

const BASE: &str = "fn base() {}\n";

fn json(repo: &TestRepo, args: &[&str]) -> Value {
    serde_json::from_str(&repo.lineage_ok(args)).unwrap_or_else(|e| panic!("lineage {args:?}: {e}"))
}

/// A commit lineage never saw (before `init`), then lineage, an AI commit with a prompt, and a
/// person's commit.
fn history() -> TestRepo {
    let repo = TestRepo::bare_init();
    repo.write("README.md", "# before lineage\n");
    repo.git(&["add", "-A"]);
    repo.git(&["commit", "-q", "-m", "before lineage"]);
    repo.lineage_ok(&["init"]);
    repo.write("src/x.rs", BASE);
    repo.commit("base");
    let ai = "fn parse(input: &str) -> u32 {\n    input.trim().parse().unwrap_or(0)\n}\n";
    repo.write("src/x.rs", &format!("{BASE}{ai}"));
    let out = repo.lineage_with_stdin(
        &[
            "record",
            "--file",
            "src/x.rs",
            "--tool",
            "claude-code",
            "--tool-version",
            "2.0.14",
            "--model",
            "claude-opus-4-5",
            "--session",
            "s-1",
            "--prompt",
            "Add a parse function that never panics",
        ],
        ai.as_bytes(),
    );
    assert!(out.status.success(), "{}", stderr(&out));
    repo.commit("parse");
    repo.write("src/x.rs", &format!("{BASE}{ai}// reviewed by hand\n"));
    repo.commit("a person's line");
    repo
}

/// Scenario 1: the seven answers for an AI line; a human line says human; a line of a commit
/// lineage never saw says unknown.
#[test]
fn explain_answers_the_seven_questions() {
    let repo = history();
    let ai_commit = repo.git(&["rev-parse", "HEAD~1"]).trim().to_string();
    repo.lineage_ok(&[
        "review",
        "HEAD~1",
        "--approve",
        "--by",
        "R. Viewer <r@example.com>",
        "--ref",
        "https://example.com/pr/7",
    ]);
    let answers = json(&repo, &["explain", "src/x.rs:3", "--json"]);
    let line = &answers["lines"][0];
    assert_eq!(line["attribution"], "ai");
    // What was generated: the record's lines, this one marked.
    let generated = line["ai"]["generated"].as_array().unwrap();
    assert_eq!(generated.len(), 3);
    assert_eq!(generated[1]["content"], "    input.trim().parse().unwrap_or(0)");
    assert_eq!(generated[1]["this"], true);
    assert_eq!(generated[0]["this"], false);
    // What was asked, which model, which tool and version.
    assert_eq!(
        line["ai"]["prompt"]["text"],
        "Add a parse function that never panics"
    );
    assert_eq!(line["ai"]["prompt"]["kept"], "full");
    assert_eq!(line["ai"]["model"], "claude-opus-4-5");
    assert_eq!(line["ai"]["tool"], "claude-code");
    assert_eq!(line["ai"]["tool_version"], "2.0.14");
    // Which file and commit; who accepted it and who drove the agent.
    assert_eq!(line["file"], "src/x.rs");
    assert_eq!(line["commit"], ai_commit.as_str());
    assert_eq!(line["committer"], "Dana Developer <dana@example.com>");
    assert_eq!(line["ai"]["user"], "Dana Developer <dana@example.com>");
    // Reviewed, and whether it verifies.
    assert_eq!(line["review"]["verdict"], "approved");
    assert_eq!(line["review"]["by"], "R. Viewer <r@example.com>");
    assert_eq!(line["review"]["ref"], "https://example.com/pr/7");
    assert_eq!(line["signature"], "unsigned");
    assert!(human_or_pending_signature_is_null(&repo));

    let human = json(&repo, &["explain", "src/x.rs:5", "--json"]);
    assert_eq!(human["lines"][0]["attribution"], "human");
    assert!(human["lines"][0]["ai"].is_null());
    let unknown = json(&repo, &["explain", "README.md:1", "--json"]);
    assert_eq!(unknown["lines"][0]["attribution"], "unknown");

    // The human view names every answer.
    let text = repo.lineage_ok(&["explain", "src/x.rs:2-4"]);
    for expected in [
        "src/x.rs:2-4  ai (accepted)",
        "what was generated  record",
        "what was asked      Add a parse function that never panics",
        "model               claude-opus-4-5",
        "tool                claude-code 2.0.14",
        "accepted by         Dana Developer <dana@example.com> (committer); the agent was driven by Dana Developer <dana@example.com>",
        "reviewed            approved by R. Viewer <r@example.com>",
        "verifies            unsigned",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    let text = repo.lineage_ok(&["explain", "README.md:1"]);
    assert!(text.contains("README.md:1  unknown"), "{text}");
}

/// A pending line has no commit, so no signature to check.
fn human_or_pending_signature_is_null(repo: &TestRepo) -> bool {
    repo.write(
        "src/x.rs",
        &format!("{}fn pending() {{}}\n", repo.read("src/x.rs")),
    );
    repo.record(
        "src/x.rs",
        "fn pending() {}\n",
        "claude-code",
        "claude-opus-4-5",
        "p",
    );
    let pending = json(repo, &["explain", "src/x.rs:6", "--json"]);
    pending["lines"][0]["signature"].is_null()
}

/// A pending line is explained from the journal, marked pending.
#[test]
fn explain_reads_a_pending_line_from_the_journal() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn fresh() {{}}\n"), "fn fresh() {}\n");
    let answers = json(&repo, &["explain", "a.rs:2", "--json"]);
    let line = &answers["lines"][0];
    assert_eq!(line["attribution"], "ai");
    assert_eq!(line["ai"]["outcome"], "pending");
    assert!(line["commit"].is_null());
    assert_eq!(line["ai"]["prompt"]["text"], "make it so");
}

#[test]
fn explain_refuses_what_is_not_a_line() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    for target in ["a.rs", "a.rs:0", "a.rs:5-2", "a.rs:x", "missing.rs:1"] {
        let out = repo.lineage(&["explain", target]);
        assert_eq!(out.status.code(), Some(1), "{target}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("error:") && stderr(&out).contains("hint:"),
            "{}",
            stderr(&out)
        );
    }
    let out = repo.lineage(&["explain", "a.rs:9"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// Scenario 1, privacy: with `lineage.prompts=hash` no prompt text is anywhere: notes,
/// explain, the export, the report.
#[test]
fn hashed_prompts_leave_no_text_anywhere() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.git(&["config", "lineage.prompts", "hash"]);
    let secret = "SECRET-CUSTOMER-NAME in the prompt";
    repo.write("a.rs", &format!("{BASE}fn hidden() {{}}\n"));
    repo.record(
        "a.rs",
        "fn hidden() {}\n",
        "claude-code",
        "claude-opus-4-5",
        secret,
    );
    let pending = repo.lineage_ok(&["explain", "a.rs:2", "--json"]);
    assert!(!pending.contains("SECRET"), "{pending}");
    repo.commit("hidden");
    let note = repo.git(&["notes", "--ref=lineage", "show", "HEAD"]);
    assert!(!note.contains("SECRET"), "{note}");
    let explained = repo.lineage_ok(&["explain", "a.rs:2", "--json"]);
    assert!(!explained.contains("SECRET"), "{explained}");
    let answers: Value = serde_json::from_str(&explained).unwrap();
    assert_eq!(answers["lines"][0]["ai"]["prompt"]["kept"], "hash");
    assert!(repo.lineage_ok(&["explain", "a.rs:2"]).contains("kept private"));
    assert!(
        !repo
            .lineage_ok(&["export", "--format", "jsonl"])
            .contains("SECRET")
    );
    assert!(!repo.lineage_ok(&["report"]).contains("SECRET"));
}

/// Scenario 2: an agent-rejected edit and an edit whose lines the user deleted before
/// committing: stats counts 1 rejected and 1 discarded, and the committed lines.
#[test]
fn stats_count_rejected_and_discarded_edits() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let out = repo.lineage_with_stdin(
        &[
            "record", "--file", "a.rs", "--tool", "cursor", "--model", "gpt-5", "--status", "rejected",
        ],
        b"fn refused() {}\nfn also_refused() {}\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    // Applied, then deleted by the user before the commit.
    repo.ai_edit(
        "a.rs",
        &format!("{BASE}fn gone() {{}}\nfn gone_too() {{}}\nfn gone_three() {{}}\n"),
        "fn gone() {}\nfn gone_too() {}\nfn gone_three() {}\n",
    );
    repo.write("a.rs", BASE);
    // Committed: one verbatim, one modified.
    let ai = "fn kept() {}\nfn tweaked() {}\n";
    repo.ai_edit("a.rs", &format!("{BASE}{ai}"), ai);
    repo.write(
        "a.rs",
        &format!("{BASE}fn kept() {{}}\nfn tweaked_by_hand() {{}}\n"),
    );
    repo.commit("some AI");
    let settled = repo.note_of_kind("HEAD", "settled");
    let outcomes: Vec<&str> = settled.iter().map(|s| s["outcome"].as_str().unwrap()).collect();
    assert_eq!(outcomes.len(), 2, "{settled:?}");
    assert!(
        outcomes.contains(&"rejected") && outcomes.contains(&"discarded"),
        "{outcomes:?}"
    );

    let stats = json(&repo, &["stats", "--json"]);
    let total = &stats["total"];
    assert_eq!(total["rejected"], 2, "{stats}");
    assert_eq!(total["discarded"], 3, "{stats}");
    assert_eq!(total["ai_added"], 1, "{stats}");
    assert_eq!(total["ai_modified"], 1, "{stats}");
    assert_eq!(total["offered"], 7);
    let by_tool = json(&repo, &["stats", "--by", "tool", "--json"]);
    let row = |key: &str| {
        by_tool["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["key"] == key)
            .cloned()
            .unwrap()
    };
    assert_eq!(row("cursor")["rejected"], 2);
    assert_eq!(row("cursor")["acceptance_rate"], 0.0);
    assert_eq!(row("claude-code")["discarded"], 3);
    assert_eq!(row("claude-code")["ai_added"], 1);
    assert_eq!(row("claude-code")["ai_modified"], 1);
    // 2 committed of 5 offered.
    assert_eq!(row("claude-code")["acceptance_rate"], 0.4);
}

/// Scenario 3: a review is seen by explain, log and stats.
#[test]
fn a_review_is_seen_by_explain_log_and_stats() {
    let repo = history();
    let before = json(&repo, &["stats", "--json"]);
    assert_eq!(before["total"]["unreviewed_ai"], 3);
    let out = repo.lineage_ok(&[
        "review",
        "HEAD~1",
        "--approve",
        "--by",
        "R. Viewer <r@example.com>",
        "-m",
        "checked the parser",
    ]);
    assert!(out.contains("approved 1 commit(s)"), "{out}");
    let after = json(&repo, &["stats", "--json"]);
    assert_eq!(after["total"]["unreviewed_ai"], 0);
    let log = json(&repo, &["log", "--json"]);
    let commits = log["commits"].as_array().unwrap();
    assert_eq!(commits[1]["summary"], "parse");
    assert_eq!(commits[1]["review"]["verdict"], "approved");
    assert_eq!(commits[1]["review"]["message"], "checked the parser");
    assert!(commits[0]["review"].is_null());
    let text = repo.lineage_ok(&["log"]);
    assert!(
        text.lines()
            .nth(1)
            .is_some_and(|l| l.contains("approved") && l.contains("parse")),
        "{text}"
    );
    let explained = json(&repo, &["explain", "src/x.rs:2", "--json"]);
    assert_eq!(explained["lines"][0]["review"]["by"], "R. Viewer <r@example.com>");
    // Blame too: the reviewed commit's lines, not the others.
    let blame = json(&repo, &["blame", "--json", "src/x.rs"]);
    let reviews: Vec<&Value> = blame["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["review"])
        .collect();
    assert_eq!(
        reviews,
        [
            &Value::Null,
            &serde_json::json!("approved"),
            &serde_json::json!("approved"),
            &serde_json::json!("approved"),
            &Value::Null
        ]
    );
    assert!(
        repo.lineage_ok(&["blame", "--porcelain", "src/x.rs"])
            .contains("lineage-review approved")
    );
    // A later verdict wins.
    repo.lineage_ok(&[
        "review",
        "HEAD~1",
        "--request-changes",
        "--by",
        "S. Econd <s@example.com>",
    ]);
    let log = json(&repo, &["log", "--json"]);
    assert_eq!(log["commits"][1]["review"]["verdict"], "changes-requested");
    // Neither verdict, or a range with no commits, is refused.
    let out = repo.lineage(&["review", "HEAD"]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let out = repo.lineage(&["review", "HEAD..HEAD", "--approve"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}

/// Scenario 4: 50 commits, three models, a lockfile ignored by `.lineage.toml`: stats by model
/// match figures computed by hand.
#[test]
fn stats_by_model_match_hand_computed_figures() {
    let repo = TestRepo::new();
    repo.write(".lineage.toml", "[stats]\nignore = [\"Cargo.lock\"]\n");
    let models = ["claude-opus-4-5", "gpt-5-codex", "gemini-2.5-pro"];
    let mut expected_ai = [0u64; 3];
    let mut human = 0u64;
    let mut files: Vec<String> = vec![String::new(); 5];
    let mut lock = String::new();
    for i in 0..50usize {
        let file = i % 5;
        let path = format!("src/m{file}.rs");
        let k = i % 4 + 1;
        let ai: String = (0..k)
            .map(|j| format!("fn ai_{i}_{j}() -> u32 {{ {} }}\n", i * 10 + j))
            .collect();
        files[file].push_str(&ai);
        repo.write(&path, &files[file]);
        repo.record(&path, &ai, "claude-code", models[i % 3], &format!("step {i}"));
        expected_ai[i % 3] += k as u64;
        // A person's line in the same file, and the lockfile (ignored) grows.
        files[file].push_str(&format!("// note {i} by hand\n"));
        repo.write(&path, &files[file]);
        human += 1;
        for j in 0..10 {
            lock.push_str(&format!("lock-{i}-{j}\n"));
        }
        repo.write("Cargo.lock", &lock);
        if i == 0 {
            // The config file's own lines are a person's too.
            human += 2;
        }
        repo.commit(&format!("step {i}"));
    }
    let stats = json(&repo, &["stats", "--by", "model", "--json"]);
    let rows = stats["rows"].as_array().unwrap();
    let row = |key: &str| {
        rows.iter()
            .find(|r| r["key"] == key)
            .unwrap_or_else(|| panic!("no row {key}: {stats}"))
    };
    for (m, model) in models.iter().enumerate() {
        assert_eq!(row(model)["ai_added"], expected_ai[m], "{model}: {stats}");
        assert_eq!(row(model)["ai_modified"], 0);
    }
    assert_eq!(row("(human)")["human_added"], human);
    let ai_total: u64 = expected_ai.iter().sum();
    assert_eq!(stats["total"]["ai_added"], ai_total);
    assert_eq!(stats["total"]["human_added"], human);
    assert_eq!(stats["total"]["unknown"], 0);
    assert_eq!(stats["commits"], 50);
    assert_eq!(stats["ignore"], serde_json::json!(["Cargo.lock"]));
    let share = ai_total as f64 / (ai_total + human) as f64;
    assert!((stats["total"]["ai_share"].as_f64().unwrap() - share).abs() < 1e-9);
    // Without the config, the lockfile's 500 lines count as human.
    std::fs::remove_file(repo.path().join(".lineage.toml")).unwrap();
    let unfiltered = json(&repo, &["stats", "--json"]);
    assert_eq!(unfiltered["total"]["human_added"], human + 500);
    // `--ignore` does the same from the command line; paths narrow it.
    let flagged = json(&repo, &["stats", "--ignore", "*.lock", "--json"]);
    assert_eq!(flagged["total"]["human_added"], human);
    let one_file = json(&repo, &["stats", "--json", "--", "src/m0.rs"]);
    let m0_ai: u64 = (0..50).filter(|i| i % 5 == 0).map(|i| (i % 4 + 1) as u64).sum();
    assert_eq!(one_file["total"]["ai_added"], m0_ai);
    // Other groupings add up to the same total.
    for by in ["tool", "author", "path", "day", "week"] {
        let grouped = json(&repo, &["stats", "--by", by, "--ignore", "Cargo.lock", "--json"]);
        let sum: u64 = grouped["rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["ai_added"].as_u64().unwrap())
            .sum();
        assert_eq!(sum, ai_total, "{by}");
    }
    // The human table has a row per model and the total.
    let table = repo.lineage_ok(&["stats", "--ignore", "Cargo.lock"]);
    assert!(table.lines().any(|l| l.starts_with("gpt-5-codex")), "{table}");
    assert!(table.lines().any(|l| l.starts_with("total")), "{table}");
}

#[test]
fn stats_refuse_bad_ranges_and_globs() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    for args in [
        vec!["stats", "no-such-rev"],
        vec!["stats", "--ignore", "a["],
        vec!["log", "--not-a-range"],
    ] {
        let out = repo.lineage(&args);
        assert!(
            matches!(out.status.code(), Some(1 | 2)),
            "{args:?}: {}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("error:"), "{args:?}: {}", stderr(&out));
    }
    // A file that cannot be written is refused whole, with a hint.
    for target in ["no/such/dir/report.html", "."] {
        let out = repo.lineage(&["report", "-o", target]);
        assert_eq!(out.status.code(), Some(1), "{target}: {}", stderr(&out));
        assert!(
            stderr(&out).contains("hint:") && !stderr(&out).contains(".tmp"),
            "{}",
            stderr(&out)
        );
    }
    repo.write(".lineage.toml", "[stats]\nignore = \"Cargo.lock\"\n");
    let out = repo.lineage(&["stats"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains(".lineage.toml"), "{}", stderr(&out));
}

/// A repository without commits has empty figures, not an error.
#[test]
fn an_empty_repository_has_empty_figures() {
    let repo = TestRepo::new();
    let stats = json(&repo, &["stats", "--json"]);
    assert_eq!(stats["commits"], 0);
    assert_eq!(stats["total"]["lines"], 0);
    assert!(stats["total"]["ai_share"].is_null());
    assert_eq!(repo.lineage_ok(&["log"]), "");
    assert_eq!(repo.lineage_ok(&["export", "--format", "jsonl"]), "");
}

/// A note's text cannot forge the log's or the report's content.
#[test]
fn hostile_summaries_are_escaped() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.write("b.rs", "x\n");
    repo.git(&["add", "-A"]);
    repo.git(&[
        "commit",
        "-q",
        "-m",
        "evil \u{1b}]0;title\u{7} </script><script>alert(1)</script>",
    ]);
    let log = repo.lineage_ok(&["log"]);
    assert!(!log.contains('\u{1b}'), "{log:?}");
    let html = repo.lineage_ok(&["report"]);
    assert!(
        !html.contains("</script><script>alert"),
        "the summary closed the data element"
    );
}

fn chromium() -> &'static str {
    for candidate in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if Path::new(candidate).exists() {
            return candidate;
        }
    }
    panic!("headless Chromium is needed (Debian package chromium; .ci/run installs it)");
}

/// Chromium, headless and offline (every host name unresolvable), as the machine allows it.
fn headless(args: &[&str], profile: &Path) -> std::process::Output {
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("cannot run chromium")
}

/// The text of the element with `id` in a DOM Chromium dumped.
fn element_text(dom: &str, id: &str) -> String {
    let start = dom
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let open_end = start + dom[start..].find('>').unwrap() + 1;
    let close = open_end + dom[open_end..].find('<').unwrap();
    dom[open_end..close].to_string()
}

/// Scenario 5: the report opens in headless Chromium with no errors; its totals match
/// `stats --json`; it needs no network; a screenshot is taken.
#[test]
fn the_report_renders_in_a_real_browser_with_the_stats_figures() {
    let repo = history();
    repo.lineage_ok(&["review", "HEAD~1", "--approve", "--by", "R <r@example.com>"]);
    let out = repo.lineage_ok(&["report", "-o", "report.html"]);
    assert!(out.contains("wrote report.html"), "{out}");
    let report = repo.path().join("report.html");
    let html = std::fs::read_to_string(&report).unwrap();
    // Self-contained: nothing to fetch.
    for fetch in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(!html.contains(fetch), "the report fetches {fetch}");
    }
    let profile = tempfile::tempdir().unwrap();
    let url = format!("file://{}", report.display());
    let dumped = headless(&["--dump-dom", &url], profile.path());
    assert!(dumped.status.success(), "{}", stderr(&dumped));
    let dom = stdout(&dumped);
    let log = stderr(&dumped);
    assert!(
        dom.contains("data-rendered=\"yes\""),
        "the script did not finish: {log}"
    );
    assert_eq!(element_text(&dom, "errors"), "", "page errors");
    for line in log.lines().filter(|l| l.contains("CONSOLE")) {
        assert!(
            !line.contains("Uncaught") && !line.to_lowercase().contains("error"),
            "console: {line}"
        );
    }
    let stats = json(&repo, &["stats", "--json"]);
    let total = &stats["total"];
    assert_eq!(
        element_text(&dom, "total-ai-added"),
        total["ai_added"].to_string()
    );
    assert_eq!(
        element_text(&dom, "total-ai-modified"),
        total["ai_modified"].to_string()
    );
    assert_eq!(
        element_text(&dom, "total-human-added"),
        total["human_added"].to_string()
    );
    assert_eq!(element_text(&dom, "total-unknown"), total["unknown"].to_string());
    assert_eq!(
        element_text(&dom, "total-unreviewed"),
        total["unreviewed_ai"].to_string()
    );
    let share = format!("{:.1}%", total["ai_share"].as_f64().unwrap() * 100.0);
    assert_eq!(element_text(&dom, "total-ai-share"), share);
    assert!(dom.contains("claude-opus-4-5"), "the model table");
    assert!(
        dom.contains("Add a parse function that never panics"),
        "the prompt list"
    );

    let shot = repo.scratch().join("report.png");
    let taken = headless(
        &[
            "--screenshot=".to_string() + &shot.display().to_string(),
            "--window-size=1280,1600".into(),
            url,
        ]
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>(),
        profile.path(),
    );
    assert!(taken.status.success(), "{}", stderr(&taken));
    let png = std::fs::read(&shot).unwrap();
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "screenshot of {} bytes",
        png.len()
    );
    // Kept for people to look at when asked.
    if let Some(dir) = std::env::var_os("LINEAGE_SCREENSHOT_DIR") {
        std::fs::copy(&shot, Path::new(&dir).join("report.png")).unwrap();
    }
}

/// Scenario 6: the JSON Lines export loads into DuckDB, and SQL totals equal `stats --json`.
#[test]
fn the_export_loads_into_duckdb_with_the_stats_totals() {
    let repo = history();
    // A second model, a modified line, and a rejected edit, so that every total is non-zero.
    let ai = "fn extra() -> u8 { 1 }\nfn more() -> u8 { 2 }\n";
    repo.write("src/y.rs", ai);
    repo.record("src/y.rs", ai, "codex", "gpt-5-codex", "two helpers");
    repo.write("src/y.rs", "fn extra() -> u8 { 1 }\nfn more() -> u8 { 3 }\n");
    let out = repo.lineage_with_stdin(
        &[
            "record", "--file", "src/y.rs", "--tool", "codex", "--status", "rejected",
        ],
        b"fn no() {}\n",
    );
    assert!(out.status.success());
    repo.commit("helpers");
    let export = repo.scratch().join("lineage.jsonl");
    repo.lineage_ok(&["export", "--format", "jsonl", "-o", export.to_str().unwrap()]);
    let stats = json(&repo, &["stats", "--json"]);
    let script = format!(
        r#"
import duckdb, json
con = duckdb.connect()
con.execute("create table p as select * from read_json('{path}', format='newline_delimited')")
q = lambda sql: con.execute(sql).fetchone()[0]
print(json.dumps({{
  "ai_added": q("select coalesce(sum(lines), 0) from p where row = 'range' and outcome = 'accepted'"),
  "ai_modified": q("select coalesce(sum(lines), 0) from p where row = 'range' and outcome = 'modified'"),
  "human_added": q("select sum(human_added) from p where row = 'commit'"),
  "unknown": q("select sum(unknown) from p where row = 'commit'"),
  "rejected": q("select sum(rejected) from p where row = 'commit'"),
  "commits": q("select count(*) from p where row = 'commit'"),
  "columns": q("select count(*) from (describe p)"),
}}))
"#,
        path = export.display()
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(&script)
        .output()
        .expect("python3");
    assert!(
        out.status.success(),
        "DuckDB (pip package duckdb; .ci/run installs it): {}",
        stderr(&out)
    );
    let sql: Value = serde_json::from_slice(&out.stdout).unwrap();
    for key in ["ai_added", "ai_modified", "human_added", "unknown", "rejected"] {
        assert_eq!(sql[key], stats["total"][key], "{key}: SQL {sql} vs stats {stats}");
    }
    assert_eq!(sql["commits"], stats["commits"]);
    assert_eq!(sql["columns"], 30, "the documented columns");
    assert_eq!(stats["total"]["ai_modified"], 1);
    assert_eq!(stats["total"]["rejected"], 1);
}

/// CSV export: a header row, then one row per attributed range (split where the outcome
/// changes), with a note's text defused for spreadsheets.
#[test]
fn csv_export_has_a_header_and_a_row_per_range() {
    let repo = history();
    let ai = "fn one() {}\nfn two() {}\nfn three() {}\n";
    repo.write("src/z.rs", ai);
    repo.record("src/z.rs", ai, "=cmd|' /C calc'!A0", "gpt-5", "three functions");
    repo.write("src/z.rs", "fn one() {}\nfn two_by_hand() {}\nfn three() {}\n");
    repo.commit("z");
    let csv = repo.lineage_ok(&["export", "--format", "csv"]);
    let rows: Vec<&str> = csv.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert!(
        rows[0]
            .starts_with("repository,commit,author,author_time,path,start_line,end_line,lines,outcome,tool"),
        "{}",
        rows[0]
    );
    // src/x.rs: lines 2-4 accepted; src/z.rs: 1 accepted, 2 modified, 3 accepted.
    assert_eq!(rows.len(), 1 + 4, "{csv}");
    let z: Vec<&&str> = rows.iter().filter(|r| r.contains(",src/z.rs,")).collect();
    assert!(z[0].contains(",src/z.rs,1,1,1,accepted,"), "{}", z[0]);
    assert!(z[1].contains(",src/z.rs,2,2,1,modified,"), "{}", z[1]);
    // The tool name from the note cannot run as a formula.
    assert!(z[0].contains(",'=cmd|' /C calc'!A0,"), "{}", z[0]);
}

/// Scenario 4 of the proof issue: with `lineage.prompts=none`, no prompt text or hash is in
/// the notes or any export.
#[test]
fn prompts_none_leaves_neither_text_nor_hash() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.git(&["config", "lineage.prompts", "none"]);
    let prompt = "PRIVATE-PLAN for the merger";
    let hash = {
        use sha2::Digest;
        let digest = sha2::Sha256::digest(prompt.as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    repo.write("a.rs", &format!("{BASE}fn quiet() {{}}\n"));
    repo.record(
        "a.rs",
        "fn quiet() {}\n",
        "claude-code",
        "claude-opus-4-5",
        prompt,
    );
    repo.commit("quiet");
    let note = repo.git(&["notes", "--ref=lineage", "show", "HEAD"]);
    let jsonl = repo.lineage_ok(&["export", "--format", "jsonl"]);
    let csv = repo.lineage_ok(&["export", "--format", "csv"]);
    let html = repo.lineage_ok(&["report"]);
    let explained = repo.lineage_ok(&["explain", "a.rs:2", "--json"]);
    for (what, text) in [
        ("note", &note),
        ("jsonl", &jsonl),
        ("csv", &csv),
        ("report", &html),
        ("explain", &explained),
    ] {
        assert!(!text.contains("PRIVATE-PLAN"), "{what} holds the prompt: {text}");
        assert!(!text.contains(&hash), "{what} holds the prompt's hash: {text}");
    }
    assert!(note.contains("\"prompt_id\":null"), "{note}");
    let answers: Value = serde_json::from_str(&explained).unwrap();
    assert_eq!(answers["lines"][0]["ai"]["prompt"]["kept"], "none");
}
