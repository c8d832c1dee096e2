//! `lineage check`, the CI gate (the proof issue's scenario 3), on real repositories.

mod common;

use std::process::Command;

use common::{TestRepo, stderr, stdout};
use serde_json::Value;

const POLICY: &str =
    "[check.review]\npaths = [\"src/auth/**\"]\nlevel = \"error\"\n\n[check.risky]\nlevel = \"warn\"\n";

fn repo_with_policy() -> TestRepo {
    TestRepo::with_files(&[
        ("src/auth/login.rs", "fn login() {}\n"),
        (".lineage.toml", POLICY),
    ])
}

#[test]
fn unreviewed_ai_lines_under_a_reviewed_path_fail_until_reviewed() {
    let repo = repo_with_policy();
    let ai = "fn check_password(p: &str) -> bool {\n    !p.is_empty()\n}\n";
    repo.ai_edit("src/auth/login.rs", &format!("fn login() {{}}\n{ai}"), ai);
    let commit = repo.commit("AI auth code");
    let out = repo.lineage(&["check", "HEAD~1..HEAD"]);
    assert_eq!(out.status.code(), Some(1), "{}{}", stdout(&out), stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("error   review") && text.contains("src/auth/login.rs:2-4"),
        "{text}"
    );
    assert!(text.contains(&commit[..8]), "{text}");
    assert!(
        stderr(&out).contains("check failed: 1 error(s)"),
        "{}",
        stderr(&out)
    );

    // GitHub annotations name the file and lines.
    let out = repo.lineage(&["check", "HEAD~1..HEAD", "--format", "github"]);
    assert!(
        stdout(&out)
            .starts_with("::error title=lineage review,file=src/auth/login.rs,line=2,endLine=4::AI lines"),
        "{}",
        stdout(&out)
    );

    // SARIF validates against SARIF 2.1.0's constraints.
    let out = repo.lineage(&["check", "HEAD~1..HEAD", "--format", "sarif"]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    let file = repo.scratch().join("check.sarif");
    std::fs::write(&file, &out.stdout).unwrap();
    let schema = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/schemas/sarif-2.1.0-subset.schema.json"
    );
    let script = format!(
        r#"
import json, jsonschema
schema = json.load(open('{schema}'))
validator = jsonschema.Draft202012Validator(schema)
doc = json.load(open('{file}'))
validator.validate(doc)
doc['runs'][0]['results'][0]['level'] = 'fatal'
assert not validator.is_valid(doc)
"#,
        file = file.display()
    );
    let validated = Command::new("python3").arg("-c").arg(&script).output().unwrap();
    assert!(validated.status.success(), "{}", stderr(&validated));

    // After an approving review, the check passes.
    repo.lineage_ok(&["review", "HEAD", "--approve", "--by", "R <r@example.com>"]);
    let out = repo.lineage(&["check", "HEAD~1..HEAD"]);
    assert!(out.status.success(), "{}{}", stdout(&out), stderr(&out));
    assert!(
        stdout(&out).contains("check: 0 error(s), 0 warning(s)"),
        "{}",
        stdout(&out)
    );
    let json: Value = serde_json::from_str(&repo.lineage_ok(&["check", "--json", "HEAD~1..HEAD"])).unwrap();
    assert_eq!(json["errors"], 0);
}

#[test]
fn risky_ai_lines_are_flagged_with_file_and_line_and_human_lines_are_not() {
    let repo = TestRepo::with_files(&[
        ("app.py", "import requests\n"),
        (
            ".lineage.toml",
            "[check.risky]\nlevel = \"error\"\n[check.ai_share]\nmax_percent = 50\nlevel = \"warn\"\n",
        ),
    ]);
    let ai = "r = requests.get(url, verify=False)\nq = \"SELECT * FROM users WHERE id = \" + uid\nresult = eval(expr)\n";
    repo.ai_edit("app.py", &format!("import requests\n{ai}"), ai);
    repo.commit("AI code");
    // The same patterns typed by a person are not the AI's to flag.
    let human = "os_system_ok = 1\nrequests.get(url, verify=False)\n";
    repo.write("human.py", human);
    repo.commit("human code");
    let out = repo.lineage(&["check", "--json"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(String, String)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                format!("{}:{}", f["file"].as_str().unwrap_or("-"), f["start_line"]),
            )
        })
        .collect();
    assert!(
        found.contains(&("risky/tls-verification-off".into(), "app.py:2".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("risky/sql-concatenation".into(), "app.py:3".into())),
        "{found:?}"
    );
    assert!(
        found.contains(&("risky/eval".into(), "app.py:4".into())),
        "{found:?}"
    );
    assert!(
        !found.iter().any(|(_, place)| place.starts_with("human.py")),
        "{found:?}"
    );
    // 3 of the AI commit's 3 lines are AI: over 50 %, a warning.
    assert!(found.iter().any(|(rule, _)| rule == "ai_share"), "{found:?}");
    assert_eq!(json["errors"], 3);
}

#[test]
fn check_needs_rules_and_valid_ones() {
    let repo = TestRepo::with_files(&[("a.rs", "fn a() {}\n")]);
    let out = repo.lineage(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("configures no check") && stderr(&out).contains("hint:"),
        "{}",
        stderr(&out)
    );
    repo.write(".lineage.toml", "[check.review]\nlevel = \"error\"\n");
    let out = repo.lineage(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("[check.review] needs paths"),
        "{}",
        stderr(&out)
    );
    let out = repo.lineage(&["check", "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

/// A hostile path in a note cannot inject a second workflow command.
#[test]
fn github_annotations_cannot_be_forged_by_a_note() {
    let repo = TestRepo::with_files(&[
        ("a.rs", "fn a() {}\n"),
        (".lineage.toml", "[check.review]\npaths = [\"**\"]\n"),
    ]);
    repo.write("b.rs", "x\n");
    let commit = repo.commit("b");
    let line = r#"{"file":"evil.rs\n::error::forged,x:y","id":"x","kind":"edit","lineage":1,"model":null,"modified":[],"outcome":"accepted","prompt_id":null,"ranges":[[1,1]],"recorded_at":"2026-01-01T00:00:00Z","session":null,"tool":"t","user":null}"#;
    repo.git(&["notes", "--ref=lineage", "add", "-f", "-m", line, &commit]);
    let out = repo.lineage(&["check", "--format", "github"]);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.contains("file=evil.rs%0A%3A%3Aerror%3A%3Aforged%2Cx%3Ay"),
        "{text}"
    );
}
