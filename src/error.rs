//! Failures: svcx could not do its job (exit 2). A failure says what failed;
//! a [`Failure`] anywhere in the error chain adds the hint for what to do next.

use std::fmt;

/// An error with a next step for the user. Put it at the root of a chain with
/// `anyhow::Error::new(Failure::new(..))` and add context on the way up.
#[derive(Debug)]
pub(crate) struct Failure {
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl Failure {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Failure {}

/// Renders an error chain the way svcx prints failures:
///
/// ```text
/// svcx: error: could not read `x.yaml`
///   caused by: No such file or directory (os error 2)
///   hint: check the path
/// ```
///
/// The message and each cause keep to their line: one that quotes input
/// cannot start a line of its own (see [`crate::render::terminal`]). Control
/// characters are neutralised where the text is printed.
pub fn render(err: &anyhow::Error) -> String {
    use crate::render::terminal::one_line;
    let mut out = format!("svcx: error: {}\n", one_line(&err.to_string()));
    // A Failure attached with `.context(..)` is found by downcasting the error
    // itself; one at the root of a chain, by walking the chain.
    let mut hint = err.downcast_ref::<Failure>().and_then(|f| f.hint.clone());
    for cause in err.chain() {
        if let Some(f) = cause.downcast_ref::<Failure>() {
            hint = hint.or(f.hint.clone());
        }
    }
    for cause in err.chain().skip(1) {
        out.push_str(&format!("  caused by: {}\n", one_line(&cause.to_string())));
    }
    if let Some(h) = hint {
        // A hint may be laid out on several lines (a list of candidates).
        out.push_str(&format!("  hint: {h}\n"));
    }
    out
}

/// A clap usage error in the format of [`render`]: `svcx: error: ...`, then
/// clap's usage line and tip. `None` for what clap reports through an error
/// but is not one (`--help`, `--version`, help shown because a subcommand is
/// missing), which clap prints as it is.
pub(crate) fn render_usage(err: &clap::Error) -> Option<String> {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        return None;
    }
    // Plain text, as svcx's own failures are: clap's rendering without styles.
    let text = err.render().to_string();
    Some(format!("svcx: {}", text.trim_start()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Cli;
    use clap::Parser;

    #[test]
    fn usage_errors_read_like_failures() {
        let err = Cli::try_parse_from(["svcx", "explain", "--bogus"]).unwrap_err();
        let text = render_usage(&err).expect("a usage error");
        assert!(text.starts_with("svcx: error: "), "{text}");
        assert_eq!(err.exit_code(), 2);
        let failure = render(&anyhow::Error::new(Failure::new("x")));
        assert!(failure.starts_with("svcx: error: "), "{failure}");
    }

    #[test]
    fn help_and_version_are_not_errors() {
        for args in [["svcx", "--help"], ["svcx", "--version"]] {
            let err = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(render_usage(&err), None);
        }
    }
}
