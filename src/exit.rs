//! Exit statuses, as ripgrep and ruff use them. Scripts rely on these.

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// The job was done and the answer is good news.
    Clean = 0,
    /// The job was done and the answer is bad news (a broken hop, findings).
    Findings = 1,
    /// svcx could not do its job (bad flag, unreadable input, unreachable cluster).
    Failed = 2,
    /// `svcx lint` read no object at all (an empty file or stdin): in a
    /// pipeline (`helm template ... | svcx lint -f -`) that is a step that
    /// failed before, not a clean input.
    NothingRead = 3,
    /// Stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it.
    Interrupted = 130,
}
