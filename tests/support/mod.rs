//! A test Kubernetes API server and what goes with it: a CA generated per run,
//! kubeconfig files that trust it, and objects built in code.
//!
//! ```ignore
//! mod support;
//! let server = support::ApiServer::builder().yaml(MANIFEST).forbid("nodes").start();
//! let dir = tempfile::tempdir().unwrap();
//! let kubeconfig = server.kubeconfig().namespace("shop").write(dir.path());
//! // run svcx or kubectl with --kubeconfig, then look at server.requests()
//! ```
//!
//! The server speaks HTTPS on 127.0.0.1 only, checks a bearer token, answers
//! legacy discovery, paginated LIST and GET, can refuse (403) or not serve
//! (404) chosen resources, injects faults (slow, 5xx, 429, cut or invalid
//! answers, expired `continue` tokens), and logs every request. See `server.rs`
//! and `faults.rs`.
#![allow(dead_code, unused_imports)]

pub mod faults;
pub mod kubeconfig;
pub mod objects;
pub mod resources;
pub mod server;
pub mod store;
pub mod tls;

pub use faults::{Fault, Hold};
pub use kubeconfig::Kubeconfig;
pub use server::{ApiServer, ApiServerBuilder, LoggedRequest, SilentServer};
