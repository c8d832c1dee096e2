//! The notes store: lineage's records on `refs/notes/lineage` (DESIGN §2.4), read tolerantly
//! from one snapshot of the ref, iterated, and written in transactions: many notes, one notes
//! commit, one compare-and-swap of the ref.
//!
//! Writing merges with what a note already holds as a set of lines ([`union`]), the form
//! `git notes merge -s cat_sort_uniq` gives, so either way of merging agrees. A note that holds
//! another tool's content (the ref name is shared by at least one other public tool) keeps
//! that content byte for byte: sorting its lines could break it.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use anyhow::Result;
use serde_json::Value;

use crate::git::{NoteBlob, NotesReader, Repo};
use crate::model::{NoteRecord, ObjectId, ParsedNote};
use crate::parallel;
use crate::store::journal::Journal;
use crate::store::signing::Signer;

/// Reads notes from one snapshot of the ref.
pub struct Notes<'r> {
    reader: NotesReader<'r>,
}

impl<'r> Notes<'r> {
    pub fn open(repo: &'r Repo) -> Result<Notes<'r>> {
        Ok(Notes {
            reader: repo.notes()?,
        })
    }

    /// The note of `commit` as stored, if it has one.
    pub fn text(&self, commit: ObjectId) -> Result<Option<String>> {
        self.reader.read(commit)
    }

    /// The note of `commit`, parsed (empty when there is none).
    pub fn read(&self, commit: ObjectId) -> Result<ParsedNote> {
        Ok(self
            .text(commit)?
            .map(|text| ParsedNote::parse(&text))
            .unwrap_or_default())
    }

    /// The blob of `commit`'s note: commits that share a blob share a parse.
    pub fn blob(&self, commit: ObjectId) -> Result<Option<ObjectId>> {
        self.reader.find(commit)
    }

    /// A note blob, parsed.
    pub fn parse_blob(&self, blob: ObjectId) -> Result<ParsedNote> {
        Ok(ParsedNote::parse(&self.text_of_blob(blob)?))
    }

    /// A note blob as stored.
    pub fn text_of_blob(&self, blob: ObjectId) -> Result<String> {
        self.reader.text(blob)
    }

    /// Every note on the ref.
    pub fn list(&self) -> Result<Vec<NoteBlob>> {
        self.reader.list()
    }

    /// Whether the note of `commit` mentions the record id `id`.
    pub fn mentions(&self, commit: ObjectId, id: &str) -> Result<bool> {
        Ok(self.text(commit)?.is_some_and(|note| note.contains(id)))
    }
}

/// Note lines to add to many commits (and lines to take out of them), written in one ref
/// update.
#[derive(Debug, Default)]
pub struct Transaction {
    lines: BTreeMap<ObjectId, Vec<String>>,
    dropped: BTreeMap<ObjectId, HashSet<String>>,
}

impl Transaction {
    pub fn new() -> Transaction {
        Transaction::default()
    }

    /// Adds `records` to the note of `commit`.
    pub fn add(&mut self, commit: ObjectId, records: &[NoteRecord]) {
        /// From this many records on, they are serialised in two halves at once (a commit of
        /// a thousand AI edits writes two thousand lines: ~0.7 ms on one core).
        const SERIALISE_IN_TWO_FROM: usize = 512;
        if records.is_empty() {
            return;
        }
        let lines = self.lines.entry(commit).or_default();
        if records.len() < SERIALISE_IN_TWO_FROM {
            lines.extend(records.iter().map(NoteRecord::to_line));
            return;
        }
        let serialise = |records: &[NoteRecord]| records.iter().map(NoteRecord::to_line).collect::<Vec<_>>();
        let (first, second) = records.split_at(records.len() / 2);
        let (first, second) = parallel::join(|| serialise(first), || serialise(second));
        lines.extend(first);
        lines.extend(second);
    }

    /// Takes `lines` out of the note of `commit` (lines a rewrite made stale), before the
    /// records added to it go in.
    pub fn drop_lines(&mut self, commit: ObjectId, lines: HashSet<String>) {
        if !lines.is_empty() {
            self.lines.entry(commit).or_default();
            self.dropped.entry(commit).or_default().extend(lines);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Merges every note in with one notes commit and one compare-and-swap of the ref
    /// (retried on top of a concurrent writer's work). The commits whose note changed.
    ///
    /// With `lineage.sign` on, each commit's new lines get a `sig` record covering them; when
    /// signing fails the lines are written unsigned (a note is never lost to a key problem)
    /// and the failure is logged where `lineage status` and `doctor` report it.
    pub fn commit(mut self, repo: &Repo) -> Result<Vec<ObjectId>> {
        if self.lines.is_empty() {
            return Ok(Vec::new());
        }
        if let Err(e) = self.sign(repo) {
            Journal::of(repo).log(&format!("notes written unsigned: {e:#}"));
        }
        let commits: Vec<ObjectId> = self.lines.keys().copied().collect();
        repo.update_notes(&commits, |commit, existing| {
            let lines = self.lines.get(&commit)?;
            match self.dropped.get(&commit) {
                None => Some(union(existing, lines)),
                Some(dropped) => {
                    let stale = |l: &[u8]| std::str::from_utf8(l).is_ok_and(|l| dropped.contains(l.trim()));
                    let mut kept = Vec::new();
                    for line in existing.unwrap_or_default().split_inclusive(|&b| b == b'\n') {
                        if !stale(line.strip_suffix(b"\n").unwrap_or(line)) {
                            kept.extend_from_slice(line);
                        }
                    }
                    // `union` ends the last line kept.
                    Some(union(Some(&kept), lines))
                }
            }
        })
    }
}

impl Transaction {
    /// Adds a `sig` record to every commit's lines, when lineage signs.
    fn sign(&mut self, repo: &Repo) -> Result<()> {
        let Some(signer) = Signer::from_config(repo)? else {
            return Ok(());
        };
        for (commit, lines) in &mut self.lines {
            let covered: Vec<String> = lines
                .iter()
                .filter(|l| !l.contains("\"kind\":\"sig\""))
                .cloned()
                .collect();
            if covered.is_empty() {
                continue;
            }
            let sig = signer.sign(*commit, &covered)?;
            lines.push(sig.to_line());
        }
        Ok(())
    }
}

/// The union of an existing note's lines and new lines (blank ones left out), as bytes: a
/// collaborator's note is written back as it came, whatever it holds. A note of lineage's
/// lines only comes back as a sorted set (what `cat_sort_uniq` makes); a note holding other
/// content (or bytes that are not UTF-8) keeps it byte for byte, with the missing new lines
/// appended in order.
pub fn union<L: AsRef<[u8]>>(existing: Option<&[u8]>, lines: &[L]) -> Vec<u8> {
    let existing = existing.unwrap_or_default();
    let existing_lines = || existing.split(|&b| b == b'\n');
    let foreign = existing_lines().any(|l| !is_blank(l) && !is_lineage_line(l));
    if foreign {
        let present: HashSet<&[u8]> = existing_lines().collect();
        let added: BTreeSet<&[u8]> = lines
            .iter()
            .map(AsRef::as_ref)
            .filter(|l| !is_blank(l) && !present.contains(l))
            .collect();
        let mut text = existing.to_vec();
        if !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        for line in added {
            text.extend_from_slice(line);
            text.push(b'\n');
        }
        return text;
    }
    // Byte order is UTF-8's code point order: the same set as sorting the lines as text.
    let mut all: Vec<&[u8]> = existing_lines()
        .chain(lines.iter().map(AsRef::as_ref))
        .filter(|l| !is_blank(l))
        .collect();
    all.sort_unstable();
    all.dedup();
    let mut text = Vec::with_capacity(all.iter().map(|l| l.len() + 1).sum());
    for line in all {
        text.extend_from_slice(line);
        text.push(b'\n');
    }
    text
}

fn is_blank(line: &[u8]) -> bool {
    line.iter().all(u8::is_ascii_whitespace)
}

/// A line lineage wrote (or could have): one JSON object with `"lineage"` set.
fn is_lineage_line(line: &[u8]) -> bool {
    serde_json::from_slice::<Value>(line).is_ok_and(|v| v.get("lineage").is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = r#"{"kind":"prompt","lineage":1,"id":"a"}"#;
    const B: &str = r#"{"kind":"prompt","lineage":1,"id":"b"}"#;

    #[test]
    fn lineage_notes_merge_as_sorted_sets() {
        let merged = union(Some(format!("{B}\n").as_bytes()), &[A, B]);
        assert_eq!(merged, format!("{A}\n{B}\n").as_bytes());
        assert_eq!(union(None, &[B, A]), format!("{A}\n{B}\n").as_bytes());
    }

    #[test]
    fn foreign_content_is_kept_byte_for_byte() {
        let foreign = "{\n  \"tool\": \"other\",\n  \"lines\": [3, 1]\n}";
        let merged = union(Some(foreign.as_bytes()), &[B, A]);
        assert_eq!(merged, format!("{foreign}\n{A}\n{B}\n").as_bytes());
        // Merging the same lines again changes nothing.
        assert_eq!(union(Some(&merged), &[A]), merged);
    }

    #[test]
    fn bytes_that_are_not_utf8_are_kept_as_they_came() {
        let mut note = format!("{B}\n").into_bytes();
        note.extend_from_slice(b"{\"lineage\":1,\"kind\":\"prompt\",\"id\":\"\xff\xfe\"}\n");
        let merged = union(Some(&note), &[A]);
        assert_eq!(merged, [&note[..], A.as_bytes(), b"\n"].concat());
        assert_eq!(union(Some(&merged), &[A, B]), merged);
    }
}
