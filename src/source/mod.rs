//! Sources: where objects come from. Exactly one runs per invocation, chosen by
//! [`SourceOptions`] (built by the commands from the flags), and each produces
//! one [`Snapshot`]. Only `live` is async; the rest is plain I/O and parsing.
//! Several clusters ([`Input::Clusters`]) are several live reads, one
//! snapshot each: [`clusters`] says which, and the commands read them at once.

pub mod demo;
pub mod files;
mod json;
pub(crate) mod live;

use crate::error::Failure;
use crate::model::lookup::NotFound;
use crate::model::{Scope, Snapshot};
use std::path::PathBuf;
use std::time::Duration;

/// How long a live read waits for the cluster when not told otherwise.
pub(crate) const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What to read, and which namespaces to look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceOptions {
    pub(crate) input: Input,
    pub(crate) namespaces: Namespaces,
}

/// Where the objects come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    /// A cluster, read-only, through a kubeconfig.
    Live(LiveOptions),
    /// Several contexts of one kubeconfig, each read as [`Input::Live`] into
    /// its own snapshot (repeated `--context`, `--all-contexts`).
    Clusters(LiveOptions, Contexts),
    /// Manifest files and directories; `-` is stdin.
    Files(Vec<PathBuf>),
    /// The demo cluster compiled into svcx.
    Demo,
}

/// How to reach a live cluster.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct LiveOptions {
    /// A kubeconfig file; `None` resolves it as kubectl does.
    pub(crate) kubeconfig: Option<PathBuf>,
    /// A context of the kubeconfig; `None` is its current context.
    pub(crate) context: Option<String>,
    /// The bound on everything that talks to the cluster.
    pub(crate) request_timeout: Duration,
    /// Namespaces beyond the scope whose pods and NetworkPolicies a path
    /// needs (the namespace of `trace --from`).
    pub(crate) also: Vec<String>,
}

impl Default for LiveOptions {
    fn default() -> Self {
        LiveOptions {
            kubeconfig: None,
            context: None,
            request_timeout: DEFAULT_REQUEST_TIMEOUT,
            also: Vec::new(),
        }
    }
}

impl SourceOptions {
    /// Reads the pods and NetworkPolicies of `namespace` too, live, when it
    /// is outside the scope (offline every namespace is read).
    pub(crate) fn also_read(&mut self, namespace: &str) {
        if let Input::Live(live) | Input::Clusters(live, _) = &mut self.input {
            live.also.push(namespace.to_string());
        }
    }
}

/// Which contexts a run over several clusters reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Contexts {
    /// These, in the order given, each once.
    Named(Vec<String>),
    /// Every context of the kubeconfig, in its order.
    All,
}

/// Which namespaces to look at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) enum Namespaces {
    /// Live: the context's namespace. Offline: every namespace in the input.
    #[default]
    Default,
    /// Only this one (`-n`).
    Only(String),
    /// Every namespace (`-A`).
    All,
}

/// Builds the snapshot the options ask for.
pub(crate) async fn load(opts: &SourceOptions) -> anyhow::Result<Snapshot> {
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
        Input::Clusters(..) => {
            return Err(Failure::new("this command reads one cluster at a time")
                .hint("pass one --context")
                .into());
        }
    };
    if let Some(ns) = only {
        snap.narrow_to(ns);
    }
    Ok(snap)
}

/// The contexts a run over several clusters reads, each with the options
/// that read it alone (an [`Input::Live`]); `None` for any other input.
/// `--all-contexts` lists the kubeconfig's contexts, and fails when it has none.
pub(crate) fn clusters(
    opts: &SourceOptions,
) -> anyhow::Result<Option<Vec<(String, SourceOptions)>>> {
    let Input::Clusters(live, contexts) = &opts.input else {
        return Ok(None);
    };
    let names = match contexts {
        Contexts::Named(names) => {
            let mut seen = std::collections::HashSet::new();
            names
                .iter()
                .filter(|n| seen.insert(n.as_str()))
                .cloned()
                .collect()
        }
        Contexts::All => live::context_names(live)?,
    };
    Ok(Some(
        names
            .into_iter()
            .map(|name| {
                let one = LiveOptions {
                    context: Some(name.clone()),
                    ..live.clone()
                };
                let opts = SourceOptions {
                    input: Input::Live(one),
                    namespaces: opts.namespaces.clone(),
                };
                (name, opts)
            })
            .collect(),
    ))
}

/// Completes a Service name that matched nothing in the namespace in scope
/// with the namespaces that do have it, so that the error says where it is
/// (see [`OutOfScope`](crate::model::lookup::OutOfScope)). Offline the snapshot
/// already holds every namespace and `find_services` has said it; live, only
/// the cluster can tell, and it is asked once. Nothing is asked for
/// `NAMESPACE/NAME`, which names its namespace, nor with -A.
pub(crate) async fn look_elsewhere(opts: &SourceOptions, snap: &Snapshot, e: &mut NotFound) {
    let Input::Live(live) = &opts.input else {
        return;
    };
    if e.out_of_scope.is_some() || e.query.contains('/') || snap.scope == Scope::AllNamespaces {
        return;
    }
    let found = live::services_named(live, &e.query).await;
    e.out_of_scope = snap.out_of_scope(&found);
}
