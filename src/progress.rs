//! Progress on stderr while live reads take a while: one spinner line naming
//! what is being read and, over several clusters, how many are done and
//! which are still awaited.
//!
//! It is about the terminal, not about colour: the line is drawn only when
//! stderr is a terminal, `CI` is unset and `TERM` is not `dumb`, and only
//! once a read has taken longer than [`DELAY`], so a quick answer prints
//! nothing extra. `NO_COLOR` and `--color never` leave it on (it has no
//! colour); stdout going to a pipe or a file leaves it on too, since it is
//! written to stderr and cleared before the answer is printed. Pipes, CI logs
//! and captured stderr never see it.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a read runs before the line appears.
pub(crate) const DELAY: Duration = Duration::from_millis(300);

/// How a cluster's read is going.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Reading,
    Read,
    Failed,
}

/// The progress line of one run's live reads; a no-op when it is not to be
/// shown. Cheap to clone: clones share the line.
#[derive(Clone)]
pub(crate) struct Progress {
    inner: Option<Arc<Inner>>,
}

struct Inner {
    bar: ProgressBar,
    shared: Mutex<Shared>,
}

struct Shared {
    shown: bool,
    finished: bool,
    clusters: Vec<(String, State)>,
}

impl Progress {
    /// Progress that never shows.
    pub(crate) fn hidden() -> Progress {
        Progress { inner: None }
    }

    /// Starts the line for reading these clusters (by context; one label for
    /// a single cluster), if stderr is a terminal outside CI. Must be called
    /// inside the tokio runtime: the line appears after [`DELAY`] from a task.
    pub(crate) fn start(clusters: &[String]) -> Progress {
        if !wanted() {
            return Progress::hidden();
        }
        let bar = ProgressBar::hidden();
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        let inner = Arc::new(Inner {
            bar,
            shared: Mutex::new(Shared {
                shown: false,
                finished: false,
                clusters: clusters
                    .iter()
                    .map(|c| (c.clone(), State::Reading))
                    .collect(),
            }),
        });
        inner.bar.set_message(inner.message());
        let later = inner.clone();
        tokio::spawn(async move {
            tokio::time::sleep(DELAY).await;
            later.reveal();
        });
        Progress { inner: Some(inner) }
    }

    /// Marks one cluster as read (`ok`) or failed.
    pub(crate) fn done(&self, context: &str, ok: bool) {
        let Some(inner) = &self.inner else { return };
        if let Ok(mut shared) = inner.shared.lock()
            && let Some(entry) = shared.clusters.iter_mut().find(|(c, _)| c == context)
        {
            entry.1 = if ok { State::Read } else { State::Failed };
        }
        inner.bar.set_message(inner.message());
    }

    /// Clears the line for good, before the answer is printed.
    pub(crate) fn finish(&self) {
        let Some(inner) = &self.inner else { return };
        if let Ok(mut shared) = inner.shared.lock() {
            shared.finished = true;
            if shared.shown {
                inner.bar.finish_and_clear();
            }
        }
    }
}

impl Drop for Inner {
    fn drop(&mut self) {
        // A run that fails early still leaves a clean line.
        self.bar.finish_and_clear();
    }
}

impl Inner {
    /// Draws the line from now on, unless the reads are over.
    fn reveal(&self) {
        let Ok(mut shared) = self.shared.lock() else {
            return;
        };
        if shared.finished {
            return;
        }
        shared.shown = true;
        self.bar.set_draw_target(ProgressDrawTarget::stderr());
        self.bar.enable_steady_tick(Duration::from_millis(100));
    }

    fn message(&self) -> String {
        match self.shared.lock() {
            Ok(shared) => message(&shared.clusters),
            Err(_) => String::new(),
        }
    }
}

/// `reading context `prod`: Services, EndpointSlices, …`, or over several
/// clusters `reading 3 clusters: 1 read, 1 failed; waiting for `prod``.
fn message(clusters: &[(String, State)]) -> String {
    const WHAT: &str = "Services, EndpointSlices, Pods, Nodes, Ingresses and Gateway API objects";
    if let [(context, _)] = clusters {
        return format!("reading {WHAT} from {context}");
    }
    let count = |s: State| clusters.iter().filter(|(_, st)| *st == s).count();
    let waiting: Vec<String> = clusters
        .iter()
        .filter(|(_, s)| *s == State::Reading)
        .map(|(c, _)| format!("`{c}`"))
        .collect();
    let mut text = format!(
        "reading {} clusters: {} read",
        clusters.len(),
        count(State::Read)
    );
    let failed = count(State::Failed);
    if failed > 0 {
        text.push_str(&format!(", {failed} failed"));
    }
    if !waiting.is_empty() {
        text.push_str(&format!("; waiting for {}", waiting.join(", ")));
    }
    text
}

/// Whether a progress line may be drawn at all: stderr is a terminal, not in
/// CI (CI sets `CI`), and the terminal is not `dumb`.
fn wanted() -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    std::io::stderr().is_terminal()
        && !set("CI")
        && std::env::var_os("TERM").is_none_or(|t| t != "dumb")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clusters(states: &[(&str, State)]) -> Vec<(String, State)> {
        states.iter().map(|(c, s)| (c.to_string(), *s)).collect()
    }

    #[test]
    fn the_line_names_what_is_read_and_what_is_awaited() {
        assert_eq!(
            message(&clusters(&[("context `prod`", State::Reading)])),
            "reading Services, EndpointSlices, Pods, Nodes, Ingresses and Gateway API objects \
             from context `prod`"
        );
        assert_eq!(
            message(&clusters(&[
                ("a", State::Read),
                ("b", State::Failed),
                ("c", State::Reading)
            ])),
            "reading 3 clusters: 1 read, 1 failed; waiting for `c`"
        );
        assert_eq!(
            message(&clusters(&[("a", State::Read), ("b", State::Read)])),
            "reading 2 clusters: 2 read"
        );
    }

    #[test]
    fn hidden_progress_does_nothing() {
        let p = Progress::hidden();
        p.done("a", true);
        p.finish();
        assert!(p.inner.is_none());
    }
}
