//! Renderers: reports in, text out. Human output uses comfy-table and
//! owo-colors; machine output is serde. Renderers never decide anything about
//! Kubernetes; they only lay out what a report says.

pub mod explain;
pub mod style;
pub mod text;
pub mod trace;

use crate::cli::OutputFormat;
use serde::Serialize;
use std::io::Write;

pub use style::Style;

/// Machine output: JSON, or the same document as YAML. The report is
/// serialised directly (no intermediate value tree, which for a large cluster
/// would double the memory); keys come in the reports' declared order.
pub fn machine<T: Serialize>(report: &T, format: OutputFormat) -> anyhow::Result<Option<String>> {
    let mut text = Vec::new();
    Ok(if write_machine(report, format, &mut text)? {
        Some(String::from_utf8(text)?)
    } else {
        None
    })
}

/// [`machine`], written to `out` as it is produced: JSON is streamed, so a
/// large report is never also held as text. Returns false, having written
/// nothing, for the formats that are not machine output.
pub fn write_machine<T: Serialize>(
    report: &T,
    format: OutputFormat,
    out: &mut impl Write,
) -> anyhow::Result<bool> {
    match format {
        OutputFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, report)?;
            out.write_all(b"\n")?;
        }
        OutputFormat::Yaml => out.write_all(crate::yaml::to_string(report)?.as_bytes())?,
        OutputFormat::Human | OutputFormat::Mermaid => return Ok(false),
    }
    Ok(true)
}
