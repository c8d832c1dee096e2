//! Binding (DESIGN §2.3): which added lines of a diff came from which AI edit.
//!
//! [`bind`] is pure: added lines and [`Source`]s in, claims out. A source is the text one AI
//! edit inserted: a pending journal entry gives one, and so does an edit record of a prior
//! commit's note with the text of its lines, so commit time, rewrites and reattach share this
//! one algorithm. The rules, in the order they run:
//!
//! 1. **Verbatim runs.** A source's unused non-trivial lines are matched to added lines with the
//!    same key. Matches are grouped into runs (consecutive lines on both sides) and the longest
//!    runs claim first, so an AI function's `return x;` is found inside the function and not in a
//!    human's identical line elsewhere. Among runs of equal length, those at the edit's *place*
//!    (below the line it sat below, or above the one it sat above, when recorded) go first, then
//!    those of edits whose place is unknown, then the rest. Keys are a multiset: one AI line
//!    claims one added line.
//! 2. **Modified lines.** An unclaimed added line that closely resembles an unused line of a
//!    source (character similarity ≥ [`MODIFIED_SIMILARITY`]) is AI-originated, human-edited,
//!    when the source owns the line next to it (its neighbour in the block, verbatim or itself
//!    edited), or the block sits at the source's place. A similar line anywhere else stays
//!    human: it is as likely a person's, and claiming it would steal the entry.
//! 3. **Trivial lines** (blank, punctuation) join the source of the nearest non-trivial claimed
//!    line before them in the same block (or after them, at a block's start), when that source
//!    inserted such a line too. An edit of trivial lines only binds them at its place.
//!
//! Callers keep *displaced* sources out (an edit undone where it was made, see
//! [`super::place::displaced`]): their lines elsewhere are a person's.
//!
//! Everything else is human, and nothing is written for it.

use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use super::{HashMap, HashSet};

use super::keys::{LineKey, ShortKey, is_trivial, key_from_hex, line_key, short_key, short_key_from_hex};
use super::place::FARTHER;
use crate::model::{ChangedFile, EditRecord, Entry, Status};

/// Two lines at least this similar (by characters, 0..=1) count as one line a human edited.
pub const MODIFIED_SIMILARITY: f32 = 0.5;

/// Lines longer than this (minified code, data) are never compared character by character:
/// a character diff costs the product of the lengths.
const MAX_COMPARED_CHARS: usize = 2_000;

/// Beyond this many line comparisons in one file, modified-line detection stops: it is a
/// heuristic, and must never make a commit slow.
const MODIFIED_COMPARISON_BUDGET: usize = 50_000;

/// Copies of one line considered as run starts, and the longest run measured: highly repeated
/// lines (thousands of `}` or `pass`) would otherwise make run finding quadratic. Lines left
/// over are matched in file order.
const MAX_POSITIONS: usize = 16;
/// The most lines of an edit compared, line by line, with a block at its place when nothing
/// else of the edit is claimed ([`FileBinder::edited_whole`]), or with what the diff shows
/// around one of its lines (`edited_in_place`, a run's side written as recorded).
const MAX_EDITED_WHOLE: usize = 16;
const MAX_RUN: usize = 256;

/// The added lines of one file, in blocks of consecutive added lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileDiff {
    pub path: String,
    /// The path before a rename, when git detected one.
    pub old_path: Option<String>,
    pub blocks: Vec<Block>,
}

/// Consecutive added lines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Block {
    pub lines: Vec<AddedLine>,
    /// The nearest non-trivial line above the block in the new file, when known: where an
    /// edit was recorded (its place) tells identical copies of its lines apart.
    pub before: Option<String>,
    /// The nearest non-trivial line below the block, when known.
    pub after: Option<String>,
    /// The non-trivial lines beyond `before` going up, and beyond `after` going down, nearest
    /// first, as far as the hunk shows them (a few).
    pub farther_before: Vec<String>,
    pub farther_after: Vec<String>,
    /// The hunk reaches the top of the file, or its end: nothing lies beyond the lines above
    /// (below) that it shows.
    pub shows_top: bool,
    pub shows_end: bool,
    /// The lines the diff removed where the block was added: the lines an edit made there
    /// replaced tell its block, even after a person changed the lines around it.
    pub replaced: Vec<String>,
}

impl FileDiff {
    pub fn new(path: String, old_path: Option<String>) -> FileDiff {
        FileDiff {
            path,
            old_path,
            blocks: Vec::new(),
        }
    }

    /// Adds line `line` of the new file: it joins the last block when it follows it, else it
    /// starts one, whose `before` is the nearest non-trivial line above it, if known. Whether
    /// it started a block.
    pub fn add_line(&mut self, line: u32, text: String, before: Option<&str>) -> bool {
        let added = AddedLine { line, text };
        match self.blocks.last_mut() {
            Some(block) if block.lines.last().is_some_and(|l| l.line + 1 == line) => {
                block.lines.push(added);
                false
            }
            _ => {
                self.blocks.push(Block {
                    lines: vec![added],
                    before: before.map(str::to_string),
                    ..Block::default()
                });
                true
            }
        }
    }

    /// The blocks of a diff's file: each sits between the nearest non-trivial lines of its
    /// hunk above and below it (what lies between hunks is unknown).
    pub fn from_changes(file: ChangedFile) -> FileDiff {
        let mut diff = FileDiff::new(file.path, file.old_path);
        let lines = file.lines;
        for hunk in file.hunks {
            // Per line of the hunk, the index of the nearest non-trivial line after it.
            let mut below: Vec<Option<usize>> = vec![None; hunk.len()];
            for i in (0..hunk.len().saturating_sub(1)).rev() {
                below[i] = match is_trivial(&hunk[i + 1].text) {
                    true => below[i + 1],
                    false => Some(i + 1),
                };
            }
            // The non-trivial lines seen so far, in order.
            let mut above: Vec<usize> = Vec::new();
            for (i, line) in hunk.iter().enumerate() {
                if line.added {
                    let starts_block = diff.add_line(
                        line.line,
                        line.text.clone(),
                        above.last().map(|&a| hunk[a].text.as_str()),
                    );
                    if let Some(block) = diff.blocks.last_mut() {
                        block.replaced.extend(line.replaces.iter().cloned());
                        if starts_block {
                            block.farther_before = above
                                .iter()
                                .rev()
                                .skip(1)
                                .take(FARTHER)
                                .map(|&a| hunk[a].text.clone())
                                .collect();
                            block.shows_top = hunk.first().is_some_and(|l| l.line == 1);
                        }
                    }
                    let ends_block = hunk.get(i + 1).is_none_or(|next| !next.added);
                    if ends_block && let Some(block) = diff.blocks.last_mut() {
                        block.shows_end = hunk.last().is_some_and(|l| Some(l.line) == lines);
                        block.after = below[i].map(|b| hunk[b].text.clone());
                        block.farther_after = std::iter::successors(below[i], |&b| below[b])
                            .skip(1)
                            .take(FARTHER)
                            .map(|b| hunk[b].text.clone())
                            .collect();
                    }
                }
                if !is_trivial(&line.text) {
                    above.push(i);
                }
            }
        }
        diff
    }

    pub fn added_lines(&self) -> impl Iterator<Item = &AddedLine> {
        self.blocks.iter().flat_map(|b| &b.lines)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct AddedLine {
    /// 1-based line number in the new version of the file.
    pub line: u32,
    pub text: String,
}

/// One added line attributed to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    pub line: u32,
    /// Index into the `sources` slice given to [`bind`].
    pub entry: usize,
    /// Index of the source's inserted line this added line came from.
    pub entry_line: usize,
    /// The key of that inserted line.
    pub key: LineKey,
    /// The line differs from the AI's text: a human edited it.
    pub modified: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FileClaims {
    pub path: String,
    /// Sorted by line.
    pub claims: Vec<Claim>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Binding {
    pub files: Vec<FileClaims>,
}

impl Binding {
    pub fn claims(&self) -> impl Iterator<Item = (&str, &Claim)> {
        self.files
            .iter()
            .flat_map(|f| f.claims.iter().map(move |c| (f.path.as_str(), c)))
    }
}

/// What binding matches added lines against: the lines one AI edit inserted into one file.
#[derive(Debug, Clone)]
pub struct Source<'a> {
    pub id: &'a str,
    pub file: &'a str,
    /// RFC 3339; when two sources inserted the same line, the newest wins.
    pub recorded_at: &'a str,
    /// The inserted text.
    pub text: &'a str,
    /// Keys (hex) of lines whose text here differs from the committed text (redaction), by
    /// line index.
    pub original_keys: &'a BTreeMap<usize, String>,
    /// Indices of lines earlier commits already took (sorted).
    pub used: &'a [usize],
    /// Key (hex) of the nearest non-trivial line above the edit when it was recorded.
    pub anchor: Option<&'a str>,
    /// Key (hex) of the nearest non-trivial line below it.
    pub below: Option<&'a str>,
    /// Short keys (hex) of the non-trivial lines beyond `anchor` and `below`, nearest first.
    pub farther_above: &'a [String],
    pub farther_below: &'a [String],
    /// Lines (by index) that may only extend a run of the source's other lines.
    pub optional: &'a [usize],
    /// Keys (hex) of lines the edit replaced.
    pub replaced: &'a [String],
    /// Whether the source may claim lines at all (an edit its agent rejected may not).
    pub applied: bool,
}

static NO_KEYS: BTreeMap<usize, String> = BTreeMap::new();

impl<'a> Source<'a> {
    /// A pending journal entry.
    pub fn from_entry(entry: &'a Entry) -> Source<'a> {
        Source {
            id: &entry.id,
            file: &entry.file,
            recorded_at: &entry.recorded_at,
            text: &entry.inserted,
            original_keys: &entry.original_keys,
            used: &entry.progress.used,
            anchor: entry.anchor.as_deref(),
            below: entry.below.as_deref(),
            farther_above: &entry.farther_above,
            farther_below: &entry.farther_below,
            optional: &entry.optional,
            replaced: &entry.replaced,
            applied: entry.status == Status::Applied,
        }
    }

    /// An edit record of a prior commit's note, with `text`: the lines its ranges cover in that
    /// commit, in order (what a rewrite or reattach carries to another commit).
    pub fn from_record(record: &'a EditRecord, text: &'a str) -> Source<'a> {
        Source {
            id: &record.id,
            file: &record.file,
            recorded_at: &record.recorded_at,
            text,
            original_keys: &NO_KEYS,
            used: &[],
            anchor: None,
            below: None,
            farther_above: &[],
            farther_below: &[],
            optional: &[],
            replaced: &[],
            applied: true,
        }
    }
}

/// Sources for every entry, in the same order (claims index both alike).
pub fn sources(entries: &[Entry]) -> Vec<Source<'_>> {
    entries.iter().map(Source::from_entry).collect()
}

/// Sources for every entry, in the same order; only those `may_bind` accepts can claim lines.
pub fn sources_where(entries: &[Entry], may_bind: impl Fn(&Entry) -> bool) -> Vec<Source<'_>> {
    entries
        .iter()
        .map(|e| Source {
            applied: Source::from_entry(e).applied && may_bind(e),
            ..Source::from_entry(e)
        })
        .collect()
}

/// The inserted lines of a source, split and keyed.
pub struct SourceLines<'a> {
    pub lines: Vec<SourceLine<'a>>,
}

pub struct SourceLine<'a> {
    pub key: LineKey,
    pub trivial: bool,
    /// Kept by the edit between lines it changed: binds only along with them.
    pub optional: bool,
    pub text: &'a str,
}

impl<'a> SourceLines<'a> {
    pub fn of(source: &Source<'a>) -> Self {
        let lines = source
            .text
            .lines()
            .enumerate()
            .map(|(i, text)| SourceLine {
                key: source
                    .original_keys
                    .get(&i)
                    .and_then(|hex| key_from_hex(hex))
                    .unwrap_or_else(|| line_key(text)),
                trivial: is_trivial(text),
                optional: source.optional.binary_search(&i).is_ok(),
                text,
            })
            .collect();
        SourceLines { lines }
    }

    /// Indices of the non-trivial lines the edit changed: what it takes to complete it.
    pub fn required(&self) -> impl Iterator<Item = usize> + '_ {
        self.non_trivial().filter(|&i| !self.lines[i].optional)
    }

    /// [`SourceLines::required`] of `source`, told without keying its lines.
    pub fn required_of(source: &Source<'a>) -> impl Iterator<Item = usize> + 'a {
        let optional = source.optional;
        source
            .text
            .lines()
            .enumerate()
            .filter(move |(i, text)| !is_trivial(text) && optional.binary_search(i).is_err())
            .map(|(i, _)| i)
    }

    /// Indices of the lines that can match on their own.
    pub fn non_trivial(&self) -> impl Iterator<Item = usize> + '_ {
        self.lines
            .iter()
            .enumerate()
            .filter(|(_, l)| !l.trivial)
            .map(|(i, _)| i)
    }

    /// The nearest non-trivial line before line `i`.
    fn non_trivial_before(&self, i: usize) -> Option<usize> {
        (0..i).rfind(|&j| !self.lines[j].trivial)
    }

    /// The nearest non-trivial line after line `i`.
    fn non_trivial_after(&self, i: usize) -> Option<usize> {
        (i + 1..self.lines.len()).find(|&j| !self.lines[j].trivial)
    }
}

/// The blocks of added lines of each file of a diff.
pub fn file_diffs(changes: Vec<ChangedFile>) -> Vec<FileDiff> {
    changes.into_iter().map(FileDiff::from_changes).collect()
}

/// How many of the lines recorded on one side of an edit's place (`nearest`, then `farther`)
/// agree with those `seen` there, from the nearest outwards. A line beyond what the diff shows
/// may be the recorded one: it counts as agreeing, so a place seen through little context is
/// never outranked, only tied.
fn agreeing(
    nearest: Option<LineKey>,
    farther: &[ShortKey],
    mut seen: impl Iterator<Item = Option<ShortKey>>,
) -> usize {
    let recorded = nearest
        .as_ref()
        .map(short_key)
        .into_iter()
        .chain(farther.iter().copied());
    let mut agreeing = 0;
    for r in recorded {
        match seen.next() {
            Some(Some(s)) if s == r => agreeing += 1,
            Some(_) => break,
            None => agreeing += 1,
        }
    }
    agreeing
}

fn keys_from_hex(hex: &[String]) -> Vec<LineKey> {
    hex.iter().filter_map(|k| key_from_hex(k)).collect()
}

/// At most [`FARTHER`]: a journal edited by hand may hold any number.
fn short_keys_from_hex(hex: &[String]) -> Vec<ShortKey> {
    hex.iter()
        .take(FARTHER)
        .filter_map(|k| short_key_from_hex(k))
        .collect()
}

/// Binds the added lines of `files` to the applied `sources` (rejected ones are never
/// candidates). Lines a source already used are not matched again.
pub fn bind(files: &[FileDiff], sources: &[Source<'_>]) -> Binding {
    let mut by_path: HashMap<&str, Vec<usize>> = HashMap::default();
    for (i, source) in sources.iter().enumerate() {
        if source.applied {
            by_path.entry(source.file).or_default().push(i);
        }
    }
    let files = files
        .iter()
        .filter_map(|diff| {
            let mut candidates: Vec<usize> = by_path.get(diff.path.as_str()).cloned().unwrap_or_default();
            if let Some(old) = diff.old_path.as_deref().and_then(|p| by_path.get(p)) {
                candidates.extend(old);
            }
            if candidates.is_empty() {
                return None;
            }
            // Newest first: when two entries inserted the same line, the later edit wins.
            candidates.sort_by(|&a, &b| {
                sources[b]
                    .recorded_at
                    .cmp(sources[a].recorded_at)
                    .then_with(|| sources[a].id.cmp(sources[b].id))
            });
            candidates.dedup();
            let claims = FileBinder::new(diff, sources, &candidates).bind();
            (!claims.is_empty()).then(|| FileClaims {
                path: diff.path.clone(),
                claims,
            })
        })
        .collect();
    Binding { files }
}

struct Candidate<'a> {
    entry: usize,
    lines: SourceLines<'a>,
    used: Vec<bool>,
    /// The keys of the lines the edit sat between when recorded.
    anchor: Option<LineKey>,
    below: Option<LineKey>,
    /// The keys of the non-trivial lines beyond those, nearest first.
    farther_above: Vec<ShortKey>,
    farther_below: Vec<ShortKey>,
    /// The edit inserted only trivial lines (blank lines, braces).
    blank_only: bool,
    /// Keys of lines the edit replaced.
    replaced: Vec<LineKey>,
    /// Per line, the first and last of the edit's lines with its text: identical lines are
    /// interchangeable, so order among the edit's lines is only as strict as they allow.
    span: Vec<(usize, usize)>,
}

impl Candidate<'_> {
    /// Whether line `i` alone can slide one line over: it is the edit's last and like the line
    /// the edit sat below (the same edit reads as made above that line), or its first and like
    /// the line below (as made below it). Up, down.
    fn slides(&self, i: usize) -> [bool; 2] {
        let key = Some(self.lines.lines[i].key);
        [
            i + 1 == self.lines.lines.len() && key == self.anchor,
            i == 0 && key == self.below,
        ]
    }
}

/// Where among its edit's lines an edited line may be: after the edit's line `after` (or a
/// line identical to it) and before its line `before`.
#[derive(Clone, Copy)]
struct Between {
    after: Option<usize>,
    before: Option<usize>,
}

impl Between {
    const ANYWHERE: Between = Between {
        after: None,
        before: None,
    };

    fn admits(self, c: &Candidate<'_>, line: usize) -> bool {
        let (first, last) = c.span[line];
        self.after.is_none_or(|k| last > c.span[k].0) && self.before.is_none_or(|k| first < c.span[k].1)
    }
}

struct Added<'a> {
    block: usize,
    line: u32,
    key: LineKey,
    trivial: bool,
    text: &'a str,
    claim: Option<(usize, usize, bool)>,
}

/// A run of consecutive non-trivial lines equal on both sides: candidate lines
/// `cand_nt[start..start+len]` against block lines `block_nt[block][pos..pos+len]`. Runs rank
/// by length, then placement, then depth, then newer entries (candidates are newest first), then file
/// order: the greatest is claimed first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Run {
    len: usize,
    placement: Placement,
    /// How far its surroundings agree with the edit's ([`FileBinder::depth`]).
    depth: usize,
    cand: usize,
    start: usize,
    block: usize,
    pos: usize,
}

impl Ord for Run {
    fn cmp(&self, other: &Run) -> std::cmp::Ordering {
        self.len
            .cmp(&other.len)
            .then(self.placement.cmp(&other.placement))
            .then(self.depth.cmp(&other.depth))
            .then(other.cand.cmp(&self.cand))
            .then(other.block.cmp(&self.block))
            .then(other.pos.cmp(&self.pos))
            .then(other.start.cmp(&self.start))
    }
}

impl PartialOrd for Run {
    fn partial_cmp(&self, other: &Run) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Where a run sits against its edit's recorded place, from least to most likely its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Placement {
    /// Away from the place the edit was made: its copy there is more likely its own.
    Elsewhere,
    /// The edit's place is not known.
    Unknown,
    /// Next to one of the lines the edit sat between, with another line on its other side.
    Near,
    /// Next to one of them, nothing known against it; or inside the block at the edit's place.
    AtPlace,
    /// Between the very lines the edit sat between.
    Exact,
}

/// The runs found, with what claiming them needs: per candidate, its unused non-trivial lines,
/// and per key, where it occurs in the blocks (block, index among the block's non-trivial lines).
struct Runs {
    runs: Vec<Run>,
    cand_nt: Vec<Vec<usize>>,
    positions: HashMap<LineKey, Vec<(usize, usize)>>,
}

struct FileBinder<'a> {
    cands: Vec<Candidate<'a>>,
    added: Vec<Added<'a>>,
    /// Per block, indices into `added` of its non-trivial lines.
    block_nt: Vec<Vec<usize>>,
    /// Per block, the keys of the nearest non-trivial lines above and below it, when known.
    block_before: Vec<Option<LineKey>>,
    block_after: Vec<Option<LineKey>>,
    /// Per block, the keys of the non-trivial lines beyond those, nearest first.
    block_farther_before: Vec<Vec<ShortKey>>,
    block_farther_after: Vec<Vec<ShortKey>>,
    /// Per block, whether its hunk reaches the file's top, and its end.
    block_shows: Vec<[bool; 2]>,
    /// Per block, the line number of its first line.
    block_start: Vec<u32>,
    /// Per block, its number of lines, and the last non-trivial added line of the blocks
    /// before it and the first of the blocks after it.
    block_len: Vec<u32>,
    nt_around: Vec<[Option<usize>; 2]>,
    /// Per candidate, the blocks whose diff removed a line its edit replaced (in order).
    replacing: Vec<Vec<usize>>,
    /// Per non-trivial removed line, the blocks whose diff removed it.
    removed_at: HashMap<LineKey, Vec<usize>>,
    /// Per candidate, the added line where its one-line edit sits, edited, and the edit's line
    /// ([`FileBinder::edited_in_place`]).
    in_place: Vec<Option<(usize, usize)>>,
    /// The keys of all added lines.
    added_keys: HashSet<LineKey>,
    /// Per key, the candidates whose edit replaced a line of that text.
    replacers: HashMap<LineKey, Vec<usize>>,
    /// Per key, the candidates whose edit kept a line of that text between lines it changed
    /// (an optional line): it was in the file where that edit was made.
    keepers: HashMap<LineKey, Vec<usize>>,
}

/// Per block, the candidates whose place it is; per candidate, whether the lines its edit
/// replaced pin the one block at its place (then look-alike places do not count).
struct Places {
    at: Vec<Vec<usize>>,
    pinned: Vec<bool>,
    /// Per candidate, how deep its blocks in `at` agree with its surroundings ([`FileBinder::depth`]).
    depth: Vec<usize>,
}

/// Per line of an edit, the first and the last of its lines with the same key.
fn spans(lines: &[SourceLine<'_>]) -> Vec<(usize, usize)> {
    // Most edits are a few lines: scanning them costs less than a map per edit.
    if lines.len() <= 16 {
        return lines
            .iter()
            .enumerate()
            .map(|(i, line)| {
                let first = lines.iter().position(|l| l.key == line.key).unwrap_or(i);
                let last = lines.iter().rposition(|l| l.key == line.key).unwrap_or(i);
                (first, last)
            })
            .collect();
    }
    let mut extent: HashMap<LineKey, (usize, usize)> = HashMap::default();
    for (i, line) in lines.iter().enumerate() {
        extent.entry(line.key).or_insert((i, i)).1 = i;
    }
    lines.iter().map(|l| extent[&l.key]).collect()
}

impl<'a> FileBinder<'a> {
    fn new(diff: &'a FileDiff, sources: &[Source<'a>], candidates: &[usize]) -> Self {
        let cands: Vec<Candidate<'a>> = candidates
            .iter()
            .map(|&entry| {
                let lines = SourceLines::of(&sources[entry]);
                let mut used = vec![false; lines.lines.len()];
                for &i in sources[entry].used {
                    if let Some(u) = used.get_mut(i) {
                        *u = true;
                    }
                }
                let blank_only = lines.non_trivial().next().is_none();
                let span = spans(&lines.lines);
                Candidate {
                    entry,
                    lines,
                    used,
                    anchor: sources[entry].anchor.and_then(key_from_hex),
                    below: sources[entry].below.and_then(key_from_hex),
                    farther_above: short_keys_from_hex(sources[entry].farther_above),
                    farther_below: short_keys_from_hex(sources[entry].farther_below),
                    blank_only,
                    replaced: keys_from_hex(sources[entry].replaced),
                    span,
                }
            })
            .collect();
        let mut added = Vec::new();
        let mut block_nt = Vec::with_capacity(diff.blocks.len());
        let block_before = diff
            .blocks
            .iter()
            .map(|b| b.before.as_deref().map(line_key))
            .collect();
        let block_after = diff
            .blocks
            .iter()
            .map(|b| b.after.as_deref().map(line_key))
            .collect();
        let farther = |lines: &[String]| lines.iter().map(|l| short_key(&line_key(l))).collect::<Vec<_>>();
        let block_farther_before = diff.blocks.iter().map(|b| farther(&b.farther_before)).collect();
        let block_farther_after = diff.blocks.iter().map(|b| farther(&b.farther_after)).collect();
        let block_shows = diff.blocks.iter().map(|b| [b.shows_top, b.shows_end]).collect();
        let block_len = diff
            .blocks
            .iter()
            .map(|b| u32::try_from(b.lines.len()).unwrap_or(u32::MAX))
            .collect();
        // The blocks that removed each non-trivial line, then per candidate those of its lines.
        let mut removed_at: HashMap<LineKey, Vec<usize>> = HashMap::default();
        for (block, b) in diff.blocks.iter().enumerate() {
            for line in b.replaced.iter().filter(|l| !is_trivial(l)) {
                let blocks = removed_at.entry(line_key(line)).or_default();
                if blocks.last() != Some(&block) {
                    blocks.push(block);
                }
            }
        }
        let replacing = cands
            .iter()
            .map(|c| {
                let mut blocks: Vec<usize> = c
                    .replaced
                    .iter()
                    .flat_map(|k| removed_at.get(k).into_iter().flatten().copied())
                    .collect();
                blocks.sort_unstable();
                blocks.dedup();
                blocks
            })
            .collect();
        let block_start = diff
            .blocks
            .iter()
            .map(|b| b.lines.first().map_or(0, |l| l.line))
            .collect();
        for (block, Block { lines, .. }) in diff.blocks.iter().enumerate() {
            let mut nt = Vec::new();
            for line in lines {
                let trivial = is_trivial(&line.text);
                if !trivial {
                    nt.push(added.len());
                }
                added.push(Added {
                    block,
                    line: line.line,
                    key: line_key(&line.text),
                    trivial,
                    text: &line.text,
                    claim: None,
                });
            }
            block_nt.push(nt);
        }
        let mut nt_around = vec![[None, None]; block_nt.len()];
        let mut last = None;
        for (block, nt) in block_nt.iter().enumerate() {
            nt_around[block][0] = last;
            last = nt.last().copied().or(last);
        }
        let mut first = None;
        for (block, nt) in block_nt.iter().enumerate().rev() {
            nt_around[block][1] = first;
            first = nt.first().copied().or(first);
        }
        let mut binder = FileBinder {
            cands,
            added,
            block_nt,
            block_before,
            block_after,
            block_farther_before,
            block_farther_after,
            block_shows,
            block_start,
            block_len,
            nt_around,
            replacing,
            removed_at,
            in_place: Vec::new(),
            added_keys: HashSet::default(),
            replacers: HashMap::default(),
            keepers: HashMap::default(),
        };
        for (cand, c) in binder.cands.iter().enumerate() {
            for &key in &c.replaced {
                binder.replacers.entry(key).or_default().push(cand);
            }
            for line in c.lines.lines.iter().filter(|l| l.optional && !l.trivial) {
                binder.keepers.entry(line.key).or_default().push(cand);
            }
        }
        binder.added_keys = binder.added.iter().map(|a| a.key).collect();
        binder.in_place = binder.edited_in_place();
        binder
    }

    /// Per candidate, the added line that sits where one line of its edit was written, between
    /// the very lines recorded around it, and resembles that line: the AI's line, which a
    /// person edited. For an edit of several lines, every other line of it is still there
    /// around it, as the edit wrote them, out to the lines it sat between (git's diff may show
    /// them as unchanged: an edit recorded one line over). For a one-line edit, the line sits
    /// inside a bigger block (git's diff paired the line below with a copy of it the person
    /// added further down; a block of the line alone at such a place is decided as the block
    /// at the place). Only where it is the one such line of the file, and no other edit's.
    fn edited_in_place(&self) -> Vec<Option<(usize, usize)>> {
        // The non-trivial lines of a short edit whose place is known on both sides, none taken.
        let whole = |c: &Candidate<'_>| -> Option<Vec<usize>> {
            c.anchor?;
            c.below?;
            let nt: Vec<usize> = c.lines.non_trivial().collect();
            let open = !nt.is_empty() && nt.len() <= MAX_EDITED_WHOLE && nt.iter().all(|&i| !c.used[i]);
            open.then_some(nt)
        };
        if !self.cands.iter().any(|c| whole(c).is_some()) {
            return vec![None; self.cands.len()];
        }
        let mut between: HashMap<(LineKey, LineKey), Vec<usize>> = HashMap::default();
        for (block, nt) in self.block_nt.iter().enumerate() {
            for (pos, &a) in nt.iter().enumerate() {
                if let [Some(above), Some(below)] = self.around(block, pos, pos) {
                    between.entry((above, below)).or_default().push(a);
                }
            }
        }
        let mut budget = MODIFIED_COMPARISON_BUDGET;
        let mut found: Vec<Option<(usize, usize)>> = self
            .cands
            .iter()
            .map(|c| {
                let (Some(anchor), Some(below), Some(nt)) = (c.anchor, c.below, whole(c)) else {
                    return None;
                };
                let key = |j: usize| c.lines.lines[nt[j]].key;
                let mut at_lines = Vec::new();
                for (j, &line) in nt.iter().enumerate() {
                    let old = &c.lines.lines[line];
                    if old.optional {
                        continue;
                    }
                    let above = j.checked_sub(1).map_or(anchor, key);
                    let after = if j + 1 < nt.len() { key(j + 1) } else { below };
                    // Many look-alike places (a file of repeated lines) say nothing, and must
                    // cost nothing.
                    let at = between
                        .get(&(above, after))
                        .filter(|at| at.len() <= MAX_POSITIONS)
                        .map_or(&[][..], |at| &at[..]);
                    if at.len() * nt.len() > budget {
                        return None;
                    }
                    budget -= at.len() * nt.len();
                    at_lines.extend(
                        at.iter()
                            .filter(|&&a| {
                                let new = &self.added[a];
                                new.key != old.key
                                    && resemblance(old.text, new.text) >= MODIFIED_SIMILARITY
                                    && (nt.len() == 1 || self.written_around(c, &nt, j, a))
                            })
                            .map(|&a| (a, line)),
                    );
                }
                let inside = |a: usize| nt.len() > 1 || self.block_nt[self.added[a].block].len() > 1;
                only(at_lines.into_iter()).filter(|&(a, _)| inside(a))
            })
            .collect();
        let mut takers: HashMap<usize, usize> = HashMap::default();
        for (a, _) in found.iter().flatten() {
            *takers.entry(*a).or_default() += 1;
        }
        for f in &mut found {
            if f.is_some_and(|(a, _)| takers[&a] > 1) {
                *f = None;
            }
        }
        found
    }

    /// Whether the lines around added line `a` are, nearest first, the edit's lines `nt`
    /// (non-trivial, by index) other than its line `nt[j]`, then the lines the edit sat
    /// between: as far as the diff shows, with nothing unknown.
    fn written_around(&self, c: &Candidate<'_>, nt: &[usize], j: usize, a: usize) -> bool {
        let block = self.added[a].block;
        let Ok(pos) = self.block_nt[block].binary_search(&a) else {
            return false;
        };
        let key = |i: &usize| Some(short_key(&c.lines.lines[*i].key));
        let (Some(anchor), Some(below)) = (c.anchor, c.below) else {
            return false;
        };
        let (up, down) = self.seen_sides(block, pos..pos + 1);
        let wanted_up = nt[..j].iter().rev().map(key).chain([Some(short_key(&anchor))]);
        let wanted_down = nt[j + 1..].iter().map(key).chain([Some(short_key(&below))]);
        begins_with(up, wanted_up) && begins_with(down, wanted_down)
    }

    /// The non-trivial added lines (indices into `added`) just before the block's non-trivial
    /// line `first` and just after its line `last`: in the block, or in the block next to it
    /// when only blank or punctuation lines lie between the two.
    fn neighbours(&self, block: usize, first: usize, last: usize) -> [Option<usize>; 2] {
        let nt = &self.block_nt[block];
        let before = match first.checked_sub(1) {
            Some(p) => nt.get(p).copied(),
            None => block
                .checked_sub(1)
                .filter(|&b| self.joined(b))
                .and_then(|b| self.block_nt[b].last().copied()),
        };
        let after = match nt.get(last + 1) {
            Some(&a) => Some(a),
            None if last + 1 == nt.len() && self.joined(block) => {
                self.block_nt.get(block + 1).and_then(|n| n.first().copied())
            }
            None => None,
        };
        [before, after]
    }

    /// The keys of what sits above the block's non-trivial line `first` and below its line
    /// `last`: the block's neighbouring non-trivial lines, or what sits around the block.
    fn around(&self, block: usize, first: usize, last: usize) -> [Option<LineKey>; 2] {
        let nt = &self.block_nt[block];
        let key = |a: usize| Some(self.added[a].key);
        [
            first
                .checked_sub(1)
                .map_or(self.block_before[block], |p| key(nt[p])),
            nt.get(last + 1).map_or(self.block_after[block], |&n| key(n)),
        ]
    }

    /// Whether only blank or punctuation lines (a few) separate `block` from the next one.
    fn joined(&self, block: usize) -> bool {
        let (Some(&last), Some(&next)) = (
            self.block_nt[block].last(),
            self.block_nt.get(block + 1).and_then(|n| n.first()),
        ) else {
            return false;
        };
        let (last, next) = (&self.added[last], &self.added[next]);
        self.block_after[block] == Some(next.key) && next.line.saturating_sub(last.line) <= 4
    }

    /// Where a run of candidate `cand` at the block's non-trivial line `pos`, between the
    /// non-trivial lines `above` and `below` (when known), sits against the edit's place.
    /// `lines`: the first and last of the edit's lines in the run; `depths`: how far the lines
    /// on each side agree with those recorded ([`FileBinder::depths`]); `written_above`: what
    /// the edit wrote above the run sits right above it ([`FileBinder::written_above`]).
    fn placement(
        &self,
        cand: usize,
        (block, pos): (usize, usize),
        lines: (usize, usize),
        [above, below]: [Option<LineKey>; 2],
        (depths, written_above): ([usize; 2], bool),
    ) -> Placement {
        let c = &self.cands[cand];
        // The rest of an edit a partial commit took lines of sits next to those lines, where
        // they were written (the recorded neighbour may now be far above or below). Runs are
        // found before anything is claimed, so `used` is what earlier commits took.
        let committed = |mut around: std::ops::Range<usize>, upwards: bool| {
            let nearest = match upwards {
                true => around.rfind(|&i| !c.lines.lines[i].trivial),
                false => around.find(|&i| !c.lines.lines[i].trivial),
            };
            nearest.filter(|&i| c.used[i]).map(|i| c.lines.lines[i].key)
        };
        let beside_committed = (
            above.is_some() && above == committed(0..lines.0, true),
            below.is_some() && below == committed(lines.1 + 1..c.lines.lines.len(), false),
        );
        if c.anchor.is_none() && c.below.is_none() && beside_committed == (false, false) {
            return Placement::Unknown;
        }
        // A line from the middle of an edit whose other lines are nowhere in the diff (an
        // edit undone), next to a line like the one the edit sat above or below, is not at the
        // edit's place: a side says something of it only when it reaches that end of the edit.
        let missing = |i: usize| {
            let line = &c.lines.lines[i];
            !line.trivial && !line.optional && !c.used[i]
        };
        let lone = lines.0 == lines.1
            && self.rest_absent(cand, lines, &[c.lines.lines[lines.0].key])
            && !self.edited_beside(cand, block, pos, lines.0);
        // Such a line that is the edit's last and like the line it sat below, with another line
        // above it (or its first, like the line below it, with another below), reads as well as
        // that line itself, the edit wholly undone: which it is cannot be told.
        let own = Some(c.lines.lines[lines.0].key);
        let [up, down] = c.slides(lines.0);
        if lone && ((up && above != own) || (down && below != own)) {
            return Placement::Elsewhere;
        }
        // Nor is it at the place when the first line the edit replaced is back there, right
        // below the line the edit sat below and above the line's block: the edit was undone.
        // (Unless another edit wrote a line like it: git may show that one as unchanged.)
        let replaced_back = || {
            c.replaced.first().is_some_and(|&r| {
                self.block_before[block] == Some(r)
                    && !self
                        .cands
                        .iter()
                        .any(|o| o.lines.lines.iter().any(|l| l.key == r))
            }) && c
                .anchor
                .is_some_and(|a| self.block_farther_before[block].first() == Some(&short_key(&a)))
        };
        if lone && replaced_back() {
            return Placement::Elsewhere;
        }
        let written_above = !lone && written_above;
        // A later edit may have replaced the line the edit sat next to: its own nearest line
        // there now stands in for it.
        // When that edit recorded the run's own line next to it, the run was there before it.
        let edges = (c.lines.lines[lines.0].key, c.lines.lines[lines.1].key);
        let [by_replacer, vouched]: [[bool; 2]; 2] = {
            let [up_replaced, up_vouched] = self.replaced_neighbour(cand, c.anchor, above, true, edges.0);
            let [down_replaced, down_vouched] = self.replaced_neighbour(cand, c.below, below, false, edges.1);
            [[up_replaced, down_replaced], [up_vouched, down_vouched]]
        };
        // A run of several lines from the middle of such an edit: its sides say as little.
        let piece = !lone && lines.0 != lines.1 && {
            let run: Vec<usize> = (lines.0..=lines.1)
                .filter(|&i| !c.lines.lines[i].trivial && !c.used[i])
                .collect();
            self.rest_undone(cand, &run)
        };
        let reaches = (
            !(lone || piece) || !(0..lines.0).any(missing),
            !(lone || piece) || !(lines.1 + 1..c.lines.lines.len()).any(missing),
        );
        // Per side: agrees, contradicts (another line where the edit had one, or had none: the
        // top or the end of the file), or unknown.
        let side = |recorded: Option<LineKey>, found: Option<LineKey>, beside: bool| match (recorded, found) {
            _ if beside => Some(true),
            (Some(r), Some(f)) => Some(r == f),
            (None, Some(_)) => Some(false),
            (_, None) => None,
        };
        // Where a lone line's missing lines would sit, right beside it, a line other than the
        // one the edit sat next to (and none of them replaced by a later edit): something
        // else was written there, and the edit's last line alike by chance as likely as kept.
        let rewritten = |range: std::ops::Range<usize>, found: Option<LineKey>, recorded: Option<LineKey>| {
            lone && found.is_some()
                && found != recorded
                && range
                    .filter(|&i| missing(i))
                    .all(|i| !self.replacers.contains_key(&c.lines.lines[i].key))
        };
        if (!reaches.0 && rewritten(0..lines.0, above, c.anchor))
            || (!reaches.1 && rewritten(lines.1 + 1..c.lines.lines.len(), below, c.below))
        {
            return Placement::Elsewhere;
        }
        let (above, below) = (above.filter(|_| reaches.0), below.filter(|_| reaches.1));
        // For such a lone line, a side agrees only as far out as the edit recorded (a common
        // line like `pass` next to it says little); so too for any single line of an edit
        // whose other side disagrees, unless the line there is the edit's own next line (git
        // may show it unchanged: the edit one line over).
        let own_next = |line: Option<usize>, found: Option<LineKey>| {
            line.is_some_and(|i| Some(c.lines.lines[i].key) == found)
        };
        let own = [
            own_next(c.lines.non_trivial_before(lines.0), above),
            own_next(c.lines.non_trivial_after(lines.1), below),
        ];
        let single = lines.0 == lines.1;
        let deep = |side: Option<bool>,
                    other: (Option<bool>, bool),
                    beside: bool,
                    depth: usize,
                    farther: &[ShortKey]| {
            let strict = lone || (single && other == (Some(false), false));
            match side {
                Some(true) if strict && !beside && depth <= farther.len() => Some(false),
                side => side,
            }
        };
        let up = side(
            c.anchor,
            above,
            beside_committed.0 || written_above || by_replacer[0],
        );
        let down = side(c.below, below, beside_committed.1 || by_replacer[1]);
        match (
            deep(
                up,
                (down, own[1]),
                beside_committed.0 || vouched[0],
                depths[0],
                &c.farther_above,
            ),
            deep(
                down,
                (up, own[0]),
                beside_committed.1 || vouched[1],
                depths[1],
                &c.farther_below,
            ),
        ) {
            (Some(true), Some(true)) => Placement::Exact,
            (Some(true), None) | (None, Some(true)) => Placement::AtPlace,
            // Inside the block at the place, between two other lines, while the edit's line
            // sits edited where it was written: the copy is a person's.
            (Some(false), Some(false)) if self.in_place[cand].is_some() => Placement::Elsewhere,
            // The block at the place holds a lone line only when the edit's missing lines
            // would not have been on a side of it, and the block did not remove a line the
            // edit sat next to (a person rewrote around the place: a line of theirs alike
            // inside it is as likely).
            _ if self.at_place(cand, block)
                && reaches == (true, true)
                && !self.removes_place_line(cand, block) =>
            {
                Placement::AtPlace
            }
            (Some(true), Some(false)) | (Some(false), Some(true)) => Placement::Near,
            _ => Placement::Elsewhere,
        }
    }

    /// Whether `block`'s diff removed a line candidate `cand`'s edit sat next to (and did
    /// not replace).
    fn removes_place_line(&self, cand: usize, block: usize) -> bool {
        let c = &self.cands[cand];
        [c.anchor, c.below].into_iter().flatten().any(|key| {
            !c.replaced.contains(&key)
                && self
                    .removed_at
                    .get(&key)
                    .is_some_and(|blocks| blocks.contains(&block))
        })
    }

    /// Whether `found`, the line next to a run of candidate `cand` (above it when `upwards`),
    /// is the nearest line of another edit that replaced `recorded`, the line `cand`'s edit sat
    /// next to on that side: the later edit's line now stands where that one stood. And
    /// whether such an edit recorded `edge`, the run's line on that side, as the line it sat
    /// next to: the run's line was there when that edit was made.
    fn replaced_neighbour(
        &self,
        cand: usize,
        recorded: Option<LineKey>,
        found: Option<LineKey>,
        upwards: bool,
        edge: LineKey,
    ) -> [bool; 2] {
        let (Some(recorded), Some(found)) = (recorded, found) else {
            return [false, false];
        };
        let mut replacers = self
            .replacers
            .get(&recorded)
            .into_iter()
            .flatten()
            .filter(|&&other| {
                let o = &self.cands[other];
                let nearest = match upwards {
                    true => o.lines.non_trivial().last(),
                    false => o.lines.non_trivial().next(),
                };
                other != cand && nearest.is_some_and(|i| o.lines.lines[i].key == found)
            });
        let Some(&first) = replacers.next() else {
            return [false, false];
        };
        let vouches = |other: usize| {
            let o = &self.cands[other];
            Some(edge) == if upwards { o.below } else { o.anchor }
        };
        [true, vouches(first) || replacers.any(|&other| vouches(other))]
    }

    /// Whether a non-trivial line next to the block's non-trivial line `pos` (a line of the
    /// edit's, its line `line`) is the edit's line next to it there, edited: the person changed
    /// that line, the edit is not undone.
    fn edited_beside(&self, cand: usize, block: usize, pos: usize, line: usize) -> bool {
        let c = &self.cands[cand];
        let nt = &self.block_nt[block];
        let edited = |entry_line: Option<usize>, added: Option<&usize>| match (entry_line, added) {
            (Some(i), Some(&a)) => {
                let (old, new) = (&c.lines.lines[i], &self.added[a]);
                old.key != new.key && resemblance(old.text, new.text) >= MODIFIED_SIMILARITY
            }
            _ => false,
        };
        let (before, after) = (c.lines.non_trivial_before(line), c.lines.non_trivial_after(line));
        edited(before, pos.checked_sub(1).and_then(|p| nt.get(p))) || edited(after, nt.get(pos + 1))
    }

    /// How far the lines above the block's non-trivial line `pos` (the edit's line `line`, not
    /// its first) agree with what the edit wrote above that line, out to the line it sat below
    /// and beyond, when they agree at least that far: the edit's own lines sit right above the
    /// run as written (git may show some unchanged: lines the edit kept).
    fn written_above(&self, cand: usize, block: usize, pos: usize, line: usize) -> Option<usize> {
        let c = &self.cands[cand];
        let before: Vec<usize> = (0..line)
            .rev()
            .filter(|&i| !c.lines.lines[i].trivial)
            .take(MAX_EDITED_WHOLE + 1)
            .collect();
        if before.is_empty() || before.len() > MAX_EDITED_WHOLE || c.anchor.is_none() {
            return None;
        }
        let (mut up, _) = self.seen_sides(block, pos..pos + 1);
        let written = before.iter().map(|&i| Some(short_key(&c.lines.lines[i].key)));
        let kept = written.take_while(|&k| up.next() == Some(k)).count();
        let farther = agreeing(c.anchor, &c.farther_above, up);
        (kept == before.len() && farther > 0).then_some(kept + farther)
    }

    /// Whether `block` sits where candidate `cand`'s edit was made: between the same lines
    /// (at the top of the file, for an edit that had none above). Both sides must agree where
    /// known, and at least one must be known.
    fn at_place(&self, cand: usize, block: usize) -> bool {
        let c = &self.cands[cand];
        let above = match (c.anchor, self.block_before[block]) {
            (Some(a), Some(b)) => a == b,
            // Only blank or punctuation lines above it, as far as the top: the top too.
            (None, before) => c.below.is_some() && before.is_none() && self.block_shows[block][0],
            (Some(_), None) => false,
        };
        let below = match (c.below, self.block_after[block]) {
            (Some(a), Some(b)) => a == b,
            (None, after) => after.is_none(),
            (Some(_), None) => true,
        };
        above && below
    }

    /// Whether `block` sits at candidate `cand`'s place as later edits left it: one side is
    /// the line the edit sat next to, the other a line of another edit made at that same side
    /// (inserted there after it, between the edit and the line it was recorded next to).
    /// A later edit may also have replaced the very line the edit sat next to: its lines are
    /// there now.
    fn at_shifted_place(&self, cand: usize, block: usize) -> bool {
        let (before, after) = (self.added_line_above(block), self.added_line_below(block));
        let by_other =
            |line: Option<usize>, side: fn(&Candidate<'_>) -> Option<LineKey>, key: Option<LineKey>| {
                let Some(key) = key else { return false };
                line.and_then(|l| self.added[l].claim)
                    .is_some_and(|(other, _, _)| {
                        let o = &self.cands[other];
                        other != cand && (side(o) == Some(key) || o.replaced.contains(&key))
                    })
            };
        let c = &self.cands[cand];
        let [above_kept, below_kept] = self.sides_kept(cand, block);
        (above_kept && by_other(after, |o| o.below, c.below))
            || (below_kept && by_other(before, |o| o.anchor, c.anchor))
    }

    /// Whether `block` sits one line over from candidate `cand`'s place, where its one line
    /// reads as made when it is like a line it sat next to ([`Candidate::slides`]): the
    /// adapter's diff put `A` below an `A`, and the AI wrote it above. Up: between the line
    /// beyond the anchor and the anchor; down: between the line below and the one beyond.
    fn at_slid_place(&self, cand: usize, block: usize) -> bool {
        let c = &self.cands[cand];
        let mut nt = c.lines.non_trivial();
        let (Some(line), None) = (nt.next(), nt.next()) else {
            return false;
        };
        let short = |key: Option<LineKey>| key.map(|k| short_key(&k));
        let [up, down] = c.slides(line);
        let (before, after) = (self.block_before[block], self.block_after[block]);
        (up && after == c.anchor && short(before) == c.farther_above.first().copied() && before.is_some())
            || (down
                && before == c.below
                && short(after) == c.farther_below.first().copied()
                && after.is_some())
    }

    /// The added line (index into `added`) that is the nearest non-trivial line above `block`,
    /// when it is one: a few lines up, in an earlier block.
    fn added_line_above(&self, block: usize) -> Option<usize> {
        let line = self.nt_around[block][0]?;
        let added = &self.added[line];
        let near = self.block_start[block].saturating_sub(added.line) <= 4;
        (near && Some(added.key) == self.block_before[block]).then_some(line)
    }

    /// The added line a few lines above `block` whose edit goes on, down to the block, with a
    /// line it kept from what it replaced (optional): git's diff shows that line unchanged, and
    /// the block holds what the edit wrote after it.
    fn kept_line_above(&self, block: usize) -> Option<usize> {
        let line = self.nt_around[block][0]?;
        let (cand, entry_line, _) = self.added[line].claim?;
        let c = &self.cands[cand];
        let next = c.lines.non_trivial_after(entry_line)?;
        let near = self.block_start[block].saturating_sub(self.added[line].line) <= 4;
        let kept = c.lines.lines[next].optional && Some(c.lines.lines[next].key) == self.block_before[block];
        (near && kept).then_some(line)
    }

    /// The added line that is the nearest non-trivial line below `block`, when it is one.
    fn added_line_below(&self, block: usize) -> Option<usize> {
        let line = self.nt_around[block][1]?;
        let added = &self.added[line];
        let end = self.block_start[block] + self.block_len[block];
        (added.line <= end + 4 && Some(added.key) == self.block_after[block]).then_some(line)
    }

    /// Per block, the candidates whose place it is, as the claims so far show it: between the
    /// lines the edit sat between (or later edits made there), or next to one of them where
    /// the diff removed a line the edit replaced (a person changed the other). Of several
    /// such blocks, the one alone in removing what the edit replaced is the edit's.
    fn places(&self) -> Places {
        let mut at: Vec<Vec<usize>> = vec![Vec::new(); self.block_nt.len()];
        let mut pinned = vec![false; self.cands.len()];
        let mut depth = vec![0; self.cands.len()];
        for (cand, pinned) in pinned.iter_mut().enumerate() {
            let placed = |b: usize| {
                self.at_place(cand, b) || self.at_shifted_place(cand, b) || self.at_slid_place(cand, b)
            };
            let mut replacing = self.replacing[cand]
                .iter()
                .filter(|&&b| placed(b) || self.beside_place(cand, b));
            match (replacing.next(), replacing.next()) {
                (Some(&only), None) => {
                    *pinned = true;
                    at[only].push(cand);
                }
                _ => {
                    // Of look-alike places, those that agree farther out are the edit's.
                    let blocks: Vec<(usize, usize)> = (0..self.block_nt.len())
                        .filter(|&b| placed(b))
                        .map(|b| (b, self.depth(cand, b, 0..self.block_nt[b].len())))
                        .collect();
                    let deepest = blocks.iter().map(|&(_, depth)| depth).max().unwrap_or(0);
                    depth[cand] = deepest;
                    for (b, _) in blocks.into_iter().filter(|&(_, depth)| depth == deepest) {
                        at[b].push(cand);
                    }
                }
            }
        }
        Places { at, pinned, depth }
    }

    /// How far the lines around `block`'s non-trivial lines `span` agree with those recorded
    /// around candidate `cand`'s edit: on each side, the lines from the nearest outwards up to
    /// the first that differs. Look-alike places (sibling `except` blocks)
    /// agree at the nearest lines; the edit's own place agrees farther.
    fn depth(&self, cand: usize, block: usize, span: std::ops::Range<usize>) -> usize {
        let [above, below] = self.depths(cand, block, span);
        above + below
    }

    /// [`FileBinder::depth`] per side: above, below.
    fn depths(&self, cand: usize, block: usize, span: std::ops::Range<usize>) -> [usize; 2] {
        let c = &self.cands[cand];
        let (above, below) = self.seen_sides(block, span);
        [
            agreeing(c.anchor, &c.farther_above, above),
            agreeing(c.below, &c.farther_below, below),
        ]
    }

    /// What the diff shows above and below the block's non-trivial lines `span`, nearest first
    /// ([`FileBinder::seen`]).
    fn seen_sides(
        &self,
        block: usize,
        span: std::ops::Range<usize>,
    ) -> (
        impl Iterator<Item = Option<ShortKey>> + '_,
        impl Iterator<Item = Option<ShortKey>> + '_,
    ) {
        let nt = &self.block_nt[block];
        let [top, end] = self.block_shows[block];
        let above = self.seen(
            nt[..span.start].iter().rev(),
            self.block_before[block],
            &self.block_farther_before[block],
            top,
        );
        let below = self.seen(
            nt[span.end..].iter(),
            self.block_after[block],
            &self.block_farther_after[block],
            end,
        );
        (above, below)
    }

    /// What the diff shows on one side of a span, nearest first: the block's lines `near`, the
    /// nearest line outside it and those farther out, then the file's edge when the hunk reaches
    /// it (no line is there). Lazy: a run deep in a block of 1,000 added lines must not walk
    /// them all.
    fn seen<'s>(
        &'s self,
        near: impl Iterator<Item = &'s usize> + 's,
        nearest: Option<LineKey>,
        farther: &'s [ShortKey],
        edge: bool,
    ) -> impl Iterator<Item = Option<ShortKey>> + 's {
        near.map(|&a| Some(short_key(&self.added[a].key)))
            .chain(nearest.map(|k| Some(short_key(&k))))
            .chain(farther.iter().map(|&k| Some(k)))
            .chain(edge.then_some(None))
    }

    /// Whether one side of `block` is a line candidate `cand`'s edit sat next to.
    fn beside_place(&self, cand: usize, block: usize) -> bool {
        self.sides_kept(cand, block).contains(&true)
    }

    /// Which sides of `block` (above, below) are as they were beside candidate `cand`'s edit:
    /// the line it sat next to, or, where it had none (the top or the end of the file), that
    /// edge of the file.
    fn sides_kept(&self, cand: usize, block: usize) -> [bool; 2] {
        let c = &self.cands[cand];
        let [top, end] = self.block_shows[block];
        let kept = |recorded: Option<LineKey>, now: Option<LineKey>, edge: bool| match recorded {
            Some(_) => now == recorded,
            None => edge && now.is_none(),
        };
        [
            kept(c.anchor, self.block_before[block], top),
            kept(c.below, self.block_after[block], end),
        ]
    }

    fn bind(mut self) -> Vec<Claim> {
        let runs = self.find_runs();
        // Per block, the candidates whose place it is.
        let mut places = self.places();
        // Runs at their edit's place (or of an edit whose place is unknown) claim first; then
        // runs next to one of the lines the edit sat between. Runs away from the place wait
        // until the lines at the place are decided: a line the AI wrote there and a person
        // edited is better evidence than an identical line elsewhere (a person's copy of the
        // AI's original).
        let (placed, elsewhere): (Vec<Run>, Vec<Run>) = runs
            .runs
            .into_iter()
            .partition(|r| r.placement != Placement::Elsewhere);
        let (near, first): (Vec<Run>, Vec<Run>) =
            placed.into_iter().partition(|r| r.placement == Placement::Near);
        // A run only next to one of its edit's place lines, of lines another edit replaced
        // exactly where they were written, is a person's copy by a look-alike line.
        let near: Vec<Run> = near
            .into_iter()
            .filter(|r| !self.replaced_exactly(r, &runs.cand_nt))
            .collect();
        // Edited lines next to what the runs at the place claimed are decided before the runs
        // near it claim (a person's copy of the AI's line beside an identical neighbour), and
        // again after (an edited line whose neighbour only a near run gives).
        let first = self.drop_contested(first, &runs.cand_nt, &places);
        self.claim_runs(&first, &runs.cand_nt);
        places = self.places();
        self.claim_modified(&places, true);
        let near = self.drop_contested(near, &runs.cand_nt, &places);
        self.claim_runs(&near, &runs.cand_nt);
        places = self.places();
        self.claim_modified(&places, true);
        // Of the runs elsewhere, those next to another line of their edit go first.
        // In the edit's order (its line above the run is one it wrote before the run's lines),
        // or one line over: an edit's last line like the line it sat below reads as the same
        // edit made above that line (its first, like the line below, as made below it).
        let (beside, apart): (Vec<Run>, Vec<Run>) = elsewhere.into_iter().partition(|r| {
            let nt = &runs.cand_nt[r.cand];
            let (first, last) = (nt[r.start], nt[r.start + r.len - 1]);
            let [slid_up, slid_down] = match r.len {
                1 => self.cands[r.cand].slides(first),
                _ => [false, false],
            };
            let [before, after] = self.neighbours(r.block, r.pos, r.pos + r.len - 1);
            let edits = |n: Option<usize>, in_order: &dyn Fn(usize) -> bool| {
                n.and_then(|n| self.added[n].claim)
                    .is_some_and(|(cand, line, _)| cand == r.cand && in_order(line))
            };
            edits(before, &|line| line < first || slid_down) || edits(after, &|line| line > last || slid_up)
        });
        let beside = self.drop_contested(beside, &runs.cand_nt, &places);
        self.claim_runs(&beside, &runs.cand_nt);
        // A single line away from its edit's place, with nothing else of the edit in this
        // diff, is a line a person typed as likely as the AI's moved one: it claims nothing.
        let claimed: HashSet<usize> = self.added.iter().filter_map(|a| a.claim.map(|c| c.0)).collect();
        // Unless the block is the line alone and the one block that replaced what the edit
        // replaced: that pins it.
        let pinned = |r: &Run| self.block_nt[r.block].len() == 1 && self.replacing[r.cand] == [r.block];
        let apart: Vec<Run> = apart
            .into_iter()
            .filter(|r| self.in_place[r.cand].is_none())
            .filter(|r| {
                (r.len > 1 && !self.rest_undone(r.cand, &runs.cand_nt[r.cand][r.start..r.start + r.len]))
                    || claimed.contains(&r.cand)
                    || pinned(r)
            })
            .filter(|r| !self.replaced_where_written(r, &runs.cand_nt))
            .collect();
        let apart = self.drop_contested(apart, &runs.cand_nt, &places);
        self.claim_runs(&apart, &runs.cand_nt);
        places = self.places();
        self.claim_modified(&places, false);
        self.claim_leftovers(&runs.cand_nt, &runs.positions);
        self.claim_trivial();
        self.drop_slides();
        let cands = &self.cands;
        self.added
            .iter()
            .filter_map(|a| {
                a.claim.map(|(cand, entry_line, modified)| Claim {
                    line: a.line,
                    entry: cands[cand].entry,
                    entry_line,
                    key: cands[cand].lines.lines[entry_line].key,
                    modified,
                })
            })
            .collect()
    }

    /// Whether every line of run `r` is among lines of its edit that another edit replaced
    /// exactly: those lines, in order, between the very lines around them as the edit wrote
    /// them (the edit's place lines at its ends). That edit came later: the lines were gone.
    fn replaced_exactly(&self, r: &Run, cand_nt: &[Vec<usize>]) -> bool {
        let c = &self.cands[r.cand];
        let all: Vec<usize> = c.lines.non_trivial().collect();
        let key = |p: usize| c.lines.lines[all[p]].key;
        // Per line of the edit, whether such a replacement took it.
        let mut gone = vec![false; c.lines.lines.len()];
        for p in 0..all.len() {
            for &other in self.replacers.get(&key(p)).into_iter().flatten() {
                let o = &self.cands[other];
                let end = p + o.replaced.len();
                if other == r.cand || o.replaced.first() != Some(&key(p)) || end > all.len() {
                    continue;
                }
                let above = p.checked_sub(1).map_or(c.anchor, |q| Some(key(q)));
                let below = if end < all.len() { Some(key(end)) } else { c.below };
                if (p..end).map(key).eq(o.replaced.iter().copied())
                    && above.is_some_and(|a| o.anchor == Some(a))
                    && below.is_some_and(|b| o.below == Some(b))
                {
                    all[p..end].iter().for_each(|&i| gone[i] = true);
                }
            }
        }
        cand_nt[r.cand][r.start..r.start + r.len].iter().all(|&i| gone[i])
    }

    /// Whether every line of run `r` is a line another edit replaced or kept where this one
    /// wrote it (next to the line the edit wrote beside it): the AI's line is gone, or is
    /// accounted for there, and a copy of it elsewhere is a person's. Or a line whose very
    /// place (between the lines the edit wrote around it) another edit took, replacing one
    /// line there, whatever that line had become.
    fn replaced_where_written(&self, r: &Run, cand_nt: &[Vec<usize>]) -> bool {
        let c = &self.cands[r.cand];
        let all: Vec<usize> = c.lines.non_trivial().collect();
        let key = |p: usize| Some(c.lines.lines[all[p]].key);
        // The lines the edit wrote around its non-trivial line `at` (its place lines at its ends).
        let around = |at: usize| {
            let above = at.checked_sub(1).map_or(c.anchor, key);
            let below = if at + 1 < all.len() { key(at + 1) } else { c.below };
            (above, below)
        };
        // Of lines alike, which one was replaced does not matter: the edit has one fewer.
        let replaced_at = |at: usize, others: &[usize]| {
            let (above, below) = around(at);
            others.iter().any(|&other| {
                let o = &self.cands[other];
                other != r.cand
                    && ((above.is_some() && o.anchor == above) || (below.is_some() && o.below == below))
            })
        };
        let taken_at = |at: usize| {
            let (above, below) = around(at);
            above.is_some()
                && below.is_some()
                && self.cands.iter().enumerate().any(|(other, o)| {
                    other != r.cand && o.anchor == above && o.below == below && o.replaced.len() == 1
                })
        };
        cand_nt[r.cand][r.start..r.start + r.len].iter().all(|&i| {
            let line_key = c.lines.lines[i].key;
            if all.iter().position(|&j| j == i).is_some_and(taken_at) {
                return true;
            }
            let others: Vec<usize> = [&self.replacers, &self.keepers]
                .iter()
                .filter_map(|index| index.get(&line_key))
                .flatten()
                .copied()
                .collect();
            (0..all.len()).any(|at| key(at) == Some(line_key) && replaced_at(at, &others))
        })
    }

    /// Whether `run` (consecutive unused non-trivial lines of candidate `cand`'s edit, as
    /// runs hold them) is a piece of the edit whose other lines are nowhere in this diff: an
    /// edit undone, whose middle lines a person happened to type somewhere else.
    fn rest_undone(&self, cand: usize, run: &[usize]) -> bool {
        let c = &self.cands[cand];
        let (Some(&first), Some(&last)) = (run.first(), run.last()) else {
            return false;
        };
        let has_rest = c.lines.required().any(|i| (i < first || i > last) && !c.used[i]);
        let own: Vec<LineKey> = run.iter().map(|&i| c.lines.lines[i].key).collect();
        has_rest && self.rest_absent(cand, (first, last), &own)
    }

    /// Whether the lines candidate `cand`'s edit still needs outside its lines `span` (first,
    /// last) are nowhere among the added lines. A line like one of `own` (the lines found) is
    /// not found by finding those.
    fn rest_absent(&self, cand: usize, (first, last): (usize, usize), own: &[LineKey]) -> bool {
        let c = &self.cands[cand];
        c.lines
            .required()
            .filter(|&i| (i < first || i > last) && !c.used[i])
            .map(|i| &c.lines.lines[i].key)
            .all(|key| own.contains(key) || !self.added_keys.contains(key))
    }

    /// An edit whose last line is the line above its place (or whose first, the line below)
    /// reads, by text, as the same edit one line over: inserting `B`, `A` below an `A` is
    /// inserting `A`, `B` above it. Where the copy it could slide onto is new in this diff too,
    /// and nobody's edit, which of the two is the edit's cannot be told: that line of the edit
    /// claims neither (a line missed, never a person's shown as AI).
    fn drop_slides(&mut self) {
        let next_to = |a: usize, b: usize| {
            self.added[a].block == self.added[b].block && self.added[a].line.abs_diff(self.added[b].line) == 1
        };
        let mut ambiguous = Vec::new();
        for a in 0..self.added.len() {
            // A line a person edited is no copy to slide onto (claims refuse one like the
            // neighbours).
            let Some((cand, k, false)) = self.added[a].claim else {
                continue;
            };
            let c = &self.cands[cand];
            let key = Some(self.added[a].key);
            let last = c.lines.lines.len() - 1;
            // The edit's line at its other end, in the same block as `a` (later edits may have
            // replaced lines between), then the line beyond it.
            let beyond = |upwards: bool, end: usize| -> Option<usize> {
                let block = self.added[a].block;
                let is_end = |i: &usize| {
                    self.added[*i]
                        .claim
                        .is_some_and(|(o, line, _)| o == cand && line == end)
                };
                let at = match (end == k, upwards) {
                    (true, _) => a,
                    (false, true) => (0..a)
                        .rev()
                        .take_while(|&i| self.added[i].block == block)
                        .find(is_end)?,
                    (false, false) => (a + 1..self.added.len())
                        .take_while(|&i| self.added[i].block == block)
                        .find(is_end)?,
                };
                let beyond = if upwards { at.checked_sub(1)? } else { at + 1 };
                (beyond < self.added.len() && next_to(at, beyond)).then_some(beyond)
            };
            let copy = match c.slides(k) {
                [true, _] => beyond(true, 0),
                [_, true] => beyond(false, last),
                _ => None,
            };
            if copy.is_some_and(|b| self.added[b].claim.is_none() && Some(self.added[b].key) == key) {
                ambiguous.push(a);
            }
        }
        for a in ambiguous {
            if let Some((cand, k, _)) = self.added[a].claim.take() {
                self.cands[cand].used[k] = false;
            }
        }
    }

    fn claim(&mut self, added: usize, cand: usize, entry_line: usize, modified: bool) -> bool {
        if self.added[added].claim.is_some() || self.cands[cand].used[entry_line] {
            return false;
        }
        // A line the edit replaced, back, is the edit undone; a line it sat between was never
        // its own. Neither is its line edited, however alike.
        let c = &self.cands[cand];
        let key = Some(self.added[added].key);
        if modified && (key == c.anchor || key == c.below || c.replaced.contains(&self.added[added].key)) {
            return false;
        }
        self.added[added].claim = Some((cand, entry_line, modified));
        self.cands[cand].used[entry_line] = true;
        true
    }

    /// Every run of each candidate's unused non-trivial lines in the blocks, best first.
    fn find_runs(&self) -> Runs {
        let mut positions: HashMap<LineKey, Vec<(usize, usize)>> =
            HashMap::with_capacity_and_hasher(self.added.len(), Default::default());
        for (block, nt) in self.block_nt.iter().enumerate() {
            for (pos, &a) in nt.iter().enumerate() {
                positions.entry(self.added[a].key).or_default().push((block, pos));
            }
        }
        let key_at = |block: usize, pos: usize| self.added[self.block_nt[block][pos]].key;

        let mut runs = Vec::new();
        let mut cand_nt: Vec<Vec<usize>> = Vec::with_capacity(self.cands.len());
        for (cand, c) in self.cands.iter().enumerate() {
            let nt: Vec<usize> = c.lines.non_trivial().filter(|&i| !c.used[i]).collect();
            let key = |i: usize| c.lines.lines[nt[i]].key;
            // Where a run cut at MAX_RUN goes on: a run of its own starts there, so an edit
            // longer than the cap keeps the longest-run guarantee all the way.
            let mut resume: HashSet<(usize, usize, usize)> = HashSet::default();
            for start in 0..nt.len() {
                let found = positions
                    .get(&key(start))
                    .map_or(&[][..], |p| &p[..p.len().min(MAX_POSITIONS)]);
                for &(block, pos) in found {
                    let continues_earlier_run =
                        start > 0 && pos > 0 && key(start - 1) == key_at(block, pos - 1);
                    if continues_earlier_run && !resume.contains(&(start, block, pos)) {
                        continue;
                    }
                    let block_len = self.block_nt[block].len();
                    let mut len = 1;
                    while len < MAX_RUN
                        && start + len < nt.len()
                        && pos + len < block_len
                        && key(start + len) == key_at(block, pos + len)
                    {
                        len += 1;
                    }
                    if len == MAX_RUN {
                        resume.insert((start + len, block, pos + len));
                    }
                    // Lines the edit only kept bind along with lines it changed, never alone.
                    if (start..start + len).all(|k| c.lines.lines[nt[k]].optional) {
                        continue;
                    }
                    let [above, below] = self.around(block, pos, pos + len - 1);
                    let mut depths = self.depths(cand, block, pos..pos + len);
                    let written = self.written_above(cand, block, pos, nt[start]);
                    if let Some(written) = written {
                        depths[0] = depths[0].max(written);
                    }
                    runs.push(Run {
                        len,
                        placement: self.placement(
                            cand,
                            (block, pos),
                            (nt[start], nt[start + len - 1]),
                            [above, below],
                            (depths, written.is_some()),
                        ),
                        depth: depths[0] + depths[1],
                        cand,
                        start,
                        block,
                        pos,
                    });
                }
            }
            cand_nt.push(nt);
        }
        let mut runs = Self::out_of_order(runs, &cand_nt);
        // Longest runs first; then runs where the edit was made, then those of edits whose
        // place is unknown; then newer entries (candidates are newest first); then file order.
        runs.sort_by(|a, b| b.cmp(a));
        let runs = self.without_ties(runs, &cand_nt);
        Runs {
            runs,
            cand_nt,
            positions,
        }
    }

    /// `runs`, with those that sit right below a run of two or more of the same edit's later
    /// lines (or right above one of its earlier lines) placed `Elsewhere`: the edit's own lines
    /// beside them say they are out of its order, whatever the lines beyond say (an edit's
    /// last line like the line it sat below makes its own end a look-alike of its place).
    fn out_of_order(mut runs: Vec<Run>, cand_nt: &[Vec<usize>]) -> Vec<Run> {
        let span = |r: &Run| (cand_nt[r.cand][r.start], cand_nt[r.cand][r.start + r.len - 1]);
        // Per (candidate, block, position): the latest first edit line of the longer runs
        // ending right above it, and the earliest last line of those starting right below.
        let mut first_below_end: HashMap<(usize, usize, usize), usize> = HashMap::default();
        let mut last_above_start: HashMap<(usize, usize, usize), usize> = HashMap::default();
        for r in runs.iter().filter(|r| r.len >= 2) {
            let (first, last) = span(r);
            let latest = first_below_end
                .entry((r.cand, r.block, r.pos + r.len))
                .or_insert(first);
            *latest = (*latest).max(first);
            if let Some(before) = r.pos.checked_sub(1) {
                let earliest = last_above_start.entry((r.cand, r.block, before)).or_insert(last);
                *earliest = (*earliest).min(last);
            }
        }
        for r in &mut runs {
            let (first, last) = span(r);
            let later_above = first_below_end
                .get(&(r.cand, r.block, r.pos))
                .is_some_and(|&f| f > last);
            let earlier_below = last_above_start
                .get(&(r.cand, r.block, r.pos + r.len - 1))
                .is_some_and(|&l| l < first);
            if later_above || earlier_below {
                r.placement = Placement::Elsewhere;
            }
        }
        runs
    }

    /// `runs` less the single lines that only file order would decide: an edit's line found
    /// at more equally good places (look-alike code, each as like the edit's place) than the
    /// edits have unused lines of that text. Which copy is the AI's and which a person's cannot
    /// be told, so no run claims any copy of it.
    fn without_ties(&self, runs: Vec<Run>, cand_nt: &[Vec<usize>]) -> Vec<Run> {
        let key_of = |r: &Run| self.cands[r.cand].lines.lines[cand_nt[r.cand][r.start]].key;
        // Per candidate and key: its best placement (and depth), and where (block, position)
        // single lines sit there.
        type AtBest = ((Placement, usize), HashSet<(usize, usize)>);
        let mut best: HashMap<(usize, LineKey), AtBest> = HashMap::default();
        for run in runs.iter().filter(|r| r.len == 1) {
            let rank = (run.placement, run.depth);
            let (placement, at) = best
                .entry((run.cand, key_of(run)))
                .or_insert((rank, HashSet::default()));
            if rank > *placement {
                *placement = rank;
                at.clear();
            }
            if rank == *placement {
                at.insert((run.block, run.pos));
            }
        }
        // Per key, the unused lines of that text over all candidates.
        let mut lines: HashMap<LineKey, usize> = HashMap::default();
        for (cand, nt) in cand_nt.iter().enumerate() {
            for &i in nt {
                *lines.entry(self.cands[cand].lines.lines[i].key).or_default() += 1;
            }
        }
        runs.into_iter()
            .filter(|r| {
                // A tie at the best places leaves the worse ones no better.
                r.len > 1 || {
                    let key = key_of(r);
                    best[&(r.cand, key)].1.len() <= lines[&key]
                }
            })
            .collect()
    }

    /// Claims `runs`, best first. A run some of whose lines an earlier run took (on either
    /// side) is not claimed whole: what is left of it goes back in line as shorter runs, ranked
    /// by their own length, so a fragment of a person's copy does not outrank the AI's own line.
    fn claim_runs(&mut self, runs: &[Run], cand_nt: &[Vec<usize>]) {
        let mut queue: BinaryHeap<Run> = runs.iter().copied().collect();
        while let Some(run) = queue.pop() {
            let free = |k: usize| {
                self.added[self.block_nt[run.block][run.pos + k]].claim.is_none()
                    && !self.cands[run.cand].used[cand_nt[run.cand][run.start + k]]
            };
            let taken: Vec<bool> = (0..run.len).map(|k| !free(k)).collect();
            if !taken.contains(&true) {
                for k in 0..run.len {
                    let added = self.block_nt[run.block][run.pos + k];
                    let entry_line = cand_nt[run.cand][run.start + k];
                    self.claim(added, run.cand, entry_line, false);
                }
                continue;
            }
            let mut k = 0;
            while k < run.len {
                if taken[k] {
                    k += 1;
                    continue;
                }
                let len = taken[k..].iter().position(|&t| t).unwrap_or(run.len - k);
                // A fragment of lines the edit only kept cannot claim alone.
                let lines = &self.cands[run.cand].lines.lines;
                if !(k..k + len).all(|i| lines[cand_nt[run.cand][run.start + i]].optional) {
                    queue.push(Run {
                        len,
                        start: run.start + k,
                        pos: run.pos + k,
                        ..run
                    });
                }
                k += len;
            }
        }
    }

    /// Lines of keys too common for the run search (more than [`MAX_POSITIONS`] copies) take
    /// the first free copy, in file order.
    fn claim_leftovers(&mut self, cand_nt: &[Vec<usize>], positions: &HashMap<LineKey, Vec<(usize, usize)>>) {
        let mut cursor: HashMap<LineKey, usize> = HashMap::default();
        for (cand, nt) in cand_nt.iter().enumerate() {
            for &entry_line in nt {
                if self.cands[cand].used[entry_line] || self.cands[cand].lines.lines[entry_line].optional {
                    continue;
                }
                let key = self.cands[cand].lines.lines[entry_line].key;
                let Some(list) = positions.get(&key).filter(|l| l.len() > MAX_POSITIONS) else {
                    continue;
                };
                let next = cursor.entry(key).or_default();
                while let Some(&(block, pos)) = list.get(*next) {
                    *next += 1;
                    if self.claim(self.block_nt[block][pos], cand, entry_line, false) {
                        break;
                    }
                }
            }
        }
    }

    /// `runs`, less the single lines of an edit found verbatim at a place like the edit's while
    /// another block at such a place holds a line like it, edited. When that block's
    /// surroundings agree farther with the edit's ([`FileBinder::depth`]), it is the edit's
    /// place and the verbatim copy a person's: the run is left out, and the edited line is the
    /// AI's. Otherwise which is the AI's cannot be told, so neither is claimed: the line counts
    /// as taken.
    fn drop_contested(&mut self, runs: Vec<Run>, cand_nt: &[Vec<usize>], places: &Places) -> Vec<Run> {
        let at_place = &places.at;
        let mut kept = Vec::with_capacity(runs.len());
        // Per key, the edits with an unused line of that text: a verbatim line of another
        // edit is that edit's, no edited copy of this one's.
        let mut unused: HashMap<LineKey, Vec<usize>> = HashMap::default();
        if runs.iter().any(|r| r.len == 1) {
            for (cand, c) in self.cands.iter().enumerate() {
                for i in c.lines.required().filter(|&i| !c.used[i]) {
                    unused.entry(c.lines.lines[i].key).or_default().push(cand);
                }
            }
        }
        let others_line =
            |key: &LineKey, cand: usize| unused.get(key).is_some_and(|cs| cs.iter().any(|&o| o != cand));
        for run in runs {
            if run.len > 1 {
                kept.push(run);
                continue;
            }
            let entry_line = cand_nt[run.cand][run.start];
            let text = self.cands[run.cand].lines.lines[entry_line].text;
            // A line of the edit's own text is no edited copy: another block holding the edit's
            // lines verbatim is the edit's place, not a look-alike of it.
            let own: HashSet<LineKey> = self.cands[run.cand].lines.lines.iter().map(|l| l.key).collect();
            let contested = (0..self.block_nt.len())
                .filter(|&b| b != run.block && at_place[b].contains(&run.cand))
                .flat_map(|b| &self.block_nt[b])
                .any(|&a| {
                    let added = &self.added[a];
                    if added.claim.is_some() || own.contains(&added.key) || others_line(&added.key, run.cand)
                    {
                        return false;
                    }
                    let score = similarity(text, added.text);
                    score >= MODIFIED_SIMILARITY && !self.better_explained(a, run.cand, score)
                });
            match contested {
                false => kept.push(run),
                true if run.depth < places.depth[run.cand] => {}
                true => self.cands[run.cand].used[entry_line] = true,
            }
        }
        kept
    }

    /// Whether added line `a` is more like an unused line of another edit made at its block's
    /// place than like `cand`'s line (`score`): it is that edit's line, edited, and says nothing
    /// against `cand`'s verbatim copy elsewhere.
    fn better_explained(&self, a: usize, cand: usize, score: f32) -> bool {
        let block = self.added[a].block;
        self.cands.iter().enumerate().any(|(other, c)| {
            other != cand
                && self.at_place(other, block)
                && c.lines
                    .required()
                    .any(|i| !c.used[i] && similarity(c.lines.lines[i].text, self.added[a].text) > score)
        })
    }

    /// `places`: per block, the candidates whose place it is (an edit owns the block where
    /// it was made: a short edit a person changed has no verbatim line left to show it, but its
    /// place does).
    ///
    /// `copies_wait`: while runs may still claim, a line of the edit with a verbatim copy
    /// unclaimed in the diff is not given to a block by place alone. The last pass, after every
    /// run, gives it: a copy no run took is a person's.
    fn claim_modified(&mut self, places: &Places, copies_wait: bool) {
        let (at_place, pinned, depth) = (&places.at, &places.pinned, &places.depth);
        for cand in 0..self.cands.len() {
            if let Some((a, line)) = self.in_place[cand] {
                self.claim(a, cand, line, true);
            }
        }
        // A line identical to an unused line of a candidate is that line's to take, verbatim.
        let verbatim: HashSet<LineKey> = self
            .cands
            .iter()
            .flat_map(|c| {
                c.lines
                    .non_trivial()
                    .filter(|&i| !c.used[i])
                    .map(|i| c.lines.lines[i].key)
            })
            .collect();
        // How many blocks sit at each candidate's place with a line still unclaimed: where
        // several do (look-alike code), the place tells nothing. A block other edits' runs took
        // whole is theirs, not a look-alike.
        let mut places = vec![0usize; self.cands.len()];
        for (block, cands) in at_place.iter().enumerate() {
            if self.block_nt[block]
                .iter()
                .all(|&a| self.added[a].claim.is_some())
            {
                continue;
            }
            for &c in cands {
                places[c] += 1;
            }
        }
        // A line inside a bigger block, between the very lines an edit sat between, is one
        // more look-alike place (a person's block may hold a copy of the edit's surroundings).
        let mut inner: HashMap<(LineKey, LineKey), Vec<(usize, usize)>> = HashMap::default();
        for (block, nt) in self.block_nt.iter().enumerate() {
            for pos in 0..nt.len() {
                if self.added[nt[pos]].claim.is_some() {
                    continue;
                }
                let key_at = |p: usize| self.added[nt[p]].key;
                let above = if pos == 0 { None } else { Some(key_at(pos - 1)) };
                let below = if pos + 1 == nt.len() {
                    None
                } else {
                    Some(key_at(pos + 1))
                };
                // Lines at a block's edge are counted with the block (`at_place`).
                if let (Some(above), Some(below)) = (above, below) {
                    inner.entry((above, below)).or_default().push((block, pos));
                }
            }
        }
        // Per added line inside a block, the candidates whose one place it is: the block holds
        // more than their edit (a person's bigger rewrite around the edit's line).
        let mut inside: HashMap<usize, Vec<usize>> = HashMap::default();
        // Candidates whose blocks an inner place outranks (it agrees farther out).
        let mut outranked: HashSet<usize> = HashSet::default();
        for (c, cand) in self.cands.iter().enumerate() {
            if pinned[c] {
                continue;
            }
            let (Some(above), Some(below)) = (cand.anchor, cand.below) else {
                continue;
            };
            // Only as good a place as the edit's blocks: as deep; the deepest of them all is
            // the edit's.
            // Beyond a few look-alike places, none says anything (and each costs a walk).
            let inner_places = inner.get(&(above, below)).filter(|at| at.len() <= MAX_POSITIONS);
            let at: Vec<((usize, usize), usize)> = inner_places.map_or(Vec::new(), |at| {
                at.iter()
                    .map(|&(block, pos)| ((block, pos), self.depth(c, block, pos..pos + 1)))
                    .filter(|&(_, d)| depth[c] == 0 || d >= depth[c])
                    .collect()
            });
            let deepest = at.iter().map(|&(_, d)| d).max().unwrap_or(0);
            if deepest > depth[c] {
                outranked.insert(c);
                places[c] = 0;
            }
            let at: Vec<(usize, usize)> = at
                .into_iter()
                .filter(|&(_, d)| d == deepest)
                .map(|(p, _)| p)
                .collect();
            if let ([(block, pos)], 0) = (&at[..], places[c]) {
                inside.entry(self.block_nt[*block][*pos]).or_default().push(c);
            }
            places[c] += at.len();
        }
        // By place alone, an edit with no line claimed anywhere is the edit at its place only
        // when every line of it is there, edited: one line alike among several of the edit's
        // gone is a person's line where an edit was undone.
        let mut budget = MODIFIED_COMPARISON_BUDGET;
        let mut by_place_alone: HashSet<(usize, usize)> = HashSet::default();
        for (block, cands) in at_place.iter().enumerate() {
            for &c in cands {
                if self.edited_whole(c, block, &mut budget) {
                    by_place_alone.insert((c, block));
                }
            }
        }
        for (&a, cands) in &inside {
            for &c in cands {
                if self.edited_whole(c, self.added[a].block, &mut budget) {
                    by_place_alone.insert((c, self.added[a].block));
                }
            }
        }
        // Keys of the added lines no one has claimed yet.
        let waiting: HashSet<LineKey> = self
            .added
            .iter()
            .filter(|a| copies_wait && !a.trivial && a.claim.is_none())
            .map(|a| a.key)
            .collect();
        // Down the blocks, then up: a run of edited lines joins its edit from either end.
        let order: Vec<(usize, usize)> = self
            .block_nt
            .iter()
            .enumerate()
            .flat_map(|(block, nt)| (0..nt.len()).map(move |pos| (block, pos)))
            .collect();
        for downwards in [true, false] {
            let mut visit = order.clone();
            if !downwards {
                visit.reverse();
            }
            for (block, pos) in visit {
                let a = self.block_nt[block][pos];
                if self.added[a].claim.is_some() || verbatim.contains(&self.added[a].key) {
                    continue;
                }
                // Only an edit with a line right next to it, or whose place this block is: a
                // similar line anywhere else is more likely a person's own, and claiming it
                // would steal the edit's line.
                // The block at an edit's place is the edit's only when it is the one block there,
                // and no bigger than what is left of the edit (and a line): a person's larger
                // rewrite there is theirs.
                let room = |c: usize| {
                    let c = &self.cands[c];
                    c.lines.required().filter(|&i| !c.used[i]).count() + 1
                };
                // An edited line keeps its order among its edit's lines: below the edit's line
                // `k`, it is one of the lines after `k`; above it, one of those before.
                let mut beside: Vec<(usize, Between)> = Vec::new();
                let [above, below] = self.neighbours(block, pos, pos);
                for (n, is_above) in [(above, true), (below, false)] {
                    let Some((cand, k, _)) = n.and_then(|n| self.added[n].claim) else {
                        continue;
                    };
                    let between = match beside.iter_mut().find(|(c, _)| *c == cand) {
                        Some((_, between)) => between,
                        None => {
                            beside.push((cand, Between::ANYWHERE));
                            &mut beside.last_mut().expect("pushed").1
                        }
                    };
                    match is_above {
                        true => between.after = Some(k),
                        false => between.before = Some(k),
                    }
                }
                let placed: Vec<(usize, Between)> = at_place[block]
                    .iter()
                    .copied()
                    .filter(|&c| {
                        self.block_nt[block].len() <= room(c)
                            && places[c] == 1
                            && !outranked.contains(&c)
                            && by_place_alone.contains(&(c, block))
                    })
                    .map(|c| (c, Between::ANYWHERE))
                    .collect();
                // A bigger block at the place (a person's code around the edit's line): only
                // its first and last lines, next to the lines the edit sat between, and only
                // a line that keeps the edit's line whole.
                let nt_len = self.block_nt[block].len();
                let at_edge: Vec<usize> = match pos == 0 || pos + 1 == nt_len {
                    true => at_place[block]
                        .iter()
                        .copied()
                        .filter(|&c| {
                            nt_len > room(c)
                                && places[c] == 1
                                && !outranked.contains(&c)
                                && by_place_alone.contains(&(c, block))
                        })
                        .collect(),
                    false => Vec::new(),
                };
                let placed_inside: Vec<(usize, Between)> = inside
                    .get(&a)
                    .into_iter()
                    .flatten()
                    .filter(|&&c| by_place_alone.contains(&(c, block)))
                    .map(|&c| (c, Between::ANYWHERE))
                    .collect();
                // By place alone, only lines of the edit that have no verbatim copy waiting in
                // the diff: the AI's own line, still there, is better evidence than its place.
                let found = self
                    .sandwiched(block, pos)
                    .or_else(|| self.extended_in_place(block, pos))
                    .or_else(|| self.most_similar(a, &beside, None, &mut budget))
                    .or_else(|| self.most_similar(a, &placed, Some(&waiting), &mut budget))
                    .or_else(|| self.extended_punctuation(a, &placed))
                    .or_else(|| self.most_similar(a, &placed_inside, Some(&waiting), &mut budget))
                    .or_else(|| self.extended_at_edge(a, &at_edge, &waiting))
                    .or_else(|| self.beside_removed_neighbour(block, &waiting))
                    .or_else(|| self.recorded_beside(block, pos, &waiting, &mut budget));
                if let Some((cand, entry_line)) = found {
                    self.claim(a, cand, entry_line, true);
                }
            }
        }
    }

    /// The line of an edit that added line `a` extends: a person appended to it (a comment), so
    /// a line of punctuation (`)`, `"""`, `*,`) is no longer trivial, and a short line no longer
    /// similar enough. `a` must sit exactly where that line is, counted from the nearest
    /// non-trivial line above or below it in the block, claimed by the edit, with the edit's
    /// lines between (blank or punctuation) the diff's, line for line. Text alone says little
    /// for a short line; its exact place does.
    fn extended_in_place(&self, block: usize, pos: usize) -> Option<(usize, usize)> {
        let a = self.block_nt[block][pos];
        for (neighbour, upwards) in self.neighbours(block, pos, pos).into_iter().zip([true, false]) {
            let Some(other) = neighbour.filter(|&o| self.added[o].block == block) else {
                continue;
            };
            let Some((cand, k, _)) = self.added[other].claim else {
                continue;
            };
            // The edit's line where `a` sits, `n` lines from the edit's line `k`; between them,
            // blank or punctuation lines, in the block as in the edit.
            let c = &self.cands[cand];
            let n = a.abs_diff(other);
            let at = |m: usize| match upwards {
                true => k.checked_add(m),
                false => k.checked_sub(m),
            };
            let Some(line) = at(n).filter(|&line| line < c.lines.lines.len()) else {
                continue;
            };
            let added_at = |m: usize| if upwards { other + m } else { other - m };
            let between_match = (1..n).all(|m| {
                at(m).is_some_and(|entry_line| c.lines.lines[entry_line].key == self.added[added_at(m)].key)
            });
            if between_match && !c.used[line] && extends(c.lines.lines[line].text, self.added[a].text) {
                return Some((cand, line));
            }
        }
        None
    }

    /// The edit line that added line `pos` of `block` replaces, when the lines on both sides
    /// of it are one edit's, with exactly one unused line of that edit between them, and the
    /// added line keeps that line's text (a person appended a comment, changed a value). The
    /// place is exact, so a line extended beyond [`MODIFIED_SIMILARITY`] still counts.
    fn sandwiched(&self, block: usize, pos: usize) -> Option<(usize, usize)> {
        let [Some(before), Some(after)] = self.neighbours(block, pos, pos) else {
            return None;
        };
        let (Some((cand, first, _)), Some((other, last, _))) =
            (self.added[before].claim, self.added[after].claim)
        else {
            return None;
        };
        let c = &self.cands[cand];
        let mut between = c.lines.non_trivial().filter(|&i| first < i && i < last);
        let (Some(line), None) = (between.next(), between.next()) else {
            return None;
        };
        let old = &c.lines.lines[line];
        let new = self.added[self.block_nt[block][pos]].text;
        (other == cand && !c.used[line] && !old.optional && kept(old.text, new)).then_some((cand, line))
    }

    /// The one-line edit whose line `block`, a block of one line, keeps (a person changed it a
    /// little), when the block sits next to one line the edit sat next to and its own diff,
    /// alone, removed the other (a person deleted the line the AI wrote beside). One such edit
    /// only, and none whose line has a verbatim copy waiting (`waiting`). Nothing looser: an
    /// undone edit's place where a person then rewrote the neighbour line looks the same, so
    /// a bigger block, or a line changed more, stays a person's.
    fn beside_removed_neighbour(&self, block: usize, waiting: &HashSet<LineKey>) -> Option<(usize, usize)> {
        let [a] = self.block_nt[block][..] else {
            return None;
        };
        // Removed here and nowhere else in the diff.
        let removed_here = |key: Option<LineKey>| {
            key.and_then(|k| self.removed_at.get(&k))
                .is_some_and(|blocks| blocks[..] == [block])
        };
        let found = self.cands.iter().enumerate().filter_map(|(cand, c)| {
            let line = only(c.lines.required())?;
            let placed =
                (c.anchor.is_some() && c.anchor == self.block_before[block] && removed_here(c.below))
                    || (c.below.is_some() && c.below == self.block_after[block] && removed_here(c.anchor));
            let old = &c.lines.lines[line];
            (placed && !c.used[line] && !waiting.contains(&old.key) && kept(old.text, self.added[a].text))
                .then_some((cand, line))
        });
        only(found)
    }

    /// Whether candidate `cand` may claim lines of `block` by its place alone: some line of
    /// its edit is claimed already (here or by an earlier commit), or each of its lines is
    /// like a line of the block, a line of its own, in order (an edit a person changed all
    /// through, as a one-line edit they changed is). An edit of more than [`MAX_EDITED_WHOLE`]
    /// lines is not compared, nor
    /// any beyond the comparison `budget`.
    fn edited_whole(&self, cand: usize, block: usize, budget: &mut usize) -> bool {
        let c = &self.cands[cand];
        if c.used.contains(&true) {
            return true;
        }
        let lines: Vec<&str> = c.lines.required().map(|i| c.lines.lines[i].text).collect();
        let nt = &self.block_nt[block];
        if lines.len() > MAX_EDITED_WHOLE || lines.len() * nt.len() > *budget {
            return false;
        }
        *budget -= lines.len() * nt.len();
        // In order, each of its own: one person's line like two of the edit's is not both.
        let mut block_lines = nt.iter();
        lines.iter().all(|old| {
            block_lines
                .by_ref()
                .any(|&a| resemblance(old, self.added[a].text) >= MODIFIED_SIMILARITY)
        })
    }

    /// The first unused line of punctuation (`}`, `)`) that added line `a` extends (a person
    /// appended a comment), of the one candidate among `cands` that has such a line: lines of
    /// punctuation bind by place, so at the place, one extended is the edit's too. A blank line
    /// filled in keeps nothing of the edit's.
    fn extended_punctuation(&self, a: usize, cands: &[(usize, Between)]) -> Option<(usize, usize)> {
        let text = self.added[a].text;
        let found = cands.iter().filter_map(|&(cand, _)| {
            let c = &self.cands[cand];
            c.lines
                .lines
                .iter()
                .enumerate()
                .find(|&(i, line)| {
                    line.trivial && !c.used[i] && !line.text.trim().is_empty() && extends(line.text, text)
                })
                .map(|(i, _)| (cand, i))
        });
        only(found)
    }

    /// The one line of the `cands` that added line `a` extends (a person appended to it), of
    /// the lines with no verbatim copy waiting.
    fn extended_at_edge(
        &self,
        a: usize,
        cands: &[usize],
        waiting: &HashSet<LineKey>,
    ) -> Option<(usize, usize)> {
        let text = self.added[a].text;
        let found = cands.iter().flat_map(|&cand| {
            let c = &self.cands[cand];
            c.lines
                .required()
                .filter(move |&i| {
                    let old = &c.lines.lines[i];
                    !c.used[i] && !waiting.contains(&old.key) && extends(old.text, text)
                })
                .map(move |i| (cand, i))
        });
        only(found)
    }

    /// The one-line edit whose line added line `pos` of `block` keeps (a person changed it a
    /// little), where the line beside it on one side is another edit's that recorded this very
    /// text next to it (the line was there, as it is now, when that edit was made) and the line
    /// on the other side is the one the one-line edit sat next to: the one-line edit's own
    /// neighbour on that side may be gone, and git's diff may have joined its line to the other
    /// edit's block. One such edit only, and none whose line has a verbatim copy waiting.
    fn recorded_beside(
        &self,
        block: usize,
        pos: usize,
        waiting: &HashSet<LineKey>,
        budget: &mut usize,
    ) -> Option<(usize, usize)> {
        let nt = &self.block_nt[block];
        let a = nt[pos];
        let key = Some(self.added[a].key);
        let [above, below] = self.around(block, pos, pos);
        let [before, after] = self.neighbours(block, pos, pos);
        let recorded = |n: Option<usize>, side: fn(&Candidate<'_>) -> Option<LineKey>| {
            n.and_then(|n| self.added[n].claim)
                .is_some_and(|(other, _, _)| side(&self.cands[other]) == key)
        };
        let (from_above, from_below) = (recorded(before, |o| o.below), recorded(after, |o| o.anchor));
        if !from_above && !from_below {
            return None;
        }
        let found = self.cands.iter().enumerate().filter_map(|(cand, c)| {
            let line = only(c.lines.required())?;
            let placed = (from_above && c.below.is_some() && c.below == below)
                || (from_below && c.anchor.is_some() && c.anchor == above);
            let old = &c.lines.lines[line];
            if !placed || c.used[line] || waiting.contains(&old.key) || *budget == 0 {
                return None;
            }
            *budget -= 1;
            (resemblance(old.text, self.added[a].text) >= MODIFIED_SIMILARITY).then_some((cand, line))
        });
        only(found)
    }

    /// The unused candidate line most similar to added line `a`, if similar enough, leaving
    /// out lines whose key is in `skip`: per candidate, among the lines its `Between` admits.
    fn most_similar(
        &self,
        a: usize,
        cands: &[(usize, Between)],
        skip: Option<&HashSet<LineKey>>,
        budget: &mut usize,
    ) -> Option<(usize, usize)> {
        let mut best: Option<(f32, usize, usize)> = None;
        for &(cand, between) in cands {
            let c = &self.cands[cand];
            let lines = &c.lines.lines;
            for i in c.lines.required().filter(|&i| {
                between.admits(c, i) && !c.used[i] && skip.is_none_or(|s| !s.contains(&lines[i].key))
            }) {
                if *budget == 0 {
                    return None;
                }
                *budget -= 1;
                let score = resemblance(c.lines.lines[i].text, self.added[a].text);
                if score >= MODIFIED_SIMILARITY && best.is_none_or(|(s, _, _)| score > s) {
                    best = Some((score, cand, i));
                }
            }
        }
        best.map(|(_, cand, i)| (cand, i))
    }

    fn claim_trivial(&mut self) {
        let n = self.added.len();
        // Per added line, the nearest non-trivial line before it in its block, and after it.
        let mut before: Vec<Option<usize>> = vec![None; n];
        let mut after: Vec<Option<usize>> = vec![None; n];
        let mut last: Option<usize> = None;
        for (a, nearest) in before.iter_mut().enumerate() {
            if a > 0 && self.added[a].block != self.added[a - 1].block {
                last = None;
            }
            *nearest = last;
            if !self.added[a].trivial {
                last = Some(a);
            }
        }
        last = None;
        for a in (0..n).rev() {
            if a + 1 < n && self.added[a].block != self.added[a + 1].block {
                last = None;
            }
            after[a] = last;
            if !self.added[a].trivial {
                last = Some(a);
            }
        }
        // Per candidate and key, its unused trivial lines: each lookup is a logarithm, not a
        // scan of the entry (tens of thousands of `}` were quadratic).
        let mut free: HashMap<(usize, LineKey), BTreeSet<usize>> = HashMap::default();
        for (cand, c) in self.cands.iter().enumerate() {
            for (i, line) in c.lines.lines.iter().enumerate() {
                if line.trivial && !c.used[i] {
                    free.entry((cand, line.key)).or_default().insert(i);
                }
            }
        }
        for a in 0..n {
            if !self.added[a].trivial || self.added[a].claim.is_some() {
                continue;
            }
            // The claim of the nearest non-trivial line before `a` in its block; at a block's
            // start, the nearest one after it. Between two AI lines, the edit below may own
            // it instead: git's diff may count as added a different one of the blank lines
            // where two edits meet than the edit's own diff kept.
            let key = self.added[a].key;
            let owner = |anchor: Option<usize>| {
                let (cand, anchor_line, _) = self.added[anchor?].claim?;
                let lines = free.get(&(cand, key))?;
                // Prefer the entry's copy right after the anchor; any copy will do otherwise.
                let line = lines.range(anchor_line..).next().or(lines.iter().next())?;
                Some((cand, *line))
            };
            // At a block's edge, the AI line just outside it (a few lines away) comes next.
            let block = self.added[a].block;
            let outside_above =
                || owner(self.added_line_above(block)).or_else(|| owner(self.kept_line_above(block)));
            let outside_below = || owner(self.added_line_below(block));
            // Past the lines of an edit made inside another (it replaced a line of the other's
            // middle), the other's: a few AI lines up, none a person's.
            let through_ai = || {
                let nt = &self.block_nt[block];
                let p = nt.binary_search(&before[a]?).ok()?;
                nt[..p]
                    .iter()
                    .rev()
                    .take(16)
                    .take_while(|&&x| self.added[x].claim.is_some())
                    .find_map(|&x| owner(Some(x)))
            };
            let found = match (before[a], after[a]) {
                (Some(_), Some(_)) => owner(before[a]).or_else(|| owner(after[a])),
                (None, Some(_)) => owner(after[a]).or_else(outside_above),
                (Some(_), None) => owner(before[a]).or_else(outside_below).or_else(through_ai),
                (None, None) => outside_above().or_else(outside_below),
            };
            let Some((cand, entry_line)) = found else {
                continue;
            };
            if self.claim(a, cand, entry_line, false)
                && let Some(lines) = free.get_mut(&(cand, key))
            {
                lines.remove(&entry_line);
            }
        }
        // An edit of blank lines only has no line to sit after: its place alone binds it, when
        // one block of the diff sits there (two alike places are as likely a person's).
        let blank_only: Vec<usize> = (0..self.cands.len())
            .filter(|&c| self.cands[c].blank_only)
            .collect();
        if blank_only.is_empty() {
            return;
        }
        // Where each block's lines are in `added`.
        let mut lines_of: Vec<std::ops::Range<usize>> = vec![0..0; self.block_nt.len()];
        for (a, added) in self.added.iter().enumerate() {
            let range = &mut lines_of[added.block];
            if range.start == range.end {
                *range = a..a;
            }
            range.end = a + 1;
        }
        // Identical edits at look-alike places (the same blank line added after each of three
        // alike `return` lines) are recorded alike: as many of them as blocks there bind one
        // block each.
        type Alike = (Option<LineKey>, Option<LineKey>, Vec<LineKey>);
        let mut alike: BTreeMap<Alike, Vec<usize>> = BTreeMap::new();
        for cand in blank_only {
            let c = &self.cands[cand];
            let keys = c.lines.lines.iter().map(|l| l.key).collect();
            alike.entry((c.anchor, c.below, keys)).or_default().push(cand);
        }
        for cands in alike.into_values() {
            // Blocks at the place with a line left to bind: one others took whole is theirs.
            let at: Vec<usize> = (0..self.block_nt.len())
                .filter(|&b| self.at_place(cands[0], b) || self.at_shifted_place(cands[0], b))
                .filter(|&b| {
                    lines_of[b]
                        .clone()
                        .any(|a| self.added[a].trivial && self.added[a].claim.is_none())
                })
                .collect();
            if at.len() > cands.len() {
                continue;
            }
            for (block, cand) in at.into_iter().zip(cands) {
                for a in lines_of[block].clone() {
                    if !self.added[a].trivial || self.added[a].claim.is_some() {
                        continue;
                    }
                    let Some(lines) = free.get_mut(&(cand, self.added[a].key)) else {
                        continue;
                    };
                    let Some(first) = lines.pop_first() else { continue };
                    self.claim(a, cand, first, false);
                }
            }
        }
    }
}

/// Whether `items` begins with every item of `wanted`, in order.
fn begins_with<T: PartialEq>(mut items: impl Iterator<Item = T>, wanted: impl Iterator<Item = T>) -> bool {
    wanted.into_iter().all(|w| items.next() == Some(w))
}

/// The one item of `items`, when there is exactly one.
fn only<T>(mut items: impl Iterator<Item = T>) -> Option<T> {
    match (items.next(), items.next()) {
        (Some(one), None) => Some(one),
        _ => None,
    }
}

/// How much `new` looks like the edit's line `old` changed by a person: their similarity, and
/// at least [`MODIFIED_SIMILARITY`] when `new` is `old` with something appended (a short line
/// with a comment is too little alike by characters).
pub(super) fn resemblance(old: &str, new: &str) -> f32 {
    let score = similarity(old, new);
    match extends(old, new) {
        true => score.max(MODIFIED_SIMILARITY),
        false => score,
    }
}

/// Whether `new` is `old` with something appended (a person's comment), indentation aside.
fn extends(old: &str, new: &str) -> bool {
    let (old, new) = (old.trim(), new.trim());
    !old.is_empty() && new.len() > old.len() && new.starts_with(old)
}

/// Whether `new` keeps most of `old`'s characters, in order, ignoring indentation: a line a
/// person extended or changed a little, however much they added.
fn kept(old: &str, new: &str) -> bool {
    let (old, new) = (old.trim(), new.trim());
    let len = old.chars().count();
    if len == 0 || len > MAX_COMPARED_CHARS || new.chars().count() > 4 * len + 40 {
        return false;
    }
    let diff = similar::TextDiff::from_chars(old, new);
    let common: usize = diff
        .ops()
        .iter()
        .filter_map(|op| match op {
            similar::DiffOp::Equal { len, .. } => Some(*len),
            _ => None,
        })
        .sum();
    common * 5 >= len * 4
}

/// Character similarity of two lines, ignoring indentation (0..=1).
pub(super) fn similarity(a: &str, b: &str) -> f32 {
    let (a, b) = (a.trim(), b.trim());
    let (la, lb) = (a.chars().count(), b.chars().count());
    // The ratio can never exceed 2·min/(la+lb): skip the diff when that is already too low.
    if la + lb == 0
        || la.max(lb) > MAX_COMPARED_CHARS
        || 2.0 * la.min(lb) as f32 / ((la + lb) as f32) < MODIFIED_SIMILARITY
    {
        return 0.0;
    }
    similar::TextDiff::from_chars(a, b).ratio()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::keys::key_to_hex;
    use crate::model::{EditOutcome, Status};

    /// Binds against journal entries, as commit time does.
    fn bind(files: &[FileDiff], entries: &[Entry]) -> Binding {
        super::bind(files, &sources(entries))
    }

    fn entry(id: &str, at: &str, file: &str, inserted: &str) -> Entry {
        Entry {
            id: id.into(),
            recorded_at: at.into(),
            tool: "test".into(),
            file: file.into(),
            inserted: inserted.into(),
            source: "cli".into(),
            ..Entry::default()
        }
    }

    /// A diff of `path` whose added lines are given as (first line number, text) blocks.
    fn diff(path: &str, blocks: &[(u32, &str)]) -> FileDiff {
        let mut diff = FileDiff::new(path.into(), None);
        for (start, text) in blocks {
            for (i, t) in text.lines().enumerate() {
                diff.add_line(start + i as u32, t.into(), None);
            }
        }
        diff
    }

    fn lines(binding: &Binding) -> Vec<(u32, usize, bool)> {
        binding
            .claims()
            .map(|(_, c)| (c.line, c.entry, c.modified))
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn required_lines_are_told_alike_with_and_without_keys(
            lines in proptest::collection::vec(
                proptest::sample::select(vec!["", "}", "  );", "let a = 1;", "    b()", "// c"]),
                0..12,
            ),
            optional in proptest::collection::btree_set(0usize..12, 0..4),
        ) {
            let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
            let mut e = entry("e", "t1", "f.rs", &text);
            e.optional = optional.into_iter().collect();
            let source = Source::from_entry(&e);
            let keyed: Vec<usize> = SourceLines::of(&source).required().collect();
            proptest::prop_assert_eq!(SourceLines::required_of(&source).collect::<Vec<_>>(), keyed);
        }
    }

    proptest::proptest! {
        /// Short edits are scanned and long ones indexed: both give each line's first and
        /// last look-alike.
        #[test]
        fn spans_of_identical_lines_are_found_alike_short_or_long(
            texts in proptest::collection::vec(proptest::sample::select(vec!["a", "b", "c", "d"]), 0..40),
        ) {
            let lines: Vec<SourceLine<'_>> = texts
                .iter()
                .map(|text| SourceLine { key: line_key(text), trivial: false, optional: false, text })
                .collect();
            let expected: Vec<(usize, usize)> = texts
                .iter()
                .map(|t| {
                    let first = texts.iter().position(|u| u == t).unwrap();
                    let last = texts.iter().rposition(|u| u == t).unwrap();
                    (first, last)
                })
                .collect();
            proptest::prop_assert_eq!(spans(&lines), expected);
        }
    }

    #[test]
    fn a_claim_carries_the_key_of_the_line_it_came_from() {
        let e = [entry("e", "t1", "f.rs", "one\ntwo\n")];
        let b = bind(&[diff("f.rs", &[(3, "two\n")])], &e);
        let claims: Vec<(u32, usize, LineKey)> =
            b.claims().map(|(_, c)| (c.line, c.entry_line, c.key)).collect();
        assert_eq!(claims, [(3, 1, line_key("two"))]);
    }

    #[test]
    fn whole_file_with_blank_lines() {
        let text = "fn a() {\n    1\n}\n\nfn b() {\n    2\n}\n";
        let e = [entry("e", "t1", "f.rs", text)];
        let b = bind(&[diff("f.rs", &[(1, text)])], &e);
        assert_eq!(lines(&b), (1..=7).map(|l| (l, 0, false)).collect::<Vec<_>>());
    }

    #[test]
    fn human_lines_elsewhere_stay_human() {
        let e = [entry("e", "t1", "f.rs", "let a = 1;\nlet b = 2;")];
        let b = bind(
            &[diff("f.rs", &[(3, "let a = 1;\nlet b = 2;"), (10, "human();")])],
            &e,
        );
        assert_eq!(lines(&b), vec![(3, 0, false), (4, 0, false)]);
    }

    #[test]
    fn identical_human_lines_do_not_steal_the_ai_copy() {
        // The human's `return x;` comes first in the file; the AI's sits inside its function.
        let e = [entry("e", "t1", "f.rs", "fn id(x: u8) -> u8 {\n    return x;\n}")];
        let b = bind(
            &[diff(
                "f.rs",
                &[
                    (2, "    return x;\n}"),
                    (10, "fn id(x: u8) -> u8 {\n    return x;\n}"),
                ],
            )],
            &e,
        );
        assert_eq!(lines(&b), vec![(10, 0, false), (11, 0, false), (12, 0, false)]);
    }

    #[test]
    fn edited_line_is_modified() {
        let e = [entry(
            "e",
            "t1",
            "f.rs",
            "let rate = 0.2;\nlet tax = rate * x;\nreturn tax;",
        )];
        let b = bind(
            &[diff(
                "f.rs",
                &[(1, "let rate = 0.25;\nlet tax = rate * x;\nreturn tax;")],
            )],
            &e,
        );
        assert_eq!(lines(&b), vec![(1, 0, true), (2, 0, false), (3, 0, false)]);
    }

    #[test]
    fn a_rewritten_line_is_human() {
        let e = [entry("e", "t1", "f.rs", "let rate = 0.2;")];
        let b = bind(&[diff("f.rs", &[(1, "println!(\"hello world\");")])], &e);
        assert!(b.files.is_empty());
    }

    #[test]
    fn used_lines_do_not_match_again() {
        let mut e = entry("e", "t1", "f.rs", "a();\nb();");
        e.progress.used = vec![0];
        let b = bind(&[diff("f.rs", &[(1, "a();\nb();")])], &[e]);
        assert_eq!(lines(&b), vec![(2, 0, false)]);
    }

    #[test]
    fn trivial_lines_need_an_ai_anchor() {
        let e = [entry("e", "t1", "f.rs", "if x {\n    go();\n}")];
        let b = bind(
            &[diff("f.rs", &[(1, "if x {\n    go();\n}"), (8, "human();\n}")])],
            &e,
        );
        assert_eq!(lines(&b), vec![(1, 0, false), (2, 0, false), (3, 0, false)]);
    }

    #[test]
    fn newest_entry_wins_a_shared_line() {
        let e = [
            entry("old", "2026-01-01T00:00:00Z", "f.rs", "x();"),
            entry("new", "2026-01-02T00:00:00Z", "f.rs", "x();"),
        ];
        let b = bind(&[diff("f.rs", &[(1, "x();")])], &e);
        assert_eq!(lines(&b), vec![(1, 1, false)]);
    }

    #[test]
    fn rejected_entries_are_not_candidates() {
        let mut e = entry("e", "t1", "f.rs", "x();");
        e.status = Status::Rejected;
        assert!(bind(&[diff("f.rs", &[(1, "x();")])], &[e]).files.is_empty());
    }

    #[test]
    fn renamed_file_uses_old_path_entries() {
        let e = [entry("e", "t1", "old.rs", "x();")];
        let mut d = diff("new.rs", &[(1, "x();")]);
        d.old_path = Some("old.rs".into());
        assert_eq!(lines(&bind(&[d], &e)), vec![(1, 0, false)]);
    }

    /// A prior commit's edit record, with the text of its lines, binds like the entry it came
    /// from: the seam rewrite and reattach use.
    #[test]
    fn a_note_record_with_its_text_is_a_source() {
        let record = EditRecord {
            id: "rec".into(),
            file: "f.rs".into(),
            ranges: vec![[3, 4]],
            modified: vec![],
            tool: "claude-code".into(),
            tool_version: None,
            model: None,
            session: None,
            prompt_id: None,
            recorded_at: "2026-01-01T00:00:00Z".into(),
            outcome: EditOutcome::Accepted,
            user: None,
            evidence: None,
            deleted: None,
        };
        let text = "let a = 1;\nlet b = 2;\n";
        let b = super::bind(
            &[diff("f.rs", &[(7, "let a = 1;\nlet b = 2;"), (20, "human();")])],
            &[Source::from_record(&record, text)],
        );
        assert_eq!(lines(&b), vec![(7, 0, false), (8, 0, false)]);
    }

    #[test]
    fn blocks_from_a_diff_know_what_sits_above_them() {
        use crate::model::HunkLine;
        let line = |line: u32, text: &str, added: bool| HunkLine {
            line,
            text: text.into(),
            added,
            replaces: Vec::new(),
        };
        let file = ChangedFile {
            path: "f.rs".into(),
            old_path: None,
            lines: None,
            hunks: vec![
                vec![
                    line(1, "fn a() {", false),
                    line(2, "}", false),
                    line(3, "x();", true),
                ],
                vec![line(9, "y();", true), line(10, "z();", true)],
            ],
        };
        let diff = FileDiff::from_changes(file);
        assert_eq!(diff.blocks.len(), 2);
        assert_eq!(diff.blocks[0].before.as_deref(), Some("fn a() {"));
        assert_eq!(diff.blocks[1].before, None, "nothing is known between hunks");
        assert_eq!(diff.blocks[1].lines.len(), 2);
    }

    /// An edit longer than the cap on measured runs keeps the longest-run guarantee past it: a
    /// human's identical line earlier in the file does not take the AI's line 300.
    #[test]
    fn long_edits_keep_their_runs_past_the_cap() {
        let ai: String = (0..300)
            .map(|i| {
                if i == 299 {
                    "return x;\n".to_string()
                } else {
                    format!("step_{i}();\n")
                }
            })
            .collect();
        let e = [entry("e", "t1", "f.rs", &ai)];
        let b = bind(&[diff("f.rs", &[(2, "return x;"), (10, &ai)])], &e);
        let claimed: Vec<u32> = b.claims().map(|(_, c)| c.line).collect();
        assert_eq!(claimed, (10..310).collect::<Vec<_>>(), "line 2 is the human's");
    }

    /// Tens of thousands of trivial lines bind in linear time.
    #[test]
    fn many_trivial_lines_stay_linear() {
        let ai = format!("fn f() {{\n{}", "}\n".repeat(20_000));
        let e = [entry("e", "t1", "f.rs", &ai)];
        let started = std::time::Instant::now();
        let b = bind(&[diff("f.rs", &[(1, &ai)])], &e);
        assert_eq!(b.claims().count(), 20_001);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
    }

    /// Thousands of one-line edits made between the same two lines, and thousands of edited
    /// look-alike lines between copies of them: the place rules stay within their comparison
    /// budget, and claim none of the look-alikes.
    #[test]
    fn many_look_alike_places_stay_bounded() {
        let e: Vec<Entry> = (0..3_000)
            .map(|i| {
                let mut e = placed(
                    &format!("e{i:05}"),
                    &format!("    value_{i} = compute({i})\n"),
                    "    pass",
                    "    pass",
                );
                e.recorded_at = format!("t{i:05}");
                e
            })
            .collect();
        let text: String = (0..3_000)
            .map(|i| format!("    pass\n    value_{i} = compute({i}, 1)\n"))
            .collect();
        let started = std::time::Instant::now();
        let b = bind(&[diff("f.py", &[(1, &text)])], &e);
        assert!(started.elapsed().as_secs() < 10, "{:?}", started.elapsed());
        assert!(
            lines(&b).iter().all(|c| !c.2),
            "{:?}",
            &lines(&b)[..5.min(lines(&b).len())]
        );
    }

    /// A line the edit only kept binds inside a run of the edit's changed lines, never alone: a
    /// human's identical line in a block of its own stays human.
    #[test]
    fn optional_lines_never_claim_alone() {
        let mut e = entry("e", "t1", "f.rs", "k = 1;\npass;\nl = 2;\n");
        e.optional = vec![1];
        let b = bind(
            &[diff("f.rs", &[(3, "k = 1;\npass;\nl = 2;"), (20, "pass;")])],
            &[e.clone()],
        );
        assert_eq!(lines(&b), vec![(3, 0, false), (4, 0, false), (5, 0, false)]);
        let alone = bind(&[diff("f.rs", &[(20, "pass;")])], &[e]);
        assert!(alone.files.is_empty(), "{alone:?}");
    }

    /// An entry recorded between the lines `above` and `below`.
    fn placed(id: &str, inserted: &str, above: &str, below: &str) -> Entry {
        Entry {
            anchor: Some(key_to_hex(&line_key(above))),
            below: Some(key_to_hex(&line_key(below))),
            ..entry(id, "t1", "f.py", inserted)
        }
    }

    /// A diff whose blocks are (first line, line above, text, line below).
    fn placed_diff(blocks: &[(u32, &str, &str, &str)]) -> FileDiff {
        let mut diff = FileDiff::new("f.py".into(), None);
        for &(start, before, text, after) in blocks {
            diff.blocks.push(block(start, Some(before), text, after, &[]));
        }
        diff
    }

    /// One edit's single line found verbatim at two places as like its own (look-alike code):
    /// which copy is the AI's only file order would say, so neither is claimed, nor a copy at a
    /// worse place.
    #[test]
    fn a_line_at_two_look_alike_places_is_claimed_at_neither() {
        let e = [placed("e", "    ) from e\n", "original_error=e,", "try:")];
        let diff = placed_diff(&[
            (90, "original_error=e,", "    ) from e", "try:"),
            (98, "original_error=e,", "    ) from e", "try:"),
            (106, "original_error=e,", "    ) from e", "if not header:"),
        ]);
        assert_eq!(lines(&bind(std::slice::from_ref(&diff), &e)), vec![]);
        // Two edits of that line: each copy at such a place is an AI's.
        let two = [
            e[0].clone(),
            placed("f", "    ) from e\n", "original_error=e,", "try:"),
        ];
        let claimed: Vec<u32> = lines(&bind(&[diff], &two)).into_iter().map(|c| c.0).collect();
        assert_eq!(claimed, vec![90, 98]);
    }

    /// A line of punctuation (or a short line) a person appended a comment to is the AI's,
    /// `modified`, when it sits exactly where the edit had it; a person's line there that does not begin with it,
    /// or a line past the edit's end, stays human.
    #[test]
    fn a_line_extended_in_place_is_modified() {
        let e = [entry("e", "t1", "f.py", "    call(\n        a,\n\n    )\n")];
        let one = |text: &str| {
            let mut diff = FileDiff::new("f.py".into(), None);
            diff.blocks.push(block(10, Some("x = 1"), text, "y = 2", &[]));
            lines(&bind(&[diff], &e))
        };
        let claimed = one("    call(\n        a,\n\n    )  # checked");
        assert_eq!(
            claimed,
            vec![(10, 0, false), (11, 0, false), (12, 0, false), (13, 0, true)]
        );
        let claimed = one("    call(\n        a,\n\n    z = f(1)");
        assert_eq!(claimed, vec![(10, 0, false), (11, 0, false), (12, 0, false)]);
        let claimed = one("    call(\n        a,\n\n    )\n    ) or fallback()");
        assert_eq!(
            claimed,
            vec![(10, 0, false), (11, 0, false), (12, 0, false), (13, 0, false)]
        );
        // A short line at the top of the block, counted from the line below it: `try:` with a
        // comment is too unlike `try:` for similarity.
        let e = [entry("e", "t1", "f.py", "try:\n    import simplejson as json\n")];
        let mut diff = FileDiff::new("f.py".into(), None);
        diff.blocks.push(block(
            1,
            None,
            "try:  # checked\n    import simplejson as json",
            "x",
            &[],
        ));
        assert_eq!(lines(&bind(&[diff], &e)), vec![(1, 0, true), (2, 0, false)]);
    }

    /// The same look-alike places, told apart by the lines farther out: the edit recorded
    /// the header's message two lines above its line. Its verbatim line there is the AI's; where
    /// a person changed it, the changed line is, and the verbatim copy in the sibling block is
    /// the person's. A sibling seen through too little context to differ is not outranked.
    #[test]
    fn lines_farther_out_tell_look_alike_places_apart() {
        let hex = |lines: &[&str]| {
            lines
                .iter()
                .map(|l| crate::engine::short_key_to_hex(short_key(&line_key(l))))
                .collect::<Vec<_>>()
        };
        let e = [Entry {
            farther_above: hex(&["\"Could not read the header\",", "raise BadHeader("]),
            farther_below: hex(&["header = decode(header)"]),
            ..placed("e", "    ) from e\n", "original_error=e,", "try:")
        }];
        let sibling = |start: u32, text: &str, what: &str| Block {
            farther_before: vec![
                format!("\"Could not read the {what}\","),
                "raise BadHeader(".into(),
            ],
            farther_after: vec![format!("{what} = decode({what})")],
            ..block(start, Some("original_error=e,"), text, "try:", &[])
        };
        let diff = |blocks: Vec<Block>| FileDiff {
            blocks,
            ..FileDiff::new("f.py".into(), None)
        };
        let verbatim = diff(vec![
            sibling(90, "    ) from e", "header"),
            sibling(98, "    ) from e", "payload"),
        ]);
        assert_eq!(lines(&bind(&[verbatim], &e)), vec![(90, 0, false)]);
        let touched = diff(vec![
            sibling(90, "    ) from e  # checked", "header"),
            sibling(98, "    ) from e", "payload"),
        ]);
        assert_eq!(lines(&bind(&[touched], &e)), vec![(90, 0, true)]);
        // The sibling's farther lines unknown (beyond its hunk): it may be the place too.
        let unseen = diff(vec![
            sibling(90, "    ) from e", "header"),
            block(98, Some("original_error=e,"), "    ) from e", "try:", &[]),
        ]);
        assert_eq!(lines(&bind(&[unseen], &e)), vec![]);
    }

    /// Two edits made at look-alike places: one's line verbatim, the other's edited. The edited
    /// line is more like its own edit's line than like the verbatim one's, so it contests
    /// nothing: both are the AI's.
    #[test]
    fn an_edited_line_of_another_edit_does_not_contest_a_verbatim_one() {
        let at = ("    .. versionadded:: 0.15", "        super().__init__(message)");
        let e = [
            placed("a", "    def __init__(self, message: str):\n", at.0, at.1),
            placed(
                "b",
                "    def __init__(self, message: str, original_error: E = None):\n",
                at.0,
                at.1,
            ),
        ];
        let diff = placed_diff(&[
            (15, at.0, "    def __init__(self, message: str):", at.1),
            (
                102,
                at.0,
                "    def __init__(self, message: str, original_error: E = None):  # checked",
                at.1,
            ),
        ]);
        assert_eq!(lines(&bind(&[diff], &e)), vec![(15, 0, false), (102, 1, true)]);
    }

    /// A person's similar line alone in a block at a place like the edit's is not the edit's
    /// line, edited, when a bigger block holds another line between the very lines the edit sat
    /// between: that place is as much the edit's.
    #[test]
    fn a_place_inside_a_bigger_block_is_a_look_alike_too() {
        let e = [placed(
            "e",
            "    # Fall back with a keyword argument.\n",
            "| None = None,",
            "@t.overload",
        )];
        let diff = placed_diff(&[
            (
                140,
                "| None = None,",
                "    # Serializer[bytes] with a keyword argument.",
                "@t.overload",
            ),
            (
                170,
                "def x():",
                "    y = 1\n    | None = None,\n    # Fall back with a keyword argument.  # checked\n    @t.overload\n    z = 2",
                "def w():",
            ),
        ]);
        assert_eq!(lines(&bind(&[diff], &e)), vec![]);
    }

    /// Where two edits meet, git's diff may count a different blank line as added than the
    /// edits' own diffs kept: a blank between the first edit's last line and the second's first
    /// is the second's when only it has a blank left.
    #[test]
    fn a_blank_line_where_two_edits_meet_is_the_edit_below_it() {
        let e = [
            entry("a", "t1", "f.py", "def f():\n    return 1\n"),
            entry("b", "t2", "f.py", "def g():\n    return 2\n\n"),
        ];
        let b = bind(
            &[diff(
                "f.py",
                &[(1, "def f():\n    return 1\n\ndef g():\n    return 2")],
            )],
            &e,
        );
        assert_eq!(
            lines(&b),
            vec![
                (1, 0, false),
                (2, 0, false),
                (3, 1, false),
                (4, 1, false),
                (5, 1, false)
            ]
        );
        // With no blank left to either edit, the blank is a person's.
        let e = [e[0].clone(), entry("b", "t2", "f.py", "def g():\n    return 2\n")];
        let b = bind(
            &[diff(
                "f.py",
                &[(1, "def f():\n    return 1\n\ndef g():\n    return 2")],
            )],
            &e,
        );
        assert!(!lines(&b).iter().any(|c| c.0 == 3), "{b:?}");
    }

    /// The same blank-line edit made by separate calls at look-alike places: as many calls as
    /// blocks at that place bind them all; fewer calls than blocks bind none.
    #[test]
    fn identical_blank_edits_at_look_alike_places_bind_when_they_are_as_many() {
        let at = ("return payload, header", "return payload");
        let diff = placed_diff(&[
            (103, at.0, "\n", at.1),
            (166, at.0, "\n", at.1),
            (229, at.0, "\n", at.1),
        ]);
        let calls: Vec<Entry> = (0..3)
            .map(|i| {
                Entry {
                    call: Some(format!("c#{i}")),
                    ..placed("e", "\n", at.0, at.1)
                }
                .seal()
            })
            .collect();
        let claimed: Vec<u32> = lines(&bind(std::slice::from_ref(&diff), &calls))
            .into_iter()
            .map(|c| c.0)
            .collect();
        assert_eq!(claimed, vec![103, 166, 229]);
        assert_eq!(lines(&bind(&[diff], &calls[..2])), vec![]);
    }

    /// An edit's line a person changed, after another edit inserted lines between it and the
    /// line above it was recorded next to: that edit's place says it sits at the same spot,
    /// so the changed line is still at its own edit's place, `modified`.
    #[test]
    fn a_place_moved_by_a_later_edit_at_the_same_spot_still_holds() {
        let doc = "    This implementation uses simplejson.";
        let e = [
            placed(
                "def",
                "    def __init__(self, key, serializer=None):\n",
                doc,
                "        self.key = key",
            ),
            placed(
                "attr",
                "    default_serializer = simplejson\n",
                doc,
                "    def __init__(self, key, serializer=None):  # checked",
            ),
        ];
        let diff = placed_diff(&[
            (
                10,
                doc,
                "    default_serializer = simplejson",
                "    def __init__(self, key, serializer=None):  # checked",
            ),
            (
                12,
                "    default_serializer = simplejson",
                "    def __init__(self, key, serializer=None):  # checked",
                "        self.key = key",
            ),
        ]);
        assert_eq!(lines(&bind(&[diff], &e)), vec![(10, 1, false), (12, 0, true)]);
    }

    /// A blank line git's diff adds at the start of a block, right below another block of AI
    /// lines whose edit has a blank line left (the edit added its blank line at its end; git
    /// kept that one and added the one after it): it is that edit's.
    #[test]
    fn a_blank_line_starting_a_block_below_an_edit_with_one_left_is_that_edits() {
        let e = [
            entry("types", "t1", "f.py", "A = int\nB = str\n\n"),
            entry("def", "t2", "f.py", "def f(x: A) -> B:\n"),
        ];
        let mut d = diff("f.py", &[(10, "A = int\nB = str"), (13, "\ndef f(x: A) -> B:")]);
        d.blocks[1].before = Some("B = str".into());
        let b = bind(&[d], &e);
        assert_eq!(
            lines(&b),
            vec![(10, 0, false), (11, 0, false), (13, 0, false), (14, 1, false)]
        );
    }

    /// A single verbatim line away from its edit's recorded place (a person rewrote the line
    /// above it) binds when its block is the one block that replaced what the edit replaced;
    /// two such blocks (look-alike code) pin nothing.
    #[test]
    fn a_lone_line_in_the_one_block_that_replaced_the_edits_line_is_its() {
        let old = "deprecated_json = DeprecatedJSON(\"json\")";
        let e = [Entry {
            replaced: vec![key_to_hex(&line_key(old))],
            ..placed(
                "e",
                "json = DeprecatedJSON(\"json\")\n",
                "return getattr(json, item)",
                "x = 1",
            )
        }];
        let block = |line: u32| Block {
            lines: vec![AddedLine {
                line,
                text: "json = DeprecatedJSON(\"json\")".into(),
            }],
            before: Some("return getattr(_json, item)".into()),
            after: Some("y = 2".into()),
            replaced: vec![old.into()],
            ..Block::default()
        };
        let mut diff = FileDiff::new("f.py".into(), None);
        diff.blocks.push(block(34));
        assert_eq!(
            lines(&bind(std::slice::from_ref(&diff), &e)),
            vec![(34, 0, false)]
        );
        diff.blocks.push(block(60));
        assert_eq!(lines(&bind(&[diff], &e)), vec![]);
    }

    /// A block of lines with what sits around it and what its diff removed.
    fn block(start: u32, before: Option<&str>, text: &str, after: &str, replaced: &[&str]) -> Block {
        Block {
            lines: text
                .lines()
                .enumerate()
                .map(|(i, t)| AddedLine {
                    line: start + i as u32,
                    text: t.into(),
                })
                .collect(),
            before: before.map(String::from),
            after: Some(after.into()),
            replaced: replaced.iter().map(|r| r.to_string()).collect(),
            ..Block::default()
        }
    }

    /// A line below an edit's last line is no edited copy of the edit's first: the edit's
    /// `from __future__` line, alone in its block, is its own, and the person's `from datetime`
    /// below the edit's `import typing` stays human (it was taken as the first line, modified).
    #[test]
    fn an_edited_line_keeps_its_order_among_its_edits_lines() {
        let e = [Entry {
            below: Some(key_to_hex(&line_key("from datetime import datetime"))),
            replaced: vec![key_to_hex(&line_key("import typing as _t"))],
            ..entry(
                "e",
                "t1",
                "f.py",
                "from __future__ import annotations\n\nimport typing as t\n",
            )
        }];
        let mut diff = FileDiff::new("f.py".into(), None);
        diff.blocks.push(block(
            1,
            None,
            "from __future__ import annotations",
            "import typing as t",
            &["import typing as _t", "from datetime import datetime"],
        ));
        diff.blocks.push(block(
            3,
            Some("from __future__ import annotations"),
            "import typing as t\nfrom datetime import datetime",
            "class BadData(Exception):",
            &["_t_opt_any = _t.Optional[_t.Any]"],
        ));
        assert_eq!(lines(&bind(&[diff], &e)), vec![(1, 0, false), (3, 0, false)]);
    }

    /// An edit's two lines, verbatim between the lines it sat between, are its own, though a
    /// look-alike place holds a copy of its first line next to lines like its second (a person's
    /// three parameters in a sibling class): the edit's own second line contests nothing.
    #[test]
    fn a_look_alike_place_holding_the_edits_own_lines_does_not_contest_them() {
        let e = [placed(
            "e",
            "        payload: t.Any | None = None,\n        date_signed: datetime | None = None,\n",
            "message: str,",
            "super().__init__(message, payload)",
        )];
        let diff = placed_diff(&[
            (
                44,
                "message: str,",
                "        payload: t.Any | None = None,\n        date_signed: datetime | None = None,",
                "super().__init__(message, payload)",
            ),
            (
                77,
                "message: str,",
                "        payload: t.Any | None = None,\n        header: t.Any | None = None,\n        original_error: Exception | None = None,",
                "super().__init__(message, payload)",
            ),
        ]);
        assert_eq!(lines(&bind(&[diff], &e)), vec![(44, 0, false), (45, 0, false)]);
    }

    /// An agent added a line below an old one; a person deleted the old line and changed the new
    /// one a little. The block sits above the line the edit sat above, and its diff alone removed
    /// the line the edit sat below: `modified`. A bigger block there (a person's rewrite after
    /// the edit was undone) stays human.
    #[test]
    fn a_changed_line_whose_old_neighbour_the_diff_removed_is_modified() {
        let old = "    return legacy_load(data, strict=True)";
        let e = [placed(
            "e",
            "    return load_v2(data, strict=True)\n",
            old,
            "def dump(obj):",
        )];
        let one = |text: &str| {
            let mut diff = FileDiff::new("f.py".into(), None);
            diff.blocks
                .push(block(3, Some("data = parse(s)"), text, "def dump(obj):", &[old]));
            diff
        };
        let changed = one("    return load_v2(data, strict=True)  # checked");
        assert_eq!(lines(&bind(&[changed], &e)), vec![(3, 0, true)]);
        let rewritten = one("    if not data:\n        return None\n    return load_v3(data, strict=False)");
        assert_eq!(lines(&bind(&[rewritten], &e)), vec![]);
    }

    /// Identical lines of an edit are interchangeable in its order: a changed `return None`
    /// between the edit's first line and a `return None` claimed as its second is its third,
    /// edited (which copy a run claims is the runs' choice, not the edit's).
    #[test]
    fn identical_lines_leave_an_edited_ones_order_open() {
        let e = [entry(
            "e",
            "t1",
            "f.py",
            "    v = compute(22, 7)\n    return None\n    return None\n    log.info(\"step 79\")\n    w = 80\n",
        )];
        let typed = "    v = compute(22, 7)\n    return None  # checked\n    return None\n    log.info(\"step 89\")\n    w = 80";
        assert_eq!(
            lines(&bind(&[diff("f.py", &[(35, typed)])], &e)),
            vec![
                (35, 0, false),
                (36, 0, true),
                (37, 0, false),
                (38, 0, true),
                (39, 0, false)
            ]
        );
    }
}
