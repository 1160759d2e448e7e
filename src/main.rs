//! prikaz, the program: the command line lives in `cli/`, the work in the
//! library (`lib.rs` lists its stages). This file only starts the clocks and
//! hands over.

#![allow(clippy::result_large_err)] // see lib.rs

// musl's allocator is slow for Typst's many small allocations (Cargo.toml).
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod cli;

fn main() -> std::process::ExitCode {
    prikaz::timings::start();
    prikaz::render::start_trace();
    let code = cli::run();
    prikaz::render::finish_trace();
    code
}
