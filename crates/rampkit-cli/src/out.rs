//! Standard output that ends quietly when its reader goes away (`rampkit validate … | head -1`): Rust's
//! `println!` panics on a closed pipe, which the panic hook reports as an internal error (exit 101).

use std::io::{ErrorKind, Write};

/// Writes `text` to stdout. A reader that went away ends the process quietly with 0, as Unix tools do
/// under `head`; another write error (a full disk behind a redirect) ends it with 3, naming the error
/// kind.
pub fn write(text: std::fmt::Arguments<'_>) {
    let mut out = std::io::stdout().lock();
    if let Err(error) = out.write_fmt(text).and_then(|()| out.flush()) {
        if error.kind() == ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("rampkit: cannot write the output: {}", error.kind());
        std::process::exit(3);
    }
}

/// `println!` through [`write`].
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` through [`write`].
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::out::write(format_args!($($arg)*))
    };
}

pub(crate) use {out, outln};
