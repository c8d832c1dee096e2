//! A child's output read in batches rather than as it trickles in.
//!
//! `git blame --incremental` flushes every entry it finishes: ~1,800 writes for a file with
//! 3,000 commits of history, and each write to an empty pipe wakes the reader. Each wake cost
//! lineage ~10 µs of CPU on this VM (1,500 wakes, 38 ms; paced, 146 wakes and 23 ms), taken
//! from git when the second core is busy. After a first few prompt reads, a read that found
//! little waits a moment for more, so one wake collects a batch of entries; lineage still reads
//! notes while git blames. The wait is on the child's exit (a pidfd), so it never delays the
//! answer. A thread waiting on the exit instead made a 100,000-line blame ~2 ms slower.

use std::io::Read;
use std::process::{Child, ChildStdout};

/// How long a read waits for more output to gather, at most.
const PAUSE_MS: i32 = 8;

/// The reads that come as soon as output does: a child with little to say is heard at once
/// (an entry of `git blame` may start lineage reading a big note, best done while git works).
const PROMPT_READS: u32 = 64;

/// A read that returns at least this much means output is streaming: the next read comes
/// without a pause, so git never waits long on a full pipe (64 KiB).
const STREAMING: usize = 16 << 10;

/// `child`'s stdout, read in batches.
pub(super) struct PacedOutput {
    stdout: ChildStdout,
    /// Readable once the child has exited; `None` where there are no pidfds (no pauses then).
    exit: Option<exit::ExitFd>,
    /// [`PAUSE_MS`] and [`PROMPT_READS`] (other values in tests).
    pause_ms: i32,
    prompt_reads: u32,
    /// Reads so far.
    reads: u32,
    /// Whether the next read pauses first: the output trickles in.
    paced: bool,
}

/// Takes `child`'s stdout, to be read in batches; `None` when it is not piped.
pub(super) fn paced(child: &mut Child) -> Option<PacedOutput> {
    Some(PacedOutput {
        stdout: child.stdout.take()?,
        exit: exit::ExitFd::of(child),
        pause_ms: PAUSE_MS,
        prompt_reads: PROMPT_READS,
        reads: 0,
        paced: false,
    })
}

impl Read for PacedOutput {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.paced
            && let Some(exit) = &self.exit
        {
            exit.wait(self.pause_ms);
        }
        let read = self.stdout.read(buf)?;
        self.reads = self.reads.saturating_add(1);
        self.paced = self.reads >= self.prompt_reads && read < STREAMING.min(buf.len());
        Ok(read)
    }
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
mod exit {
    use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
    use std::process::Child;

    /// A pidfd: a file descriptor that turns readable when its process exits.
    pub struct ExitFd(OwnedFd);

    impl ExitFd {
        /// The pidfd of `child` (not yet waited for, so its pid cannot have been reused);
        /// `None` on kernels older than 5.3.
        pub fn of(child: &Child) -> Option<ExitFd> {
            let pid = libc::pid_t::try_from(child.id()).ok()?;
            // SAFETY: pidfd_open takes a pid and flags and returns a new descriptor or -1.
            let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
            let fd = i32::try_from(fd).ok().filter(|&fd| fd >= 0)?;
            // SAFETY: `fd` was just opened and nothing else owns it.
            Some(ExitFd(unsafe { OwnedFd::from_raw_fd(fd) }))
        }

        /// Waits until the process exits or `ms` milliseconds pass.
        pub fn wait(&self, ms: i32) {
            let mut poll = libc::pollfd {
                fd: self.0.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one valid pollfd. An error or a signal only cuts the pause short.
            unsafe { libc::poll(&mut poll, 1, ms) };
        }
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
mod exit {
    use std::process::Child;

    /// No pidfds here: reads never pause.
    pub enum ExitFd {}

    impl ExitFd {
        pub fn of(_child: &Child) -> Option<ExitFd> {
            None
        }

        pub fn wait(&self, _ms: i32) {
            match *self {}
        }
    }
}

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use super::*;

    /// Runs `script` and reads its output as `paced` would, pausing from the first read on
    /// for as long as `pause_ms`: the output and the number of reads it took.
    fn read_paced(script: &str, pause_ms: i32) -> (String, u32, Duration) {
        let mut child = Command::new("sh")
            .args(["-c", script])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut output = paced(&mut child).unwrap();
        output.pause_ms = pause_ms;
        output.prompt_reads = 0;
        let started = Instant::now();
        let mut text = String::new();
        output.read_to_string(&mut text).unwrap();
        let elapsed = started.elapsed();
        child.wait().unwrap();
        (text, output.reads, elapsed)
    }

    #[test]
    fn a_paused_read_collects_what_trickled_in_and_ends_when_the_child_does() {
        // A pause of a minute, ended by the child's exit after ~0.2 s: "b" and "c" came
        // while the reader paused, and one read takes both.
        let (text, reads, elapsed) = read_paced("echo a; sleep 0.1; echo b; sleep 0.1; echo c", 60_000);
        assert_eq!(text, "a\nb\nc\n");
        assert_eq!(reads, 3, "a, then b and c together, then the end");
        assert!(
            elapsed < Duration::from_secs(10),
            "the exit ended the pause: {elapsed:?}"
        );
    }

    #[test]
    fn without_a_pause_each_write_is_its_own_read() {
        let (text, reads, _) = read_paced("echo a; sleep 0.1; echo b; sleep 0.1; echo c", 0);
        assert_eq!(text, "a\nb\nc\n");
        assert_eq!(reads, 4);
    }
}
