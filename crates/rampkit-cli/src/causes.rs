//! An error with its causes, so that "transient network failure after 3 attempts" says why ("could not
//! connect: … Connection refused"). The library's errors carry no URL, body or personal value in their
//! chain (transport errors are kept without their URL), so the whole chain can be printed.

use std::error::Error;

/// `error: cause: cause…`, each cause once (a wrapper that repeats its source's text is skipped).
pub fn describe(error: &(dyn Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let said = cause.to_string();
        if !said.is_empty() && !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        next = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    struct Layer(&'static str, Option<Box<Layer>>);

    impl std::fmt::Display for Layer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(self.0)
        }
    }

    impl Error for Layer {
        fn source(&self) -> Option<&(dyn Error + 'static)> {
            self.1.as_deref().map(|e| e as &(dyn Error + 'static))
        }
    }

    #[test]
    fn every_cause_once() {
        let error = Layer(
            "transient failure",
            Some(Box::new(Layer(
                "could not connect",
                Some(Box::new(Layer(
                    "could not connect",
                    Some(Box::new(Layer("Connection refused", None))),
                ))),
            ))),
        );
        assert_eq!(
            describe(&error),
            "transient failure: could not connect: Connection refused"
        );
    }
}
