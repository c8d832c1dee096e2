//! The `lineage` binary: parse, run, report. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use lineage::cli::Cli;
use lineage::error::{ErrorKind, hinted_in, kind_of};
use lineage::render::escape;

fn main() -> ExitCode {
    keep_freed_memory();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(result) = lineage::cli::run_fixed(&args) {
        return exit_code(result);
    }
    let cli = match Cli::try_parse_from(lineage::cli::git_style_args(args)) {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version are not failures; a wrong command line is a usage error.
            if !err.use_stderr() {
                let _ = err.print();
                return ExitCode::SUCCESS;
            }
            // clap's `tip:` lines read as lineage's `hint:` lines do.
            let text = err.render().to_string().replace("\n  tip: ", "\nhint: ");
            eprint!("{}", text.trim_end().replace("\n\n", "\n"));
            eprintln!(
                "\nhint: `lineage --help` lists the commands, `lineage <command> --help` their arguments"
            );
            return ExitCode::from(ErrorKind::Usage.exit_code());
        }
    };
    exit_code(lineage::cli::run(cli))
}

/// How a command's result ends the process: errors on stderr with their hint, and the exit
/// code of their kind.
fn exit_code(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // `lineage status | head -1`: the reader is gone, which is no failure of ours.
            let broken_pipe = err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>()
                    .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            });
            if broken_pipe {
                return ExitCode::SUCCESS;
            }
            match hinted_in(&err) {
                Some(hinted) => {
                    eprintln!("error: {}", escape(&hinted.message));
                    eprintln!("hint: {}", escape(&hinted.hint));
                }
                None => eprintln!("error: {}", escape(&format!("{err:#}"))),
            }
            ExitCode::from(kind_of(&err).exit_code())
        }
    }
}

/// glibc's malloc maps every allocation over 128 KiB afresh and unmaps it when it is freed,
/// and gives memory freed at the top of its heap back as soon as 128 KiB are free: each
/// reuse faults the pages in again. lineage runs for milliseconds, so it keeps what it frees:
/// the 1,000-record post-commit took 1,620 page faults and 18.2 ms of CPU that way, 1,160 and
/// 16.8 ms without. The git it runs gets the same settings (`git::malloc_tunables`). A
/// `glibc.malloc` setting of the user's wins.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn keep_freed_memory() {
    if lineage::git::user_tunes_malloc() {
        return;
    }
    // SAFETY: mallopt only sets the allocator's parameters, before a second thread exists; a
    // setting it refuses leaves the default.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, lineage::git::MALLOC_MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, lineage::git::MALLOC_TRIM_THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}
