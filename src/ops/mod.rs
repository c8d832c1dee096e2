//! Use cases, one per file: each takes a repository and plain arguments, does the I/O around
//! the engine's decisions, and returns data and warnings; the commands print them.

pub mod carry;
pub mod commit;
pub mod doctor;
pub mod import;
pub mod init;
pub mod record;
pub mod record_hook;
pub mod review;
pub mod sync;
