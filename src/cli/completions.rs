//! `lineage completions <shell>` and `lineage man`: shell completion and the manual page,
//! generated from the command line's own definition.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use super::Cli;

/// Print a shell completion script: `lineage completions bash > ~/.local/share/bash-completion/completions/lineage`.
#[derive(Debug, clap::Args)]
pub struct CompletionArgs {
    #[arg(value_enum)]
    shell: clap_complete::Shell,
}

pub fn completions(args: CompletionArgs, out: &mut dyn Write) -> Result<()> {
    clap_complete::generate(args.shell, &mut Cli::command(), "lineage", out);
    Ok(())
}

/// Print the manual page (roff): `lineage man > ~/.local/share/man/man1/lineage.1`, after
/// which `man lineage` and `git lineage --help` (with lineage on PATH as `git-lineage`) find it.
#[derive(Debug, clap::Args)]
pub struct ManArgs {}

pub fn man(_args: ManArgs, out: &mut dyn Write) -> Result<()> {
    clap_mangen::Man::new(Cli::command()).render(out)?;
    Ok(())
}
