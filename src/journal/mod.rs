//! The staging journal (DESIGN §2.1): recorded AI edits waiting for a commit.
//!
//! It lives in `<git-common-dir>/lineage/`, shared by all worktrees. Each entry is one file,
//! `journal/<id>.json`, written to a temporary file and renamed into place, so concurrent
//! recorders never touch the same file and a crash leaves either the whole entry or nothing.
//! Commit-time settlement (which rewrites or removes entries) runs under an exclusive lock on
//! `lineage/lock`, so two commits in two worktrees never settle the same entry twice.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result};

use crate::model::Entry;

mod record;

pub use record::{MAX_INSERTED_BYTES, NewEdit, check_inserted, make_entry};

/// Temporary files older than this are leftovers of a crashed writer.
const STALE_TEMP_AGE: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct Journal {
    root: PathBuf,
}

/// The journal's entries, newest first, and the files that could not be read.
#[derive(Debug, Default)]
pub struct Loaded {
    pub entries: Vec<Entry>,
    pub damaged: Vec<Damaged>,
}

#[derive(Debug)]
pub struct Damaged {
    pub path: PathBuf,
    pub problem: String,
}

/// Holds the journal's settlement lock until dropped.
pub struct SettleLock {
    _file: fs::File,
}

impl Journal {
    /// The journal of a repository whose common git dir is `common_dir`.
    pub fn in_common_dir(common_dir: &Path) -> Journal {
        Journal {
            root: common_dir.join("lineage"),
        }
    }

    /// `<common-dir>/lineage`: the journal, its lock, its log and quarantine.
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn entries_dir(&self) -> PathBuf {
        self.root.join("journal")
    }

    pub fn quarantine_dir(&self) -> PathBuf {
        self.root.join("quarantine")
    }

    pub fn log_path(&self) -> PathBuf {
        self.root.join("log")
    }

    pub fn exists(&self) -> bool {
        self.entries_dir().is_dir()
    }

    pub fn create(&self) -> Result<()> {
        let dir = self.entries_dir();
        fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))
    }

    fn entry_path(&self, id: &str) -> PathBuf {
        self.entries_dir().join(format!("{id}.json"))
    }

    /// Adds a new entry atomically. Returns `false` when an identical entry (same id) is
    /// already there.
    pub fn append(&self, entry: &Entry) -> Result<bool> {
        self.create()?;
        let temp = self.write_temp(entry)?;
        match temp.persist_noclobber(self.entry_path(&entry.id)) {
            Ok(_) => Ok(true),
            Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(e.error).context("cannot add the entry to the journal"),
        }
    }

    /// Replaces an entry (its progress changed) atomically.
    pub fn update(&self, entry: &Entry) -> Result<()> {
        let temp = self.write_temp(entry)?;
        temp.persist(self.entry_path(&entry.id))
            .map(drop)
            .context("cannot update the journal entry")
    }

    pub fn remove(&self, id: &str) -> Result<()> {
        match fs::remove_file(self.entry_path(id)) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => {
                Err(e).context("cannot remove the settled journal entry")
            }
            _ => Ok(()),
        }
    }

    fn write_temp(&self, entry: &Entry) -> Result<tempfile::NamedTempFile> {
        let dir = self.entries_dir();
        let mut temp = tempfile::Builder::new()
            .prefix(".tmp-")
            .tempfile_in(&dir)
            .with_context(|| format!("cannot write in the journal {}", dir.display()))?;
        serde_json::to_writer(&mut temp, entry)?;
        temp.write_all(b"\n")?;
        Ok(temp)
    }

    /// Every readable entry, newest first. Unreadable files are reported, not fatal.
    pub fn load(&self) -> Result<Loaded> {
        let dir = self.entries_dir();
        let listing = match fs::read_dir(&dir) {
            Ok(listing) => listing,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Loaded::default()),
            Err(e) => return Err(e).with_context(|| format!("cannot read {}", dir.display())),
        };
        let mut loaded = Loaded::default();
        for item in listing {
            let path = item?.path();
            if path.extension().is_none_or(|ext| ext != "json") {
                continue;
            }
            match read_entry(&path) {
                Ok(entry) => loaded.entries.push(entry),
                Err(problem) => loaded.damaged.push(Damaged { path, problem }),
            }
        }
        loaded
            .entries
            .sort_by(|a, b| b.recorded_at.cmp(&a.recorded_at).then_with(|| a.id.cmp(&b.id)));
        Ok(loaded)
    }

    /// Moves a damaged entry file aside (never deletes it) and returns where it went.
    pub fn quarantine(&self, path: &Path) -> Result<PathBuf> {
        let dir = self.quarantine_dir();
        fs::create_dir_all(&dir)?;
        let name = path.file_name().context("a journal file has a name")?;
        let target = dir.join(name);
        fs::rename(path, &target).with_context(|| format!("cannot move {} aside", path.display()))?;
        Ok(target)
    }

    /// Removes temporary files a crashed writer left behind.
    pub fn sweep_temp_files(&self) {
        let Ok(listing) = fs::read_dir(self.entries_dir()) else {
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

    /// Takes the settlement lock, waiting for another commit's hook to finish.
    pub fn lock(&self) -> Result<SettleLock> {
        fs::create_dir_all(&self.root)?;
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(self.root.join("lock"))
            .context("cannot open the journal lock")?;
        file.lock().context("cannot lock the journal")?;
        Ok(SettleLock { _file: file })
    }

    /// Appends a line to `lineage/log`: what hooks warned about, for later reading.
    pub fn log(&self, message: &str) {
        let line = format!("{} {message}\n", crate::clock::format(crate::clock::now()));
        let _ = fs::create_dir_all(&self.root).and_then(|_| {
            fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.log_path())?
                .write_all(line.as_bytes())
        });
    }
}

fn read_entry(path: &Path) -> Result<Entry, String> {
    let bytes = fs::read(path).map_err(|e| e.to_string())?;
    let entry: Entry = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let expected = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
    if entry.id != expected {
        return Err(format!("its id {} does not match its file name", entry.id));
    }
    Ok(entry)
}
