//! Secret redaction (DESIGN §2.5): well-known secret shapes are replaced by
//! `[REDACTED:<kind>]` before a prompt or inserted text reaches the journal or a note.
//!
//! A secret spanning lines becomes one label per line, so line numbers stay aligned with the
//! original. Patterns are compiled lazily and only when a cheap scan finds a hint of a secret, so the
//! common case (code without secrets) costs one pass over the text.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::{Captures, Regex};

struct Pattern {
    kind: &'static str,
    regex: Regex,
    /// When set, only this capture group is replaced (the value, not `password = "`).
    group: Option<usize>,
    /// Minimum Shannon entropy (bits per character) of the replaced text.
    min_entropy: f64,
}

/// Substrings at least one pattern needs; text with none of them is returned untouched.
const HINTS: &[&str] = &[
    "AKIA",
    "ASIA",
    "aws_secret",
    "AWS_SECRET",
    "gh",
    "github_pat_",
    "glpat-",
    "xox",
    "hooks.slack.com",
    "PRIVATE KEY",
    "eyJ",
    "AIza",
    "sk_live_",
    "rk_live_",
    "sk-",
    "pass",
    "PASS",
    "secret",
    "SECRET",
    "token",
    "TOKEN",
    "key",
    "KEY",
    "Key",
];

static PATTERNS: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    let p = |kind, re: &str, group, min_entropy| Pattern {
        kind,
        regex: Regex::new(re).expect("a valid secret pattern"),
        group,
        min_entropy,
    };
    vec![
        p(
            "private-key",
            r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----",
            None,
            0.0,
        ),
        p("aws-access-key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", None, 0.0),
        p(
            "aws-secret-key",
            r#"(?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})"#,
            Some(1),
            3.0,
        ),
        p(
            "github-token",
            r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b",
            None,
            0.0,
        ),
        p("gitlab-token", r"\bglpat-[A-Za-z0-9_\-]{20,}", None, 0.0),
        p("slack-token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}", None, 0.0),
        p(
            "slack-webhook",
            r"https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+",
            None,
            0.0,
        ),
        p(
            "jwt",
            r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
            None,
            0.0,
        ),
        p("google-api-key", r"\bAIza[0-9A-Za-z_\-]{35}", None, 0.0),
        p("stripe-key", r"\b(?:sk|rk)_live_[0-9A-Za-z]{20,}", None, 0.0),
        p(
            "openai-key",
            r"\bsk-(?:proj-|ant-)?[A-Za-z0-9_\-]{32,}",
            None,
            0.0,
        ),
        // `password = "…"`, `api_key: '…'`, `"client_secret": "…"`: only high-entropy values, so
        // `password = "changeme"` in a test fixture survives while a real credential does not.
        p(
            "assignment",
            r#"(?i)(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|auth)[a-z0-9_-]*["']?\s*(?::=|=>|[:=])\s*["']([^"'\s]{8,})["']"#,
            Some(1),
            3.0,
        ),
    ]
});

/// The redacted text and the kinds of secret found (in the order found, repeats kept).
pub struct Redacted<'a> {
    pub text: Cow<'a, str>,
    pub kinds: Vec<&'static str>,
}

pub fn redact(text: &str) -> Redacted<'_> {
    let mut kinds = Vec::new();
    if !HINTS.iter().any(|h| text.contains(h)) {
        return Redacted {
            text: Cow::Borrowed(text),
            kinds,
        };
    }
    let mut out = Cow::Borrowed(text);
    for pattern in PATTERNS.iter() {
        if !pattern.regex.is_match(&out) {
            continue;
        }
        let replaced = pattern.regex.replace_all(&out, |caps: &Captures| {
            let whole = caps.get(0).expect("group 0 always matches");
            let secret = pattern.group.and_then(|g| caps.get(g)).unwrap_or(whole);
            let already_redacted = secret.as_str().contains("[REDACTED:");
            if already_redacted || entropy(secret.as_str()) < pattern.min_entropy {
                return whole.as_str().to_string();
            }
            kinds.push(pattern.kind);
            // One label per line of the secret: redaction never changes the line count, so
            // line i of the redacted text is line i of what the AI wrote.
            let label = vec![format!("[REDACTED:{}]", pattern.kind); secret.as_str().lines().count().max(1)]
                .join("\n");
            let start = secret.start() - whole.start();
            let end = secret.end() - whole.start();
            format!("{}{label}{}", &whole.as_str()[..start], &whole.as_str()[end..])
        });
        if let Cow::Owned(s) = replaced {
            out = Cow::Owned(s);
        }
    }
    Redacted { text: out, kinds }
}

/// Shannon entropy in bits per character.
fn entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in s.bytes() {
        counts[b as usize] += 1;
    }
    let len = s.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (kind, text holding a secret, the secret itself). Secrets are assembled at run time so
    /// this file does not trip secret scanners.
    fn corpus() -> Vec<(&'static str, String, String)> {
        let cat = |parts: &[&str]| parts.concat();
        let aws_id = cat(&["AKIA", "IOSFODNN7", "EXAMPLE"]);
        let aws_secret = cat(&["wJalrXUtnFEMI/K7MDENG/", "bPxRfiCYEXAMPLEKEY0a"]);
        let gh = cat(&["ghp_", "1a2B3c4D5e6F7g8H9i0JkLmNoPqRsTuVwXyZ"]);
        let gh_pat = cat(&["github_pat_", "11ABCDEFG0abcdefghijkl_mnopqrstuvwxYZ0123456789"]);
        let gl = cat(&["glpat-", "xY9zAb3CdE5fGh7IjK1L"]);
        let slack = cat(&["xoxb-", "1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUv"]);
        let hook = cat(&[
            "https://hooks.slack.com/services/",
            "T0123ABCD/B0456EFGH/aBcDeFgHiJkLmNoPqRsTuVwX",
        ]);
        let key_body = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7";
        let pem = format!(
            "{}\n{key_body}\n{}",
            cat(&["-----BEGIN ", "PRIVATE KEY-----"]),
            cat(&["-----END ", "PRIVATE KEY-----"])
        );
        let jwt = cat(&[
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9",
            ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ",
            ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        ]);
        let google = cat(&["AIza", "SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY"]);
        let stripe = cat(&["sk_live_", "4eC39HqLyjWDarjtT1zdp7dc"]);
        let openai = cat(&["sk-proj-", "Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4zAb7c"]);
        let password = "Xk9#mP2$vL8qR4!z";
        vec![
            ("aws-access-key", format!("let id = \"{aws_id}\";"), aws_id),
            (
                "aws-secret-key",
                format!("aws_secret_access_key = {aws_secret}"),
                aws_secret,
            ),
            ("github-token", format!("GITHUB_TOKEN={gh} git push"), gh),
            ("github-token", format!("token: {gh_pat}"), gh_pat),
            ("gitlab-token", format!("curl -H 'PRIVATE-TOKEN: {gl}'"), gl),
            ("slack-token", format!("client = Slack(\"{slack}\")"), slack),
            ("slack-webhook", format!("post({hook:?})"), hook),
            (
                "private-key",
                format!("const KEY: &str = r\"{pem}\";"),
                key_body.to_string(),
            ),
            ("jwt", format!("Authorization: Bearer {jwt}"), jwt),
            ("google-api-key", format!("maps_key = {google}"), google),
            ("stripe-key", format!("stripe.api_key = '{stripe}'"), stripe),
            ("openai-key", format!("OPENAI_API_KEY={openai}"), openai),
            (
                "assignment",
                format!("password = \"{password}\""),
                password.to_string(),
            ),
        ]
    }

    #[test]
    fn every_shape_in_the_corpus_is_redacted() {
        for (kind, text, secret) in corpus() {
            let r = redact(&text);
            assert!(!r.text.contains(&secret), "{kind}: secret left in {:?}", r.text);
            assert!(
                r.text.contains(&format!("[REDACTED:{kind}]")),
                "{kind}: no label in {:?}",
                r.text
            );
            assert!(r.kinds.contains(&kind), "{kind}: kinds {:?}", r.kinds);
        }
    }

    #[test]
    fn line_count_is_kept() {
        let pem = [
            "-----BEGIN ",
            "RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n",
            "-----END RSA ",
            "PRIVATE KEY-----",
        ]
        .concat();
        let text = format!("let k = r\"{pem}\";\nnext();");
        let r = redact(&text);
        assert_eq!(r.text.lines().count(), text.lines().count());
        assert!(!r.text.contains("MIIBOgIBAAJBAKj34"));
    }

    #[test]
    fn assignment_keeps_its_name() {
        let r = redact("db_password = \"Xk9#mP2$vL8qR4!z\"");
        assert_eq!(r.text, "db_password = \"[REDACTED:assignment]\"");
    }

    #[test]
    fn ordinary_code_is_untouched() {
        for text in [
            "fn total_with_tax(&self) -> Decimal { self.subtotal() }",
            "password = \"changeme\"",
            "let token = next_token(&mut lexer);",
            "const KEY_LEN: usize = 32;",
        ] {
            let r = redact(text);
            assert_eq!(r.text, text);
            assert!(r.kinds.is_empty());
        }
    }
}
