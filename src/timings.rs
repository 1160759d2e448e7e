//! `PRIKAZ_TIMINGS=1`: when each stage of a run ended, in milliseconds from
//! the start of `main`, on standard error. For the benchmark and for whoever
//! looks into a slow start; silent and free otherwise.
//!
//! `PRIKAZ_TRACE=FILE` goes further into the layout: the writers' own
//! (`render::start_trace`), which the program starts beside this clock.

use std::sync::OnceLock;
use std::time::Instant;

static START: OnceLock<Option<Instant>> = OnceLock::new();

/// Start the clock (the first call does), if timings were asked for.
pub fn start() {
    START.get_or_init(|| std::env::var_os("PRIKAZ_TIMINGS").map(|_| Instant::now()));
}

/// Note that `stage` has ended.
pub fn mark(stage: &str) {
    if let Some(Some(t)) = START.get() {
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        let thread = std::thread::current();
        let who = thread.name().unwrap_or("поток");
        eprintln!("{ms:8.2} мс  {stage} ({who})");
    }
}
