//! Exit codes and the one error type of the commands.

use std::process::ExitCode;

/// What a command ends with; the numbers are documented in `--help` and the crate README.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Code {
    /// 0: every customer valid / verified, the signature verified, the simulator stopped cleanly.
    Ok = 0,
    /// 1: the answer is "no": a customer is invalid or malformed, a customer did not end verified, a
    /// status is not verified, a webhook signature does not verify.
    No = 1,
    /// 2: the command could not run as asked: bad arguments or option values, an unknown provider, a
    /// file that cannot be read, missing credentials.
    Usage = 2,
    /// 3: something outside the input failed: a provider or simulator could not be reached or answered
    /// an error outside a flow, a port could not be bound, an internal error.
    Failure = 3,
    /// 130 (128 + SIGINT, as shells report Ctrl-C): a batch stopped by Ctrl-C or SIGTERM before the end
    /// of its input; the same command resumes it.
    Interrupted = 130,
}

impl Code {
    /// The more serious of the two (a failure outranks a "no", which outranks success).
    pub fn max_with(self, other: Code) -> Code {
        if (other as u8) > (self as u8) {
            other
        } else {
            self
        }
    }
}

impl From<Code> for ExitCode {
    fn from(code: Code) -> Self {
        ExitCode::from(code as u8)
    }
}

/// A command that could not finish: an exit code and a one-line message with no personal value.
#[derive(Debug)]
pub struct Failure {
    pub code: Code,
    pub message: String,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Self {
            code: Code::Usage,
            message: message.into(),
        }
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self {
            code: Code::Failure,
            message: message.into(),
        }
    }
}
