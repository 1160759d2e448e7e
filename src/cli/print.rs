//! What the program prints: answers on standard output, messages on standard
//! error, never a panic when either is closed, never a control character from
//! user text on a clerk's terminal.

use prikaz::diag::Diagnostics;

/// `println!` that does not panic when the reader has gone (`prikaz … | head`).
macro_rules! say {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stdout().lock(), $($t)*);
    }};
}

/// `eprintln!` that does not panic when stderr is closed, and never sends
/// control characters from user text (an ESC sequence in a name would retitle
/// or clear the clerk's terminal): they are shown as `\u{1b}`.
macro_rules! tell {
    ($($t:tt)*) => {{
        use std::io::Write as _;
        let s = prikaz::diag::terminal_safe(&format!($($t)*));
        let _ = writeln!(std::io::stderr().lock(), "{s}");
    }};
}

/// Most messages printed for one file: a file with thousands of the same slip
/// says so in a line instead of flooding the terminal (`--format json` has all).
const MAX_SHOWN: usize = 100;

pub fn print_diags(d: &Diagnostics) {
    for x in d.0.iter().take(MAX_SHOWN) {
        tell!("{}", x.render().trim_end());
    }
    if d.0.len() > MAX_SHOWN {
        tell!(
            "… и ещё сообщений: {} (все — в prikaz check --format json)",
            d.0.len() - MAX_SHOWN
        );
    }
}

pub fn warn_suffix(n: usize) -> String {
    if n == 0 {
        String::new()
    } else {
        format!(", предупреждений — {n}")
    }
}
