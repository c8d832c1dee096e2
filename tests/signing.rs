//! Signed notes and `lineage verify` (the proof issue's scenario 1), with real `ssh-keygen`
//! keys, real hooks, and a real bare remote for the sync.

mod common;

use std::path::{Path, PathBuf};

use common::{LINEAGE, TestRepo, stderr, stdout};

/// An ed25519 key pair in `dir`, and the allowed signers line that vouches for it as `email`.
fn key(dir: &Path, name: &str, email: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", email, "-f"])
        .arg(&path)
        .output()
        .expect("ssh-keygen (openssh-client)");
    assert!(out.status.success(), "{}", stderr(&out));
    let public = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    let mut fields = public.split_whitespace();
    let line = format!("{email} {} {}\n", fields.next().unwrap(), fields.next().unwrap());
    (path, line)
}

/// A repository that signs its notes with Dana's key; the allowed signers file lists Dana.
fn signing_repo() -> (TestRepo, PathBuf) {
    let repo = TestRepo::with_files(&[("a.rs", "fn base() {}\n")]);
    let (dana, allowed_line) = key(repo.scratch(), "dana", "dana@example.com");
    let allowed = repo.scratch().join("allowed_signers");
    std::fs::write(&allowed, allowed_line).unwrap();
    repo.git(&["config", "user.signingkey", dana.to_str().unwrap()]);
    repo.git(&["config", "gpg.format", "ssh"]);
    repo.git(&["config", "gpg.ssh.allowedSignersFile", allowed.to_str().unwrap()]);
    repo.git(&["config", "lineage.sign", "true"]);
    (repo, allowed)
}

fn ai_commit(repo: &TestRepo, file: &str, text: &str) -> String {
    repo.ai_edit(file, text, text);
    repo.commit(&format!("AI writes {file}"))
}

#[test]
fn signed_notes_verify_and_a_changed_line_is_named() {
    let (repo, _) = signing_repo();
    let commit = ai_commit(&repo, "b.rs", "fn signed() -> u8 { 1 }\n");
    let note = repo.note("HEAD");
    let sig = note.iter().find(|r| r["kind"] == "sig").expect("a sig line");
    assert_eq!(sig["signer"], "dana@example.com");
    // Every other line of the note is covered.
    assert_eq!(sig["lines"].as_array().unwrap().len(), note.len() - 1);
    let out = repo.lineage(&["verify"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("signed-valid (signed by dana@example.com)"),
        "{}",
        stdout(&out)
    );

    // A collaborator edits a line of the note by hand: verify names the commit and the line.
    let text = repo.git(&["notes", "--ref=lineage", "show", "HEAD"]);
    let forged = text.replace("\"tool\":\"claude-code\"", "\"tool\":\"human-typing\"");
    assert_ne!(forged, text);
    let file = repo.scratch().join("forged-note");
    std::fs::write(&file, forged).unwrap();
    repo.git(&[
        "notes",
        "--ref=lineage",
        "add",
        "-f",
        "-F",
        file.to_str().unwrap(),
        "HEAD",
    ]);
    let out = repo.lineage(&["verify"]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let text = stdout(&out);
    assert!(
        text.contains(&format!("{} altered lines", &commit[..12])),
        "{text}"
    );
    assert!(
        text.contains("not covered by a valid signature") && text.contains("human-typing"),
        "{text}"
    );
    assert!(stderr(&out).contains("hint:"), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(
        &repo
            .lineage(&["verify", "--json"])
            .stdout
            .iter()
            .map(|&b| b as char)
            .collect::<String>(),
    )
    .unwrap();
    assert_eq!(json["commits"][0]["verdict"], "altered-lines");
}

#[test]
fn unsigned_notes_and_unknown_signers_fail() {
    let (repo, _) = signing_repo();
    // Written before signing was turned on: unsigned.
    repo.git(&["config", "lineage.sign", "false"]);
    let unsigned = ai_commit(&repo, "b.rs", "fn plain() {}\n");
    // Signed by a key the allowed signers file does not list.
    let (stranger, _) = key(repo.scratch(), "stranger", "dana@example.com");
    repo.git(&["config", "lineage.sign", "true"]);
    repo.git(&["config", "user.signingkey", stranger.to_str().unwrap()]);
    let unknown = ai_commit(&repo, "c.rs", "fn strange() {}\n");
    let out = repo.lineage(&["verify", "HEAD~2..HEAD"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains(&format!("{} unsigned", &unsigned[..12])), "{text}");
    assert!(
        text.contains(&format!("{} unknown signer", &unknown[..12])),
        "{text}"
    );
    assert!(
        stderr(&out).contains("2 of 2 noted commit(s) do not verify"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_key_problem_never_loses_a_note() {
    let (repo, _) = signing_repo();
    repo.git(&["config", "user.signingkey", "/no/such/key"]);
    ai_commit(&repo, "b.rs", "fn kept() {}\n");
    let note = repo.note("HEAD");
    assert!(note.iter().any(|r| r["kind"] == "edit"), "{note:?}");
    assert!(!note.iter().any(|r| r["kind"] == "sig"));
    let log = std::fs::read_to_string(repo.path().join(".git/lineage/log")).unwrap();
    assert!(log.contains("notes written unsigned"), "{log}");
    let out = repo.lineage(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    // No allowed signers file: a clear error.
    repo.git(&["config", "--unset", "gpg.ssh.allowedSignersFile"]);
    let out = repo.lineage(&["verify"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("allowedSignersFile") && stderr(&out).contains("hint:"),
        "{}",
        stderr(&out)
    );
}

/// After a sync that merged another signer's lines into a note, both signatures verify.
#[test]
fn two_signers_lines_verify_after_a_sync() {
    let (origin, allowed) = signing_repo();
    let commit = ai_commit(&origin, "b.rs", "fn shared() {}\n");
    let bare = origin.scratch().join("remote.git");
    origin.git(&["init", "-q", "--bare", bare.to_str().unwrap()]);
    origin.git(&["remote", "add", "origin", bare.to_str().unwrap()]);
    origin.git(&["push", "-q", "origin", "main"]);
    origin.lineage_ok(&["push"]);

    // Ray, in his own clone, signs a review of the same commit with his key.
    let (ray_key, ray_line) = key(origin.scratch(), "ray-key", "ray@example.com");
    std::fs::write(
        &allowed,
        format!("{}{ray_line}", std::fs::read_to_string(&allowed).unwrap()),
    )
    .unwrap();
    let clone = origin.scratch().join("ray");
    origin.git(&["clone", "-q", bare.to_str().unwrap(), clone.to_str().unwrap()]);
    let as_ray = |args: &[&str]| {
        let mut cmd = origin.command(LINEAGE);
        cmd.current_dir(&clone)
            .args(args)
            .env("GIT_COMMITTER_EMAIL", "ray@example.com");
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    };
    origin.git_in(&clone, &["config", "user.signingkey", ray_key.to_str().unwrap()]);
    origin.git_in(&clone, &["config", "lineage.sign", "true"]);
    as_ray(&["init"]);
    as_ray(&["fetch"]);
    as_ray(&["review", &commit, "--approve", "--by", "Ray <ray@example.com>"]);
    as_ray(&["sync"]);

    // Dana reviews too, then syncs: the note holds both writers' lines and signatures.
    origin.lineage_ok(&[
        "review",
        &commit,
        "--request-changes",
        "--by",
        "Dana <dana@example.com>",
    ]);
    origin.lineage_ok(&["sync"]);
    let sigs: Vec<String> = origin
        .note(&commit)
        .iter()
        .filter(|r| r["kind"] == "sig")
        .map(|r| r["signer"].as_str().unwrap().to_string())
        .collect();
    assert!(
        sigs.contains(&"ray@example.com".to_string()) && sigs.contains(&"dana@example.com".to_string()),
        "{sigs:?}"
    );
    let out = origin.lineage(&["verify", &commit]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("signed-valid")
            && text.contains("ray@example.com")
            && text.contains("dana@example.com"),
        "{text}"
    );
}
