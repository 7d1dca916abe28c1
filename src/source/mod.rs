//! Sources: where objects come from. Exactly one runs per invocation, chosen by
//! the flags (`--demo`, `-f`, otherwise a live cluster), and each produces one
//! [`Snapshot`]. Only `live` is async; the rest is plain I/O and parsing.

pub mod demo;
pub mod files;
pub mod live;

use crate::cli::GlobalArgs;
use crate::model::{Scope, Snapshot};

/// Builds the snapshot the flags ask for.
pub async fn load(args: &GlobalArgs) -> anyhow::Result<Snapshot> {
    if args.demo {
        return demo::load(offline_scope(args));
    }
    if !args.filenames.is_empty() {
        return files::load(
            &args.filenames,
            offline_scope(args),
            args.namespace.as_deref(),
        );
    }
    live::load(args).await
}

/// Offline, the input defines the namespaces: every one unless -n narrows it.
fn offline_scope(args: &GlobalArgs) -> Scope {
    match (&args.namespace, args.all_namespaces) {
        (Some(ns), false) => Scope::Namespace(ns.clone()),
        _ => Scope::AllNamespaces,
    }
}
