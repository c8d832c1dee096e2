//! Standard exports (the proof issue's scenario 2): Agent Trace records validated against the
//! published schema's constraints (`fixtures/schemas/`, with Python's jsonschema), an in-toto
//! statement with the commits as subjects, optionally in a DSSE envelope whose SSH signature
//! `ssh-keygen` verifies.

mod common;

use std::process::Command;

use common::{TestRepo, stderr};
use serde_json::Value;

fn history() -> (TestRepo, String) {
    let repo = TestRepo::with_files(&[("src/a.rs", "fn base() {}\n")]);
    let ai = "fn one() -> u8 { 1 }\nfn two() -> u8 { 2 }\nfn three() -> u8 { 3 }\n";
    repo.write("src/a.rs", &format!("fn base() {{}}\n{ai}"));
    repo.record(
        "src/a.rs",
        ai,
        "claude-code",
        "claude-opus-4-5",
        "three small functions",
    );
    repo.write(
        "src/a.rs",
        "fn base() {}\nfn one() -> u8 { 1 }\nfn two() -> u8 { 22 }\nfn three() -> u8 { 3 }\n",
    );
    let commit = repo.commit("three functions");
    repo.write("README.md", "by hand\n");
    repo.commit("docs by hand");
    (repo, commit)
}

#[test]
fn agent_trace_records_validate_against_the_schema() {
    let (repo, commit) = history();
    let out = repo.lineage_ok(&["export", "--format", "agent-trace"]);
    let records: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    // Only the commit with AI lines has a record.
    assert_eq!(records.len(), 1, "{out}");
    let record = &records[0];
    assert_eq!(
        record["vcs"],
        serde_json::json!({"type": "git", "revision": commit})
    );
    assert_eq!(record["tool"]["name"], "claude-code");
    let file = &record["files"][0];
    assert_eq!(file["path"], "src/a.rs");
    let conversation = &file["conversations"][0];
    assert_eq!(
        conversation["contributor"],
        serde_json::json!({"type": "ai", "model_id": "anthropic/claude-opus-4-5"})
    );
    let ranges = conversation["ranges"].as_array().unwrap();
    let spans: Vec<(u64, u64)> = ranges
        .iter()
        .map(|r| (r["start_line"].as_u64().unwrap(), r["end_line"].as_u64().unwrap()))
        .collect();
    assert_eq!(spans, [(2, 2), (3, 3), (4, 4)]);
    assert_eq!(ranges[1]["contributor"]["type"], "mixed");
    assert!(ranges[0]["content_hash"].as_str().unwrap().starts_with("sha256:"));
    // The same export twice: the same ids.
    assert_eq!(repo.lineage_ok(&["export", "--format", "agent-trace"]), out);

    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/schemas/agent-trace-record.schema.json"
    );
    let records_file = repo.scratch().join("trace.jsonl");
    std::fs::write(&records_file, &out).unwrap();
    let script = format!(
        r#"
import json, jsonschema
schema = json.load(open('{schema}'))
validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
for line in open('{records}'):
    validator.validate(json.loads(line))
# A record the schema must refuse, so that the check above can fail.
bad = json.loads(open('{records}').readline())
bad['version'] = '0.1.0'
assert not validator.is_valid(bad)
print('valid')
"#,
        records = records_file.display()
    );
    let out = Command::new("python3").arg("-c").arg(&script).output().unwrap();
    assert!(
        out.status.success(),
        "jsonschema (pip package; .ci/run installs it): {}",
        stderr(&out)
    );
}

#[test]
fn in_toto_statement_names_the_commits_and_can_be_signed() {
    let (repo, commit) = history();
    let statement: Value =
        serde_json::from_str(&repo.lineage_ok(&["export", "--format", "in-toto", "HEAD~1..HEAD"])).unwrap();
    assert_eq!(statement["_type"], "https://in-toto.io/Statement/v1");
    let head = repo.head();
    assert_eq!(statement["subject"][0]["digest"]["gitCommit"], head.as_str());
    assert_eq!(statement["subject"].as_array().unwrap().len(), 1);
    assert_eq!(
        statement["predicateType"],
        "urn:lineage:predicate:ai-provenance:v1"
    );
    let whole: Value = serde_json::from_str(&repo.lineage_ok(&["export", "--format", "in-toto"])).unwrap();
    let subjects: Vec<&str> = whole["subject"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["digest"]["gitCommit"].as_str().unwrap())
        .collect();
    assert!(subjects.contains(&commit.as_str()), "{subjects:?}");
    assert_eq!(whole["predicate"]["total"]["ai_added"], 2);
    assert_eq!(whole["predicate"]["total"]["ai_modified"], 1);

    // Signed: a DSSE envelope whose signature ssh-keygen verifies over DSSE's encoding.
    let key = repo.scratch().join("key");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(made.status.success());
    repo.git(&["config", "user.signingkey", key.to_str().unwrap()]);
    let envelope: Value =
        serde_json::from_str(&repo.lineage_ok(&["export", "--format", "in-toto", "--sign"])).unwrap();
    assert_eq!(envelope["payloadType"], "application/vnd.in-toto+json");
    use base64::Engine;
    let body = base64::engine::general_purpose::STANDARD
        .decode(envelope["payload"].as_str().unwrap())
        .unwrap();
    let inner: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(inner["subject"], whole["subject"]);
    let blob = envelope["signatures"][0]["sig"].as_str().unwrap();
    let mut armored = String::from("-----BEGIN SSH SIGNATURE-----\n");
    for chunk in blob.as_bytes().chunks(70) {
        armored.push_str(std::str::from_utf8(chunk).unwrap());
        armored.push('\n');
    }
    armored.push_str("-----END SSH SIGNATURE-----\n");
    let sig = repo.scratch().join("statement.sig");
    std::fs::write(&sig, armored).unwrap();
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let allowed = repo.scratch().join("allowed");
    std::fs::write(&allowed, format!("dana@example.com {}", public)).unwrap();
    let payload_type = "application/vnd.in-toto+json";
    let mut pae = format!("DSSEv1 {} {payload_type} {} ", payload_type.len(), body.len()).into_bytes();
    pae.extend_from_slice(&body);
    let mut verify = Command::new("ssh-keygen")
        .args(["-Y", "verify", "-n", "in-toto", "-I", "dana@example.com", "-f"])
        .arg(&allowed)
        .arg("-s")
        .arg(&sig)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    verify.stdin.take().unwrap().write_all(&pae).unwrap();
    let verified = verify.wait_with_output().unwrap();
    assert!(verified.status.success(), "{}", stderr(&verified));
    // --sign means an in-toto statement.
    let out = repo.lineage(&["export", "--format", "jsonl", "--sign"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
}
