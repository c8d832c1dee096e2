//! The staging store, the journal (DESIGN §2.1): recorded AI edits waiting for a commit.
//!
//! It lives in `<git-common-dir>/lineage/journal/`, shared by all worktrees, as an append log:
//! `entries.jsonl` holds one entry per line, and every change to it happens under an exclusive
//! lock on `journal/lock`.
//!
//! - `record` appends one line in one write. A writer killed mid-write leaves a last line
//!   without its newline; readers ignore such a tail, and the next writer cuts it off before
//!   appending, so a torn entry never merges with the next one.
//! - The commit hooks read the log once and, after the note is written, replace it in one
//!   rename with the entries that stay pending. Commit-time cost is one read and one write,
//!   whatever the number of entries: a file per entry made the hooks read and unlink a thousand
//!   files per commit.
//! - Lines that do not parse (damage from outside) are moved to `lineage/quarantine.jsonl`
//!   at settlement, never dropped.
//! - The prepare-commit-msg hook appends a marker line, [`PREPARED_MARKER`] (with `printf`,
//!   starting no process; after a newline, which ends a torn tail as a line of its own): the
//!   entries appended after the last marker were recorded while the commit was being made (its
//!   message being written), so they do not bind to it. A settlement drops markers; a marker
//!   lost to a concurrent settlement only means that every entry may bind, as before markers
//!   existed.
//! - The post-commit script, for a commit with nothing pending and nothing to carry, starts no
//!   process either: it appends the commit to the seen log and to `lineage/unnoted`, the
//!   commits owed a `seen` note, which the next lineage process that writes or reads notes
//!   writes for all of them at once ([`Journal::take_owed`]).

use std::collections::HashSet;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};

use crate::git::Repo;
use crate::model::{Entry, ObjectId};
use crate::parallel;

mod sessions;

pub use sessions::SessionState;

/// The line prepare-commit-msg appends to the log (see the module's documentation); the hook
/// script writes the same bytes.
pub const PREPARED_MARKER: &str = r#"{"prepared":1}"#;

/// Temporary files older than this are leftovers of a crashed writer.
const STALE_TEMP_AGE: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct Journal {
    root: PathBuf,
}

/// A replacement log written beside the log (and synced, when a power cut could lose
/// something), waiting to be put in place ([`Journal::prepare_settlement`]).
pub struct Settlement {
    temp: tempfile::NamedTempFile,
    log: PathBuf,
    dir: PathBuf,
    quarantine: PathBuf,
    /// Lines that do not parse, moved to the quarantine when the replacement is put in place.
    damaged: Vec<String>,
    /// Whether entries stay pending or damaged lines move: only then can a power cut lose
    /// anything, and only then is the move synced.
    synced: bool,
}

impl Settlement {
    /// Moves the damaged lines to the quarantine, puts the replacement in place (one rename)
    /// and, when it is synced, syncs the directory that holds its name.
    pub fn finish(self) -> Result<()> {
        if !self.damaged.is_empty() {
            let mut quarantine = OpenOptions::new()
                .create(true)
                .append(true)
                .open(&self.quarantine)
                .context("cannot open the journal quarantine")?;
            for line in &self.damaged {
                writeln!(quarantine, "{line}").context("cannot write the journal quarantine")?;
            }
            quarantine
                .sync_all()
                .context("cannot sync the journal quarantine")?;
        }
        self.temp
            .persist(&self.log)
            .context("cannot replace the journal")?;
        if !self.synced {
            return Ok(());
        }
        File::open(&self.dir)
            .and_then(|d| d.sync_all())
            .context("cannot sync the journal directory")
    }
}

/// The journal's entries, newest first, and the lines that could not be read.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub damaged: Vec<Damaged>,
    /// The ids of the log's entries appended after its last [`PREPARED_MARKER`]: recorded
    /// while the commit being settled was made (none without a marker).
    pub unprepared: HashSet<String>,
    /// How many [`PREPARED_MARKER`]s the log holds: a settlement drops them all.
    pub markers: usize,
}

#[derive(Debug, Clone)]
pub struct Damaged {
    /// 1-based line of `entries.jsonl`.
    pub line: usize,
    pub text: String,
    pub problem: String,
}

impl Loaded {
    /// Splits the entries: this work tree's (see [`recorded_here`]), and the others. Entries of
    /// a work tree that no longer exists count as this one's too, so that they still expire;
    /// binding leaves them out. Damaged lines stay in `self`.
    pub fn take_worktree_entries(&mut self, repo: &Repo) -> (Vec<Entry>, Vec<Entry>) {
        let here = Here::of(repo);
        let entries = std::mem::take(&mut self.entries);
        // Usually all are: then none moves (a thousand entries moved cost ~0.4 ms).
        if entries.iter().all(|e| here.recorded(e)) {
            return (entries, Vec::new());
        }
        entries.into_iter().partition(|e| {
            here.recorded(e) || e.worktree.as_deref().is_some_and(|w| !repo.worktree_exists(w))
        })
    }
}

/// The journal's lines parsed, in order: its entries, with where each one's line starts; where
/// the log's markers stand; the lines that are no entry.
#[derive(Default)]
struct Parsed {
    entries: Vec<Entry>,
    offsets: Vec<usize>,
    markers: Vec<usize>,
    damaged: Vec<Damaged>,
}

/// Below this, the journal is parsed on one thread.
const PARSE_IN_TWO_ABOVE: usize = 64 * 1024;

/// Parses the complete lines of `text`, whose log ends at `log_end` (spilled entries follow).
/// A large journal is parsed in two halves at once: at a thousand entries the parse is the
/// hook's longest step (~2 ms on one core).
fn parse_lines(text: &[u8], log_end: usize) -> Parsed {
    let lines = memchr::memchr_iter(b'\n', text).count() + 1;
    let middle = (text.len() > PARSE_IN_TWO_ABOVE)
        .then(|| memchr::memchr(b'\n', &text[text.len() / 2..]).map(|at| text.len() / 2 + at))
        .flatten();
    let Some(middle) = middle else {
        return parse_part(text, 0, 0, log_end, lines);
    };
    let (head, tail) = (&text[..middle], &text[middle + 1..]);
    let tail_line = memchr::memchr_iter(b'\n', head).count() + 1;
    let (mut parsed, tail) = parallel::join(
        // Room for the tail's entries too: they join these without moving twice.
        || parse_part(head, 0, 0, log_end, lines),
        || parse_part(tail, middle + 1, tail_line, log_end, lines - tail_line),
    );
    parsed.entries.extend(tail.entries);
    parsed.offsets.extend(tail.offsets);
    parsed.markers.extend(tail.markers);
    parsed.damaged.extend(tail.damaged);
    parsed
}

/// Parses the lines of `part`, which starts at byte `offset` and line `line` (0-based) of the
/// journal's text, with room for `capacity` entries.
fn parse_part(part: &[u8], mut offset: usize, line: usize, log_end: usize, capacity: usize) -> Parsed {
    let mut parsed = Parsed::default();
    parsed.entries.reserve(capacity);
    parsed.offsets.reserve(capacity);
    for (index, raw) in part.split(|&b| b == b'\n').enumerate() {
        let at = offset;
        offset += raw.len() + 1;
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if at < log_end && raw.trim_ascii() == PREPARED_MARKER.as_bytes() {
            parsed.markers.push(at);
            continue;
        }
        match serde_json::from_slice::<Entry>(raw) {
            Ok(entry) => {
                parsed.entries.push(entry);
                parsed.offsets.push(at);
            }
            Err(e) => parsed.damaged.push(Damaged {
                line: line + index + 1,
                text: String::from_utf8_lossy(raw).into_owned(),
                problem: e.to_string(),
            }),
        }
    }
    parsed
}

/// Whether the file at `path` holds what `finder` looks for, read through a small buffer: the
/// whole log read at once would take fresh memory, which costs more than the search
/// (a quarter of a millisecond at a thousand entries).
fn file_holds(path: &Path, finder: &memchr::memmem::Finder<'_>) -> bool {
    let Ok(mut file) = File::open(path) else {
        return false;
    };
    let mut buffer = vec![0; 64 * 1024];
    // Bytes kept from the previous read: a match may straddle two.
    let mut kept = 0;
    loop {
        let read = match file.read(&mut buffer[kept..]) {
            Ok(0) => return false,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => return false,
        };
        let end = kept + read;
        if finder.find(&buffer[..end]).is_some() {
            return true;
        }
        kept = (finder.needle().len().saturating_sub(1)).min(end);
        buffer.copy_within(end - kept..end, 0);
    }
}

/// Sorts entries newest first, then by id. Their order is sorted by index, with the keys
/// borrowed, and then each entry is swapped into place once: a merge sort moving a thousand
/// entries about costs a millisecond, and cloning their keys (`sort_by_cached_key`) a third of
/// one.
fn sort_newest_first(entries: &mut [Entry]) {
    let newest_first = |a: &Entry, b: &Entry| b.recorded_at.cmp(&a.recorded_at).then_with(|| a.id.cmp(&b.id));
    if entries.is_sorted_by(|a, b| newest_first(a, b).is_le()) {
        return;
    }
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&a, &b| newest_first(&entries[a], &entries[b]));
    // Place i takes the entry `order[i]` names, from wherever earlier swaps moved it (the
    // permutation `sort_by_cached_key` applies).
    for i in 0..order.len() {
        let mut from = order[i];
        while from < i {
            from = order[from];
        }
        order[i] = from;
        entries.swap(i, from);
    }
}

/// The work tree a command runs in, as entries name it.
pub struct Here {
    id: String,
    /// How entries recorded before work trees had ids named it: its path.
    legacy_id: String,
}

impl Here {
    pub fn of(repo: &Repo) -> Here {
        Here {
            id: repo.worktree_id(),
            legacy_id: repo.legacy_worktree_id(),
        }
    }

    /// Whether `entry` was recorded in this work tree (or before entries named theirs): only
    /// such entries may bind to its commits.
    pub fn recorded(&self, entry: &Entry) -> bool {
        entry
            .worktree
            .as_deref()
            .is_none_or(|w| w == self.id || w == self.legacy_id)
    }
}

/// How long a lineage process waits for another to release the journal before giving up; a
/// hook must never hang a commit.
const LOCK_WAIT: Duration = Duration::from_secs(3);

/// How long `record` waits for the lock before it writes its entry to a spill file instead: an
/// agent's edit is never dropped, nor the agent held up, because a settlement is running.
const APPEND_LOCK_WAIT: Duration = Duration::from_millis(250);

/// What an append did besides adding the entry.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Appended {
    /// The journal was busy: the entry went to a spill file, which the next commit absorbs.
    pub spilled: bool,
    /// A torn last line (from a recorder killed mid-write) was moved to the quarantine.
    pub torn_tail_quarantined: bool,
}

/// Holds the journal's lock until dropped. Settlement needs it.
pub struct JournalLock {
    _file: File,
}

impl Journal {
    /// The journal of `repo`, shared by all its worktrees.
    pub fn of(repo: &Repo) -> Journal {
        Journal::in_common_dir(repo.common_dir())
    }

    /// The journal of a repository whose common git dir is `common_dir`.
    pub fn in_common_dir(common_dir: &Path) -> Journal {
        Journal {
            root: common_dir.join("lineage"),
        }
    }

    /// `<common-dir>/lineage`: the journal, the hook log and the quarantine.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn dir(&self) -> PathBuf {
        self.root.join("journal")
    }

    pub fn entries_path(&self) -> PathBuf {
        self.dir().join("entries.jsonl")
    }

    pub fn quarantine_path(&self) -> PathBuf {
        self.root.join("quarantine.jsonl")
    }

    pub fn log_path(&self) -> PathBuf {
        self.root.join("log")
    }

    pub fn exists(&self) -> bool {
        self.dir().is_dir()
    }

    /// Whether the log or a spill file holds `needle`, told without parsing them.
    pub fn mentions(&self, needle: &str) -> bool {
        let finder = memchr::memmem::Finder::new(needle.as_bytes());
        file_holds(&self.entries_path(), &finder)
            || self
                .spill_files()
                .iter()
                .any(|(_, bytes)| finder.find(bytes).is_some())
    }

    /// Whether nothing is pending, told without reading the log: it is empty or absent, and
    /// nothing is spilled.
    pub fn is_empty(&self) -> bool {
        let log_empty = fs::metadata(self.entries_path()).map_or(true, |m| m.len() == 0);
        log_empty && self.spill_files().is_empty()
    }

    pub fn create(&self) -> Result<()> {
        let dir = self.dir();
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))
    }

    fn spill_dir(&self) -> PathBuf {
        self.dir().join("spill")
    }

    /// Takes the journal's exclusive lock, waiting for the holder to finish.
    pub fn lock(&self) -> Result<JournalLock> {
        self.lock_within(LOCK_WAIT)?.with_context(|| {
            format!("the journal is locked by another lineage process (waited {LOCK_WAIT:?})")
        })
    }

    /// The lock if it is free now, else `None` at once.
    pub fn try_lock(&self) -> Option<JournalLock> {
        self.lock_within(Duration::ZERO).ok().flatten()
    }

    /// The lock, or `None` when another process held it for all of `wait`.
    fn lock_within(&self, wait: Duration) -> Result<Option<JournalLock>> {
        self.create()?;
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.dir().join("lock"))
            .context("cannot open the journal lock")?;
        let deadline = std::time::Instant::now() + wait;
        loop {
            match file.try_lock() {
                Ok(()) => return Ok(Some(JournalLock { _file: file })),
                Err(fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(fs::TryLockError::WouldBlock) => return Ok(None),
                Err(fs::TryLockError::Error(e)) => return Err(e).context("cannot lock the journal"),
            }
        }
    }

    /// Appends an entry: one line, one write, under the lock; or, when a settlement holds the
    /// lock too long, one spill file of its own (written whole, then renamed into place).
    pub fn append(&self, entry: &Entry) -> Result<Appended> {
        let mut line = serde_json::to_vec(entry)?;
        line.push(b'\n');
        let Some(_lock) = self.lock_within(APPEND_LOCK_WAIT)? else {
            self.spill(entry)?;
            return Ok(Appended {
                spilled: true,
                ..Appended::default()
            });
        };
        let (_, torn) = self.append_lines(&line)?;
        Ok(Appended {
            spilled: false,
            torn_tail_quarantined: torn,
        })
    }

    /// Appends whole lines to the log in one write, after cutting off a torn tail (returned:
    /// whether there was one). Call with the lock held.
    fn append_lines(&self, lines: &[u8]) -> Result<(File, bool)> {
        let mut log = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(self.entries_path())
            .context("cannot open the journal")?;
        let torn = self.cut_torn_tail(&mut log)?;
        log.write_all(lines).context("cannot append to the journal")?;
        Ok((log, torn))
    }

    /// prepare-commit-msg's marker (for hook scripts of earlier versions, which do not append
    /// it themselves): skipped when the lock is busy, which only lets later entries bind.
    pub fn mark_prepared(&self) -> Result<()> {
        if self.is_empty() {
            return Ok(());
        }
        if let Some(_lock) = self.lock_within(APPEND_LOCK_WAIT)? {
            self.append_lines(format!("{PREPARED_MARKER}\n").as_bytes())?;
        }
        Ok(())
    }

    fn spill(&self, entry: &Entry) -> Result<()> {
        let dir = self.spill_dir();
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
        let mut temp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        serde_json::to_writer(&mut temp, entry)?;
        let name = format!(
            "{}.json",
            entry
                .id
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        );
        temp.persist(dir.join(name))
            .context("cannot write a spill file")?;
        Ok(())
    }

    /// Moves spilled entries into the log (call with the lock held, before loading for a
    /// settlement). The spill files are deleted only after their lines are appended and synced,
    /// and a settlement runs only after this succeeded, so a crash can duplicate an entry
    /// (loading counts it once) but never bring a settled one back.
    pub fn absorb_spill(&self, _lock: &JournalLock) -> Result<usize> {
        let files = self.spill_files();
        if files.is_empty() {
            return Ok(0);
        }
        let mut lines = Vec::new();
        for (_, bytes) in &files {
            lines.extend_from_slice(bytes.trim_ascii());
            lines.push(b'\n');
        }
        // Spilled while a settlement held the lock, most likely before the commit being made
        // was prepared: they go before a marker again, free to bind to it.
        if self.mentions(PREPARED_MARKER) {
            lines.extend_from_slice(PREPARED_MARKER.as_bytes());
            lines.push(b'\n');
        }
        let (log, _) = self.append_lines(&lines)?;
        log.sync_all().context("cannot sync the journal")?;
        for (path, _) in &files {
            fs::remove_file(path).with_context(|| format!("cannot remove {}", path.display()))?;
        }
        Ok(files.len())
    }

    /// The spill files and their contents (leftover temporary files aside).
    fn spill_files(&self) -> Vec<(PathBuf, Vec<u8>)> {
        let Ok(listing) = fs::read_dir(self.spill_dir()) else {
            return Vec::new();
        };
        let mut files: Vec<(PathBuf, Vec<u8>)> = listing
            .flatten()
            .map(|item| item.path())
            .filter(|path| path.extension().is_some_and(|e| e == "json"))
            .filter_map(|path| Some((fs::read(&path).ok()?, path)))
            .map(|(bytes, path)| (path, bytes))
            .collect();
        files.sort();
        files
    }

    /// Every readable entry, newest first (an entry appended twice counts once), spilled ones
    /// included: they are pending as soon as they exist. Reading needs no lock: appends and
    /// replacements never expose a torn line as complete.
    pub fn load(&self) -> Result<Loaded> {
        self.load_with(true)
    }

    /// The entries of the log alone, for a settlement (with the lock held, after
    /// [`Journal::absorb_spill`]): a spill file written since must not get a fate now, or it
    /// would come back when absorbed next time.
    pub fn load_log(&self) -> Result<Loaded> {
        self.load_with(false)
    }

    fn load_with(&self, spilled: bool) -> Result<Loaded> {
        let mut text = match fs::read(self.entries_path()) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e).context("cannot read the journal"),
        };
        // Spilled entries go after the log's complete lines (a torn tail of the log stays
        // out), one line each.
        let spilled = if spilled { self.spill_files() } else { Vec::new() };
        // Where the log's lines end and the spilled ones begin.
        let mut log_end = text.len();
        if !spilled.is_empty() {
            let end = text.iter().rposition(|&b| b == b'\n').map_or(0, |e| e + 1);
            text.truncate(end);
            log_end = end;
            for (_, bytes) in spilled {
                text.extend_from_slice(bytes.trim_ascii());
                text.push(b'\n');
            }
        }
        // The text after the last newline is an append in progress (or torn): not an entry yet.
        let complete = text
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(&text[..0], |end| &text[..end]);
        let mut parsed = parse_lines(complete, log_end);
        // An entry the journal holds twice counts once, where it first appears.
        let mut seen: crate::model::HashSet<&str> = HashSet::default();
        seen.reserve(parsed.entries.len());
        let first: Vec<bool> = parsed
            .entries
            .iter()
            .map(|e| seen.insert(e.id.as_str()))
            .collect();
        drop(seen);
        let mut loaded = Loaded {
            damaged: parsed.damaged,
            markers: parsed.markers.len(),
            ..Loaded::default()
        };
        // The log's entries after its last marker.
        if let Some(&marker) = parsed.markers.last() {
            loaded.unprepared = parsed
                .entries
                .iter()
                .zip(&parsed.offsets)
                .zip(&first)
                .filter(|((_, at), first)| **first && **at > marker && **at < log_end)
                .map(|((e, _), _)| e.id.clone())
                .collect();
        }
        if first.contains(&false) {
            let mut first = first.iter();
            parsed.entries.retain(|_| first.next().is_some_and(|&f| f));
        }
        loaded.entries = parsed.entries;
        sort_newest_first(&mut loaded.entries);
        Ok(loaded)
    }

    /// Settling, first half: writes the log's replacement, `pending`, beside it (synced to
    /// disk when it holds entries). [`Settlement::finish`] moves `damaged` lines to the
    /// quarantine and puts the replacement in place (atomically, by rename): call that with
    /// the lock held, after the note that accounts for every entry left out was written.
    /// Dropped unfinished, it leaves the journal as it was, so it may be written while the
    /// note is.
    pub fn prepare_settlement(
        &self,
        _lock: &JournalLock,
        pending: &[Entry],
        damaged: &[Damaged],
    ) -> Result<Settlement> {
        let dir = self.dir();
        let mut temp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&dir)
            .with_context(|| format!("cannot write in {}", dir.display()))?;
        {
            let mut out = io::BufWriter::new(&mut temp);
            for entry in pending {
                serde_json::to_writer(&mut out, entry)?;
                out.write_all(b"\n")?;
            }
            out.flush()?;
        }
        // A rename of a file whose data is not on disk yet can leave an empty journal after a
        // power cut: with entries pending (or damaged lines moving), sync the data before the
        // rename, and the directory that holds the name after. An empty replacement has
        // nothing to lose, and its syncs are not free: each commits the filesystem's journal,
        // which first writes out the data git just wrote (the 8 MB index of a 100,000-file
        // repository: ~7 ms). Should a power cut undo its rename, it undoes what followed too
        // (the filesystem keeps its metadata changes in order): the old log comes back, as
        // after a post-commit killed right after writing the note, and the next hook recovers
        // as from that kill (ARCHITECTURE.md, Known limits).
        let synced = !pending.is_empty() || !damaged.is_empty();
        if synced {
            temp.as_file().sync_all().context("cannot sync the journal")?;
        }
        Ok(Settlement {
            temp,
            log: self.entries_path(),
            dir,
            quarantine: self.quarantine_path(),
            damaged: damaged.iter().map(|d| d.text.clone()).collect(),
            synced,
        })
    }

    /// Truncates the log after its last newline: a writer killed mid-append left a torn line
    /// that was never acknowledged, and the next line must not be glued to it. The torn bytes
    /// go to the quarantine, not away. Returns whether there was a torn line.
    fn cut_torn_tail(&self, log: &mut File) -> Result<bool> {
        let len = log.metadata()?.len();
        if len == 0 {
            return Ok(false);
        }
        let mut last = [0u8; 1];
        log.seek(SeekFrom::Start(len - 1))?;
        log.read_exact(&mut last)?;
        if last[0] == b'\n' {
            return Ok(false);
        }
        let mut keep = len;
        let mut chunk = vec![0u8; 64 * 1024];
        while keep > 0 {
            let start = keep.saturating_sub(chunk.len() as u64);
            let buf = &mut chunk[..(keep - start) as usize];
            log.seek(SeekFrom::Start(start))?;
            log.read_exact(buf)?;
            if let Some(pos) = buf.iter().rposition(|&b| b == b'\n') {
                keep = start + pos as u64 + 1;
                break;
            }
            keep = start;
        }
        let mut torn = Vec::with_capacity((len - keep) as usize);
        log.seek(SeekFrom::Start(keep))?;
        log.read_to_end(&mut torn)?;
        torn.push(b'\n');
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.quarantine_path())
            .and_then(|mut q| q.write_all(&torn))
            .context("cannot quarantine the journal's torn last line")?;
        log.set_len(keep)
            .context("cannot repair the journal's torn last line")?;
        Ok(true)
    }

    fn seen_path(&self) -> PathBuf {
        self.root.join("seen")
    }

    /// Notes that the hooks handled `commit` (bound it, or found nothing to bind): the commits
    /// the hooks never handled (a killed post-commit, a client that skips hooks) are the ones
    /// that are not here. One line, appended in one write, no lock needed.
    pub fn mark_seen(&self, commit: ObjectId) -> Result<()> {
        self.mark_all_seen(&[commit])
    }

    /// [`Journal::mark_seen`] for many commits, in one write.
    pub fn mark_all_seen(&self, commits: &[ObjectId]) -> Result<()> {
        fs::create_dir_all(&self.root)?;
        let lines: String = commits.iter().map(|c| format!("{c}\n")).collect();
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.seen_path())
            .and_then(|mut f| f.write_all(lines.as_bytes()))
            .context("cannot write lineage/seen")
    }

    /// Starts an empty seen log: the repository has no commit yet, so every commit to come is
    /// the hooks' own.
    pub fn start_seen(&self) -> Result<()> {
        fs::create_dir_all(&self.root)?;
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.seen_path())
            .map(drop)
            .context("cannot write lineage/seen")
    }

    /// The commits the hooks handled, or `None` before the log exists (a repository set up
    /// before lineage kept it: nothing earlier is taken for missed).
    pub fn seen(&self) -> Option<HashSet<ObjectId>> {
        let text = fs::read_to_string(self.seen_path()).ok()?;
        Some(text.lines().filter_map(ObjectId::from_hex).collect())
    }

    fn unnoted_path(&self) -> PathBuf {
        self.root.join("unnoted")
    }

    /// The owed commits being written: the script appends to `unnoted` by name, so a writer
    /// moves it aside first.
    fn taken_path(&self) -> PathBuf {
        self.root.join("unnoted.taken")
    }

    /// Whether the post-commit script left commits whose `seen` note is not written yet.
    pub fn owes_notes(&self) -> bool {
        self.unnoted_path().exists() || self.taken_path().exists()
    }

    /// The commits owed a `seen` note (see the module's documentation). The list is moved
    /// aside first, unless a writer that died left one there (that one comes first); call again
    /// after writing the notes to see lines a script appended while the list was moved, then
    /// [`Journal::forget_owed`].
    pub fn take_owed(&self, _lock: &JournalLock) -> Result<Vec<ObjectId>> {
        let taken = self.taken_path();
        if !taken.exists() {
            match fs::rename(self.unnoted_path(), &taken) {
                Ok(()) => {}
                Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
                Err(e) => return Err(e).context("cannot take lineage/unnoted"),
            }
        }
        let text = fs::read(&taken).context("cannot read lineage/unnoted.taken")?;
        Ok(String::from_utf8_lossy(&text)
            .lines()
            .filter_map(ObjectId::from_hex)
            .collect())
    }

    /// Drops the list [`Journal::take_owed`] took, once its notes are written.
    pub fn forget_owed(&self, _lock: &JournalLock) -> Result<()> {
        let taken = self.taken_path();
        if taken.exists() {
            fs::remove_file(taken).context("cannot remove lineage/unnoted.taken")?;
        }
        Ok(())
    }

    /// Keeps the seen log short: past 4,096 lines, the newest 1,024 stay (a missed commit is
    /// always newer than the last handled one, which the walk stops at).
    pub fn compact_seen(&self, _lock: &JournalLock) -> Result<()> {
        let Ok(text) = fs::read_to_string(self.seen_path()) else {
            return Ok(());
        };
        let lines: Vec<&str> = text.lines().collect();
        if lines.len() <= 4096 {
            return Ok(());
        }
        let mut temp = tempfile::Builder::new().prefix(".tmp-").tempfile_in(&self.root)?;
        for line in &lines[lines.len() - 1024..] {
            writeln!(temp, "{line}")?;
        }
        temp.persist(self.seen_path())
            .map(drop)
            .context("cannot compact lineage/seen")
    }

    /// Removes temporary files a crashed settlement left behind.
    pub fn sweep_temp_files(&self) {
        let Ok(listing) = fs::read_dir(self.dir()) else {
            return;
        };
        let now = SystemTime::now();
        for item in listing.flatten() {
            let stale = item.file_name().to_string_lossy().starts_with(".tmp-")
                && item
                    .metadata()
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| now.duration_since(t).unwrap_or_default() > STALE_TEMP_AGE);
            if stale {
                let _ = fs::remove_file(item.path());
            }
        }
    }

    /// Appends a line to `lineage/log`: what hooks warned about, for later reading.
    pub fn log(&self, message: &str) {
        let line = format!("{} {message}\n", crate::clock::format(crate::clock::now()));
        let _ = fs::create_dir_all(&self.root).and_then(|_| {
            OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.log_path())?
                .write_all(line.as_bytes())
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(text: &str) -> Entry {
        Entry {
            id: String::new(),
            recorded_at: "2026-01-01T00:00:00Z".into(),
            tool: "t".into(),
            file: "a.rs".into(),
            inserted: text.into(),
            source: "cli".into(),
            ..Entry::default()
        }
        .seal()
    }

    proptest::proptest! {
        #[test]
        fn entries_are_sorted_newest_first_then_by_id(
            keys in proptest::collection::vec((0u8..4, 0u16..500), 0..60)
        ) {
            let mut entries: Vec<Entry> = keys
                .iter()
                .map(|&(second, id)| Entry {
                    recorded_at: format!("2026-01-01T00:00:0{second}Z"),
                    id: format!("{id:03}"),
                    ..Entry::default()
                })
                .collect();
            let mut expected = entries.clone();
            expected.sort_by_cached_key(|e| (std::cmp::Reverse(e.recorded_at.clone()), e.id.clone()));
            sort_newest_first(&mut entries);
            let keys = |entries: &[Entry]| -> Vec<(String, String)> {
                entries.iter().map(|e| (e.recorded_at.clone(), e.id.clone())).collect()
            };
            proptest::prop_assert_eq!(keys(&entries), keys(&expected));
        }
    }

    #[test]
    fn the_log_mentions_a_text_wherever_it_stands_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::in_common_dir(dir.path());
        journal.create().unwrap();
        assert!(!journal.mentions("\"late\":"), "no log yet");
        // Around the end of the first and of the second buffer's worth, and at the very end.
        for at in [0, 65_530, 65_536, 131_060, 200_000] {
            let mut log = vec![b'x'; at];
            log.extend_from_slice(b"\"late\":");
            fs::write(journal.entries_path(), &log).unwrap();
            assert!(journal.mentions("\"late\":"), "at {at}");
            assert!(!journal.mentions("\"late\":1"), "at {at}");
        }
    }

    #[test]
    fn torn_tail_is_ignored_then_cut_before_the_next_append() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::in_common_dir(dir.path());
        journal.append(&entry("one\n")).unwrap();
        let torn = serde_json::to_string(&entry("two\n")).unwrap();
        let mut log = OpenOptions::new()
            .append(true)
            .open(journal.entries_path())
            .unwrap();
        log.write_all(&torn.as_bytes()[..torn.len() / 2]).unwrap();
        let loaded = journal.load().unwrap();
        assert_eq!((loaded.entries.len(), loaded.damaged.len()), (1, 0));

        let appended = journal.append(&entry("three\n")).unwrap();
        assert!(appended.torn_tail_quarantined);
        let loaded = journal.load().unwrap();
        assert_eq!(loaded.entries.len(), 2);
        assert!(loaded.damaged.is_empty());
        let quarantined = fs::read_to_string(journal.quarantine_path()).unwrap();
        assert_eq!(
            quarantined,
            format!("{}\n", &torn[..torn.len() / 2]),
            "the torn bytes are kept"
        );
    }

    #[test]
    fn a_busy_journal_spills_and_the_next_settlement_absorbs() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::in_common_dir(dir.path());
        let (a, b) = (entry("a\n"), entry("b\n"));
        journal.append(&a).unwrap();
        let held = journal.lock().unwrap();
        let appended = journal.append(&b).unwrap();
        assert!(appended.spilled, "a held lock does not drop the entry");
        assert_eq!(
            journal.load().unwrap().entries.len(),
            2,
            "a spilled entry is pending at once"
        );
        assert_eq!(
            journal.load_log().unwrap().entries.len(),
            1,
            "a settlement sees the log only"
        );
        assert_eq!(journal.absorb_spill(&held).unwrap(), 1);
        drop(held);
        assert!(journal.spill_files().is_empty());
        let loaded = journal.load().unwrap();
        assert_eq!(loaded.entries.len(), 2);
        assert!(loaded.damaged.is_empty());
    }

    #[test]
    fn entries_after_the_last_marker_are_unprepared_and_spilled_ones_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::in_common_dir(dir.path());
        let (a, b, c, d) = (entry("a\n"), entry("b\n"), entry("c\n"), entry("d\n"));
        journal.mark_prepared().unwrap();
        assert!(journal.is_empty(), "no marker in an empty journal");
        journal.append(&a).unwrap();
        journal.mark_prepared().unwrap();
        journal.append(&b).unwrap();
        // The hook script's marker: after a newline, so a torn tail would end there.
        let mut log = OpenOptions::new()
            .append(true)
            .open(journal.entries_path())
            .unwrap();
        log.write_all(format!("\n{PREPARED_MARKER}\n").as_bytes())
            .unwrap();
        journal.append(&c).unwrap();
        let loaded = journal.load().unwrap();
        assert_eq!(
            (loaded.entries.len(), loaded.damaged.len()),
            (3, 0),
            "markers are not entries"
        );
        assert_eq!(
            loaded.unprepared,
            HashSet::from([c.id.clone()]),
            "after the last marker"
        );

        // Spilled while a settlement held the lock, then absorbed: before a marker again.
        let held = journal.lock().unwrap();
        assert!(journal.append(&d).unwrap().spilled);
        assert_eq!(journal.load().unwrap().unprepared, HashSet::from([c.id.clone()]));
        journal.absorb_spill(&held).unwrap();
        let loaded = journal.load_log().unwrap();
        assert_eq!(loaded.entries.len(), 4);
        assert!(loaded.unprepared.is_empty(), "{:?}", loaded.unprepared);

        // A settlement keeps entries, not markers.
        journal
            .prepare_settlement(&held, &loaded.entries, &[])
            .and_then(Settlement::finish)
            .unwrap();
        drop(held);
        let log = fs::read_to_string(journal.entries_path()).unwrap();
        assert!(!log.contains(PREPARED_MARKER), "{log}");
        assert_eq!(journal.load().unwrap().entries.len(), 4);
    }

    #[test]
    fn settle_keeps_pending_and_quarantines_damage() {
        let dir = tempfile::tempdir().unwrap();
        let journal = Journal::in_common_dir(dir.path());
        let (a, b) = (entry("a\n"), entry("b\n"));
        journal.append(&a).unwrap();
        journal.append(&a).unwrap();
        let mut log = OpenOptions::new()
            .append(true)
            .open(journal.entries_path())
            .unwrap();
        log.write_all(b"{not json}\n").unwrap();
        journal.append(&b).unwrap();
        let loaded = journal.load().unwrap();
        assert_eq!(loaded.entries.len(), 2, "a duplicate line counts once");
        assert_eq!(loaded.damaged[0].line, 3);

        let lock = journal.lock().unwrap();
        // A settlement dropped unfinished (the note could not be written) changes nothing: the
        // log keeps its entries and its damaged line, which is not in the quarantine yet.
        drop(journal.prepare_settlement(&lock, &[], &loaded.damaged).unwrap());
        let before = journal.load().unwrap();
        assert_eq!((before.entries.len(), before.damaged.len()), (2, 1));
        assert!(!journal.quarantine_path().exists());
        let temp_files = fs::read_dir(journal.dir())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(".tmp-")
            })
            .count();
        assert_eq!(temp_files, 0, "the unfinished replacement is removed");
        journal
            .prepare_settlement(&lock, std::slice::from_ref(&b), &loaded.damaged)
            .and_then(Settlement::finish)
            .unwrap();
        drop(lock);
        let after = journal.load().unwrap();
        assert_eq!(after.entries, vec![b]);
        assert!(after.damaged.is_empty());
        assert_eq!(
            fs::read_to_string(journal.quarantine_path()).unwrap(),
            "{not json}\n"
        );
    }
}
