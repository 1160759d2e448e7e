//! prikaz, the program: the command line lives in `cli/`, the work in the
//! library (`lib.rs` lists its stages). This file only starts the clocks and
//! hands over.

#![allow(clippy::result_large_err)] // see lib.rs

// The allocator counts the heap against a user template's memory budget
// (`budget`). musl's own allocator is slow for Typst's many small allocations
// (Cargo.toml): there mimalloc does the work.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: prikaz::budget::Counted<mimalloc::MiMalloc> =
    prikaz::budget::Counted(mimalloc::MiMalloc);
#[cfg(not(target_env = "musl"))]
#[global_allocator]
static ALLOCATOR: prikaz::budget::Counted<std::alloc::System> =
    prikaz::budget::Counted(std::alloc::System);

mod cli;

fn main() -> std::process::ExitCode {
    prikaz::timings::start();
    prikaz::render::start_trace();
    let code = cli::run();
    prikaz::render::finish_trace();
    code
}
