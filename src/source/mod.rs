//! Sources: where objects come from. Exactly one runs per invocation, chosen by
//! [`SourceOptions`] (built by the commands from the flags), and each produces
//! one [`Snapshot`]. Only `live` is async; the rest is plain I/O and parsing.

pub mod demo;
pub mod files;
mod json;
pub mod live;

use crate::model::lookup::NotFound;
use crate::model::{Scope, Snapshot};
use std::path::PathBuf;
use std::time::Duration;

/// How long a live read waits for the cluster when not told otherwise.
pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What to read, and which namespaces to look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceOptions {
    pub input: Input,
    pub namespaces: Namespaces,
}

/// Where the objects come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// A cluster, read-only, through a kubeconfig.
    Live(LiveOptions),
    /// Manifest files and directories; `-` is stdin.
    Files(Vec<PathBuf>),
    /// The demo cluster compiled into svcx.
    Demo,
}

/// How to reach a live cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LiveOptions {
    /// A kubeconfig file; `None` resolves it as kubectl does.
    pub kubeconfig: Option<PathBuf>,
    /// A context of the kubeconfig; `None` is its current context.
    pub context: Option<String>,
    /// The bound on everything that talks to the cluster.
    pub request_timeout: Duration,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            kubeconfig: None,
            context: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
        }
    }
}

/// Which namespaces to look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Namespaces {
    /// Live: the context's namespace. Offline: every namespace in the input.
    #[default]
    Default,
    /// Only this one (`-n`).
    Only(String),
    /// Every namespace (`-A`).
    All,
}

/// Builds the snapshot the options ask for.
pub async fn load(opts: &SourceOptions) -> anyhow::Result<Snapshot> {
    let only = match &opts.namespaces {
        Namespaces::Only(ns) => Some(ns.as_str()),
        Namespaces::Default | Namespaces::All => None,
    };
    // Offline, every namespace in the input is read and `-n` narrows only
    // what is reported, so that a name or address found outside the
    // namespace can be pointed at (see `model::lookup`). Live, only the
    // namespaces in scope are listed.
    let mut snap = match &opts.input {
        Input::Demo => demo::load(Scope::AllNamespaces)?,
        Input::Files(paths) => files::load(paths, Scope::AllNamespaces, only)?,
        Input::Live(live) => return live::load(live, &opts.namespaces).await,
    };
    if let Some(ns) = only {
        snap.narrow_to(ns);
    }
    Ok(snap)
}

/// Completes a Service name that matched nothing in the namespace in scope
/// with the namespaces that do have it, so that the error says where it is
/// (see [`OutOfScope`](crate::model::lookup::OutOfScope)). Offline the snapshot
/// already holds every namespace and `find_services` has said it; live, only
/// the cluster can tell, and it is asked once. Nothing is asked for
/// `NAMESPACE/NAME`, which names its namespace, nor with -A.
pub async fn look_elsewhere(opts: &SourceOptions, snap: &Snapshot, e: &mut NotFound) {
    let Input::Live(live) = &opts.input else {
        return;
    };
    if e.out_of_scope.is_some() || e.query.contains('/') || snap.scope == Scope::AllNamespaces {
        return;
    }
    let found = live::services_named(live, &e.query).await;
    e.out_of_scope = snap.out_of_scope(&found);
}
