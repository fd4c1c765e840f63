//! Output that never panics and never cuts work short.
//!
//! `println!` panics when stdout is a closed pipe (`zklc client status |
//! head -1`) or a full disk (`>/dev/full`), and a panic between two updates
//! of a store loses the second. Every line `zklc` prints goes through here
//! instead: a write error is recorded, later output is dropped, and the
//! command runs to its end. [`finish`] then says how it went: a broken pipe
//! is not an error (the reader has what it wanted, as with `git` or
//! `ripgrep`); any other stdout error is one line on stderr and exit 1.
//! Notes and warnings on stderr are best effort: there is nowhere left to
//! report a failing stderr.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static QUIET: AtomicBool = AtomicBool::new(false);
/// Set after the first failed stdout write: later output is dropped.
static STDOUT_DONE: AtomicBool = AtomicBool::new(false);
/// The first stdout error that was not a broken pipe.
static STDOUT_ERROR: Mutex<Option<io::Error>> = Mutex::new(None);

/// `--quiet`: silence notes (warnings and errors are still printed).
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Writes to stdout and flushes (so that a full disk is seen now, not at
/// exit); records the first error instead of panicking.
pub fn stdout(args: fmt::Arguments) {
    if STDOUT_DONE.load(Ordering::Relaxed) {
        return;
    }
    let mut lock = io::stdout().lock();
    if let Err(e) = lock.write_fmt(args).and_then(|()| lock.flush()) {
        record(e);
    }
}

/// Writes raw bytes to stdout (a file written to `-`).
pub fn stdout_bytes(bytes: &[u8]) {
    if STDOUT_DONE.load(Ordering::Relaxed) {
        return;
    }
    let mut lock = io::stdout().lock();
    if let Err(e) = lock.write_all(bytes).and_then(|()| lock.flush()) {
        record(e);
    }
}

fn record(e: io::Error) {
    STDOUT_DONE.store(true, Ordering::Relaxed);
    if e.kind() != io::ErrorKind::BrokenPipe {
        let mut slot = STDOUT_ERROR.lock().unwrap_or_else(|p| p.into_inner());
        slot.get_or_insert(e);
    }
}

/// Writes to stderr, ignoring errors.
pub fn stderr(args: fmt::Arguments) {
    let mut lock = io::stderr().lock();
    let _ = lock.write_fmt(args).and_then(|()| lock.flush());
}

/// The stdout error to report when the command is over, if any (a broken
/// pipe is none).
pub fn finish() -> Option<io::Error> {
    STDOUT_ERROR
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .take()
}

/// A line on stdout.
#[macro_export]
macro_rules! say {
    ($($arg:tt)*) => {
        $crate::out::stdout(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// A note on stderr (progress, what was written), silenced by `--quiet`.
#[macro_export]
macro_rules! note {
    ($($arg:tt)*) => {
        if !$crate::out::quiet() {
            $crate::out::stderr(format_args!("{}\n", format_args!($($arg)*)))
        }
    };
}

/// A warning on stderr: `warning: ...`, never silenced.
#[macro_export]
macro_rules! warn {
    ($($arg:tt)*) => {
        $crate::out::stderr(format_args!("warning: {}\n", format_args!($($arg)*)))
    };
}
