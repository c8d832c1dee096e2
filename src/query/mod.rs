//! Answers read from what lineage stored, for the commands that print them: per line
//! ([`blame`]: git blame overlaid with the notes and the pending journal), per commit
//! ([`show`]), and the repository's state ([`status`]). Nothing here writes or prints.

pub mod blame;
pub mod check;
pub mod explain;
pub mod export;
pub mod history;
pub mod report;
pub mod show;
pub mod standards;
pub mod status;
pub mod verify;
