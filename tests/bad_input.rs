//! Scenario 11: bad input gets `error:` + `hint:`, exit code 1, and nothing written.

mod common;

use common::{LINEAGE, TestRepo, stderr};

fn assert_user_error(out: &std::process::Output, needle: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(err.contains(needle), "expected {needle:?} in {err}");
    assert!(err.contains("\nhint: "), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn record_outside_a_repository() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(LINEAGE);
    common::pin(&mut cmd, dir.path(), common::NOW);
    let out = cmd
        .current_dir(dir.path())
        .env("GIT_CEILING_DIRECTORIES", dir.path().parent().unwrap())
        .args([
            "record",
            "--file",
            "a.rs",
            "--tool",
            "codex",
            "--code-file",
            "/dev/null",
        ])
        .output()
        .unwrap();
    assert_user_error(&out, "not a git repository");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn record_paths_outside_the_work_tree() {
    let repo = TestRepo::new();
    for path in ["../outside.rs", "/etc/passwd", "sub/../../x.rs"] {
        let out = repo.lineage_with_stdin(&["record", "--file", path, "--tool", "codex"], b"x\n");
        assert_user_error(&out, "outside the work tree");
    }
    let out = repo.lineage_with_stdin(&["record", "--file", ".git/config", "--tool", "codex"], b"x\n");
    assert_user_error(&out, "inside the .git directory");
    std::fs::create_dir(repo.path().join("src")).unwrap();
    let out = repo.lineage_with_stdin(&["record", "--file", "src", "--tool", "codex"], b"x\n");
    assert_user_error(&out, "is a directory");
    assert_eq!(repo.journal_len(), 0);
}

#[test]
fn record_empty_binary_and_non_utf8_text() {
    let repo = TestRepo::new();
    let cases: [(&[u8], &str); 4] = [
        (b"", "the inserted text is empty"),
        (b"  \n\n", "the inserted text is empty"),
        (b"fn a() {}\n\xff\xfe bad\n", "not valid UTF-8"),
        (b"ELF\x00\x01\x02", "binary"),
    ];
    for (input, needle) in cases {
        let out = repo.lineage_with_stdin(&["record", "--file", "a.rs", "--tool", "codex"], input);
        assert_user_error(&out, needle);
    }
    let out = repo.lineage(&[
        "record",
        "--file",
        "a.rs",
        "--tool",
        "codex",
        "--code-file",
        "missing.txt",
    ]);
    assert_user_error(&out, "cannot read --code-file");
    assert_eq!(repo.journal_len(), 0);
}

#[test]
fn crlf_text_is_accepted_and_binds() {
    let repo = TestRepo::with_files(&[("a.rs", "fn a() {}\r\n")]);
    repo.write("a.rs", "fn a() {}\r\nfn b() {}\r\n");
    let out = repo.lineage_with_stdin(&["record", "--file", "a.rs", "--tool", "codex"], b"fn b() {}\r\n");
    assert!(out.status.success(), "{}", stderr(&out));
    repo.commit("crlf");
    assert_eq!(repo.ai_lines("a.rs"), common::lines(2..=2, "accepted"));
}

#[test]
fn blame_bad_paths_and_revisions() {
    let repo = TestRepo::with_files(&[("a.rs", "x\n")]);
    assert_user_error(&repo.lineage(&["blame", "nope.rs"]), "no such file: nope.rs");
    assert_user_error(
        &repo.lineage(&["blame", "HEAD", "nope.rs"]),
        "no such file: nope.rs in HEAD",
    );
    assert_user_error(
        &repo.lineage(&["blame", "no-such-rev", "a.rs"]),
        "unknown revision",
    );
    assert_user_error(&repo.lineage(&["blame", "../x.rs"]), "outside the work tree");
    assert_user_error(&repo.lineage(&["show", "no-such-rev"]), "unknown revision");
}

#[test]
fn blame_in_an_empty_repository() {
    let repo = TestRepo::new();
    repo.write("a.rs", "x\n");
    assert_user_error(&repo.lineage(&["blame", "a.rs"]), "no commits yet");
}

/// A wrong command line is a usage error (exit 2), told apart from bad input (exit 1).
#[test]
fn usage_errors_exit_2() {
    let repo = TestRepo::new();
    let out = repo.lineage(&["record", "--tool", "x"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--file"));
    let out = repo.lineage(&["blame", "--json", "--tsv", "a.rs"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn record_into_a_nested_repository() {
    let repo = TestRepo::new();
    let nested = repo.path().join("vendor/lib");
    std::fs::create_dir_all(&nested).unwrap();
    repo.run("git", &["init", "-q"], None, Some(&nested));
    let out = repo.lineage_with_stdin(
        &["record", "--file", "vendor/lib/x.rs", "--tool", "codex"],
        b"x\n",
    );
    assert_user_error(&out, "belongs to another repository");
    assert_eq!(repo.journal_len(), 0);
}

/// `GIT_DIR` and `GIT_WORK_TREE` name the repository, as they do for git.
#[test]
fn git_dir_and_work_tree_from_the_environment() {
    let repo = TestRepo::with_files(&[("a.rs", "x\n")]);
    let elsewhere = tempfile::tempdir().unwrap();
    let mut cmd = repo.command(LINEAGE);
    cmd.current_dir(elsewhere.path())
        .env("GIT_DIR", repo.path().join(".git"))
        .env("GIT_WORK_TREE", repo.path())
        .args(["status", "--json"]);
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(status["journal"].as_str().unwrap().ends_with(".git/lineage"));
}

/// libgit2 cannot open a SHA-256 repository: say so, instead of "not a git repository".
#[test]
fn a_sha256_repository_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    let mut git = std::process::Command::new("git");
    common::pin(&mut git, dir.path(), common::NOW);
    let made = git
        .args(["init", "-q", "--object-format=sha256"])
        .arg(&repo)
        .status()
        .unwrap();
    assert!(made.success());
    let mut cmd = std::process::Command::new(LINEAGE);
    common::pin(&mut cmd, dir.path(), common::NOW);
    let out = cmd.current_dir(&repo).args(["status"]).output().unwrap();
    assert_user_error(&out, "is a SHA-256 repository");
}

/// A FIFO (or any file that is not a regular file) is refused, not read forever.
#[test]
fn record_refuses_a_fifo() {
    let repo = TestRepo::new();
    let made = std::process::Command::new("mkfifo")
        .arg(repo.path().join("pipe.rs"))
        .status()
        .unwrap();
    assert!(made.success());
    let started = std::time::Instant::now();
    let out = repo.lineage_with_stdin(&["record", "--file", "pipe.rs", "--tool", "codex"], b"x();\n");
    assert_user_error(&out, "not a regular file");
    assert!(started.elapsed().as_secs() < 10);
    assert_eq!(repo.journal_len(), 0);
}

/// NUL bytes in `--prompt-file` are refused like NUL in inserted text.
#[test]
fn a_binary_prompt_file_is_refused() {
    let repo = TestRepo::new();
    repo.write("a.rs", "x();\n");
    std::fs::write(repo.scratch().join("prompt.bin"), b"make it\0so").unwrap();
    let prompt = repo.scratch().join("prompt.bin");
    let out = repo.lineage_with_stdin(
        &[
            "record",
            "--file",
            "a.rs",
            "--tool",
            "codex",
            "--prompt-file",
            prompt.to_str().unwrap(),
        ],
        b"x();\n",
    );
    assert_user_error(&out, "contains NUL bytes");
    assert_eq!(repo.journal_len(), 0);
}

/// Usage errors say what to read, like every other error.
#[test]
fn usage_errors_carry_a_hint() {
    let repo = TestRepo::new();
    for args in [
        &["blame", "--porcelain", "--tsv", "a.rs"][..],
        &["record", "--file", "a.rs"],
        &["record", "--file", "a.rs", "--tool", "t", "--status", "maybe"],
        &["record", "--from", "codex", "--file", "a.rs"],
    ] {
        let out = repo.lineage(args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(stderr(&out).starts_with("error: "), "{args:?}: {}", stderr(&out));
        assert!(stderr(&out).contains("\nhint: "), "{args:?}: {}", stderr(&out));
    }
}

/// A hook payload whose `cwd` names another repository writes nothing there: the hook acts for
/// the repository it runs in, and paths outside it are skipped with a warning.
#[test]
fn a_payload_naming_another_repository_writes_nothing_there() {
    let repo = TestRepo::new();
    let other = TestRepo::bare_init();
    other.write("x.rs", "fn x() {}\n");
    let payload = serde_json::json!({
        "session_id": "s",
        "hook_event_name": "PostToolUse",
        "cwd": other.path(),
        "tool_name": "Write",
        "tool_input": {"file_path": other.path().join("x.rs"), "content": "fn x() {}\n"},
        "tool_response": {"success": true}
    });
    let out = repo.lineage_with_stdin(
        &["record", "--from", "claude-code"],
        payload.to_string().as_bytes(),
    );
    assert!(out.status.success());
    assert!(stderr(&out).contains("outside the work tree"), "{}", stderr(&out));
    assert!(
        !other.path().join(".git/lineage").exists(),
        "nothing created in the other repository"
    );
    assert_eq!(repo.journal_len(), 0);
}
