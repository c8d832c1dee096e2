//! Plain data, no I/O: typed object ids, diffs as git reports them, journal entries, note
//! records and line ranges. Every layer above may use these; this module uses none of them.

mod diff;
mod entry;
mod fate;
mod ids;
mod note;
mod ranges;

pub use diff::{ChangedFile, HunkLine};
pub use entry::{Entry, Progress, Status, hex, prompt_id};
pub use fate::Fate;
pub use ids::{NotAnObjectId, ObjectId};
pub use note::{
    COMMIT_EVIDENCE, CommitEvidence, EditOutcome, EditRecord, NoteRecord, ParsedNote, PromptMode,
    PromptRecord, ReviewRecord, SEEN_BY_HOOKS, SIG_NAMESPACE, SeenRecord, SettledOutcome, SettledRecord,
    SigRecord, canonical_json,
};
pub use ranges::{Ranges, normalize, ranges_contain, to_ranges};

/// The crate's hash maps and sets where speed shows: foldhash, seeded per process. Their keys
/// are object ids, SHA-256 digests and texts from files and notes; SipHash was a tenth of
/// binding's time, and a tenth of what blame does after git.
pub type HashMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub type HashSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;
