//! The only place that talks to git: libgit2 (through `git2`) for reads and note writes, the
//! `git` CLI for blame and revision ranges. Ids leave this module as typed [`ObjectId`]s and
//! diffs as [`ChangedFile`]s, never as `git2` types. It sits at the bottom: it uses `model`
//! and `error`, and nothing above them (a test checks).

mod blame;
mod diff;
mod log;
mod notes;
mod objects;
mod paced;
mod remote;

use diff::Side;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use git2::{ErrorCode, Oid, Repository, RepositoryOpenFlags};

pub use blame::{BlameLine, BlameOptions, BlameSource, BlameWatch, LineText, TextLines};
pub use log::LoggedCommit;
pub use notes::{Backoff, MergedNotes, NOTES_REF, NoteBlob, NotesReader};
pub use remote::{Pushed, tracking_ref};

use crate::error::user_error;
use crate::model::{ChangedFile, ObjectId};

/// A libgit2 id as lineage's own.
fn id(oid: Oid) -> ObjectId {
    ObjectId::from_bytes(oid.as_bytes()).expect("libgit2 ids are 20 bytes")
}

/// lineage's id as libgit2's; libgit2 reads SHA-1 repositories only.
fn oid(id: ObjectId) -> Result<Oid> {
    Oid::from_bytes(id.as_bytes()).with_context(|| format!("{id} is not a SHA-1 object id"))
}

/// A `git` command, for what must run through git itself (the demo plays real commits).
pub fn command() -> std::process::Command {
    let mut git = std::process::Command::new("git");
    if let Some(tunables) = git_malloc_tunables(user_tunables().as_deref()) {
        git.env("GLIBC_TUNABLES", tunables);
    }
    git
}

/// glibc's malloc maps every allocation over 128 KiB afresh and unmaps it when it is freed,
/// and gives memory freed at the top of its heap back as soon as 128 KiB are free; the next
/// allocation faults it all in again. `git blame` of an 8,000-line file took 5,000 page faults
/// that way and 1,200 without (38 → 28 ms on this machine; a 3,000-commit file 814 → 797 ms).
/// git is a short-lived child here, so it keeps what it frees (lineage does too: see main.rs).
/// Both settings go together: either alone turns off glibc's own raising of the mapping
/// threshold, and the 3,000-commit blame then took five times the faults. A `glibc.malloc`
/// setting of the user's wins; other C libraries ignore the variable.
pub const MALLOC_MMAP_THRESHOLD: i32 = 64 << 20;
pub const MALLOC_TRIM_THRESHOLD: i32 = 256 << 20;

/// [`MALLOC_MMAP_THRESHOLD`] and [`MALLOC_TRIM_THRESHOLD`] as `GLIBC_TUNABLES` spells them.
pub fn malloc_tunables() -> String {
    format!(
        "glibc.malloc.mmap_threshold={MALLOC_MMAP_THRESHOLD}:glibc.malloc.trim_threshold={MALLOC_TRIM_THRESHOLD}"
    )
}

/// The user's `GLIBC_TUNABLES`, if set.
fn user_tunables() -> Option<String> {
    std::env::var("GLIBC_TUNABLES").ok()
}

/// Whether the user set one of glibc's malloc tunables: then lineage sets none.
pub fn user_tunes_malloc() -> bool {
    user_tunables().is_some_and(|set| tunes_malloc(&set))
}

fn tunes_malloc(tunables: &str) -> bool {
    tunables.contains("glibc.malloc.")
}

/// `GLIBC_TUNABLES` for git, given the user's (`None`: leave it as it is).
fn git_malloc_tunables(user: Option<&str>) -> Option<String> {
    match user {
        Some(set) if tunes_malloc(set) => None,
        Some(set) if !set.is_empty() => Some(format!("{set}:{}", malloc_tunables())),
        _ => Some(malloc_tunables()),
    }
}

pub struct Repo {
    repo: Repository,
    /// The index git named in the environment could not be read by libgit2 (a sparse or split
    /// index): git itself writes it as a tree where one is needed.
    index_through_git: bool,
}

/// A line of a reflog.
struct ReflogEntry {
    old: ObjectId,
    new: ObjectId,
    message: String,
}

/// A `git reset` in HEAD's reflog, followed by commits only.
struct Reset {
    /// Where HEAD was before it: the tip of what it may have left behind.
    from: ObjectId,
    /// Where it moved HEAD.
    to: ObjectId,
    /// The commits made since, newest first.
    made_since: Vec<ObjectId>,
    /// Whether each was made by a plain `git commit` (not an amend or a merge).
    plain_commits_since: bool,
}

/// Per path, a blob (`None`: the path holds no file there).
pub type Blobs = BTreeMap<String, Option<ObjectId>>;

/// The blobs at some paths in a commit and in its base: [`Repo::changes_of`] diffs them.
pub struct Compared {
    base: Option<ObjectId>,
    commit: ObjectId,
    before: Blobs,
    after: Blobs,
}

impl Compared {
    /// Whether `bytes` are the commit's blob at `path` (a work tree's copy, for
    /// [`Repo::changes_of`]).
    pub fn holds(&self, path: &str, bytes: &[u8]) -> bool {
        self.after.get(path) == Some(&Some(id(objects::blob_id(bytes))))
    }

    /// The paths whose blob differs between the base and the commit.
    pub fn changed_paths(&self) -> Vec<&str> {
        self.after
            .iter()
            .filter(|(path, blob)| self.before.get(*path) != Some(*blob))
            .map(|(path, _)| path.as_str())
            .collect()
    }
}

impl Repo {
    /// For commands a person runs: the repository containing `dir`.
    /// `GIT_DIR` and `GIT_WORK_TREE`, when set, win as they do for git.
    pub fn discover(dir: &Path) -> Result<Repo> {
        let opened = match std::env::var_os("GIT_DIR") {
            Some(_) => Repository::open_from_env(),
            None => Repository::open_ext(dir, RepositoryOpenFlags::FROM_ENV, std::iter::empty::<&Path>()),
        };
        let repo = opened.map_err(|_| not_a_repository(dir))?;
        Repo::with_env_work_tree(repo)
    }

    /// libgit2 does not read `GIT_WORK_TREE` (`git --work-tree`, bare-repository dotfiles).
    fn with_env_work_tree(repo: Repository) -> Result<Repo> {
        // libgit2 hashes every object it reads again to check its id; git does not (its
        // objects were checked when they arrived). It was a sixth of a hook's time.
        git2::opts::strict_hash_verification(false);
        if let Some(work_tree) = std::env::var_os("GIT_WORK_TREE") {
            let work_tree = std::fs::canonicalize(&work_tree).with_context(|| {
                format!("GIT_WORK_TREE {} does not exist", Path::new(&work_tree).display())
            })?;
            repo.set_workdir(&work_tree, false)?;
        }
        let mut repo = Repo {
            repo,
            index_through_git: false,
        };
        if repo.index_unreadable_by_libgit2() {
            repo.read_index_through_git()?;
        }
        Ok(repo)
    }

    /// A sparse index (`index.sparse`) or a split index (`core.splitIndex`) has extensions
    /// libgit2 cannot read. Told by the config, so no command pays for loading the index.
    fn index_unreadable_by_libgit2(&self) -> bool {
        let Ok(config) = self.repo.config() else {
            return false;
        };
        ["index.sparse", "core.splitIndex"]
            .iter()
            .any(|key| config.get_bool(key).unwrap_or(false))
    }

    /// From now on git reads the index where a tree of it is needed; libgit2 gets an empty one
    /// for the attribute lookups a diff makes.
    fn read_index_through_git(&mut self) -> Result<()> {
        self.repo.set_index(&mut git2::Index::new()?)?;
        self.index_through_git = true;
        Ok(())
    }

    /// For hooks: the repository git describes in the environment (`GIT_DIR`; `GIT_INDEX_FILE`
    /// differs for `commit -a`, `commit <paths>` and worktrees). libgit2 never loads the index:
    /// what prepare-commit-msg needs of it (the staged blobs of the few files with pending
    /// edits) is read for those paths alone ([`Repo::staged`]), so a hook costs the same in a
    /// 100,000-file repository (whose 8 MB index libgit2 would load, checksum and parse entry by
    /// entry) as in a small one; git reads the index where more is needed.
    pub fn from_env() -> Result<Repo> {
        let dir = std::env::current_dir().unwrap_or_default();
        let git_dir = std::env::var_os("GIT_DIR").map_or_else(|| dir.clone(), PathBuf::from);
        let repo = Repository::open_ext(git_dir, RepositoryOpenFlags::empty(), std::iter::empty::<&Path>())
            .map_err(|e| match object_format(&dir).as_deref() {
            Some("sha256") => not_a_repository(&dir),
            _ => anyhow::Error::new(e).context("cannot open the repository git is committing to"),
        })?;
        let mut repo = Repo::with_env_work_tree(repo)?;
        repo.read_index_through_git()?;
        Ok(repo)
    }

    /// The work tree root; an error for a bare repository.
    pub fn workdir(&self) -> Result<&Path> {
        self.repo.workdir().ok_or_else(|| {
            user_error(
                "this repository has no work tree (it is bare)",
                "run lineage in a clone with a work tree",
            )
        })
    }

    /// `input` (relative to `cwd`, or absolute) as a path relative to the work tree root,
    /// `/`-separated. An error when it points outside the work tree or into `.git`.
    pub fn relative_path(&self, cwd: &Path, input: &Path) -> Result<String> {
        let root = canonical(self.workdir()?);
        let full = canonical(&cwd.join(input));
        let outside = || {
            user_error(
                format!("{} is outside the work tree {}", input.display(), root.display()),
                "lineage records files of this repository only; pass a path inside it",
            )
        };
        let relative = full.strip_prefix(&root).map_err(|_| outside())?;
        let parts: Vec<String> = relative
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        if parts.is_empty() {
            return Err(user_error(
                format!("{} is the work tree itself, not a file", input.display()),
                "pass the path of the file the AI edited",
            ));
        }
        if parts[0] == ".git" {
            return Err(user_error(
                format!("{} is inside the .git directory", input.display()),
                "pass the path of a file in the work tree",
            ));
        }
        Ok(parts.join("/"))
    }

    /// The work tree this repository was opened in, as journal entries name it: `main` for the
    /// main work tree, `worktrees/<name>` for a linked one (its git dir under the common one).
    /// Unlike a path, the name survives moving the repository (`mv`, a devcontainer mount,
    /// `git worktree move`).
    pub fn worktree_id(&self) -> String {
        let git_dir = canonical(self.repo.path());
        let common = canonical(self.repo.commondir());
        match git_dir.strip_prefix(&common) {
            Ok(rest) if !rest.as_os_str().is_empty() => rest
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/"),
            _ => "main".to_string(),
        }
    }

    /// How entries recorded before [`Repo::worktree_id`] named this work tree: its canonical
    /// path.
    pub fn legacy_worktree_id(&self) -> String {
        self.repo
            .workdir()
            .map(|w| canonical(w).to_string_lossy().trim_end_matches('/').to_string())
            .unwrap_or_default()
    }

    /// Whether the work tree an entry names still exists (a removed linked work tree, or a
    /// path-named one that moved, leaves its entries stranded).
    pub fn worktree_exists(&self, id: &str) -> bool {
        if id == "main" {
            return true;
        }
        if id.starts_with('/') {
            return Path::new(id).is_dir();
        }
        self.repo.commondir().join(id).is_dir()
    }

    /// Whether the commit being made replays existing work (a rebase, cherry-pick or revert
    /// in progress), whose lines are no new AI edits.
    pub fn is_replaying(&self) -> bool {
        self.is_rebasing()
            || ["CHERRY_PICK_HEAD", "REVERT_HEAD"]
                .iter()
                .any(|marker| self.repo.path().join(marker).exists())
    }

    /// Whether a rebase is in progress in this worktree.
    pub fn is_rebasing(&self) -> bool {
        ["rebase-merge", "rebase-apply"]
            .iter()
            .any(|marker| self.repo.path().join(marker).exists())
    }

    /// The commits reachable from HEAD or any branch made since `since` (seconds since the
    /// epoch, with a day's slack for clock skew), newest first; empty before the first commit.
    pub fn commits_since(&self, since: i64) -> Result<Vec<ObjectId>> {
        let mut walk = self.repo.revwalk()?;
        let _ = walk.push_head();
        walk.push_glob("refs/heads")?;
        walk.set_sorting(git2::Sort::TIME)?;
        let mut commits = Vec::new();
        for oid in walk {
            let commit = self.repo.find_commit(oid?)?;
            if commit.time().seconds() < since - 86_400 {
                break;
            }
            commits.push(id(commit.id()));
        }
        Ok(commits)
    }

    /// Removes `notes.rewriteRef` for lineage's ref (set by versions before post-rewrite
    /// re-binding, with `notes.rewriteMode=cat_sort_uniq`), leaving other notes refs' settings
    /// alone. Returns whether it was set.
    pub fn disable_notes_rewrite(&self) -> Result<bool> {
        if !self.rewrites_notes()? {
            return Ok(false);
        }
        let mut config = self.repo.config()?.open_level(git2::ConfigLevel::Local)?;
        config.remove_multivar(
            "notes.rewriteRef",
            &format!("^{}$", NOTES_REF.replace('/', "\\/")),
        )?;
        let others = rewrite_refs(&config)?;
        if others.is_empty()
            && config
                .get_string("notes.rewriteMode")
                .is_ok_and(|m| m == "cat_sort_uniq")
        {
            config.remove("notes.rewriteMode")?;
        }
        Ok(true)
    }

    fn rewrites_notes(&self) -> Result<bool> {
        let config = self.repo.config()?.open_level(git2::ConfigLevel::Local)?;
        Ok(rewrite_refs(&config)?.iter().any(|r| r == NOTES_REF))
    }

    /// Whether `relative` (a path in this work tree) lies in a repository nested in it: a
    /// submodule, or a clone inside the work tree.
    pub fn in_nested_repository(&self, relative: &str) -> bool {
        let Some(workdir) = self.repo.workdir() else {
            return false;
        };
        let full = workdir.join(relative);
        let Some(dir) = full.ancestors().skip(1).find(|d| d.is_dir()) else {
            return false;
        };
        // Only a `.git` between the file and the work tree can make it another repository's:
        // without one, opening a repository from there (config and all) is not needed.
        let nested_git = dir
            .ancestors()
            .take_while(|d| d.starts_with(workdir) && *d != workdir)
            .any(|d| d.join(".git").exists());
        if !nested_git {
            return false;
        }
        let ceiling = workdir.parent().map(Path::to_path_buf);
        match Repository::open_ext(dir, RepositoryOpenFlags::empty(), ceiling.iter()) {
            Ok(owner) => canonical(owner.commondir()) != canonical(self.repo.commondir()),
            Err(_) => false,
        }
    }

    /// This worktree's git dir (`.git`, or `.git/worktrees/<name>`).
    pub fn git_dir(&self) -> &Path {
        self.repo.path()
    }

    /// The git dir shared by all worktrees.
    pub fn common_dir(&self) -> &Path {
        self.repo.commondir()
    }

    /// Every value of a multi-valued setting (`remote.origin.fetch`), in order.
    pub fn config_values(&self, key: &str) -> Vec<String> {
        let Ok(config) = self.repo.config() else {
            return Vec::new();
        };
        let mut found = Vec::new();
        if let Ok(mut values) = config.multivar(key, None) {
            while let Some(Ok(value)) = values.next() {
                found.extend(value.value().ok().map(str::to_string));
            }
        }
        found
    }

    pub fn config_string(&self, key: &str) -> Option<String> {
        self.repo.config().ok()?.get_string(key).ok()
    }

    /// Whether `git stash` holds anything (uncommitted work out of the work tree for now).
    pub fn has_stash(&self) -> bool {
        self.repo.find_reference("refs/stash").is_ok()
    }

    /// The email git commits with here (`GIT_COMMITTER_EMAIL`, else `user.email`).
    pub fn committer_email(&self) -> Option<String> {
        std::env::var("GIT_COMMITTER_EMAIL")
            .ok()
            .or_else(|| self.repo.config().ok()?.get_string("user.email").ok())
    }

    /// `Name <email>` of the configured git user, when there is one.
    pub fn user(&self) -> Option<String> {
        let config = self.repo.config().ok()?;
        let name = std::env::var("GIT_AUTHOR_NAME")
            .ok()
            .or_else(|| config.get_string("user.name").ok());
        let email = std::env::var("GIT_AUTHOR_EMAIL")
            .ok()
            .or_else(|| config.get_string("user.email").ok());
        match (name, email) {
            (Some(n), Some(e)) => Some(format!("{n} <{e}>")),
            (Some(n), None) => Some(n),
            (None, Some(e)) => Some(format!("<{e}>")),
            (None, None) => None,
        }
    }

    /// Whether HEAD has not moved for longer than `still`, told by the modification time of
    /// its reflog: git appends to an existing reflog at every move, even with
    /// `core.logAllRefUpdates` off. `false` when that cannot be told (no reflog, a reftable).
    pub fn head_still_for(&self, still: std::time::Duration) -> bool {
        std::fs::metadata(self.repo.path().join("logs/HEAD"))
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|moved| std::time::SystemTime::now().duration_since(moved).ok())
            .is_some_and(|elapsed| elapsed > still)
    }

    /// The commit HEAD points to; `None` before the first commit.
    pub fn head(&self) -> Result<Option<ObjectId>> {
        match self.repo.head() {
            Ok(head) => Ok(Some(id(head.peel_to_commit()?.id()))),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// A revision (`HEAD~2`, a branch, a sha) as a commit id.
    pub fn resolve_commit(&self, rev: &str) -> Result<ObjectId> {
        let object = self.repo.revparse_single(rev).map_err(|_| {
            user_error(
                format!("unknown revision: {rev}"),
                "name a commit, e.g. HEAD, HEAD~1, a branch or a commit id",
            )
        })?;
        let commit = object.peel_to_commit().map_err(|_| {
            user_error(
                format!("{rev} is not a commit"),
                "name a commit, e.g. HEAD or a branch",
            )
        })?;
        Ok(id(commit.id()))
    }

    pub fn commit_summary(&self, commit: ObjectId) -> Result<CommitSummary> {
        let commit = self.repo.find_commit(oid(commit)?)?;
        let person = |sig: git2::Signature<'_>| {
            format!("{} <{}>", sig.name().unwrap_or(""), sig.email().unwrap_or(""))
        };
        Ok(CommitSummary {
            parent: commit.parent_id(0).ok().map(id),
            parent_count: commit.parent_count(),
            parents: commit.parent_ids().map(id).collect(),
            tree: id(commit.tree_id()),
            author: person(commit.author()),
            author_time: commit.author().when().seconds(),
            committer: person(commit.committer()),
            committer_email: commit.committer().email().unwrap_or("").to_string(),
            committer_time: commit.committer().when().seconds(),
            summary: commit.summary().ok().flatten().unwrap_or("").to_string(),
            message: String::from_utf8_lossy(commit.message_bytes()).into_owned(),
        })
    }

    /// HEAD's tree; `None` before the first commit.
    fn head_tree(&self) -> Result<Option<git2::Tree<'_>>> {
        match self.head()? {
            Some(head) => Ok(Some(self.repo.find_commit(oid(head)?)?.tree()?)),
            None => Ok(None),
        }
    }

    /// The blobs at `paths` in `commit` and in `base` (`None`: the empty tree).
    pub fn compare(&self, base: Option<ObjectId>, commit: ObjectId, paths: &[&str]) -> Result<Compared> {
        Ok(Compared {
            base,
            commit,
            before: self.blobs_at(base, paths)?,
            after: self.blobs_at(Some(commit), paths)?,
        })
    }

    /// The base's blobs at the paths `compared` changes, inflated, by path: for
    /// [`Repo::changes_of`], read while another thread reads the work tree.
    pub fn base_texts(&self, compared: &Compared) -> Result<HashMap<String, Vec<u8>>> {
        let mut texts = HashMap::new();
        for path in compared.changed_paths() {
            if let Some(Some(id)) = compared.before.get(path) {
                texts.insert(path.to_string(), objects::blob_bytes(&self.repo, oid(*id)?)?);
            }
        }
        Ok(texts)
    }

    /// The changes `compared` holds, file by file. `base`: the base's blobs already inflated
    /// ([`Repo::base_texts`]); `committed`: the work tree's copies of files that are the
    /// commit's blobs byte for byte ([`Compared::holds`]), diffed in their place (inflating a
    /// 600 KB blob costs ~1.3 ms). Blobs in neither are read here.
    pub fn changes_of(
        &self,
        compared: &Compared,
        base: &HashMap<String, Vec<u8>>,
        committed: &HashMap<&str, &[u8]>,
    ) -> Result<Vec<ChangedFile>> {
        self.path_changes(&compared.before, &compared.after, base, committed, || {
            let old = match compared.base {
                Some(base) => Some(self.repo.find_commit(oid(base)?)?.tree()?),
                None => None,
            };
            Ok((old, self.repo.find_commit(oid(compared.commit)?)?.tree()?))
        })
    }

    /// A `git` command that runs at the work tree's root (the git dir, when bare).
    fn git_here(&self) -> std::process::Command {
        let mut cmd = command();
        cmd.current_dir(self.repo.workdir().unwrap_or(self.repo.path()));
        cmd
    }

    /// Runs git at the work tree's root (pathspecs literal) and returns its stdout; its stderr
    /// is the error when it fails.
    fn git_in_work_tree(&self, args: &[&str]) -> Result<Vec<u8>> {
        let out = self
            .git_here()
            .env("GIT_LITERAL_PATHSPECS", "1")
            .args(args)
            .output()
            .with_context(|| format!("cannot run git {}", args[0]))?;
        if !out.status.success() {
            anyhow::bail!(
                "git {} failed: {}",
                args[0],
                String::from_utf8_lossy(&out.stderr).trim()
            );
        }
        Ok(out.stdout)
    }

    /// The index written as a tree: for what is keyed by the tree git is about to commit.
    pub fn staged_tree(&self) -> Result<ObjectId> {
        self.write_tree_with_git().map(id)
    }

    /// The blob at each of `paths` in `commit` (`None`: the empty tree).
    pub fn blobs_at(&self, commit: Option<ObjectId>, paths: &[&str]) -> Result<Blobs> {
        let tree = match commit {
            Some(commit) => Some(self.repo.find_commit(oid(commit)?)?.tree()?),
            None => None,
        };
        Ok(paths
            .iter()
            .map(|path| {
                let blob = tree
                    .as_ref()
                    .and_then(|t| t.get_path(Path::new(path)).ok())
                    .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
                    .map(|e| id(e.id()));
                (path.to_string(), blob)
            })
            .collect())
    }

    /// The changes from the blobs `old` to the blobs `new`, path by path (no rename detection:
    /// for the few paths a hook looks at); `base` and `committed` as [`Repo::changes_of`] has them.
    fn blob_changes(
        &self,
        old: &Blobs,
        new: &Blobs,
        base: &HashMap<String, Vec<u8>>,
        committed: &HashMap<&str, &[u8]>,
    ) -> Result<Vec<ChangedFile>> {
        let mut files = Vec::new();
        for (path, new) in new {
            let old = old.get(path).copied().flatten();
            let Some(new) = new.filter(|n| Some(*n) != old) else {
                continue;
            };
            let old_blob = match (base.contains_key(path), old) {
                (false, Some(old)) => Some(self.repo.find_blob(oid(old)?)?),
                _ => None,
            };
            let old_text = match (base.get(path), &old_blob) {
                (Some(text), _) => text.as_slice(),
                (None, Some(blob)) => blob.content(),
                (None, None) => &[],
            };
            let change = match committed.get(path.as_str()) {
                Some(copy) => diff::text_change(path, old_text, copy)?,
                None => diff::text_change(path, old_text, self.repo.find_blob(oid(new)?)?.content())?,
            };
            files.extend(change);
        }
        Ok(files)
    }

    /// `git write-tree`: git reads every index it writes (sparse, split), and honours
    /// `GIT_INDEX_FILE` from the environment as the hook got it.
    fn write_tree_with_git(&self) -> Result<Oid> {
        let out = self.git_in_work_tree(&["write-tree"])?;
        let hex = String::from_utf8_lossy(&out);
        ObjectId::from_hex(hex.trim())
            .context("git write-tree printed no tree id")
            .and_then(oid)
    }

    /// The changes of the index against HEAD, read only (for previews: nothing is written).
    pub fn index_changes(&self) -> Result<Vec<ChangedFile>> {
        if self.index_through_git {
            anyhow::bail!("libgit2 cannot read this repository's index (sparse or split)");
        }
        let index = self.repo.index()?;
        diff::changes(&self.repo, self.head_tree()?.as_ref(), Side::Index(&index), None)
    }

    /// The changes of `commit` against its first parent (the empty tree for a root commit).
    pub fn commit_diff(&self, commit: ObjectId) -> Result<Vec<ChangedFile>> {
        let parent = self.repo.find_commit(oid(commit)?)?.parent_id(0).ok().map(id);
        self.diff_between(parent, commit)
    }

    /// [`Repo::commit_diff`] of `paths` only.
    pub fn commit_diff_of_paths(&self, commit: ObjectId, paths: &[&str]) -> Result<Vec<ChangedFile>> {
        let parent = self.repo.find_commit(oid(commit)?)?.parent_id(0).ok().map(id);
        self.diff_of_paths(parent, commit, Some(paths))
    }

    /// The changes from `base` (`None`: the empty tree) to `commit`.
    pub fn diff_between(&self, base: Option<ObjectId>, commit: ObjectId) -> Result<Vec<ChangedFile>> {
        self.diff_of_paths(base, commit, None)
    }

    /// [`Repo::diff_between`], limited to `paths` when given: then each path is diffed alone,
    /// so the cost follows those files, not the trees (unless one of them is gone: then the
    /// trees are diffed to find where it moved).
    pub fn diff_of_paths(
        &self,
        base: Option<ObjectId>,
        commit: ObjectId,
        paths: Option<&[&str]>,
    ) -> Result<Vec<ChangedFile>> {
        match paths {
            Some(paths) => self.changes_of(
                &self.compare(base, commit, paths)?,
                &HashMap::new(),
                &HashMap::new(),
            ),
            None => {
                let old = match base {
                    Some(base) => Some(self.repo.find_commit(oid(base)?)?.tree()?),
                    None => None,
                };
                let new = self.repo.find_commit(oid(commit)?)?.tree()?;
                diff::changes(&self.repo, old.as_ref(), Side::Tree(&new), None)
            }
        }
    }

    /// The changes from the blobs `before` to the blobs `after`, file by file; when one of
    /// the files is gone (it may have moved), the changes between the whole `trees` instead,
    /// renames found.
    fn path_changes<'r>(
        &'r self,
        before: &Blobs,
        after: &Blobs,
        base: &HashMap<String, Vec<u8>>,
        committed: &HashMap<&str, &[u8]>,
        trees: impl FnOnce() -> Result<(Option<git2::Tree<'r>>, git2::Tree<'r>)>,
    ) -> Result<Vec<ChangedFile>> {
        let gone = before
            .iter()
            .any(|(path, blob)| blob.is_some() && after.get(path).is_some_and(Option::is_none));
        if !gone {
            return self.blob_changes(before, after, base, committed);
        }
        let (old, new) = trees()?;
        diff::changes(&self.repo, old.as_ref(), Side::Tree(&new), None)
    }

    /// The newest `count` entries of HEAD's reflog (this worktree's), newest first: read from
    /// the end of the file, and only those parsed, so a reflog years long costs what a fresh
    /// one does.
    fn reflog_tail(&self, count: usize) -> Vec<ReflogEntry> {
        use std::io::{Read, Seek, SeekFrom};
        const TAIL: u64 = 64 << 10;
        let Ok(mut file) = std::fs::File::open(self.repo.path().join("logs/HEAD")) else {
            return Vec::new();
        };
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut bytes = Vec::new();
        if file.seek(SeekFrom::Start(len.saturating_sub(TAIL))).is_err()
            || file.read_to_end(&mut bytes).is_err()
        {
            return Vec::new();
        }
        let text = String::from_utf8_lossy(&bytes);
        // The first line may be cut: it is whole only when the read started at the top.
        let whole = match len > TAIL {
            true => text.split_once('\n').map_or("", |(_, rest)| rest),
            false => &text,
        };
        whole
            .lines()
            .rev()
            .filter_map(|line| {
                // `<old> <new> <identity> <time> <zone>\t<message>`
                let (meta, message) = line.split_once('\t').unwrap_or((line, ""));
                let mut ids = meta.splitn(3, ' ');
                Some(ReflogEntry {
                    old: ObjectId::from_hex(ids.next()?)?,
                    new: ObjectId::from_hex(ids.next()?)?,
                    message: message.to_string(),
                })
            })
            .take(count)
            .collect()
    }

    /// The commit `commit` replaced, when `git commit --amend` made it (HEAD's reflog says so).
    pub fn amended_commit(&self, commit: ObjectId) -> Result<Option<ObjectId>> {
        Ok(self
            .reflog_tail(64)
            .into_iter()
            .find(|entry| entry.new == commit)
            .filter(|entry| entry.message.starts_with("commit (amend)"))
            .map(|entry| entry.old)
            .filter(|old| !old.is_zero()))
    }

    /// A state file of the operation in progress in this worktree's git dir (`SQUASH_MSG`,
    /// `MERGE_MSG`, `CHERRY_PICK_HEAD`), if there is one.
    pub fn state_file(&self, name: &str) -> Option<String> {
        let bytes = std::fs::read(self.repo.path().join(name)).ok()?;
        Some(String::from_utf8_lossy(&bytes).into_owned())
    }

    /// The commits a `git reset` left behind before `commit` was made on top of where it moved
    /// HEAD (`reset --soft HEAD~2` then a commit; more commits may come between), newest first,
    /// at most `limit`: those reachable from the tip before the reset and not from `commit`.
    /// HEAD's reflog says whether there was such a reset.
    pub fn left_behind_by_reset(&self, commit: ObjectId, limit: usize) -> Result<Vec<ObjectId>> {
        let Some(reset) = self.reset_before(commit) else {
            return Ok(Vec::new());
        };
        // The usual case: a reset back along single-parent commits, and only plain commits
        // since. Then what it left behind is the line from the old tip down to where it moved
        // HEAD, read a commit per commit left behind. (libgit2's walk hiding `commit` orders by
        // date, and among commits of one date, as scripts and imports make, reads all history.)
        if reset.plain_commits_since
            && let Some(line) = self.first_parent_line(reset.from, reset.to, limit)?
        {
            // A commit made since that is one of the line (the same commit made again) is on
            // the new history, and so is every commit below it.
            return Ok(line
                .into_iter()
                .take_while(|c| !reset.made_since.contains(c))
                .collect());
        }
        self.commits_left_behind(reset.from, &[commit], limit)
    }

    /// The `git reset` before `commit` with only commits made since, from HEAD's reflog.
    fn reset_before(&self, commit: ObjectId) -> Option<Reset> {
        // A reset leaves ORIG_HEAD behind: only then is the reflog read. (Whether the old tip
        // is off the new history is left to the walk of what it left behind: asking here would
        // walk all history since ORIG_HEAD, which a pull made long ago.)
        let orig = self
            .state_file("ORIG_HEAD")
            .and_then(|t| ObjectId::from_hex(t.trim()))?;
        if orig == commit {
            return None;
        }
        let mut entries = self.reflog_tail(32).into_iter().skip_while(|e| e.new != commit);
        let own = entries.next()?;
        let mut made_since = vec![commit];
        // `git commit` logs "commit: ", and its commit's one parent is HEAD before it; an
        // amend, a merge or the first commit log "commit (…): ".
        let mut plain_commits_since = own.message.starts_with("commit: ");
        for entry in entries {
            if entry.message.starts_with("reset: moving to") {
                return (!entry.old.is_zero()).then_some(Reset {
                    from: entry.old,
                    to: entry.new,
                    made_since,
                    plain_commits_since,
                });
            }
            if !entry.message.starts_with("commit") {
                return None;
            }
            plain_commits_since &= entry.message.starts_with("commit: ");
            made_since.push(entry.new);
        }
        None
    }

    /// The commits from `tip` down its first parents to `base` (excluded), newest first, when
    /// each has one parent and `base` is reached within `limit` of them.
    fn first_parent_line(
        &self,
        tip: ObjectId,
        base: ObjectId,
        limit: usize,
    ) -> Result<Option<Vec<ObjectId>>> {
        let mut line = Vec::new();
        let mut at = tip;
        while at != base {
            if line.len() == limit {
                return Ok(None);
            }
            let commit = self.repo.find_commit(oid(at)?)?;
            if commit.parent_count() != 1 {
                return Ok(None);
            }
            line.push(at);
            at = id(commit.parent_id(0)?);
        }
        Ok(Some(line))
    }

    /// Up to `limit` commits reachable from `tip` and from none of `others`, newest first.
    pub fn commits_left_behind(
        &self,
        tip: ObjectId,
        others: &[ObjectId],
        limit: usize,
    ) -> Result<Vec<ObjectId>> {
        let mut walk = self.repo.revwalk()?;
        walk.push(oid(tip)?)?;
        for other in others {
            walk.hide(oid(*other)?)?;
        }
        let mut commits = Vec::new();
        for found in walk.take(limit) {
            commits.push(id(found?));
        }
        Ok(commits)
    }

    /// Commits on the branches whose message is `message`, among the `limit` newest.
    pub fn commits_with_message(&self, message: &str, limit: usize) -> Result<Vec<ObjectId>> {
        let mut walk = self.repo.revwalk()?;
        walk.push_glob("refs/heads")?;
        walk.set_sorting(git2::Sort::TIME)?;
        let mut found = Vec::new();
        for commit in walk.take(limit) {
            let commit = self.repo.find_commit(commit?)?;
            if String::from_utf8_lossy(commit.message_bytes()).trim() == message.trim() {
                found.push(id(commit.id()));
            }
        }
        Ok(found)
    }

    /// The change of one work-tree file against HEAD (staged or not), diffed alone: what `git
    /// blame` calls not committed yet. `None` when it adds nothing or cannot be read.
    pub fn work_tree_change(&self, path: &str) -> Result<Option<ChangedFile>> {
        let Ok(text) = std::fs::read(self.workdir()?.join(path)) else {
            return Ok(None);
        };
        let head = self.blobs_at(self.head()?, &[path])?;
        let old = head.get(path).copied().flatten().map(oid).transpose()?;
        diff::buffer_change(&self.repo, path, old, &text)
    }

    /// Changes of `paths` in the work tree against HEAD (staged or not).
    pub fn uncommitted_changes(&self, paths: &[&str]) -> Result<Vec<ChangedFile>> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        let head = self.head_tree()?;
        let side = match self.index_through_git {
            true => Side::WorkTreeOnly,
            false => Side::WorkTree,
        };
        // A file an agent is writing right now changes under libgit2's read, which then gives
        // up ("file changed before we could read it"): read again, a few times.
        let mut attempts = 0;
        loop {
            match diff::changes(&self.repo, head.as_ref(), side, Some(paths)) {
                Err(e) if attempts < 4 && format!("{e:#}").contains("changed before we could read") => {
                    attempts += 1;
                    std::thread::sleep(std::time::Duration::from_millis(5 << attempts));
                }
                result => return result,
            }
        }
    }

    pub fn notes(&self) -> Result<NotesReader<'_>> {
        NotesReader::open(&self.repo)
    }

    /// Replaces the notes of `commits` with `merge(commit, existing note)` in one notes commit
    /// and one compare-and-swap of the ref, merging again on top when another writer moved the
    /// ref in between, so concurrent writers never lose each other's lines. `merge` returning
    /// `None` leaves that note as it is. The commits whose note changed.
    pub fn update_notes(
        &self,
        commits: &[ObjectId],
        merge: impl FnMut(ObjectId, Option<&[u8]>) -> Option<Vec<u8>>,
    ) -> Result<Vec<ObjectId>> {
        notes::update(&self.repo, commits, merge)
    }

    /// The commits of a revision range (`main..topic`, `HEAD~20..`, or a single revision for
    /// its whole history), newest first, as `git rev-list` understands it.
    pub fn rev_list(&self, range: &str) -> Result<Vec<ObjectId>> {
        if range.starts_with('-') {
            return Err(user_error(
                format!("{range} is not a revision range"),
                "name commits, e.g. HEAD, main..topic or HEAD~20..",
            ));
        }
        let out = self
            .git_here()
            .args(["rev-list", range, "--"])
            .output()
            .context("cannot run git rev-list")?;
        if !out.status.success() {
            return Err(user_error(
                format!(
                    "unknown revision range {range}: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
                "name commits, e.g. HEAD, main..topic or HEAD~20..",
            ));
        }
        Ok(String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(ObjectId::from_hex)
            .collect())
    }

    /// `git blame --porcelain` of `path` (relative to the work tree root), parsed.
    /// Asks git for the incremental blame and reads the lines' text from the blamed version of
    /// the file (the work tree's, or `rev`'s blob); when that text may not be what git blamed
    /// (other lines than git reported, CRLF line ends git may convert), asks for porcelain,
    /// which carries git's text. (A clean filter that keeps the line count, such as `ident`,
    /// still shows the work tree's text.) `watch` hears of each commit as git names it; `make`
    /// turns each line into the caller's own.
    pub fn blame<T>(
        &self,
        rev: Option<&str>,
        options: &BlameOptions,
        path: &str,
        watch: &mut dyn BlameWatch,
        make: impl Fn(BlameLine) -> T,
    ) -> Result<Vec<T>> {
        let workdir = self.workdir()?;
        let options = self.with_ignore_revs_checked(options);
        // The text is read, checked and decoded while git blames. Line ends git converts
        // (`core.autocrlf`, `text` attributes) make the file's text differ from what git
        // blamed: porcelain carries git's text then.
        let text = || {
            let bytes = match (&options.contents, rev) {
                (Some(contents), _) => std::fs::read(contents).ok(),
                (None, None) => std::fs::read(workdir.join(path)).ok(),
                (None, Some(rev)) => self
                    .repo
                    .revparse_single(&format!("{rev}:{path}"))
                    .ok()
                    .and_then(|o| o.peel_to_blob().ok())
                    .map(|b| b.content().to_vec()),
            };
            bytes.and_then(blame::SplitText::new)
        };
        let collected = blame::incremental(workdir, rev, &options, path, text, &make, watch)?;
        if let Some(found) = collected.finish(options.ranges.is_empty()) {
            return Ok(found);
        }
        let found = blame::porcelain(workdir, rev, &options, path, watch)?;
        Ok(found.into_iter().map(make).collect())
    }

    /// git's own `--porcelain` (or `--line-porcelain`) output for `path`, byte for byte, and
    /// the lines it blames: one run of git for both.
    pub fn blame_porcelain(
        &self,
        rev: Option<&str>,
        options: &BlameOptions,
        path: &str,
        line_porcelain: bool,
    ) -> Result<(Vec<u8>, Vec<BlameLine>)> {
        let options = self.with_ignore_revs_checked(options);
        let raw = blame::raw(self.workdir()?, line_porcelain, rev, &options, path)?;
        let lines = blame::parse(&raw[..], &mut ())?;
        Ok((raw, lines))
    }

    /// Whether blaming with `options` ignores revisions: `--ignore-rev(s-file)` given, or a
    /// configured `blame.ignoreRevsFile` that exists and is not reset.
    pub fn ignores_revisions(&self, options: &BlameOptions) -> bool {
        let effective = self.with_ignore_revs_checked(options);
        let given = effective.flags.iter().any(|f| f.starts_with("--ignore-rev"));
        let reset = effective.flags.iter().any(|f| f == "--no-ignore-revs-file");
        given
            || (!reset
                && self
                    .config_values("blame.ignoreRevsFile")
                    .iter()
                    .any(|f| !f.is_empty()))
    }

    /// `options`, without the `blame.ignoreRevsFile` files that do not exist (git would fail
    /// with a message about an "object name list"): the configured list is reset
    /// (`--no-ignore-revs-file`) and the files that exist are given again.
    fn with_ignore_revs_checked(&self, options: &BlameOptions) -> BlameOptions {
        let mut options = options.clone();
        let configured = self.config_values("blame.ignoreRevsFile");
        let root = self.repo.workdir().unwrap_or(self.repo.path()).to_path_buf();
        if configured.iter().any(|f| !f.is_empty() && !root.join(f).exists()) {
            let existing = configured
                .iter()
                .filter(|f| !f.is_empty() && root.join(f).exists())
                .map(|f| format!("--ignore-revs-file={f}"));
            let mut flags = vec!["--no-ignore-revs-file".to_string()];
            flags.extend(existing);
            flags.append(&mut options.flags);
            options.flags = flags;
        }
        options
    }

    /// Whether `path` exists in `commit`'s tree.
    pub fn path_in_commit(&self, commit: ObjectId, path: &str) -> Result<bool> {
        let tree = self.repo.find_commit(oid(commit)?)?.tree()?;
        Ok(tree.get_path(Path::new(path)).is_ok())
    }

    /// The bytes of `path` in `commit`, if it is there and is a file.
    pub fn bytes_in_commit(&self, commit: ObjectId, path: &str) -> Result<Option<Vec<u8>>> {
        let tree = self.repo.find_commit(oid(commit)?)?.tree()?;
        let Ok(item) = tree.get_path(Path::new(path)) else {
            return Ok(None);
        };
        match item.kind() {
            Some(git2::ObjectType::Blob) => Ok(Some(objects::blob_bytes(&self.repo, item.id())?)),
            _ => Ok(None),
        }
    }

    /// The text of `path` in `commit`, if it is there and is UTF-8.
    pub fn text_in_commit(&self, commit: ObjectId, path: &str) -> Result<Option<String>> {
        Ok(self
            .bytes_in_commit(commit, path)?
            .and_then(|bytes| String::from_utf8(bytes).ok()))
    }

    /// The directory git runs hooks from: `core.hooksPath` (relative to the work tree root, as
    /// git reads it) or the common git dir's `hooks`. Read from config, not by spawning git,
    /// because `record` checks it on every call.
    pub fn hooks_dir(&self) -> PathBuf {
        match self.config_string("core.hooksPath") {
            Some(configured) => {
                let expanded = match (configured.strip_prefix("~/"), std::env::var_os("HOME")) {
                    (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
                    _ => PathBuf::from(&configured),
                };
                let base = self.repo.workdir().unwrap_or(self.repo.path());
                base.join(expanded)
            }
            None => self.common_dir().join("hooks"),
        }
    }
}

/// The error for a directory libgit2 cannot open: not a repository, or one whose object format
/// (SHA-256) libgit2 does not read yet.
fn not_a_repository(dir: &Path) -> anyhow::Error {
    match object_format(dir).as_deref() {
        Some("sha256") => user_error(
            format!(
                "{} is a SHA-256 repository, which lineage cannot open yet",
                dir.display()
            ),
            "lineage reads SHA-1 repositories (git's default); its libgit2 has no SHA-256 support",
        ),
        _ => user_error(
            format!("not a git repository: {}", dir.display()),
            "run lineage inside a git work tree (create one with `git init`)",
        ),
    }
}

/// The object format git reports for the repository at `dir` (`sha1`, `sha256`), if any.
/// Asked only after libgit2 failed to open it.
fn object_format(dir: &Path) -> Option<String> {
    let out = command()
        .current_dir(dir)
        .args(["rev-parse", "--show-object-format"])
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The values of `notes.rewriteRef` in `config`.
fn rewrite_refs(config: &git2::Config) -> Result<Vec<String>> {
    let mut refs = Vec::new();
    let mut values = config.multivar("notes.rewriteRef", None)?;
    while let Some(value) = values.next() {
        refs.extend(value?.value().ok().map(str::to_string));
    }
    Ok(refs)
}

/// `path` made absolute, `.` and `..` resolved, symlinks resolved as far as the path exists
/// (the file itself may not exist yet).
fn canonical(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut lexical = PathBuf::new();
    for component in path.components() {
        match component {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            other => lexical.push(other),
        }
    }
    let mut existing = lexical.as_path();
    let mut missing = Vec::new();
    loop {
        if let Ok(resolved) = std::fs::canonicalize(existing) {
            return missing.iter().rev().fold(resolved, |p, name| p.join(name));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_os_string());
                existing = parent;
            }
            _ => return lexical,
        }
    }
}

pub struct CommitSummary {
    /// The first parent.
    pub parent: Option<ObjectId>,
    pub parent_count: usize,
    pub parents: Vec<ObjectId>,
    pub tree: ObjectId,
    /// `Name <email>`.
    pub author: String,
    /// Seconds since the epoch.
    pub author_time: i64,
    pub committer: String,
    pub committer_email: String,
    /// Seconds since the epoch.
    pub committer_time: i64,
    pub summary: String,
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// git gets lineage's allocator settings beside the user's other tunables, and none when
    /// the user set one of malloc's.
    #[test]
    fn git_keeps_what_it_frees_unless_the_user_tuned_malloc() {
        let ours = "glibc.malloc.mmap_threshold=67108864:glibc.malloc.trim_threshold=268435456";
        assert_eq!(malloc_tunables(), ours);
        assert_eq!(git_malloc_tunables(None).as_deref(), Some(ours));
        assert_eq!(git_malloc_tunables(Some("")).as_deref(), Some(ours));
        assert_eq!(
            git_malloc_tunables(Some("glibc.rtld.optional_static_tls=1")),
            Some(format!("glibc.rtld.optional_static_tls=1:{ours}"))
        );
        assert_eq!(git_malloc_tunables(Some("glibc.malloc.arena_max=1")), None);
    }

    /// `git` in `dir` with a pinned identity and one date for every commit (as scripts make
    /// them), returning its trimmed output.
    fn git(dir: &Path, args: &[&str]) -> String {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_AUTHOR_NAME", "a")
            .env("GIT_AUTHOR_EMAIL", "a@example.com")
            .env("GIT_COMMITTER_NAME", "a")
            .env("GIT_COMMITTER_EMAIL", "a@example.com")
            .env("GIT_AUTHOR_DATE", "2026-01-01T12:00:00+00:00")
            .env("GIT_COMMITTER_DATE", "2026-01-01T12:00:00+00:00")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    /// What a reset left behind, read along the line from the old tip, is what libgit2's walk
    /// finds, after each kind of commit that can follow a reset (plain, made again identically,
    /// amended, a merge on the old line).
    #[test]
    fn what_a_reset_left_behind_is_found_along_the_line_as_the_walk_finds_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        git(root, &["init", "-q", "-b", "main"]);
        let commit = |name: &str| {
            std::fs::write(root.join(name), format!("{name}\n")).unwrap();
            git(root, &["add", name]);
            git(root, &["commit", "-q", "-m", name]);
            ObjectId::from_hex(&git(root, &["rev-parse", "HEAD"])).unwrap()
        };
        let repo = Repo::discover(root).unwrap();
        let check = |expected: &[ObjectId]| {
            let head = repo.head().unwrap().unwrap();
            let orig = ObjectId::from_hex(repo.state_file("ORIG_HEAD").unwrap().trim()).unwrap();
            let found = repo.left_behind_by_reset(head, 50).unwrap();
            assert_eq!(found, expected);
            assert_eq!(repo.commits_left_behind(orig, &[head], 50).unwrap(), expected);
        };
        for i in 0..5 {
            commit(&format!("base{i}"));
        }
        let (b, c) = (commit("b"), commit("c"));
        // Back two, then two plain commits: both left behind.
        git(root, &["reset", "-q", "--soft", "HEAD~2"]);
        commit("other1");
        commit("other2");
        check(&[c, b]);
        // Back two, then the first of them made again (same tree, parent, message, dates: the
        // same commit), then another: only the second is left behind.
        let h1 = commit("h1");
        let h2 = commit("h2");
        git(root, &["reset", "-q", "--hard", "HEAD~2"]);
        assert_eq!(commit("h1"), h1);
        commit("h3");
        check(&[h2]);
        // An amend after the reset: the walk decides.
        let d = commit("d");
        git(root, &["reset", "-q", "--soft", "HEAD~1"]);
        commit("e");
        git(root, &["commit", "-q", "--amend", "-m", "e amended"]);
        check(&[d]);
        // A merge on the old line: the walk finds both sides.
        git(root, &["checkout", "-q", "-b", "side", "HEAD~1"]);
        let side = commit("side");
        git(root, &["checkout", "-q", "main"]);
        git(root, &["merge", "-q", "--no-ff", "-m", "merged", "side"]);
        let merged = ObjectId::from_hex(&git(root, &["rev-parse", "HEAD"])).unwrap();
        git(root, &["reset", "-q", "--soft", "HEAD~1"]);
        commit("f");
        let found = repo
            .left_behind_by_reset(repo.head().unwrap().unwrap(), 50)
            .unwrap();
        assert!(found.contains(&merged) && found.contains(&side), "{found:?}");
    }
}
