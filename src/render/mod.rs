//! Renderers: reports in, text out. Human output uses comfy-table and
//! owo-colors; machine output is serde. Renderers never decide anything about
//! Kubernetes; they only lay out what a report says.

pub mod explain;
pub mod style;
pub mod text;
pub mod trace;

use crate::cli::OutputFormat;
use serde::Serialize;

pub use style::Style;

/// Machine output: JSON, or the same document as YAML. The report is
/// serialised directly (no intermediate value tree, which for a large cluster
/// would double the memory); keys come in the reports' declared order.
pub fn machine<T: Serialize>(report: &T, format: OutputFormat) -> anyhow::Result<Option<String>> {
    Ok(match format {
        OutputFormat::Json => Some(serde_json::to_string_pretty(report)? + "\n"),
        OutputFormat::Yaml => Some(crate::yaml::to_string(report)?),
        OutputFormat::Human | OutputFormat::Mermaid => None,
    })
}
