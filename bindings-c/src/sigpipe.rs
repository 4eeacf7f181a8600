//! Keeps SIGPIPE from killing the host program.
//!
//! Rust programs ignore SIGPIPE at start-up, C programs do not: when the bank (or a proxy)
//! resets a connection, a write on that socket raises SIGPIPE in the writing thread and
//! the default action ends the whole ERP process. The library therefore blocks SIGPIPE in
//! its runtime threads for good and, around every blocking call, in the caller's thread,
//! discarding a SIGPIPE raised meanwhile (the write itself fails with EPIPE, which the
//! client reports as a network error). The host's own signal handling is left untouched.

/// Blocks SIGPIPE in the current thread permanently (runtime worker threads).
pub(crate) fn block_in_this_thread() {
    // SAFETY: sigset_t is plain data initialised by sigemptyset; pthread_sigmask only
    // changes this thread's mask.
    unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        libc::sigaddset(&mut set, libc::SIGPIPE);
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
    }
}

/// Blocks SIGPIPE in the calling thread while alive; on drop discards a SIGPIPE raised
/// meanwhile and restores the previous mask.
pub(crate) struct Guard {
    previous: libc::sigset_t,
    was_blocked: bool,
}

impl Guard {
    /// Blocks SIGPIPE in this thread.
    pub(crate) fn new() -> Guard {
        // SAFETY: as in `block_in_this_thread`; `previous` receives the old mask.
        unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            let mut previous: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, libc::SIGPIPE);
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, &mut previous);
            let was_blocked = libc::sigismember(&previous, libc::SIGPIPE) == 1;
            Guard {
                previous,
                was_blocked,
            }
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        if self.was_blocked {
            return;
        }
        // SAFETY: sigpending/sigtimedwait only inspect and consume this thread's pending
        // SIGPIPE (a zero timeout never waits); then the old mask is restored.
        unsafe {
            let mut pending: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut pending);
            if libc::sigpending(&mut pending) == 0
                && libc::sigismember(&pending, libc::SIGPIPE) == 1
            {
                let mut only: libc::sigset_t = std::mem::zeroed();
                libc::sigemptyset(&mut only);
                libc::sigaddset(&mut only, libc::SIGPIPE);
                let zero = libc::timespec {
                    tv_sec: 0,
                    tv_nsec: 0,
                };
                libc::sigtimedwait(&only, std::ptr::null_mut(), &zero);
            }
            libc::pthread_sigmask(libc::SIG_SETMASK, &self.previous, std::ptr::null_mut());
        }
    }
}
