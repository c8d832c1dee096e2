//! Plain data: journal entries, note records and line ranges. No I/O here.

mod entry;
mod fate;
mod note;
mod ranges;

pub use entry::{Entry, Progress, Status, hex, prompt_id};
pub use fate::Fate;
pub use note::{
    COMMIT_EVIDENCE, EditOutcome, EditRecord, NoteRecord, ParsedNote, PromptRecord, ReviewRecord,
    SettledOutcome, SettledRecord, canonical_json,
};
pub use ranges::{Ranges, ranges_contain, to_ranges};
