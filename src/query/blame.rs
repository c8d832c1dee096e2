//! The blame overlay: `git blame` says which commit and original line every line comes from;
//! that commit's note says whether the line was AI-written. Lines not committed yet are bound
//! against the pending journal, the same way the next commit would bind them.

use std::collections::hash_map::Entry;

use std::rc::Rc;

use anyhow::Result;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

use crate::engine::{FileDiff, bind, is_trivial, sources_where};
use crate::error::user_error;
/// What git says of a line, as blame's lines carry it.
pub use crate::git::{BlameLine, BlameSource, LineText};
use crate::git::{BlameOptions, BlameWatch, Repo, TextLines};
use crate::model::{
    COMMIT_EVIDENCE, EditRecord, HashMap, HashSet, NoteRecord, ObjectId, ParsedNote, ReviewRecord,
    ranges_contain,
};
use crate::query::history::review_status;
use crate::store::journal::{Here, Journal};
use crate::store::notes::Notes;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LineOutcome {
    /// The AI's text, committed verbatim.
    Accepted,
    /// An AI line a human edited before committing.
    Modified,
    /// Not committed yet: matched against the journal.
    Pending,
}

impl LineOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            LineOutcome::Accepted => "accepted",
            LineOutcome::Modified => "modified",
            LineOutcome::Pending => "pending",
        }
    }
}

/// An AI record as blame shows it, shared by all the lines it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct AiRecord {
    pub record: String,
    pub tool: String,
    pub model: Option<String>,
    pub session: Option<String>,
    pub prompt_id: Option<String>,
    /// The first line of the prompt, when the note (or the journal) holds its text.
    pub prompt: Option<String>,
    /// `line`: the line was bound to a recorded edit at commit time; `commit`: the whole commit
    /// was attributed from its author or trailers (`lineage import`).
    pub evidence: &'static str,
}

/// Where an AI line came from (DESIGN §3.1): its record, and what became of this line.
#[derive(Debug, Clone, PartialEq)]
pub struct AiOrigin {
    pub source: Rc<AiRecord>,
    pub outcome: LineOutcome,
}

/// Flat, as DESIGN §3.1 gives it: `{"record","tool","model","session","prompt_id","outcome",
/// "evidence"}`.
impl Serialize for AiOrigin {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let r = &self.source;
        let mut m = serializer.serialize_struct("AiOrigin", 7)?;
        m.serialize_field("record", &r.record)?;
        m.serialize_field("tool", &r.tool)?;
        m.serialize_field("model", &r.model)?;
        m.serialize_field("session", &r.session)?;
        m.serialize_field("prompt_id", &r.prompt_id)?;
        m.serialize_field("outcome", &self.outcome)?;
        m.serialize_field("evidence", r.evidence)?;
        m.end()
    }
}

/// Who wrote a line, as far as lineage can tell (DESIGN §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Attribution {
    /// An AI edit's line (`ai` says which).
    Ai,
    /// A person's: lineage processed its commit (or it is not committed yet) and no AI edit
    /// holds it.
    Human,
    /// Its commit was made where lineage was not watching (before `init`, without the hooks):
    /// nothing is known.
    Unknown,
}

impl Attribution {
    pub fn as_str(self) -> &'static str {
        match self {
            Attribution::Ai => "ai",
            Attribution::Human => "human",
            Attribution::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// What git blame says: the line's commit, author, original place and text.
    pub blamed: BlameLine,
    pub attribution: Attribution,
    pub ai: Option<AiOrigin>,
    /// The verdict of the latest review of the line's commit (`approved`,
    /// `changes-requested`), from its note.
    pub review: Option<Rc<str>>,
}

impl Line {
    /// All zeros for a line not committed yet.
    pub fn commit(&self) -> ObjectId {
        self.blamed.source.commit
    }

    /// A line git blamed, before lineage's records are looked at: human when not committed
    /// yet, else unknown until a note says otherwise.
    fn new(blamed: BlameLine) -> Line {
        let attribution = match blamed.commit().is_zero() {
            true => Attribution::Human,
            false => Attribution::Unknown,
        };
        Line {
            blamed,
            attribution,
            ai: None,
            review: None,
        }
    }
}

/// Flat, as DESIGN §3.1 gives it: `{"line","commit","orig_path","orig_line","author","content",
/// "attribution","ai","review"}`.
impl Serialize for Line {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let b = &self.blamed;
        let mut m = serializer.serialize_struct("Line", 9)?;
        m.serialize_field("line", &b.line)?;
        m.serialize_field("commit", &b.source.commit)?;
        m.serialize_field("orig_path", &*b.source.orig_path)?;
        m.serialize_field("orig_line", &b.orig_line)?;
        m.serialize_field("author", &*b.source.author)?;
        m.serialize_field("content", &b.content)?;
        m.serialize_field("attribution", &self.attribution)?;
        m.serialize_field("ai", &self.ai)?;
        m.serialize_field("review", &self.review.as_deref())?;
        m.end()
    }
}

/// Per prompt id of a note, the first line of its text (`None`: kept private).
type Prompts = HashMap<String, Option<String>>;

/// What blame reads of one note blob, once however many lines share it.
struct NoteView {
    note: ParsedNote,
    /// lineage processed the commit.
    seen: bool,
    prompts: Prompts,
    /// The latest review's verdict.
    review: Option<Rc<str>>,
}

/// A note that held lines lineage could not read.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SkippedNote {
    pub commit: ObjectId,
    pub lines: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    pub file: String,
    /// The commit blamed; `None` for the work tree (uncommitted lines included).
    pub rev: Option<ObjectId>,
    pub lines: Vec<Line>,
    #[serde(skip)]
    pub skipped_notes: Vec<SkippedNote>,
}

/// Blames `path` (relative to the work tree root) at `rev`, or the work tree when `rev` is
/// `None`, and overlays lineage's records.
pub fn blame(
    repo: &Repo,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
    rev_id: ObjectId,
) -> Result<Report> {
    // git blames only files HEAD has; a new file in the work tree is all uncommitted lines.
    let mut notes = NoteCache::new(repo, path, rev_id)?;
    let lines = if rev.is_none() && !repo.path_in_commit(rev_id, path)? {
        uncommitted_file(repo, options, path, rev_id)?
            .into_iter()
            .map(Line::new)
            .collect()
    } else {
        repo.blame(rev, options, path, &mut notes, Line::new)?
    };
    annotate_with(repo, rev, options, path, rev_id, lines, &mut notes)
}

/// The parsed notes of the commits a blame names, read while git blames: each commit's note as
/// git names the commit, and first the blamed revision's own when it has an edit record of the
/// file (it often holds most lines, and git names it last when the file is one commit's).
struct NoteCache<'r> {
    notes: Notes<'r>,
    /// `"file":"<path>"` as a note's edit record of the blamed file spells it.
    file_field: String,
    /// The blamed revision, until its note has been looked at (once, however many blames).
    rev: Option<ObjectId>,
    /// Each commit's note blob, `None` when it has none.
    blobs: HashMap<ObjectId, Option<ObjectId>>,
    /// Each note blob, parsed: commits that share a blob share a parse.
    parsed: HashMap<ObjectId, ParsedNote>,
}

impl<'r> NoteCache<'r> {
    fn new(repo: &'r Repo, path: &str, rev: ObjectId) -> Result<NoteCache<'r>> {
        Ok(NoteCache {
            notes: Notes::open(repo)?,
            file_field: format!("\"file\":{}", serde_json::to_string(path)?),
            rev: Some(rev),
            blobs: HashMap::default(),
            parsed: HashMap::default(),
        })
    }

    /// The note blob of `commit`.
    fn blob(&mut self, commit: ObjectId) -> Result<Option<ObjectId>> {
        if let Some(known) = self.blobs.get(&commit) {
            return Ok(*known);
        }
        let blob = self.notes.blob(commit)?;
        self.blobs.insert(commit, blob);
        Ok(blob)
    }

    /// The parsed note blob `blob`, taken out of the cache (or parsed now).
    fn take(&mut self, blob: ObjectId) -> Result<ParsedNote> {
        match self.parsed.remove(&blob) {
            Some(note) => Ok(note),
            None => self.notes.parse_blob(blob),
        }
    }

    /// Reads and parses `commit`'s note ahead of need; what fails here is met again, and
    /// reported, when the note is needed. With `only_with_file`, only a note with an edit
    /// record of the blamed file (as lineage writes them) is parsed.
    fn read_ahead(&mut self, commit: ObjectId, only_with_file: bool) {
        if commit.is_zero() {
            return;
        }
        let Ok(Some(blob)) = self.blob(commit) else { return };
        if self.parsed.contains_key(&blob) {
            return;
        }
        if only_with_file {
            // A cheap look before a parse that may be wasted.
            match self.notes.text_of_blob(blob) {
                Ok(text) if text.contains(&self.file_field) => {
                    self.parsed.insert(blob, ParsedNote::parse(&text));
                }
                _ => {}
            }
            return;
        }
        if let Ok(note) = self.notes.parse_blob(blob) {
            self.parsed.insert(blob, note);
        }
    }
}

impl BlameWatch for NoteCache<'_> {
    fn started(&mut self) {
        if let Some(rev) = self.rev.take() {
            self.read_ahead(rev, true);
        }
    }

    fn commit(&mut self, commit: ObjectId) {
        self.read_ahead(commit, false);
    }
}

/// Overlays lineage's records on lines git blamed (`git blame --porcelain`'s, for one).
pub fn annotate(
    repo: &Repo,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
    rev_id: ObjectId,
    blamed: Vec<BlameLine>,
) -> Result<Report> {
    let mut notes = NoteCache::new(repo, path, rev_id)?;
    let lines = blamed.into_iter().map(Line::new).collect();
    annotate_with(repo, rev, options, path, rev_id, lines, &mut notes)
}

fn annotate_with(
    repo: &Repo,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
    rev_id: ObjectId,
    mut lines: Vec<Line>,
    notes: &mut NoteCache<'_>,
) -> Result<Report> {
    // Every way of getting here (a commit, the work tree, `--contents`) has read the text.
    if lines.iter().any(|l| l.blamed.content.contains('\0')) {
        return Err(user_error(
            format!("{path} is a binary file"),
            "lineage blames text files; `git log -- <path>` shows who changed it",
        ));
    }
    let skipped_notes = committed_origins(notes, &mut lines)?;
    keep_ignored_revisions_ai_lines(repo, rev, options, path, &mut lines, notes)?;
    overlay_pending(repo, path, options, &mut lines)?;
    Ok(Report {
        file: path.to_string(),
        rev: rev.map(|_| rev_id),
        lines,
        skipped_notes,
    })
}

/// With revisions ignored (`--ignore-rev`, `--ignore-revs-file`, `blame.ignoreRevsFile`), git
/// gives a line an ignored revision wrote to an older commit; when the ignored revision's note
/// says an AI wrote it, that is what the line is, not silently human. Lines git would blame on
/// another commit without the ignoring, and whose AI origin is there, keep it.
fn keep_ignored_revisions_ai_lines(
    repo: &Repo,
    rev: Option<&str>,
    options: &BlameOptions,
    path: &str,
    lines: &mut [Line],
    notes: &mut NoteCache<'_>,
) -> Result<()> {
    if !repo.ignores_revisions(options) || lines.iter().all(|l| l.commit().is_zero()) {
        return Ok(());
    }
    let mut unignored = options.clone();
    unignored.flags.retain(|f| !f.starts_with("--ignore-rev"));
    unignored.flags.insert(0, "--no-ignore-revs-file".into());
    let mut plain: Vec<Line> = repo.blame(rev, &unignored, path, notes, Line::new)?;
    committed_origins(notes, &mut plain)?;
    for (ours, theirs) in lines.iter_mut().zip(plain) {
        if ours.ai.is_none()
            && ours.blamed.line == theirs.blamed.line
            && ours.commit() != theirs.commit()
            && theirs.ai.is_some()
        {
            ours.ai = theirs.ai;
            ours.attribution = Attribution::Ai;
        }
    }
    Ok(())
}

/// Sets the AI origin of every committed line a note holds (and `human` on the lines of the
/// commits lineage processed), and returns the notes that held lines lineage could not read.
///
/// Time and memory follow the blamed file, not the notes: each distinct note blob is parsed
/// once, only its edit records for paths this blame shows are kept, and each record's ranges
/// are matched against the sorted lines blamed to its commit by binary search (a 100,000-line
/// file under 5,000 records is no 500-million-step scan).
fn committed_origins(notes: &mut NoteCache<'_>, lines: &mut [Line]) -> Result<Vec<SkippedNote>> {
    // The blamed lines grouped by (commit, original path): (original line, index in `lines`).
    struct Group {
        commit: ObjectId,
        path: Rc<str>,
        lines: Vec<(u32, u32)>,
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut group_of: HashMap<(ObjectId, Rc<str>), usize> = HashMap::default();
    let mut last: Option<(&Rc<BlameSource>, usize)> = None;
    // A file has fewer than 2^32 lines (git blame numbers them in u32).
    for (index, line) in (0u32..).zip(lines.iter()) {
        let source = &line.blamed.source;
        if source.commit.is_zero() {
            continue;
        }
        // Neighbouring lines usually share their source: look the group up only when it changes.
        let group = match last {
            Some((previous, group)) if Rc::ptr_eq(previous, source) => group,
            _ => *group_of
                .entry((source.commit, source.orig_path.clone()))
                .or_insert_with(|| {
                    groups.push(Group {
                        commit: source.commit,
                        path: source.orig_path.clone(),
                        lines: Vec::new(),
                    });
                    groups.len() - 1
                }),
        };
        last = Some((source, group));
        groups[group].lines.push((line.blamed.orig_line, index));
    }
    drop(group_of);
    let paths: HashSet<Rc<str>> = groups.iter().map(|g| g.path.clone()).collect();

    let mut parsed: HashMap<ObjectId, NoteView> = HashMap::default();
    let mut skipped_notes = Vec::new();
    for group in &mut groups {
        let Some(blob) = notes.blob(group.commit)? else {
            continue;
        };
        let NoteView {
            note,
            seen: noted,
            prompts,
            review,
        } = match parsed.entry(blob) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let note = notes.take(blob)?;
                let processed = note.seen();
                // First lines of the prompts the edits this blame shows link to (the first
                // record of an id, as `ParsedNote::prompt` reads it).
                let wanted: HashSet<&str> = note
                    .edits()
                    .filter(|e| paths.contains(e.file.as_str()))
                    .filter_map(|e| e.prompt_id.as_deref())
                    .collect();
                let mut prompts = Prompts::default();
                for record in &note.records {
                    if let NoteRecord::Prompt(p) = record
                        && wanted.contains(p.id.as_str())
                        && !prompts.contains_key(&p.id)
                    {
                        let first = p.text.as_deref().and_then(|t| t.lines().next());
                        prompts.insert(p.id.clone(), first.map(String::from));
                    }
                }
                let reviews: Vec<ReviewRecord> = note
                    .records
                    .iter()
                    .filter_map(|r| match r {
                        NoteRecord::Review(r) => Some(r.clone()),
                        _ => None,
                    })
                    .collect();
                let review = review_status(&reviews).map(|r| Rc::from(r.verdict.as_str()));
                slot.insert(NoteView {
                    note,
                    seen: processed,
                    prompts,
                    review,
                })
            }
        };
        for &(_, index) in &group.lines {
            if *noted {
                lines[index as usize].attribution = Attribution::Human;
            }
            lines[index as usize].review.clone_from(review);
        }
        if note.skipped > 0
            && !skipped_notes
                .iter()
                .any(|s: &SkippedNote| s.commit == group.commit)
        {
            skipped_notes.push(SkippedNote {
                commit: group.commit,
                lines: note.skipped,
            });
        }
        group.lines.sort_unstable();
        // A record bound at commit time says more than one imported for the whole commit, so
        // line-level records claim first; among equals, the first in the note.
        let line_level = note.edits().filter(|e| e.evidence.is_none());
        let commit_level = note.edits().filter(|e| e.evidence.is_some());
        for edit in line_level.chain(commit_level).filter(|e| *e.file == *group.path) {
            let mut shared: Option<Rc<AiRecord>> = None;
            for &[first, last] in &edit.ranges {
                let start = group.lines.partition_point(|&(l, _)| l < first);
                let end = group.lines.partition_point(|&(l, _)| l <= last);
                for &(line, index) in &group.lines[start..end] {
                    if lines[index as usize].ai.is_some() {
                        continue;
                    }
                    let source = shared
                        .get_or_insert_with(|| Rc::new(ai_record(edit, prompts)))
                        .clone();
                    let outcome = if ranges_contain(&edit.modified, line) {
                        LineOutcome::Modified
                    } else {
                        LineOutcome::Accepted
                    };
                    lines[index as usize].ai = Some(AiOrigin { source, outcome });
                    lines[index as usize].attribution = Attribution::Ai;
                }
            }
        }
    }
    Ok(skipped_notes)
}

fn ai_record(edit: &EditRecord, prompts: &Prompts) -> AiRecord {
    AiRecord {
        record: edit.id.clone(),
        tool: edit.tool.clone(),
        model: edit.model.clone(),
        session: edit.session.clone(),
        prompt_id: edit.prompt_id.clone(),
        prompt: edit
            .prompt_id
            .as_ref()
            .and_then(|id| prompts.get(id))
            .cloned()
            .flatten(),
        evidence: if edit.evidence.as_deref() == Some(COMMIT_EVIDENCE) {
            "commit"
        } else {
            "line"
        },
    }
}

/// Every line of a work tree file HEAD does not have, as git blame would show a tracked one's
/// new lines (with the all-zero id of `head`'s object format).
fn uncommitted_file(
    repo: &Repo,
    options: &BlameOptions,
    path: &str,
    head: ObjectId,
) -> Result<Vec<BlameLine>> {
    let file = match &options.contents {
        Some(contents) => contents.clone(),
        None => repo.workdir()?.join(path),
    };
    let texts: Vec<_> = TextLines::new(std::fs::read(file)?).collect();
    let count = texts.len() as u32;
    let ranges = options
        .ranges
        .iter()
        .map(|spec| {
            numeric_range(spec, count).ok_or_else(|| {
                user_error(
                    format!("-L {spec}: {path} is not committed yet, so only line numbers select lines"),
                    "use -L START,END or START,+COUNT, or commit the file first",
                )
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some((first, _)) = ranges.iter().find(|(first, _)| *first > count.max(1)) {
        return Err(user_error(
            format!("-L {first}: {path} has only {count} lines"),
            "ranges are 1-based line numbers of the file, e.g. -L 10,20",
        ));
    }
    let wanted = |n: u32| ranges.is_empty() || ranges.iter().any(|(a, b)| (*a..=*b).contains(&n));
    let source = Rc::new(BlameSource {
        commit: ObjectId::zero_like(head),
        orig_path: Rc::from(path),
        author: Rc::from("Not Committed Yet"),
        author_time: 0,
    });
    Ok(texts
        .into_iter()
        .zip(1..)
        .filter(|(_, n)| wanted(*n))
        .map(|(content, line)| BlameLine {
            line,
            orig_line: line,
            source: source.clone(),
            // As `str::lines` reads them, and git blame shows a committed file's.
            content: content.without_cr(),
        })
        .collect())
}

/// A `-L` range given by numbers (`a,b`, `a,+n`, `a,-n`, `a`, `a,`), for a file of `count`
/// lines, as git reads it; `None` for the forms that need git (`/regex/`, `:funcname`).
fn numeric_range(spec: &str, count: u32) -> Option<(u32, u32)> {
    let (a, b) = spec.split_once(',').unwrap_or((spec, ""));
    let a: u32 = a.trim().parse().ok().filter(|&a| a > 0)?;
    let b = b.trim();
    let (first, last) = if b.is_empty() {
        (a, count)
    } else if let Some(n) = b.strip_prefix('+') {
        (a, a.saturating_add(n.parse::<u32>().ok()?.saturating_sub(1)))
    } else if let Some(n) = b.strip_prefix('-') {
        (
            a.saturating_sub(n.parse::<u32>().ok()?.saturating_sub(1)).max(1),
            a,
        )
    } else {
        let b: u32 = b.parse().ok()?;
        (a.min(b), a.max(b))
    };
    Some((first, last))
}

/// Binds the uncommitted lines against the journal, as the next commit would: the whole
/// file's change against HEAD, whatever `-L` shows (an edit's lines bind together), or, for
/// `--contents`, the lines shown. Only lines blame calls not committed take a claim.
fn overlay_pending(repo: &Repo, path: &str, options: &BlameOptions, lines: &mut [Line]) -> Result<()> {
    if !lines.iter().any(|l| l.commit().is_zero()) {
        return Ok(());
    }
    let diff = match &options.contents {
        None => repo.work_tree_change(path)?.map(FileDiff::from_changes),
        Some(_) => {
            let mut diff = FileDiff::new(path.to_string(), None);
            let mut above: Option<&str> = None;
            for b in lines.iter().map(|l| &l.blamed) {
                if b.commit().is_zero() {
                    diff.add_line(b.line, b.content.to_string(), above);
                }
                if !is_trivial(&b.content) {
                    above = Some(&b.content);
                }
            }
            Some(diff)
        }
    };
    let Some(diff) = diff.filter(|d| !d.blocks.is_empty()) else {
        return Ok(());
    };
    let (entries, _) = Journal::of(repo).load()?.take_worktree_entries(repo);
    let here = Here::of(repo);
    let binding = bind(
        std::slice::from_ref(&diff),
        &sources_where(&entries, |e| here.recorded(e)),
    );
    // Blame lists lines in order, with gaps between `-L` ranges.
    let mut shared: HashMap<usize, Rc<AiRecord>> = HashMap::default();
    for (_, claim) in binding.claims() {
        let entry = &entries[claim.entry];
        let at = lines.binary_search_by_key(&claim.line, |l| l.blamed.line).ok();
        if let Some(line) = at.and_then(|i| lines.get_mut(i)).filter(|l| l.commit().is_zero()) {
            let source = shared.entry(claim.entry).or_insert_with(|| {
                Rc::new(AiRecord {
                    record: entry.id.clone(),
                    tool: entry.tool.clone(),
                    model: entry.model.clone(),
                    session: entry.session.clone(),
                    prompt_id: entry.prompt_id(),
                    prompt: entry
                        .prompt
                        .as_deref()
                        .and_then(|p| p.lines().next())
                        .map(String::from),
                    evidence: "line",
                })
            });
            line.ai = Some(AiOrigin {
                source: source.clone(),
                outcome: LineOutcome::Pending,
            });
            line.attribution = Attribution::Ai;
        }
    }
    Ok(())
}
