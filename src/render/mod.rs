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

/// Machine output: JSON with sorted keys, or the same document as YAML.
pub fn machine<T: Serialize>(report: &T, format: OutputFormat) -> anyhow::Result<Option<String>> {
    let value = serde_json::to_value(report)?;
    Ok(match format {
        OutputFormat::Json => Some(serde_json::to_string_pretty(&value)? + "\n"),
        OutputFormat::Yaml => Some(crate::yaml::to_string(&value)?),
        OutputFormat::Human | OutputFormat::Mermaid => None,
    })
}
