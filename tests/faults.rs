//! Scenarios 10 and 12: damaged journals, unwritable directories and foreign notes never break a
//! commit or a blame, and lose nothing.

mod common;

use std::path::Path;
use std::process::Command;

use common::{TestRepo, lines, stderr};

const BASE: &str = "fn base() {}\n";

/// Scenario 12a: a damaged journal entry is moved to the quarantine with a warning; the commit
/// succeeds and the other entries are bound or still pending.
#[test]
fn corrupt_journal_entry() {
    let repo = TestRepo::with_files(&[("a.rs", BASE), ("b.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn bound() {{}}\n"), "fn bound() {}\n");
    let mut log = std::fs::OpenOptions::new()
        .append(true)
        .open(repo.journal_log())
        .unwrap();
    std::io::Write::write_all(&mut log, b"{\"id\": \"garbage from a bad disk\n").unwrap();
    repo.write("b.rs", &format!("{BASE}fn later() {{}}\n"));
    repo.record("b.rs", "fn later() {}\n", "codex", "gpt-5-codex", "later");

    let status = repo.lineage_ok(&["status"]);
    assert!(status.contains("unreadable journal entry: line 2 of"), "{status}");
    repo.git(&["add", "a.rs"]);
    let out = repo.git_output(&["commit", "-q", "-m", "with a corrupt journal"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("lineage: warning: unreadable journal entry on line 2"),
        "{}",
        stderr(&out)
    );
    assert_eq!(repo.ai_lines("a.rs"), lines(2..=2, "accepted"));
    let quarantine = std::fs::read_to_string(repo.path().join(".git/lineage/quarantine.jsonl")).unwrap();
    assert_eq!(quarantine, "{\"id\": \"garbage from a bad disk\n");
    assert_eq!(repo.journal_len(), 1, "the b.rs entry is still pending");
    assert!(
        std::fs::read_to_string(repo.path().join(".git/lineage/log"))
            .unwrap()
            .contains("unreadable")
    );
}

/// Makes `dir` unwritable even for root (which ignores permission bits): `chattr +i`.
fn make_unwritable(dir: &Path) -> impl Drop + use<> {
    struct Restore(std::path::PathBuf);
    impl Drop for Restore {
        fn drop(&mut self) {
            let _ = Command::new("chattr").arg("-i").arg(&self.0).status();
            let _ = std::fs::set_permissions(&self.0, std::os::unix::fs::PermissionsExt::from_mode(0o755));
        }
    }
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    let restore = Restore(dir.to_path_buf());
    if std::fs::write(dir.join("probe"), "").is_ok() {
        std::fs::remove_file(dir.join("probe")).unwrap();
        let status = Command::new("chattr").arg("+i").arg(dir).status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "cannot make {} unwritable (chattr +i failed)",
            dir.display()
        );
    }
    assert!(
        std::fs::write(dir.join("probe"), "").is_err(),
        "{} is still writable",
        dir.display()
    );
    restore
}

/// Scenario 12b: an unwritable journal directory: the commit succeeds, the note is written,
/// a warning is printed, and every entry is still there.
#[test]
fn unwritable_journal_dir() {
    let repo = TestRepo::with_files(&[("a.rs", BASE), ("b.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn bound() {{}}\n"), "fn bound() {}\n");
    repo.record("b.rs", "fn later() {}\n", "codex", "gpt-5-codex", "later");
    let guard = make_unwritable(&repo.journal_dir());
    repo.git(&["add", "a.rs"]);
    let out = repo.git_output(&["commit", "-q", "-m", "read-only journal"]);
    drop(guard);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("lineage: warning: the note is written, but the journal could not be settled"),
        "{}",
        stderr(&out)
    );
    assert_eq!(repo.ai_lines("a.rs"), lines(2..=2, "accepted"));
    assert_eq!(repo.journal_len(), 2, "nothing was lost");
}

/// A hook never blocks a commit, even when lineage cannot run at all.
#[test]
fn missing_binary_only_warns() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    for hook in ["prepare-commit-msg", "post-commit"] {
        let path = repo.path().join(".git/hooks").join(hook);
        let text = std::fs::read_to_string(&path).unwrap();
        let start = text.find("lineage='").unwrap();
        let end = start + text[start..].find('\n').unwrap();
        let broken = format!("{}lineage='/nonexistent/lineage'{}", &text[..start], &text[end..]);
        std::fs::write(&path, broken).unwrap();
    }
    // An edit is pending, so post-commit must start lineage.
    repo.ai_edit("a.rs", "changed\n", "changed\n");
    repo.git(&["add", "-A"]);
    let mut cmd = repo.command("git");
    cmd.args(["commit", "-q", "-m", "no lineage"])
        .env("PATH", "/usr/bin:/bin");
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("lineage: warning: could not run"),
        "{}",
        stderr(&out)
    );
}

/// A crashed writer's temporary file is never read as an entry, and is swept once stale.
#[test]
fn leftover_temp_files_are_ignored_and_swept() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.record("a.rs", "fn pending() {}\n", "codex", "gpt-5-codex", "p");
    let temp = repo.journal_dir().join(".tmp-crashed");
    std::fs::write(&temp, "{\"id\":\"half").unwrap();
    let status = repo.status_json();
    assert_eq!(status["pending"][0]["entries"].as_array().unwrap().len(), 1);
    assert!(status["damaged"].as_array().unwrap().is_empty());
    assert!(
        Command::new("touch")
            .args(["-d", "2 hours ago"])
            .arg(&temp)
            .status()
            .unwrap()
            .success()
    );
    repo.write("b.rs", "x\n");
    repo.commit("sweep");
    assert!(!temp.exists());
}

/// Killing recorders at moments spread over a whole record never leaves an unreadable entry.
#[test]
fn killed_recorders_leave_no_corrupt_entries() {
    let repo = TestRepo::new();
    let big: String = (0..20_000).map(|i| format!("let line_{i} = {i};\n")).collect();
    let record = |session: &str| {
        let mut cmd = repo.command(common::LINEAGE);
        cmd.args([
            "record",
            "--file",
            "big.rs",
            "--tool",
            "codex",
            "--session",
            session,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
        let mut child = cmd.spawn().unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let text = big.clone();
        let writer = std::thread::spawn(move || {
            use std::io::Write;
            let _ = stdin.write_all(text.as_bytes());
        });
        (child, writer)
    };
    // How long one record takes here, so the kills can be spread across all of it.
    let started = std::time::Instant::now();
    let (mut child, writer) = record("timing");
    assert!(child.wait().unwrap().success());
    writer.join().unwrap();
    let full = started.elapsed();
    std::fs::remove_file(repo.journal_log()).unwrap();

    // Growing delays: the first recorders are killed before they write, later ones mid-write,
    // the last finish. Stop once a few have finished (the machine's speed varies under load).
    const RUNS: u32 = 60;
    for i in 0..RUNS {
        let (mut child, writer) = record(&i.to_string());
        std::thread::sleep(full * i / 10);
        let _ = child.kill();
        let _ = child.wait();
        let _ = writer.join();
        if i >= 10 && repo.journal_len() >= 3 {
            break;
        }
    }
    let status = repo.status_json();
    assert!(status["damaged"].as_array().unwrap().is_empty(), "{status}");
    let written = repo.journal_entries();
    assert!(
        !written.is_empty() && written.len() < RUNS as usize,
        "{} of {RUNS} recorders finished: the kills did not vary",
        written.len()
    );
    for entry in &written {
        assert_eq!(entry["inserted"].as_str().unwrap().len(), big.len());
    }
}

/// Scenario 10: foreign and damaged notes on refs/notes/lineage: blame works and reports them.
#[test]
fn foreign_notes_are_skipped_and_reported() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let human = repo.head();
    repo.ai_edit("a.rs", &format!("{BASE}fn ai() {{}}\n"), "fn ai() {}\n");
    let ai = repo.commit("ai");
    repo.git(&[
        "notes",
        "--ref=lineage",
        "append",
        "-m",
        "Reviewed by Bob, looks fine.",
        &human,
    ]);
    repo.git(&[
        "notes",
        "--ref=lineage",
        "append",
        "-m",
        "{\"tool\":\"other-tracker\",\"agent\":\"x\"}",
        &ai,
    ]);
    repo.git(&[
        "notes",
        "--ref=lineage",
        "append",
        "-m",
        "{\"lineage\":1,\"kind\":\"edit\",\"file\":",
        &ai,
    ]);

    let out = repo.lineage(&["blame", "--json", "a.rs"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(&format!("skipped 1 line(s) of the note on {}", &human[..12])),
        "{err}"
    );
    assert!(
        err.contains(&format!("skipped 2 line(s) of the note on {}", &ai[..12])),
        "{err}"
    );
    let blame: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(blame["lines"][0]["ai"].is_null());
    assert_eq!(blame["lines"][1]["ai"]["tool"], "claude-code");

    let show = repo.lineage(&["show", "--json", &ai]);
    assert!(show.status.success());
    let view: serde_json::Value = serde_json::from_slice(&show.stdout).unwrap();
    assert_eq!(view["skipped_lines"], 2);
    assert_eq!(view["edits"].as_array().unwrap().len(), 1);
}

/// A bound entry the journal could not settle is not later written off as `discarded`: the
/// notes already account for it.
#[test]
fn an_unsettled_entry_is_not_discarded_later() {
    let mut repo = TestRepo::with_files(&[("a.rs", BASE)]);
    commit_bound_with_a_read_only_journal(&repo, "read-only journal");

    repo.set_now("2027-01-01T00:00:00Z");
    commit_later_and_check_nothing_discarded(&repo, "weeks later");
}

/// Another lineage process holding the journal lock makes a hook wait, briefly, never forever.
#[test]
fn a_held_lock_never_hangs_a_commit() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn ai() {{}}\n"), "fn ai() {}\n");
    let lock = repo.journal_dir().join("lock");
    let holder = std::fs::OpenOptions::new().write(true).open(&lock).unwrap();
    holder.lock().unwrap();
    repo.git(&["add", "-A"]);
    let started = std::time::Instant::now();
    let out = repo.git_output(&["commit", "-q", "-m", "while locked"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert!(
        stderr(&out).contains("locked by another lineage process"),
        "{}",
        stderr(&out)
    );
    assert_eq!(
        repo.ai_lines("a.rs"),
        lines(2..=2, "accepted"),
        "the note is written all the same"
    );
    drop(holder);
}

/// An agent's edit is never dropped because lineage is busy: with the journal lock held (a long
/// settlement), hook-mode `record` spills the entry, and the next commit binds it.
#[test]
fn a_busy_journal_never_drops_an_agents_edit() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    let lock = repo.journal_dir().join("lock");
    let holder = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock)
        .unwrap();
    holder.lock().unwrap();
    repo.write("a.rs", &format!("{BASE}fn ai() {{}}\n"));
    let payload = serde_json::json!({
        "session_id": "s-busy",
        "hook_event_name": "PostToolUse",
        "cwd": repo.path(),
        "tool_name": "Write",
        "tool_input": {"file_path": repo.path().join("a.rs"), "content": format!("{BASE}fn ai() {{}}\n")},
        "tool_response": {"success": true}
    });
    let started = std::time::Instant::now();
    let out = repo.lineage_with_stdin(
        &["record", "--from", "claude-code"],
        payload.to_string().as_bytes(),
    );
    assert!(out.status.success());
    assert!(stderr(&out).is_empty(), "{}", stderr(&out));
    assert!(
        started.elapsed() < std::time::Duration::from_secs(2),
        "the agent is not held up"
    );
    assert_eq!(
        repo.status_json()["pending"][0]["entries"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    drop(holder);

    repo.commit("ai");
    assert_eq!(repo.ai_lines("a.rs"), lines(2..=2, "accepted"));
    assert_eq!(repo.journal_len(), 0, "absorbed, bound and settled");
    let spill = repo.journal_dir().join("spill");
    assert!(std::fs::read_dir(&spill).map_or(true, |mut d| d.next().is_none()));
}

/// An expired entry whose lines are in a note on another branch is not written off as never
/// committed: the search covers every branch, in one walk for all expired entries.
#[test]
fn an_expired_entry_bound_on_another_branch_is_not_discarded() {
    let mut repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.git(&["checkout", "-q", "-b", "topic"]);
    commit_bound_with_a_read_only_journal(&repo, "on topic, journal read-only");
    assert_eq!(repo.note_of_kind("topic", "edit").len(), 1);

    repo.git(&["checkout", "-q", "main"]);
    repo.set_now("2027-01-01T00:00:00Z");
    commit_later_and_check_nothing_discarded(&repo, "weeks later, on main");
}

/// Commits an AI line with the journal read-only: the note is written, the settlement fails,
/// and the entry stays pending.
fn commit_bound_with_a_read_only_journal(repo: &TestRepo, message: &str) {
    repo.ai_edit("a.rs", &format!("{BASE}fn bound() {{}}\n"), "fn bound() {}\n");
    let guard = make_unwritable(&repo.journal_dir());
    repo.git(&["add", "-A"]);
    let out = repo.git_output(&["commit", "-q", "-m", message]);
    drop(guard);
    assert!(out.status.success());
    assert_eq!(repo.journal_len(), 1, "left pending by the failed settlement");
}

/// A later human commit settles the pending entry as done (its note exists), not discarded.
fn commit_later_and_check_nothing_discarded(repo: &TestRepo, message: &str) {
    repo.write("b.rs", "later\n");
    repo.commit(message);
    assert!(
        repo.note_of_kind("HEAD", "settled").is_empty(),
        "{:?}",
        repo.note("HEAD")
    );
    assert_eq!(repo.journal_len(), 0);
}

/// `gc --auto` packing refs while post-commit moves the notes ref: `git pack-refs` holds the lock
/// of each ref it prunes (git's own commit waits out `packed-refs.lock` before post-commit
/// runs). The writer backs off and retries for up to 3 s, and the note is written.
#[test]
fn a_busy_notes_ref_lock_does_not_lose_the_note() {
    let repo = TestRepo::with_files(&[("a.rs", BASE)]);
    repo.ai_edit("a.rs", &format!("{BASE}fn one() {{}}\n"), "fn one() {}\n");
    repo.commit("first note");
    repo.git(&["pack-refs", "--all"]);
    repo.ai_edit(
        "a.rs",
        &format!("{BASE}fn one() {{}}\nfn two() {{}}\n"),
        "fn two() {}\n",
    );
    repo.git(&["add", "-A"]);
    let locks = [repo.path().join(".git/refs/notes/lineage.lock")];
    for lock in &locks {
        std::fs::create_dir_all(lock.parent().unwrap()).unwrap();
        std::fs::write(lock, "").unwrap();
    }
    let releaser = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(700));
        for lock in &locks {
            std::fs::remove_file(lock).unwrap();
        }
    });
    let out = repo.git_output(&["commit", "-q", "-m", "while gc packs refs"]);
    releaser.join().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    assert_eq!(repo.ai_lines("a.rs"), lines(2..=3, "accepted"));
}
