//! What the three measurements share: the pinned environment of child processes (the one
//! `lineage::pinned` defines for tests, benchmark and demo), running and timing processes,
//! files, statistics, and the results table.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use lineage::pinned::{Pinned, pin};

pub const LINEAGE: &str = env!("CARGO_BIN_EXE_lineage");

/// The pinned date of commits made by spawned git commands, and lineage's clock.
pub const GIT_DATE: &str = "2026-01-01T12:00:00+00:00";
pub const LINEAGE_NOW: &str = "2026-01-01T12:00:00Z";
/// Author time of the first commit of the fast-imported histories (2025-06-01T00:00:00Z).
pub const HISTORY_EPOCH: u64 = 1_748_736_000;

/// The pinned environment every child process gets.
pub struct Env {
    pub home: PathBuf,
    pub path: OsString,
}

impl Env {
    pub fn new(root: &Path) -> Env {
        let home = root.join("home");
        fs::create_dir_all(&home).unwrap();
        Env {
            home,
            path: std::env::var_os("PATH").unwrap_or_else(|| "/usr/bin:/bin".into()),
        }
    }

    pub fn command(&self, program: &str, dir: &Path, args: &[&str]) -> Command {
        let mut cmd = Command::new(program);
        cmd.current_dir(dir)
            .args(args)
            .env_clear()
            .env("PATH", &self.path)
            .stdin(Stdio::null());
        pin(
            &mut cmd,
            &Pinned {
                home: Some(&self.home),
                date: GIT_DATE,
                now: LINEAGE_NOW,
            },
        );
        cmd
    }

    pub fn git(&self, dir: &Path, args: &[&str]) -> Command {
        self.command("git", dir, args)
    }

    pub fn lineage(&self, dir: &Path, args: &[&str]) -> Command {
        self.command(LINEAGE, dir, args)
    }
}

/// Feeds a `git fast-import` stream to a new repository in `dir` and checks out `main`.
pub fn fast_import(env: &Env, dir: &Path, stream: &[u8]) {
    let mut child = env
        .git(dir, &["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cannot run git fast-import");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(stream).unwrap();
    stdin.write_all(b"done\n").unwrap();
    drop(stdin);
    let mut stderr = String::new();
    child.stderr.take().unwrap().read_to_string(&mut stderr).ok();
    assert!(
        child.wait().unwrap().success(),
        "git fast-import failed: {stderr}"
    );
    check_output(env.git(dir, &["reset", "-q", "--hard", "main"]));
}

pub fn describe(cmd: &Command) -> String {
    let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
    format!("{} {}", cmd.get_program().to_string_lossy(), args.join(" "))
}

/// Runs `cmd` to completion and returns its stdout; panics with its stderr on failure.
pub fn check_output(mut cmd: Command) -> Vec<u8> {
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", describe(&cmd)));
    assert!(
        output.status.success(),
        "{} failed: {}",
        describe(&cmd),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    output.stdout
}

/// Wall-clock time of `cmd` from spawn to exit, stdout discarded; its stderr is returned.
pub fn timed(cmd: &mut Command) -> (Duration, String) {
    cmd.stdout(Stdio::null()).stderr(Stdio::piped());
    let start = Instant::now();
    let output = cmd
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", describe(cmd)));
    let elapsed = start.elapsed();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(
        output.status.success(),
        "{} failed: {}",
        describe(cmd),
        stderr.trim()
    );
    (elapsed, stderr)
}

/// `--quick` (`cargo bench --bench budgets -- --quick`): three rounds a measurement and a
/// smaller monorepo, for development. Its numbers are not the ones to quote.
pub fn quick() -> bool {
    std::env::args().any(|a| a == "--quick")
}

/// Timed rounds: `full` normally, three in `--quick` mode.
pub fn rounds(full: usize) -> usize {
    if quick() { 3 } else { full }
}

/// Peak resident memory of `cmd` (its own process, not its children), in MiB; stdout
/// discarded; panics on failure.
///
/// Read from the kernel's accounting at exit (`wait4`), in a fresh copy of this benchmark
/// ([`peak_rss_helper`]): a process started straight from this one would report this one's
/// resident size (the kernel counts the memory a process had before `exec`).
pub fn peak_rss_mib(cmd: &mut Command) -> f64 {
    let mut helper = Command::new(std::env::current_exe().unwrap());
    helper
        .arg(PEAK_RSS_HELPER)
        .arg(cmd.get_program())
        .args(cmd.get_args())
        .env_clear()
        .envs(cmd.get_envs().filter_map(|(k, v)| Some((k, v?))))
        .stdin(Stdio::null());
    if let Some(dir) = cmd.get_current_dir() {
        helper.current_dir(dir);
    }
    let out = check_output(helper);
    String::from_utf8_lossy(&out)
        .trim()
        .parse::<f64>()
        .unwrap_or_else(|_| panic!("{} reported no peak memory", describe(cmd)))
        / 1024.0
}

/// The first argument that makes this benchmark the peak-memory helper.
pub const PEAK_RSS_HELPER: &str = "--peak-rss-of";

/// As the helper: runs `program args…`, waits for it with `wait4`, prints its peak resident
/// memory in KiB, and exits with its status.
pub fn peak_rss_helper(program: &str, args: &[String]) -> std::process::ExitCode {
    let child = Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is valid, and wait4 writes into the two live locals it is
    // given; the child is waited for here, not by `Child` (which is dropped without waiting).
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let waited = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    drop(child);
    if waited != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return std::process::ExitCode::from(1);
    }
    // ru_maxrss is in KiB on Linux.
    println!("{}", usage.ru_maxrss);
    std::process::ExitCode::SUCCESS
}

/// Wall-clock time of `cmd` fed `input` on stdin; panics on failure.
pub fn run_with_stdin(cmd: &mut Command, input: &[u8]) -> Duration {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", describe(cmd)));
    child.stdin.take().unwrap().write_all(input).unwrap();
    let output = child.wait_with_output().unwrap();
    let elapsed = start.elapsed();
    assert!(
        output.status.success(),
        "{} failed: {}",
        describe(cmd),
        String::from_utf8_lossy(&output.stderr).trim()
    );
    elapsed
}

/// The object a ref points to, or `None` when it does not exist.
pub fn git_rev(env: &Env, dir: &Path, name: &str) -> Option<String> {
    let output = env
        .git(dir, &["rev-parse", "-q", "--verify", name])
        .output()
        .unwrap();
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).trim().to_string())
}

pub fn restore_ref(env: &Env, dir: &Path, name: &str, value: Option<&str>) {
    match value {
        Some(value) => check_output(env.git(dir, &["update-ref", name, value])),
        None => check_output(env.git(dir, &["update-ref", "-d", name])),
    };
}

/// Complete entries in the journal directory's append log (`entries.jsonl`, one per line).
pub fn count_entries(dir: &Path) -> usize {
    let text = fs::read_to_string(dir.join("entries.jsonl")).unwrap_or_default();
    text.lines()
        .filter(|l| l.starts_with('{') && l.ends_with('}'))
        .count()
}

pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Makes `to` an exact copy of `from`.
pub fn restore_dir(from: &Path, to: &Path) {
    if to.exists() {
        fs::remove_dir_all(to).unwrap();
    }
    copy_dir(from, to);
}

pub fn sorted_ms(times: &[Duration]) -> Vec<f64> {
    let mut ms: Vec<f64> = times.iter().map(|d| d.as_secs_f64() * 1e3).collect();
    ms.sort_by(f64::total_cmp);
    ms
}

pub fn median_ms(times: &[Duration]) -> f64 {
    let ms = sorted_ms(times);
    assert!(!ms.is_empty(), "no samples");
    let mid = ms.len() / 2;
    if ms.len() % 2 == 1 {
        ms[mid]
    } else {
        (ms[mid - 1] + ms[mid]) / 2.0
    }
}

pub fn mean_ms(times: &[Duration]) -> f64 {
    let ms = sorted_ms(times);
    ms.iter().sum::<f64>() / ms.len() as f64
}

pub fn fmt_ms(ms: f64) -> String {
    if ms.abs() >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms.abs() >= 10.0 {
        format!("{ms:.1} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

pub fn progress(started: Instant, message: &str) {
    eprintln!("[{:6.1} s] {message}", started.elapsed().as_secs_f64());
}

/// xorshift64*: deterministic, good enough to scatter edits.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn hex64(&mut self) -> String {
        (0..4).fold(String::with_capacity(64), |mut s, _| {
            write!(s, "{:016x}", self.next()).unwrap();
            s
        })
    }
}

/// Distinct, code-like lines (a counter keeps every line unique, so blame is unambiguous).
#[derive(Default)]
pub struct LineMaker {
    pub count: usize,
}

impl LineMaker {
    pub fn next(&mut self, rng: &mut Rng) -> String {
        self.count += 1;
        let n = self.count;
        let a = rng.below(1000);
        match rng.below(6) {
            0 => format!("    let value_{n} = compute({a}, offset + {});", rng.below(64)),
            1 => format!("    total += weight_{n} * {a};"),
            2 => format!("    if flag_{n} > {a} {{ return Err(Error::Limit({a})); }}"),
            3 => format!("    // step {n}: keep the buffer below {a} bytes"),
            4 => format!("    buffer.push(Item::new({n}, \"label-{a}\"));"),
            _ => format!("    debug_assert!(index_{n} < {a}, \"index out of range\");"),
        }
    }
}

pub struct Row {
    pub measure: String,
    pub lineage: String,
    pub baseline: String,
    pub ratio: String,
    pub budget: String,
    /// `None` for informational rows.
    pub within: Option<bool>,
}

pub fn table(rows: &[Row]) -> String {
    let header = [
        "measure",
        "lineage",
        "git baseline",
        "ratio",
        "budget",
        "within budget?",
    ];
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.measure.clone(),
                r.lineage.clone(),
                r.baseline.clone(),
                r.ratio.clone(),
                r.budget.clone(),
                match r.within {
                    Some(true) => "yes".into(),
                    Some(false) => "NO".into(),
                    None => "-".into(),
                },
            ]
        })
        .collect();
    grid(&header, &cells, |i| (1..=3).contains(&i))
}

/// Several runs' tables as one: each row's value in every run (each the median of that run's
/// rounds), and whether its budget was met in all of them. A budget met in only some runs is
/// not met.
pub fn summary(runs: &[Vec<Row>]) -> String {
    let mut header = vec!["measure".to_string()];
    header.extend((1..=runs.len()).map(|r| format!("run {r}")));
    header.extend(["budget".into(), "met".into()]);
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    // Runs measure the same rows in the same order (several share a label, so by position).
    let first = runs.first().map(Vec::as_slice).unwrap_or_default();
    // The figure a row's budget applies to (its ratio, or its own value); an informational
    // row's ratio when it has one.
    let figure = |r: &Row| match r.budget.ends_with('x') || (r.within.is_none() && r.ratio.ends_with('x')) {
        true => r.ratio.clone(),
        false => r.lineage.clone(),
    };
    let cells: Vec<Vec<String>> = first
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let same: Vec<Option<&Row>> = runs
                .iter()
                .map(|rows| rows.get(i).filter(|r| r.measure == row.measure))
                .collect();
            let mut cells = vec![row.measure.clone()];
            cells.extend(same.iter().map(|r| r.map_or("?".into(), figure)));
            cells.push(row.budget.clone());
            let met = same
                .iter()
                .filter(|r| r.is_some_and(|r| r.within == Some(true)))
                .count();
            cells.push(match row.within {
                None => "-".into(),
                Some(_) if met == runs.len() => "yes".into(),
                Some(_) => format!("NO ({met} of {})", runs.len()),
            });
            cells
        })
        .collect();
    grid(&header, &cells, |i| (1..=runs.len()).contains(&i))
}

/// Whether every budget row of every run was met.
pub fn all_met(runs: &[Vec<Row>]) -> bool {
    runs.iter().flatten().all(|r| r.within != Some(false))
}

/// The machine's load average over the last minute (`/proc/loadavg`), for the record.
pub fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

/// A text table: `right(i)` says which columns are numbers (right-aligned).
fn grid(header: &[&str], cells: &[Vec<String>], right: impl Fn(usize) -> bool) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in cells {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: &[String]| {
        let mut out = String::new();
        for (i, (cell, w)) in cells.iter().zip(&widths).enumerate() {
            let pad = w - cell.chars().count();
            if right(i) {
                out.push_str(&" ".repeat(pad));
                out.push_str(cell);
            } else {
                out.push_str(cell);
                out.push_str(&" ".repeat(pad));
            }
            if i + 1 < cells.len() {
                out.push_str(" | ");
            }
        }
        out.truncate(out.trim_end().len());
        out.push('\n');
        out
    };
    let names: Vec<String> = header.iter().map(|h| h.to_string()).collect();
    let mut out = line(&names);
    let rule: Vec<String> = widths.iter().map(|&w| "-".repeat(w)).collect();
    out.push_str(&rule.join("-+-"));
    out.push('\n');
    for row in cells {
        out.push_str(&line(row));
    }
    out
}
