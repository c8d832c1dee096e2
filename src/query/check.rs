//! `lineage check`: a CI gate over a range, with the rules of the committed `.lineage.toml`
//! (`config::CheckConfig`): AI lines under given paths must be reviewed, notes must verify,
//! a commit's AI share has a ceiling, and risky patterns in AI lines are flagged.

use std::collections::BTreeMap;

use anyhow::Result;
use regex::Regex;
use serde::Serialize;

use crate::config::{CheckConfig, Level};
use crate::git::Repo;
use crate::model::ObjectId;
use crate::query::export::runs;
use crate::query::history::{self, Ignore};
use crate::query::verify::{Verdict, verify};

/// One thing a rule found.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    /// `review`, `signatures`, `ai_share`, or `risky/<pattern>`.
    pub rule: String,
    pub level: Level,
    pub commit: ObjectId,
    pub file: Option<String>,
    /// 1-based, inclusive, in the commit's version of `file`.
    pub start_line: Option<u32>,
    pub end_line: Option<u32>,
    pub message: String,
}

/// Risky patterns in AI lines: a name and a regular expression (case-insensitive where it
/// says so).
const RISKY: &[(&str, &str)] = &[
    (
        "credential",
        r#"(?i)(api[_-]?key|secret|passw(or)?d|token|auth)["']?\s*[:=]\s*["'][^"'\s]{8,}["']|AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{30,}"#,
    ),
    ("eval", r"\beval\s*\(|\bexec\s*\(|new\s+Function\s*\("),
    (
        "shell",
        r#"os\.system\s*\(|subprocess\.\w+\([^)]*shell\s*=\s*True|child_process|\bshell_exec\s*\(|Command::new\("(sh|bash)"\)|\bpopen\s*\("#,
    ),
    (
        "sql-concatenation",
        r#"(?i)["'`]\s*(select|insert|update|delete)\b[^"'`]*["'`]\s*(\+|%|\.format\s*\(|\|\|)|\bf"(?i:select|insert|update|delete)\b[^"]*\{|\bf'(?i:select|insert|update|delete)\b[^']*\{"#,
    ),
    (
        "tls-verification-off",
        r"verify\s*=\s*False|InsecureSkipVerify:\s*true|danger_accept_invalid_certs\(\s*true\s*\)|rejectUnauthorized:\s*false|CURLOPT_SSL_VERIFYPEER,\s*(0|false)|NODE_TLS_REJECT_UNAUTHORIZED",
    ),
];

/// Every finding of `rules` over `range`, errors first.
pub fn check(repo: &Repo, range: Option<&str>, rules: &CheckConfig) -> Result<Vec<Finding>> {
    let review_globs = match &rules.review {
        Some((paths, _)) => Some(Ignore::new(paths)?),
        None => None,
    };
    let risky: Vec<(&str, Regex)> = RISKY
        .iter()
        .map(|(name, pattern)| (*name, Regex::new(pattern).expect("a valid pattern")))
        .collect();
    let mut findings = Vec::new();
    let mut noted: Vec<ObjectId> = Vec::new();
    history::for_each_commit(
        repo,
        range,
        &[],
        &Ignore::default(),
        &mut |_, _| {},
        &mut |facts, note| {
            if !note.records.is_empty() {
                noted.push(facts.commit);
            }
            let short = facts.commit.abbrev(8);
            if let (Some((_, level)), Some(globs)) = (&rules.review, &review_globs)
                && !facts.approved()
            {
                for edit in note.edits().filter(|e| globs.ignores(&e.file)) {
                    for &[first, last] in &edit.ranges {
                        findings.push(Finding {
                            rule: "review".into(),
                            level: *level,
                            commit: facts.commit,
                            file: Some(edit.file.clone()),
                            start_line: Some(first),
                            end_line: Some(last),
                            message: format!(
                                "AI lines ({}) in commit {short} have no approving review",
                                edit.tool
                            ),
                        });
                    }
                }
            }
            if let Some((max, level)) = rules.ai_share
                && let Some(share) = facts.tally().ai_share()
                && share * 100.0 > max
            {
                findings.push(Finding {
                    rule: "ai_share".into(),
                    level,
                    commit: facts.commit,
                    file: None,
                    start_line: None,
                    end_line: None,
                    message: format!(
                        "commit {short} is {:.1}% AI-written (at most {max}% allowed)",
                        share * 100.0
                    ),
                });
            }
            if let Some(level) = rules.risky {
                let mut texts: BTreeMap<String, Vec<String>> = BTreeMap::new();
                for edit in note.edits() {
                    if !texts.contains_key(&edit.file) {
                        let text = repo.text_in_commit(facts.commit, &edit.file)?.unwrap_or_default();
                        texts.insert(edit.file.clone(), text.lines().map(String::from).collect());
                    }
                    let lines = &texts[&edit.file];
                    for (first, last, _) in runs(edit) {
                        for number in first..=last {
                            let Some(text) = lines.get(number as usize - 1) else {
                                continue;
                            };
                            for (name, pattern) in &risky {
                                if pattern.is_match(text) {
                                    findings.push(Finding {
                                        rule: format!("risky/{name}"),
                                        level,
                                        commit: facts.commit,
                                        file: Some(edit.file.clone()),
                                        start_line: Some(number),
                                        end_line: Some(number),
                                        message: format!("an AI line matches the {name} pattern"),
                                    });
                                }
                            }
                        }
                    }
                }
            }
            Ok(())
        },
    )?;
    if let Some(level) = rules.signatures {
        for verified in verify(repo, &noted)? {
            if verified.verdict != Verdict::SignedValid {
                findings.push(Finding {
                    rule: "signatures".into(),
                    level,
                    commit: verified.commit,
                    file: None,
                    start_line: None,
                    end_line: None,
                    message: format!(
                        "the note of {} does not verify: {}",
                        verified.commit.abbrev(8),
                        verified.verdict.as_str()
                    ),
                });
            }
        }
    }
    findings.sort_by_key(|f| f.level != Level::Error);
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(line: &str) -> Vec<&'static str> {
        RISKY
            .iter()
            .filter(|(_, p)| Regex::new(p).unwrap().is_match(line))
            .map(|(n, _)| *n)
            .collect()
    }

    #[test]
    fn risky_patterns() {
        assert_eq!(matches(r#"api_key = "sk_live_abcdefgh1234""#), ["credential"]);
        assert_eq!(matches("key = AKIAABCDEFGHIJKLMNOP"), ["credential"]);
        assert_eq!(matches("result = eval(user_input)"), ["eval"]);
        assert_eq!(matches("subprocess.run(cmd, shell=True)"), ["shell"]);
        assert_eq!(matches("os.system('rm -rf ' + path)"), ["shell"]);
        assert_eq!(
            matches(r#"q = "SELECT * FROM users WHERE id = " + user_id"#),
            ["sql-concatenation"]
        );
        assert_eq!(
            matches(r#"cur.execute(f"select * from t where name = '{name}'")"#),
            ["sql-concatenation"]
        );
        assert_eq!(
            matches("requests.get(url, verify=False)"),
            ["tls-verification-off"]
        );
        assert_eq!(matches("InsecureSkipVerify: true,"), ["tls-verification-off"]);
        for clean in [
            "let total = a + b;",
            "password_field.clear();",
            r#"query("SELECT 1")"#,
            "evaluate(x)",
        ] {
            assert!(matches(clean).is_empty(), "{clean}: {:?}", matches(clean));
        }
    }
}
