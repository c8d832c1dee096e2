//! Work split in two and done on two cores at once: the few steps of a hook big enough to
//! gain from it.
//!
//! A thread started the usual way is queued where the scheduler likes, which is often the core
//! of the thread that started it: the 1,000-record post-commit's two halves of the journal ran
//! one after the other in 9 of 11 runs on the 2-core machine the budgets are measured on
//! (the idle core takes the new thread only at its next balancing tick, milliseconds later).
//! Moving a thread once it is queued costs as much. So on Linux the thread is created allowed
//! on every core but this one (the only way to place it at birth is a `pthread` attribute,
//! which `std::thread` does not offer): it starts on the other core within ~0.1 ms, every time.

use std::panic::{AssertUnwindSafe, catch_unwind, resume_unwind};

/// Runs `here` on this thread and `beside` on a new one at once, and returns both results.
/// When no thread can be started, `beside` runs here, after `here`. A panic in either goes on
/// in the caller, once both are done.
pub fn join<A, B: Send>(here: impl FnOnce() -> A, beside: impl FnOnce() -> B + Send) -> (A, B) {
    let mut done_beside: Option<std::thread::Result<B>> = None;
    let a = {
        let slot = &mut done_beside;
        let work: Box<dyn FnOnce() + Send + '_> =
            Box::new(move || *slot = Some(catch_unwind(AssertUnwindSafe(beside))));
        let started = Beside::start(work);
        // `here` may panic: the thread is waited for all the same before anything it borrows
        // goes away.
        let a = catch_unwind(AssertUnwindSafe(here));
        match started {
            Ok(thread) => thread.wait(),
            Err(work) => work(),
        }
        a
    };
    let b = done_beside;
    match (a, b) {
        (Ok(a), Some(Ok(b))) => (a, b),
        (Err(panic), _) | (_, Some(Err(panic))) => resume_unwind(panic),
        (Ok(_), None) => unreachable!("the work beside ran, on its thread or on this one"),
    }
}

/// Work running on another thread, which must be waited for before what it borrows is gone.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
struct Beside {
    thread: libc::pthread_t,
}

/// Elsewhere no thread is started: the halves run one after the other.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
enum Beside {}

/// The work a thread runs, its lifetime erased: [`join`] waits for the thread before it returns.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
type Work = Box<dyn FnOnce() + Send + 'static>;

impl Beside {
    /// Starts `work` on a new thread, allowed on every core but this one; gives the work back
    /// when no thread starts.
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn start<'a>(work: Box<dyn FnOnce() + Send + 'a>) -> Result<Beside, Box<dyn FnOnce() + Send + 'a>> {
        extern "C" fn run(work: *mut libc::c_void) -> *mut libc::c_void {
            // SAFETY: `start` passed a `Box<Work>` it gave up; this thread owns it now. The
            // work catches its own panics, so none unwinds into C.
            let work = unsafe { Box::from_raw(work.cast::<Work>()) };
            work();
            std::ptr::null_mut()
        }
        // SAFETY: `join` waits for the thread before anything `work` borrows goes away, on
        // every path (a panic of the other half included), so the erased lifetime is never
        // outlived.
        let work: Work = unsafe { std::mem::transmute::<Box<dyn FnOnce() + Send + 'a>, Work>(work) };
        let raw = Box::into_raw(Box::new(work));
        // SAFETY: plain pthread calls on an attribute set initialised here and destroyed once
        // the thread is created; `raw` goes to the thread only when it starts.
        unsafe {
            let mut attr: libc::pthread_attr_t = std::mem::zeroed();
            if libc::pthread_attr_init(&mut attr) != 0 {
                return Err(*Box::from_raw(raw));
            }
            if let Some(cores) = other_cores() {
                libc::pthread_attr_setaffinity_np(&mut attr, std::mem::size_of::<libc::cpu_set_t>(), &cores);
            }
            let mut thread: libc::pthread_t = 0;
            let started = libc::pthread_create(&mut thread, &attr, run, raw.cast());
            libc::pthread_attr_destroy(&mut attr);
            if started != 0 {
                return Err(*Box::from_raw(raw));
            }
            Ok(Beside { thread })
        }
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fn wait(self) {
        // SAFETY: the thread was created joinable and is joined once, here.
        let joined = unsafe { libc::pthread_join(self.thread, std::ptr::null_mut()) };
        // Not joined, the thread may still use what its work borrows: going on would be
        // undefined behaviour, so the process stops (no joinable thread fails to join).
        if joined != 0 {
            std::process::abort();
        }
    }

    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    fn start<'a>(work: Box<dyn FnOnce() + Send + 'a>) -> Result<Beside, Box<dyn FnOnce() + Send + 'a>> {
        Err(work)
    }

    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    fn wait(self) {
        match self {}
    }
}

/// Every core this thread may run on but the one it runs on; `None` when there is no other.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn other_cores() -> Option<libc::cpu_set_t> {
    // SAFETY: a plain bit set, sized for the calls that fill and read it.
    unsafe {
        let core = usize::try_from(libc::sched_getcpu()).ok()?;
        let mut cores: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut cores) != 0 {
            return None;
        }
        libc::CPU_CLR(core, &mut cores);
        (libc::CPU_COUNT(&cores) > 0).then_some(cores)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_halves_are_done_and_share_the_callers_data() {
        let halves = [vec![1, 2, 3], vec![4, 5]];
        let sums = join(|| halves[0].iter().sum::<i32>(), || halves[1].iter().sum::<i32>());
        assert_eq!(sums, (6, 9));
    }

    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    #[test]
    fn the_half_beside_runs_on_another_thread_kept_off_this_core() {
        let allowed = || {
            // SAFETY: a plain bit set, sized for the call that fills it.
            unsafe {
                let mut cores: libc::cpu_set_t = std::mem::zeroed();
                libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut cores);
                libc::CPU_COUNT(&cores)
            }
        };
        let here = (std::thread::current().id(), allowed());
        let (_, beside) = join(|| (), || (std::thread::current().id(), allowed()));
        assert_ne!(beside.0, here.0);
        let expected = if here.1 > 1 { here.1 - 1 } else { here.1 };
        assert_eq!(beside.1, expected, "cores the thread beside may use");
    }

    #[test]
    fn a_panic_in_either_half_goes_on_in_the_caller_after_both_are_done() {
        let finished = std::sync::atomic::AtomicBool::new(false);
        let caught = catch_unwind(AssertUnwindSafe(|| {
            join(
                || -> i32 { panic!("here") },
                || {
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    finished.store(true, std::sync::atomic::Ordering::SeqCst);
                },
            )
        }));
        assert!(caught.is_err());
        assert!(
            finished.load(std::sync::atomic::Ordering::SeqCst),
            "the other half was waited for"
        );
        let caught = catch_unwind(|| join(|| 1, || -> i32 { panic!("beside") }));
        assert!(caught.is_err());
    }
}
