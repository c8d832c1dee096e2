//! Note format v1 (DESIGN §2.4, docs/note-format.md): one canonical JSON object per line, each
//! with `"lineage":1` and a `"kind"`. Lines stand alone, so the union of two notes is the set of
//! their lines and `git notes merge -s cat_sort_uniq` keeps a valid note.

use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

use super::ranges::{Ranges, normalize};

pub const NOTE_VERSION: u64 = 1;

/// What a note keeps of each prompt (`lineage.prompts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PromptMode {
    /// The redacted text (default).
    Full,
    /// Only the prompt's id (a sha256 of the text).
    Hash,
    /// Nothing: edits carry no prompt id.
    None,
}

/// One line of a note that lineage understands. Serialising one gives its canonical line (see
/// the `Serialize` impl); reading dispatches on `kind`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum NoteRecord {
    Edit(EditRecord),
    Prompt(PromptRecord),
    Settled(SettledRecord),
    Review(ReviewRecord),
    Seen(SeenRecord),
    Sig(SigRecord),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditOutcome {
    /// Every line of the record in this commit is the AI's text, verbatim.
    Accepted,
    /// Some lines were edited by a human before committing, or dropped.
    Modified,
}

/// Lines of `file` in the annotated commit that came from one journal entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EditRecord {
    pub id: String,
    pub file: String,
    /// Every line of this record in the commit, modified ones included.
    pub ranges: Ranges,
    /// The lines a human edited after the AI wrote them (a subset of `ranges`).
    pub modified: Ranges,
    pub tool: String,
    /// The agent's version, when its payload or `--tool-version` gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_version: Option<String>,
    pub model: Option<String>,
    pub session: Option<String>,
    pub prompt_id: Option<String>,
    pub recorded_at: String,
    pub outcome: EditOutcome,
    pub user: Option<String>,
    /// Absent for lines bound at commit time; `"commit"` when the whole commit was attributed
    /// from its metadata (an author or trailer: `lineage import`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    /// How many lines the edit removed or replaced, on the first record of its edit (an edit
    /// that only removed lines has a record with no `ranges`). A count a reader cannot use is
    /// dropped, not the record: it is a statistic, the ranges are the attribution.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "count_or_none"
    )]
    pub deleted: Option<u32>,
}

/// [`EditRecord::evidence`] of records attributed from commit metadata.
pub const COMMIT_EVIDENCE: &str = "commit";

/// What a commit's metadata says about the AI that took part in it (an author, a trailer).
#[derive(Debug, Clone, PartialEq)]
pub struct CommitEvidence {
    pub tool: String,
    pub model: Option<String>,
    /// The person behind the commit, when the mark names them (`Dana (aider)` → `Dana`).
    pub user: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptRecord {
    /// sha256 hex of `text` (of the redacted text that was recorded).
    pub id: String,
    pub session: Option<String>,
    /// Absent when `lineage.prompts=hash`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SettledOutcome {
    /// The agent or user declined the edit.
    Rejected,
    /// Pending past `lineage.journal.expire` with none of its lines ever committed.
    Discarded,
}

/// An edit that never reached history, kept for the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SettledRecord {
    pub id: String,
    pub file: String,
    pub tool: String,
    pub model: Option<String>,
    pub session: Option<String>,
    pub prompt_id: Option<String>,
    pub recorded_at: String,
    pub outcome: SettledOutcome,
    /// How many lines the edit inserted.
    pub lines: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReviewRecord {
    pub by: String,
    pub at: String,
    pub verdict: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranges: Option<Ranges>,
    #[serde(default, rename = "ref", skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// What the reviewer said (`lineage review -m`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// lineage processed the commit (DESIGN §3.1: a line is *human* only when lineage saw its
/// commit; otherwise it is *unknown*). Every commit the hooks settle gets one, AI lines or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeenRecord {
    /// What saw it: [`SEEN_BY_HOOKS`], `import`, or `reattach`.
    pub by: String,
}

/// An SSH signature over note lines one write added to this commit's note (`lineage.sign`):
/// the payload signed is [`SigRecord::payload`], which names the commit, the signer and the
/// sha256 of each covered line, so a union with other writers' lines leaves it valid and a
/// covered line changed or removed is found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigRecord {
    /// The principal the signature is checked against in the allowed signers file (git's
    /// `user.email` when it was written).
    pub signer: String,
    /// sha256 hex of each covered line (the line as stored, without its newline), sorted.
    pub lines: Vec<String>,
    /// `ssh-keygen -Y sign` output (armored, with its newlines).
    pub signature: String,
}

/// The namespace of lineage's SSH signatures (`ssh-keygen -n`): a signature made for git
/// commits or anything else does not verify as one of lineage's, and the other way round.
pub const SIG_NAMESPACE: &str = "lineage-notes";

impl SigRecord {
    /// What was signed for `commit`.
    pub fn payload(commit: &str, signer: &str, lines: &[String]) -> String {
        let mut payload = format!("lineage-sig 1\ncommit {commit}\nsigner {signer}\n");
        for line in lines {
            payload.push_str(line);
            payload.push('\n');
        }
        payload
    }
}

/// [`SeenRecord::by`] of commits made through lineage's git hooks.
pub const SEEN_BY_HOOKS: &str = "hooks";

impl NoteRecord {
    /// The record as one canonical JSON line (sorted keys, no whitespace), without newline.
    pub fn to_line(&self) -> String {
        serde_json::to_string(self).expect("a note record serialises")
    }
}

/// Writes the fields, `kind` and `lineage` included, in byte order of their keys: the canonical
/// form, without building a `serde_json::Value` first (commits with a thousand AI edits write
/// thousands of lines, and hooks have a budget). A test checks it against sorting a `Value`.
impl Serialize for NoteRecord {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut m = serializer.serialize_map(None)?;
        match self {
            NoteRecord::Edit(e) => {
                if let Some(deleted) = &e.deleted {
                    m.serialize_entry("deleted", deleted)?;
                }
                if let Some(evidence) = &e.evidence {
                    m.serialize_entry("evidence", evidence)?;
                }
                m.serialize_entry("file", &e.file)?;
                m.serialize_entry("id", &e.id)?;
                m.serialize_entry("kind", "edit")?;
                m.serialize_entry("lineage", &NOTE_VERSION)?;
                m.serialize_entry("model", &e.model)?;
                m.serialize_entry("modified", &e.modified)?;
                m.serialize_entry("outcome", &e.outcome)?;
                m.serialize_entry("prompt_id", &e.prompt_id)?;
                m.serialize_entry("ranges", &e.ranges)?;
                m.serialize_entry("recorded_at", &e.recorded_at)?;
                m.serialize_entry("session", &e.session)?;
                m.serialize_entry("tool", &e.tool)?;
                if let Some(version) = &e.tool_version {
                    m.serialize_entry("tool_version", version)?;
                }
                m.serialize_entry("user", &e.user)?;
            }
            NoteRecord::Prompt(p) => {
                m.serialize_entry("id", &p.id)?;
                m.serialize_entry("kind", "prompt")?;
                m.serialize_entry("lineage", &NOTE_VERSION)?;
                m.serialize_entry("session", &p.session)?;
                if let Some(text) = &p.text {
                    m.serialize_entry("text", text)?;
                }
            }
            NoteRecord::Settled(s) => {
                m.serialize_entry("file", &s.file)?;
                m.serialize_entry("id", &s.id)?;
                m.serialize_entry("kind", "settled")?;
                m.serialize_entry("lineage", &NOTE_VERSION)?;
                m.serialize_entry("lines", &s.lines)?;
                m.serialize_entry("model", &s.model)?;
                m.serialize_entry("outcome", &s.outcome)?;
                m.serialize_entry("prompt_id", &s.prompt_id)?;
                m.serialize_entry("recorded_at", &s.recorded_at)?;
                m.serialize_entry("session", &s.session)?;
                m.serialize_entry("tool", &s.tool)?;
            }
            NoteRecord::Seen(seen) => {
                m.serialize_entry("by", &seen.by)?;
                m.serialize_entry("kind", "seen")?;
                m.serialize_entry("lineage", &NOTE_VERSION)?;
            }
            NoteRecord::Sig(sig) => {
                m.serialize_entry("kind", "sig")?;
                m.serialize_entry("lineage", &NOTE_VERSION)?;
                m.serialize_entry("lines", &sig.lines)?;
                m.serialize_entry("signature", &sig.signature)?;
                m.serialize_entry("signer", &sig.signer)?;
            }
            NoteRecord::Review(r) => {
                m.serialize_entry("at", &r.at)?;
                m.serialize_entry("by", &r.by)?;
                if let Some(files) = &r.files {
                    m.serialize_entry("files", files)?;
                }
                m.serialize_entry("kind", "review")?;
                m.serialize_entry("lineage", &NOTE_VERSION)?;
                if let Some(message) = &r.message {
                    m.serialize_entry("message", message)?;
                }
                if let Some(ranges) = &r.ranges {
                    m.serialize_entry("ranges", ranges)?;
                }
                if let Some(reference) = &r.reference {
                    m.serialize_entry("ref", reference)?;
                }
                m.serialize_entry("verdict", &r.verdict)?;
            }
        }
        m.end()
    }
}

/// Sorted keys, no insignificant whitespace. `serde_json::Map` is a `BTreeMap` (the
/// `preserve_order` feature is off), so serialising a `Value` sorts the keys.
pub fn canonical_json(value: &Value) -> String {
    serde_json::to_string(value).expect("a JSON value serialises")
}

/// A note as read: the records lineage understood, and how many lines it skipped.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ParsedNote {
    pub records: Vec<NoteRecord>,
    /// Non-empty lines that are not lineage v1 records: another tool's data, or damage.
    pub skipped: usize,
    /// lineage v1 lines of a kind this version does not know (a newer writer's `sig`, say):
    /// skipped quietly, not reported as damage.
    pub unknown: usize,
}

/// The kinds this version reads.
const KNOWN_KINDS: &[&str] = &["edit", "prompt", "settled", "review", "seen", "sig"];

enum Line {
    Record(Box<NoteRecord>),
    Unknown,
    Skipped,
}

impl ParsedNote {
    /// Reads a note tolerantly: a line that is not a lineage v1 record is counted, never fatal.
    pub fn parse(text: &str) -> ParsedNote {
        // A big note (a generated file's thousands of edits) is read in two halves at once:
        // blame waits for it. Records keep their order.
        const SPLIT_ABOVE: usize = 256 * 1024;
        let middle = text.len() / 2;
        let halves = (text.len() > SPLIT_ABOVE)
            .then(|| text.as_bytes().get(middle..)?.iter().position(|&b| b == b'\n'))
            .flatten()
            .and_then(|at| text.split_at_checked(middle + at + 1));
        let Some((first, second)) = halves else {
            return ParsedNote::parse_lines(text);
        };
        // A thread the scheduler places, not `parallel::join`'s kept off this core: blame
        // parses notes while `git blame` works on the other core, and a half parsed there
        // competed with it (the benchmark's 100,000-line blame, `--json`: 0.85–0.91 × git in
        // five runs before, 0.96–1.13 × in ten with the half kept off this core).
        let (mut note, rest) = std::thread::scope(|scope| {
            let rest = scope.spawn(|| ParsedNote::parse_lines(second));
            (ParsedNote::parse_lines(first), rest.join())
        });
        let Ok(rest) = rest else {
            return ParsedNote::parse_lines(text);
        };
        note.records.extend(rest.records);
        note.skipped += rest.skipped;
        note.unknown += rest.unknown;
        note
    }

    fn parse_lines(text: &str) -> ParsedNote {
        let mut note = ParsedNote::default();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            match parse_line(line) {
                Line::Record(record) => note.records.push(*record),
                Line::Unknown => note.unknown += 1,
                Line::Skipped => note.skipped += 1,
            }
        }
        note
    }

    pub fn edits(&self) -> impl Iterator<Item = &EditRecord> {
        self.records.iter().filter_map(|r| match r {
            NoteRecord::Edit(e) => Some(e),
            _ => None,
        })
    }

    /// Whether lineage processed the commit: it says so, or holds any record lineage writes
    /// only for commits it processed (notes written before `seen` records existed).
    pub fn seen(&self) -> bool {
        self.records.iter().any(|r| {
            matches!(
                r,
                NoteRecord::Seen(_) | NoteRecord::Edit(_) | NoteRecord::Settled(_)
            )
        })
    }

    pub fn prompt(&self, id: &str) -> Option<&PromptRecord> {
        self.records.iter().find_map(|r| match r {
            NoteRecord::Prompt(p) if p.id == id => Some(p),
            _ => None,
        })
    }
}

/// The two fields that say what a line is; everything else is read by the record's own type,
/// straight from the text (no intermediate `Value`: a note of 5,000 edits is read in
/// milliseconds).
#[derive(Deserialize)]
struct Probe<'a> {
    lineage: Option<u64>,
    #[serde(borrow)]
    kind: Option<std::borrow::Cow<'a, str>>,
}

/// A non-negative integer that fits in `u32`, or `None` for anything else.
fn count_or_none<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    let value = Value::deserialize(deserializer)?;
    Ok(value.as_u64().and_then(|n| u32::try_from(n).ok()))
}

fn parse_line(line: &str) -> Line {
    let Ok(probe) = serde_json::from_str::<Probe<'_>>(line) else {
        return Line::Skipped;
    };
    if probe.lineage != Some(NOTE_VERSION) {
        return Line::Skipped;
    }
    let record = match probe.kind.as_deref() {
        Some("edit") => serde_json::from_str(line).map(NoteRecord::Edit),
        Some("prompt") => serde_json::from_str(line).map(NoteRecord::Prompt),
        Some("settled") => serde_json::from_str(line).map(NoteRecord::Settled),
        Some("review") => serde_json::from_str(line).map(NoteRecord::Review),
        Some("seen") => serde_json::from_str(line).map(NoteRecord::Seen),
        Some("sig") => serde_json::from_str(line).map(NoteRecord::Sig),
        Some(kind) if !KNOWN_KINDS.contains(&kind) => return Line::Unknown,
        _ => return Line::Skipped,
    };
    match record {
        Ok(record) => Line::Record(Box::new(normalized(record))),
        Err(_) => Line::Skipped,
    }
}

/// A record with its ranges as readers rely on them (sorted, merged, valid).
fn normalized(record: NoteRecord) -> NoteRecord {
    match record {
        NoteRecord::Edit(mut e) => {
            e.ranges = normalize(std::mem::take(&mut e.ranges));
            e.modified = normalize(std::mem::take(&mut e.modified));
            NoteRecord::Edit(e)
        }
        NoteRecord::Review(mut r) => {
            r.ranges = r.ranges.map(normalize);
            NoteRecord::Review(r)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edit() -> NoteRecord {
        NoteRecord::Edit(EditRecord {
            id: "abc".into(),
            file: "src/a.rs".into(),
            ranges: vec![[1, 3]],
            modified: vec![],
            tool: "claude-code".into(),
            tool_version: None,
            model: None,
            session: Some("s1".into()),
            prompt_id: None,
            recorded_at: "2026-01-01T00:00:00Z".into(),
            outcome: EditOutcome::Accepted,
            user: None,
            evidence: None,
            deleted: None,
        })
    }

    #[test]
    fn lines_are_canonical() {
        assert_eq!(
            edit().to_line(),
            r#"{"file":"src/a.rs","id":"abc","kind":"edit","lineage":1,"model":null,"modified":[],"outcome":"accepted","prompt_id":null,"ranges":[[1,3]],"recorded_at":"2026-01-01T00:00:00Z","session":"s1","tool":"claude-code","user":null}"#
        );
    }

    /// The note lineage wrote for the demo's second commit: every line reads, and writes back
    /// byte for byte (the canonical form docs/note-format.md describes).
    #[test]
    fn fixture_note_is_canonical() {
        let text = include_str!("../../fixtures/notes/v1-commit.jsonl");
        let note = ParsedNote::parse(text);
        assert_eq!(note.skipped, 0);
        assert_eq!(note.records.len(), text.lines().count());
        for (record, line) in note.records.iter().zip(text.lines()) {
            assert_eq!(record.to_line(), line);
        }
        assert_eq!(note.edits().count(), 2);
        let edit = note.edits().next().unwrap();
        assert_eq!(
            note.prompt(edit.prompt_id.as_deref().unwrap()).unwrap().session,
            edit.session
        );
    }

    /// A `deleted` count of the wrong type or size is dropped; the record and its ranges stay.
    #[test]
    fn a_bad_deleted_count_keeps_the_record() {
        for bad in [r#""many""#, "-1", "1e40", "4294967296", "null"] {
            let line = format!(
                r#"{{"lineage":1,"kind":"edit","id":"e","file":"f","ranges":[[1,2]],"modified":[],"tool":"t","model":null,"session":null,"prompt_id":null,"recorded_at":"x","outcome":"accepted","user":null,"deleted":{bad}}}"#
            );
            let parsed = ParsedNote::parse(&line);
            assert_eq!(parsed.skipped, 0, "{bad}");
            let edit = parsed.edits().next().expect("the record is kept");
            assert_eq!((edit.ranges.clone(), edit.deleted), (vec![[1, 2]], None), "{bad}");
        }
    }

    /// The hand-ordered `Serialize` impl agrees with sorting the keys of a generic `Value`.
    #[test]
    fn field_order_is_canonical_for_every_kind() {
        let review = |full: bool| {
            NoteRecord::Review(ReviewRecord {
                by: "Ann".into(),
                at: "2026-01-01T00:00:00Z".into(),
                verdict: "approved".into(),
                files: full.then(|| vec!["a.rs".into()]),
                ranges: full.then(|| vec![[1, 2]]),
                reference: full.then(|| "https://example.com/pr/1".into()),
                message: full.then(|| "LGTM".into()),
            })
        };
        let mut imported = edit();
        if let NoteRecord::Edit(e) = &mut imported {
            e.evidence = Some(COMMIT_EVIDENCE.into());
        }
        let mut removal = edit();
        if let NoteRecord::Edit(e) = &mut removal {
            e.ranges = Vec::new();
            e.deleted = Some(4);
        }
        let records = [
            edit(),
            imported,
            removal,
            NoteRecord::Prompt(PromptRecord {
                id: "p".into(),
                session: None,
                text: Some("t".into()),
            }),
            NoteRecord::Prompt(PromptRecord {
                id: "p".into(),
                session: Some("s".into()),
                text: None,
            }),
            NoteRecord::Settled(SettledRecord {
                id: "i".into(),
                file: "f".into(),
                tool: "t".into(),
                model: Some("m".into()),
                session: None,
                prompt_id: None,
                recorded_at: "r".into(),
                outcome: SettledOutcome::Discarded,
                lines: 3,
            }),
            review(true),
            review(false),
        ];
        for record in records {
            let sorted: Value = serde_json::from_str(&record.to_line()).unwrap();
            assert_eq!(record.to_line(), canonical_json(&sorted));
            assert_eq!(ParsedNote::parse(&record.to_line()).records, vec![record]);
        }
    }

    #[test]
    fn parse_round_trips_and_skips_foreign_lines() {
        let text = format!(
            "{}\nplain text from someone else\n{{\"kind\":\"edit\",\"lineage\":2}}\n{{\"lineage\":1,\"kind\":\"future\"}}\n{{\"lineage\":1,\"kind\":\"edit\"}}\n\n",
            edit().to_line()
        );
        let note = ParsedNote::parse(&text);
        assert_eq!(note.records, vec![edit()]);
        assert_eq!(note.skipped, 3, "foreign lines and a damaged edit");
        assert_eq!(note.unknown, 1, "a newer kind is not damage");
    }

    #[test]
    fn unsorted_ranges_are_read_sorted() {
        let line = edit()
            .to_line()
            .replace("\"ranges\":[[1,3]]", "\"ranges\":[[3,3],[1,1],[2,2]]");
        let note = ParsedNote::parse(&line);
        assert_eq!(note.edits().next().unwrap().ranges, vec![[1, 3]]);
    }
}
