//! `lineage demo`: a short AI-assisted session in a scratch repository, through the real hooks.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::error::user_error;
use crate::pinned::{self, Pinned};

/// Play an AI-assisted session in a scratch repository and show what lineage recorded.
///
/// Two agents edit a small Rust project, a person edits one AI line and adds one of their own,
/// an AI proposal is rejected, and everything is committed through lineage's real git hooks.
/// Then `lineage blame`, `explain`, `stats`, `show` and `status` run on the result.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Build the scratch repository in DIR (which must not exist) and keep it.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

const INVOICE: &str = "\
/// A customer invoice made of priced line items.
pub struct Invoice {
    pub lines: Vec<LineItem>,
}

pub struct LineItem {
    pub amount: f64,
    pub tax_rate: f64,
}

impl Invoice {
    pub fn subtotal(&self) -> f64 {
        self.lines.iter().map(|l| l.amount).sum()
    }
}
";

const TOTAL_WITH_TAX: &str = "
    /// Subtotal plus per-line tax, rounded to cents.
    pub fn total_with_tax(&self) -> f64 {
        let tax: f64 = self.lines.iter().map(|l| l.amount * l.tax_rate).sum();
        ((self.subtotal() + tax) * 100.0).round() / 100.0
    }
";

const TESTS: &str = "\
use demo::{Invoice, LineItem};

#[test]
fn total_includes_tax() {
    let invoice = Invoice {
        lines: vec![LineItem { amount: 10.0, tax_rate: 0.2 }],
    };
    assert_eq!(invoice.total_with_tax(), 12.0);
}
";

const DISCOUNT: &str = "
    /// The total after a percentage discount.
    pub fn discounted(&self, percent: f64) -> f64 {
        self.total_with_tax() * (1.0 - percent / 100.0)
    }
";

pub fn run(args: Args, out: &mut dyn Write) -> Result<()> {
    let (scratch, dir) = match args.dir {
        Some(dir) => {
            if dir.exists() {
                return Err(user_error(
                    format!("{} already exists", dir.display()),
                    "pass a path that does not exist yet; the demo creates it",
                ));
            }
            std::fs::create_dir_all(&dir)?;
            (None, dir)
        }
        None => {
            let temp = tempfile::Builder::new().prefix("lineage-demo-").tempdir()?;
            let dir = temp.path().to_path_buf();
            (Some(temp), dir)
        }
    };
    let demo = Demo {
        dir: dir.clone(),
        binary: std::env::current_exe().context("cannot locate the lineage binary")?,
    };
    demo.play(out)?;
    match scratch {
        Some(_) => writeln!(
            out,
            "\n(The scratch repository has been removed; `lineage demo --dir <path>` keeps it.)"
        )?,
        None => writeln!(
            out,
            "\nThe repository is at {}; try `lineage blame --json src/invoice.rs` there.",
            dir.display()
        )?,
    }
    Ok(())
}

struct Demo {
    dir: PathBuf,
    binary: PathBuf,
}

impl Demo {
    fn play(&self, out: &mut dyn Write) -> Result<()> {
        writeln!(
            out,
            "lineage demo: a scratch repository at {}\n",
            self.dir.display()
        )?;
        self.git(&["init", "-q", "-b", "main"])?;
        self.write("src/invoice.rs", INVOICE)?;
        self.lineage(&["init"], None)?;
        self.git(&["add", "-A"])?;
        self.git(&["commit", "-q", "-m", "Invoice model"])?;
        writeln!(
            out,
            "1. Dana commits an invoice model by hand, with lineage's hooks installed."
        )?;

        let with_total = INVOICE.replacen("    }\n}\n", &format!("    }}\n{TOTAL_WITH_TAX}}}\n"), 1);
        self.write("src/invoice.rs", &with_total)?;
        self.record(
            "src/invoice.rs",
            TOTAL_WITH_TAX,
            &[
                "--tool",
                "claude-code",
                "--model",
                "claude-opus-4-5",
                "--session",
                "s-1f3a",
            ],
            "Add a total_with_tax method to Invoice that rounds to cents",
        )?;
        writeln!(
            out,
            "2. Claude Code adds total_with_tax() to src/invoice.rs (recorded by its hook)."
        )?;

        self.write("tests/invoice_totals.rs", TESTS)?;
        self.record(
            "tests/invoice_totals.rs",
            TESTS,
            &["--tool", "codex", "--model", "gpt-5-codex", "--session", "s-77c0"],
            "Write a test for total_with_tax",
        )?;
        writeln!(out, "3. Codex writes tests/invoice_totals.rs.")?;

        self.record(
            "src/invoice.rs",
            "    pub fn total(&self) -> f64 { self.subtotal() * 1.2 }\n",
            &["--tool", "cursor", "--model", "gpt-5", "--status", "rejected"],
            "Add a total method",
        )?;
        writeln!(out, "4. Cursor proposes a hard-coded 20% total; Dana rejects it.")?;

        let edited = format!(
            "// Billing model: amounts are in the invoice's currency.\n{}",
            with_total.replace("l.amount * l.tax_rate", "l.amount * l.tax_rate.max(0.0)")
        );
        self.write("src/invoice.rs", &edited)?;
        self.git(&["add", "-A"])?;
        self.git(&["commit", "-q", "-m", "Add total_with_tax and its test"])?;
        writeln!(
            out,
            "5. Dana edits one AI line, adds a comment line of her own, and commits.\n"
        )?;

        let with_discount = edited.replacen("    }\n}\n", &format!("    }}\n{DISCOUNT}}}\n"), 1);
        self.write("src/invoice.rs", &with_discount)?;
        self.record(
            "src/invoice.rs",
            DISCOUNT,
            &[
                "--tool",
                "gemini-cli",
                "--model",
                "gemini-2.5-pro",
                "--session",
                "s-9b2e",
            ],
            "Add a percentage discount",
        )?;
        writeln!(out, "6. Gemini CLI adds discounted(), not committed yet.\n")?;

        // An AI line Dana kept: what explain answers for it.
        let kept = edited
            .lines()
            .position(|l| l.contains("fn total_with_tax"))
            .map_or(1, |i| i + 1);
        let explain = format!("src/invoice.rs:{kept}");
        for command in [
            &["blame", "src/invoice.rs"][..],
            &["explain", &explain],
            &["stats"],
            &["show", "HEAD"],
            &["status"],
        ] {
            writeln!(out, "$ lineage {}", command.join(" "))?;
            let output = self.lineage(command, None)?;
            out.write_all(output.as_bytes())?;
            writeln!(out)?;
        }
        Ok(())
    }

    fn write(&self, path: &str, text: &str) -> Result<()> {
        let full = self.dir.join(path);
        std::fs::create_dir_all(full.parent().expect("a file has a parent"))?;
        std::fs::write(full, text)?;
        Ok(())
    }

    fn record(&self, file: &str, inserted: &str, flags: &[&str], prompt: &str) -> Result<()> {
        let mut args = vec!["record", "--file", file, "--prompt", prompt];
        args.extend_from_slice(flags);
        self.lineage(&args, Some(inserted))?;
        Ok(())
    }

    /// The pinned environment ([`crate::pinned`]), so the demo's output is the same on every
    /// run whatever the user's own git config; the clock sits between the edits and commits.
    fn pinned(&self, mut cmd: Command) -> Command {
        cmd.current_dir(&self.dir);
        pinned::pin(
            &mut cmd,
            &Pinned {
                now: "2026-11-02T09:30:00Z",
                ..Pinned::default()
            },
        );
        cmd
    }

    fn git(&self, args: &[&str]) -> Result<String> {
        run_checked(self.pinned(crate::git::command()).args(args), None)
    }

    fn lineage(&self, args: &[&str], stdin: Option<&str>) -> Result<String> {
        run_checked(self.pinned(Command::new(&self.binary)).args(args), stdin)
    }
}

/// Runs `cmd` to the end; a failure, or a warning from lineage, fails the demo.
fn run_checked(cmd: &mut Command, stdin: Option<&str>) -> Result<String> {
    let mut child = cmd
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot run {:?}", cmd.get_program()))?;
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(text.as_bytes())?;
    }
    let output = child.wait_with_output()?;
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() || stderr.contains("lineage: warning") {
        bail!(
            "{:?} {:?} failed: {}",
            cmd.get_program(),
            cmd.get_args().collect::<Vec<_>>(),
            stderr.trim()
        );
    }
    Ok(String::from_utf8_lossy(&output.stdout).into_owned())
}
