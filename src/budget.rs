//! Time and memory budgets for a user's page template (`--template` with an
//! `act.typ`). Typst evaluates a template as a program: a loop over
//! `range(10000000000)` runs for hours, an array of a billion numbers takes
//! all the memory, and Typst itself has no fuel to stop either. The built-in
//! template is ours and needs no budget; a user's one gets two:
//!
//! - **time**: each layout ([`timed`]) may take [`Budget::seconds`]; a
//!   watchdog thread stops the program when one takes longer;
//! - **memory**: the heap the program holds may grow to [`Budget::bytes`];
//!   the allocator ([`Counted`], installed in `main.rs`) counts it while a
//!   budget is set and stops the program when an allocation would pass it.
//!
//! Stopping is what an interrupt does (the temporary files of the outputs
//! are removed, worker processes stopped, nothing half-written is left: see
//! `output::clean_up_on_interrupt`), after a Russian message that names the
//! budget and how to raise it. The exit code is 1.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicIsize, AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// The budgets of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Longest layout of one document, seconds (real acts: under a second;
    /// a plan of 10 000 rows: about 20).
    pub seconds: u64,
    /// Most heap the whole program may hold, bytes (real acts: under 200 MB).
    pub bytes: u64,
}

impl Default for Budget {
    fn default() -> Self {
        Self {
            seconds: 120,
            bytes: 4 << 30,
        }
    }
}

/// Heap bytes allowed; 0: no budget, nothing counted.
static CAP: AtomicUsize = AtomicUsize::new(0);
/// Heap bytes held since the budget was set (can dip below zero: memory
/// allocated before is freed too).
static HELD: AtomicIsize = AtomicIsize::new(0);
/// Longest layout, ms; 0: no watchdog.
static LAYOUT_MS: AtomicU64 = AtomicU64::new(0);
/// Set once a budget is exceeded: the program is stopping (a second
/// thread past a budget waits for the end).
static EXCEEDED: AtomicBool = AtomicBool::new(false);

/// Set the budgets for the rest of the run. Called when a user's page
/// template is in effect.
pub fn install(budget: Budget) {
    let _ = MEMORY_MESSAGE.set(memory_message(budget.bytes));
    LAYOUT_MS.store(
        budget.seconds.saturating_mul(1000).max(1),
        Ordering::Relaxed,
    );
    CAP.store(
        usize::try_from(budget.bytes).unwrap_or(usize::MAX).max(1),
        Ordering::Relaxed,
    );
}

/// What stops the program cleanly, registered by the layer that writes files
/// (its interrupt handler); without it, the process exits.
static STOP: std::sync::OnceLock<fn()> = std::sync::OnceLock::new();

/// Let `stop` end the program when a budget is exceeded (the first one
/// registered stays).
pub fn on_exceeded(stop: fn()) {
    let _ = STOP.set(stop);
}

/// Layouts running now: when each started (one slot per running layout).
static RUNNING: Mutex<Vec<(u64, Instant)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(0);
static WATCHDOG: std::sync::Once = std::sync::Once::new();

/// Run one layout `f` within the time budget, when one is set.
pub fn timed<T>(f: impl FnOnce() -> T) -> T {
    let limit = LAYOUT_MS.load(Ordering::Relaxed);
    if limit == 0 {
        return f();
    }
    WATCHDOG.call_once(|| {
        let _ = std::thread::Builder::new()
            .name("prikaz-watchdog".into())
            .spawn(watch);
    });
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    RUNNING
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((id, Instant::now()));
    struct Done(u64);
    impl Drop for Done {
        fn drop(&mut self) {
            RUNNING
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .retain(|(i, _)| *i != self.0);
        }
    }
    let _done = Done(id);
    f()
}

fn watch() {
    loop {
        std::thread::sleep(Duration::from_millis(200));
        let limit = Duration::from_millis(LAYOUT_MS.load(Ordering::Relaxed));
        let late = RUNNING
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .any(|(_, t)| t.elapsed() > limit);
        if late {
            let secs = limit.as_secs();
            let msg = format!(
                "ошибка: шаблон страницы act.typ верстал документ дольше {secs} с — вёрстка остановлена, файлы не записаны\n  подсказка: в шаблоне, видимо, бесконечный или слишком долгий цикл; проверьте его на встроенном (без --template) или дайте больше времени: --template-time {}\n",
                secs.saturating_mul(4)
            );
            stop(msg.as_bytes());
        }
    }
}

/// The message of an exceeded memory budget, made when the budget is set:
/// when it is needed, nothing more can be allocated.
static MEMORY_MESSAGE: std::sync::OnceLock<Vec<u8>> = std::sync::OnceLock::new();

fn memory_message(bytes: u64) -> Vec<u8> {
    let mb = bytes >> 20;
    let (now, more) = if mb >= 1024 && mb.is_multiple_of(1024) {
        (format!("{} ГБ", mb / 1024), format!("{}ГБ", mb / 1024 * 2))
    } else {
        (format!("{mb} МБ"), format!("{}МБ", mb.max(1) * 2))
    };
    format!(
        "ошибка: с шаблоном страницы act.typ программа заняла больше {now} памяти — вёрстка остановлена, файлы не записаны\n  подсказка: в шаблоне, видимо, огромный массив или строка; проверьте его на встроенном (без --template) или разрешите больше: --template-memory {more}\n"
    )
    .into_bytes()
}

/// Say `message` (already made: this may run where nothing can be
/// allocated), then stop the program as an interrupt does; the first caller
/// wins, others wait for the end.
fn stop(message: &[u8]) -> ! {
    if EXCEEDED.swap(true, Ordering::SeqCst) {
        loop {
            std::thread::sleep(Duration::from_secs(1));
        }
    }
    // No more counting: the clean-up itself needs a little memory.
    CAP.store(0, Ordering::SeqCst);
    {
        use std::io::Write;
        let mut err = std::io::stderr();
        let _ = err.write_all(message);
        let _ = err.flush();
    }
    if let Some(&stop) = STOP.get() {
        // On another thread, so that a lock this one holds (say, the list of
        // temporary files while it grows) does not block it; this thread
        // waits, and a stuck clean-up ends after a grace period.
        let _ = std::thread::Builder::new().spawn(stop);
        std::thread::sleep(Duration::from_secs(5));
    }
    std::process::exit(1);
}

/// The allocator with the memory budget: `A` does the work; while a budget
/// is set, the bytes held are counted and an allocation past it stops the
/// program with a message instead of taking the machine's memory.
pub struct Counted<A>(pub A);

impl<A> Counted<A> {
    #[inline]
    fn grow(&self, by: usize) {
        let cap = CAP.load(Ordering::Relaxed);
        if cap == 0 {
            return;
        }
        let held = HELD.fetch_add(by as isize, Ordering::Relaxed) + by as isize;
        if held > cap as isize {
            stop(memory_message_made());
        }
    }

    #[inline]
    fn shrink(&self, by: usize) {
        if CAP.load(Ordering::Relaxed) != 0 {
            HELD.fetch_sub(by as isize, Ordering::Relaxed);
        }
    }
}

/// An allocation the system refused (an address-space limit below the
/// budget): with a budget set, that is the budget's message too.
#[inline]
fn refused(p: *mut u8) -> *mut u8 {
    if p.is_null() && CAP.load(Ordering::Relaxed) != 0 {
        stop(memory_message_made());
    }
    p
}

fn memory_message_made() -> &'static [u8] {
    MEMORY_MESSAGE
        .get()
        .map_or("ошибка: не хватило памяти\n".as_bytes(), Vec::as_slice)
}

// SAFETY: every call is passed on to `A` unchanged; only counts are kept.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counted<A> {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        self.grow(layout.size());
        // SAFETY: the caller's contract, passed on.
        refused(unsafe { self.0.alloc(layout) })
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        self.grow(layout.size());
        // SAFETY: as above.
        refused(unsafe { self.0.alloc_zeroed(layout) })
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        self.shrink(layout.size());
        // SAFETY: as above.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            self.grow(new_size - layout.size());
        } else {
            self.shrink(layout.size() - new_size);
        }
        // SAFETY: as above.
        refused(unsafe { self.0.realloc(ptr, layout, new_size) })
    }
}
