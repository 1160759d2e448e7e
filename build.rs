//! Link the program as a fixed-address (non-PIE) executable on Linux with glibc.
//!
//! A position-independent program is relocated by the dynamic loader at every
//! start: Typst's tables, the fonts' and the standard library's vtables hold
//! about 109 000 pointers (1.8 MB of `.data.rel.ro`), and writing them touches
//! some 500 pages. That cost 2.3 ms of a 3.9 ms `prikaz --version`, and a
//! clerk's `check` is meant to take under 5 ms (scripts/bench.sh). A fixed
//! address has them filled in by the linker, read from the file only when used.
//! What is given up is the randomised address of the program's own code (shared
//! libraries, the stack and the heap stay randomised); prikaz reads documents,
//! it does not listen on a network (`serve` answers only on 127.0.0.1).
//!
//! Other targets (the static musl build, Windows) link as they always do.
fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
