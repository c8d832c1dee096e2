//! Secret redaction (DESIGN §2.5): well-known secret shapes are replaced by
//! `[REDACTED:<kind>]` before a prompt or inserted text reaches the journal or a note.
//!
//! The token shapes follow the rules of gitleaks, the field's reference (ported as shapes, not
//! code). Assignments (`password = "…"`, `DB_PASSWORD=…`, `"ClientSecret": "…"`) are judged by
//! the words of their key (its last word must name a secret: `password`, `token`, `api key`,
//! `private key id`…; `token_uri`, `secretName`, `api_key_header` do not) and by their value
//! (placeholders, references, paths and low-entropy defaults stay). `fixtures/secrets/` holds
//! the corpus both ways.
//!
//! A secret spanning lines becomes one label per line, so line numbers stay aligned with the
//! original. Each pattern is compiled only when the text holds its hint (a literal such as
//! `ghp_`, or a cheap scan), so the common case costs a few substring searches.

use std::borrow::Cow;
use std::sync::OnceLock;

use Hint::{Caseless, Exact, Scan};

use regex::{Captures, Regex};

fn any(_: &Captures<'_>, _: &str) -> bool {
    true
}

/// At least 3 bits of entropy per character: a generated value, not a word or a default.
fn random(_: &Captures<'_>, secret: &str) -> bool {
    entropy(secret) >= 3.0
}

/// A value that is no placeholder (`${X}`, `{{ x }}`, `<your key>`, `%s`, `$X`).
fn not_placeholder(_: &Captures<'_>, secret: &str) -> bool {
    !is_placeholder(secret)
}

/// A bare 40-character AWS secret key: base64 with upper and lower case, digits and a `/` or
/// `+`, and the entropy of a random key (a commit id or a word never has all of it).
fn aws_secret(_: &Captures<'_>, secret: &str) -> bool {
    let has = |f: fn(&char) -> bool| secret.chars().any(|c| f(&c));
    has(char::is_ascii_uppercase)
        && has(char::is_ascii_lowercase)
        && has(char::is_ascii_digit)
        && has(|c| *c == '/' || *c == '+')
        && entropy(secret) >= 4.0
}

/// `key = value`: a key whose last word names a secret, and a value that looks like one.
fn assignment(caps: &Captures<'_>, value: &str) -> bool {
    let key = caps.name("key").map_or("", |k| k.as_str());
    let quoted = caps.name("q").is_some_and(|q| !q.as_str().is_empty());
    secret_key(key) && secret_value(value, quoted)
}

fn secret_key(key: &str) -> bool {
    let words = key_words(key);
    let word = |back: usize| -> &str {
        words
            .len()
            .checked_sub(back + 1)
            .map_or("", |i| words[i].as_str())
    };
    match word(0) {
        "password" | "passwd" | "pwd" | "pass" | "passphrase" | "secret" | "token" | "apikey"
        | "credentials" | "credential" | "auth" => true,
        "key" => matches!(
            word(1),
            "api"
                | "access"
                | "secret"
                | "private"
                | "client"
                | "encryption"
                | "signing"
                | "master"
                | "account"
        ),
        "id" => word(1) == "key" && word(2) == "private",
        _ => false,
    }
}

/// The words of a key, lowercase: split at `_`, `-`, `.` and camel-case humps.
fn key_words(key: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut previous_lower = false;
    for c in key.chars() {
        if !c.is_ascii_alphanumeric() {
            words.push(String::new());
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower || words.is_empty() {
            words.push(String::new());
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        if let Some(word) = words.last_mut() {
            word.push(c.to_ascii_lowercase());
        }
    }
    words.retain(|w| !w.is_empty());
    words
}

fn secret_value(value: &str, quoted: bool) -> bool {
    if value.len() < 6 || is_placeholder(value) || value.contains("://") || value.starts_with(['/', '~', '.'])
    {
        return false;
    }
    if matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "false" | "null" | "none"
    ) {
        return false;
    }
    // Unquoted, it may be code: a call, an index, `settings.API_KEY`, an environment variable's
    // name.
    let code = value.contains(['(', '[']) || is_dotted_identifier(value) || is_constant_name(value);
    if !quoted && code {
        return false;
    }
    entropy(value) >= 3.0
}

fn is_placeholder(value: &str) -> bool {
    value.contains("${") || value.contains("{{") || value.starts_with(['$', '<', '%']) || value.ends_with('>')
}

fn is_dotted_identifier(value: &str) -> bool {
    value.contains('.')
        && value.split('.').all(|part| {
            part.chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
}

/// `JWT_SECRET`, `API_KEY`: the name of an environment variable, not its value.
fn is_constant_name(value: &str) -> bool {
    value.contains('_')
        && value
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// What a text must contain before a rule's pattern is even compiled: `record` runs once per
/// edit, and compiling every pattern for every edit that mentions a `key` cost more than the
/// rest of the command.
enum Hint {
    /// One of these substrings, as written.
    Exact(&'static [&'static str]),
    /// One of these substrings, in any case.
    Caseless(&'static [&'static str]),
    /// A scan of its own.
    Scan(fn(&str) -> bool),
}

struct Rule {
    kind: &'static str,
    hint: Hint,
    source: &'static str,
    /// When set, only this capture group is replaced (the value, not `password = "`).
    group: Option<usize>,
    /// Whether the matched secret (the group, or the whole match) is one.
    accept: fn(&Captures<'_>, &str) -> bool,
    regex: OnceLock<Regex>,
}

const fn rule(
    kind: &'static str,
    hint: Hint,
    source: &'static str,
    group: Option<usize>,
    accept: fn(&Captures<'_>, &str) -> bool,
) -> Rule {
    Rule {
        kind,
        hint,
        source,
        group,
        accept,
        regex: OnceLock::new(),
    }
}

/// A run of 40 or more base64 characters holding a `/` or `+`: where a bare AWS secret key
/// could be.
fn base64_run(text: &str) -> bool {
    let mut run = 0;
    let mut sign = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '/' || c == '+' {
            run += 1;
            sign |= c == '/' || c == '+';
            if run >= 40 && sign {
                return true;
            }
        } else {
            run = 0;
            sign = false;
        }
    }
    false
}

/// In order: specific shapes first, so that an assignment of a known token is labelled by
/// the token's kind.
static RULES: [Rule; 33] = [
    rule(
        "private-key",
        Exact(&["PRIVATE KEY"]),
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----",
        None,
        any,
    ),
    // A key block cut off before its END line: its base64 lines.
    rule(
        "private-key",
        Exact(&["PRIVATE KEY"]),
        r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----(?:\r?\n[A-Za-z0-9+/=]{16,})+",
        None,
        any,
    ),
    rule(
        "aws-access-key",
        Exact(&["AKIA", "ASIA", "ABIA", "ACCA"]),
        r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b",
        None,
        any,
    ),
    rule(
        "aws-secret-key",
        Caseless(&["aws"]),
        r#"(?i)aws_?secret_?access_?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+=]{40})"#,
        Some(1),
        random,
    ),
    rule(
        "github-token",
        Exact(&["ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"]),
        r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})\b",
        None,
        any,
    ),
    rule(
        "gitlab-token",
        Exact(&["gl"]),
        r"\bgl(?:pat|ptt|dt|rt|cbt|oas)-[A-Za-z0-9_\-]{20,}",
        None,
        any,
    ),
    rule(
        "slack-token",
        Exact(&["xox", "xapp-"]),
        r"\bxox[abposre]-[A-Za-z0-9-]{10,}",
        None,
        any,
    ),
    rule(
        "slack-token",
        Exact(&["xox", "xapp-"]),
        r"\bxapp-\d-[A-Za-z0-9]+-\d+-[A-Za-z0-9]+",
        None,
        any,
    ),
    rule(
        "slack-webhook",
        Exact(&["hooks.slack.com"]),
        r"https://hooks\.slack\.com/services/T[A-Za-z0-9_]+/B[A-Za-z0-9_]+/[A-Za-z0-9_]+",
        None,
        any,
    ),
    rule(
        "jwt",
        Exact(&["eyJ"]),
        r"\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}",
        None,
        any,
    ),
    rule(
        "google-api-key",
        Exact(&["AIza"]),
        r"\bAIza[0-9A-Za-z_\-]{35}",
        None,
        any,
    ),
    rule(
        "stripe-key",
        Exact(&["_live_"]),
        r"\b(?:sk|rk)_live_[0-9A-Za-z]{20,}",
        None,
        any,
    ),
    rule(
        "stripe-key",
        Exact(&["whsec_"]),
        r"\bwhsec_[A-Za-z0-9+/=]{24,}",
        None,
        any,
    ),
    rule(
        "openai-key",
        Exact(&["sk-"]),
        r"\bsk-(?:proj-|ant-(?:api|admin)\d\d-|ant-)?[A-Za-z0-9_\-]{32,}",
        None,
        any,
    ),
    rule(
        "npm-token",
        Exact(&["npm_"]),
        r"\bnpm_[A-Za-z0-9]{36}\b",
        None,
        any,
    ),
    rule(
        "huggingface-token",
        Exact(&["hf_"]),
        r"\bhf_[A-Za-z]{34}\b",
        None,
        any,
    ),
    rule(
        "sendgrid-key",
        Exact(&["SG."]),
        r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b",
        None,
        any,
    ),
    rule(
        "azure-storage-key",
        Caseless(&["accountkey="]),
        r"(?i)AccountKey=([A-Za-z0-9+/]{86,88}={0,2})",
        Some(1),
        any,
    ),
    rule("twilio-key", Exact(&["SK"]), r"\bSK[0-9a-fA-F]{32}\b", None, any),
    rule(
        "mailgun-key",
        Exact(&["key-"]),
        r"\bkey-[0-9a-zA-Z]{32}\b",
        None,
        any,
    ),
    rule(
        "digitalocean-token",
        Exact(&["_v1_"]),
        r"\bdo[por]_v1_[a-f0-9]{64}\b",
        None,
        any,
    ),
    rule(
        "shopify-token",
        Exact(&["shp"]),
        r"\bshp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}\b",
        None,
        any,
    ),
    rule(
        "pypi-token",
        Exact(&["pypi-"]),
        r"\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}",
        None,
        any,
    ),
    rule(
        "vault-token",
        Exact(&["hvs.", "hvb."]),
        r"\bhv[sb]\.[A-Za-z0-9_-]{24,}",
        None,
        any,
    ),
    rule(
        "databricks-token",
        Exact(&["dapi"]),
        r"\bdapi[a-h0-9]{32}\b",
        None,
        any,
    ),
    rule(
        "telegram-bot-token",
        Exact(&[":A"]),
        r"\b\d{5,16}:A[A-Za-z0-9_-]{34}\b",
        None,
        any,
    ),
    rule(
        "linear-key",
        Exact(&["lin_api_"]),
        r"\blin_api_[A-Za-z0-9]{40}\b",
        None,
        any,
    ),
    rule(
        "grafana-token",
        Exact(&["glsa_"]),
        r"\bglsa_[A-Za-z0-9]{32}_[A-Fa-f0-9]{8}\b",
        None,
        any,
    ),
    rule(
        "postman-key",
        Exact(&["PMAK-"]),
        r"\bPMAK-[a-f0-9]{24}-[a-f0-9]{34}\b",
        None,
        any,
    ),
    rule(
        "database-url",
        Exact(&["://"]),
        r"(?i)\b(?:postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|rediss?|amqps?|mssql|sqlserver|clickhouse)://[^:/\s@]+:([^@\s/]+)@",
        Some(1),
        not_placeholder,
    ),
    rule(
        "bearer-token",
        Caseless(&["bearer"]),
        r"(?i)\bbearer\s+([A-Za-z0-9._~+/-]{16,}=*)",
        Some(1),
        random,
    ),
    rule(
        "aws-secret-key",
        Scan(base64_run),
        r"(?:^|[^A-Za-z0-9/+=])([A-Za-z0-9/+]{40})(?:[^A-Za-z0-9/+=]|$)",
        Some(1),
        aws_secret,
    ),
    rule(
        "assignment",
        Caseless(&["pass", "pwd", "secret", "token", "key", "auth", "cred"]),
        r#"(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(?::=|=>|=|:)[ \t]*(?P<q>["'`]?)(?P<value>[^\s"'`,;{}]+)"#,
        Some(3),
        assignment,
    ),
];

/// The redacted text and the kinds of secret found (in the order found, repeats kept).
pub struct Redacted<'a> {
    pub text: Cow<'a, str>,
    pub kinds: Vec<&'static str>,
}

pub fn redact(text: &str) -> Redacted<'_> {
    let mut kinds = Vec::new();
    let mut lowercase: Option<String> = None;
    let mut out = Cow::Borrowed(text);
    for pattern in RULES.iter() {
        let hinted = match pattern.hint {
            Hint::Exact(hints) => hints.iter().any(|h| text.contains(h)),
            Hint::Caseless(hints) => {
                let lower = lowercase.get_or_insert_with(|| text.to_ascii_lowercase());
                hints.iter().any(|h| lower.contains(h))
            }
            Hint::Scan(scan) => scan(text),
        };
        if !hinted {
            continue;
        }
        let regex = pattern
            .regex
            .get_or_init(|| Regex::new(pattern.source).expect("a valid secret pattern"));
        if !regex.is_match(&out) {
            continue;
        }
        let replaced = regex.replace_all(&out, |caps: &Captures| {
            let whole = caps.get(0).expect("group 0 always matches");
            let secret = pattern.group.and_then(|g| caps.get(g)).unwrap_or(whole);
            let already_redacted = secret.as_str().contains("[REDACTED:");
            if already_redacted || !(pattern.accept)(caps, secret.as_str()) {
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

    /// The corpus of `fixtures/secrets/`: every secret redacted (with the kind it names), every
    /// near-miss untouched. The counts are printed (`cargo test --lib redact -- --nocapture`).
    #[test]
    fn the_fixture_corpus_both_ways() {
        let read = |name: &str| -> Vec<serde_json::Value> {
            let path = format!("{}/fixtures/secrets/{name}", env!("CARGO_MANIFEST_DIR"));
            std::fs::read_to_string(path)
                .unwrap()
                .lines()
                .map(|l| serde_json::from_str(&l.replace("«»", "")).unwrap())
                .collect()
        };
        let secrets = read("secrets.jsonl");
        let near = read("near-misses.jsonl");
        let mut missed = Vec::new();
        for case in &secrets {
            let (kind, text, secret) = (
                case["kind"].as_str().unwrap(),
                case["text"].as_str().unwrap(),
                case["secret"].as_str().unwrap(),
            );
            let r = redact(text);
            let caught = !r.text.contains(secret) && r.kinds.contains(&kind);
            if !caught || r.text.lines().count() != text.lines().count() {
                missed.push(format!("{kind}: {text:?} -> {:?} {:?}", r.text, r.kinds));
            }
        }
        let mut false_redactions = Vec::new();
        for case in &near {
            let text = case["text"].as_str().unwrap();
            let r = redact(text);
            if r.text != text {
                false_redactions.push(format!("{text:?} -> {:?} ({})", r.text, case["why"]));
            }
        }
        println!(
            "redaction corpus: caught {}/{} secrets ({} shapes), kept {}/{} near-misses",
            secrets.len() - missed.len(),
            secrets.len(),
            secrets
                .iter()
                .map(|c| c["kind"].as_str().unwrap())
                .collect::<std::collections::BTreeSet<_>>()
                .len(),
            near.len() - false_redactions.len(),
            near.len()
        );
        assert!(secrets.len() >= 40 && near.len() >= 30);
        assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));
        assert!(
            false_redactions.is_empty(),
            "redacted:\n{}",
            false_redactions.join("\n")
        );
    }

    #[test]
    fn key_words_split_like_people_read_them() {
        assert_eq!(key_words("ClientSecret"), vec!["client", "secret"]);
        assert_eq!(key_words("DB_PASSWORD"), vec!["db", "password"]);
        assert_eq!(key_words("private_key_id"), vec!["private", "key", "id"]);
        assert_eq!(key_words("secretName"), vec!["secret", "name"]);
        assert_eq!(key_words("Stripe.api_key"), vec!["stripe", "api", "key"]);
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
