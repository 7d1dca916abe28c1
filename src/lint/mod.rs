//! `svcx lint` as a library: the engine that runs the rules of
//! [`crate::rules`] (one file per rule, each with its code, name, severity,
//! summary, doc and check) over a snapshot ([`engine::lint`]), what the user
//! chose to see ([`settings`], [`config`], [`suppress`]) and the report
//! ([`report`]). Most findings come from the semantic model
//! (`model::view_findings`), so lint, explain and trace say the same thing;
//! lint adds the policy rules (exposure, conventions) and rules that compare
//! objects. Nothing here does I/O except reading the config file, or prints.

pub(crate) mod config;
pub(crate) mod engine;
pub(crate) mod report;
pub(crate) mod settings;
pub(crate) mod suppress;

pub use crate::rules::Code;
pub(crate) use engine::Context;
pub use engine::lint;
pub(crate) use settings::{FailOn, Selector};
