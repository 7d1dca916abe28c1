//! `svcx lint` as a library: the engine that runs the rules of
//! [`crate::rules`] (one file per rule, each with its code, name, severity,
//! summary, doc and check) over a snapshot ([`engine::lint`]), what the user
//! chose to see ([`settings`], [`config`], [`suppress`]) and the report
//! ([`report`]). Most findings come from the semantic model
//! (`model::view_findings`), so lint, explain and trace say the same thing;
//! lint adds the policy rules (exposure, conventions) and rules that compare
//! objects. Nothing here does I/O except reading the config file, or prints.

pub mod config;
pub mod engine;
pub mod report;
pub mod settings;
pub mod suppress;

pub use crate::rules::Code;
pub use engine::{Context, lint};
pub use report::LintReport;
pub use settings::{FailOn, Selector, Settings};
