//! The `lineage` binary: parse, run, report. Everything else is in the library.

use std::process::ExitCode;

use clap::Parser;
use lineage::cli::Cli;
use lineage::error::UserError;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            // Help and version are not failures; usage mistakes are user errors (exit 1).
            return if err.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match lineage::cli::run(cli) {
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
            match err.chain().find_map(|e| e.downcast_ref::<UserError>()) {
                Some(user) => {
                    eprintln!("error: {}", user.message);
                    eprintln!("hint: {}", user.hint);
                }
                None => eprintln!("error: {err:#}"),
            }
            ExitCode::from(1)
        }
    }
}
