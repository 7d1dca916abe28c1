//! Renderers: reports in, bytes out to any [`io::Write`]. Human output uses
//! comfy-table and owo-colors; machine output is serde. Renderers never decide
//! anything about Kubernetes; they only lay out what a report says. Each
//! renderer owns the formats it can write (`explain::Format`,
//! `trace::Format`); the command line maps its flags onto them.
//!
//! Writing as they go (a batch of Services at a time, each batch rendered
//! or serialized on every core) lets `svcx explain | head` stop at the first
//! failed write, and lets a caller send a report to a file as well as to
//! stdout.

pub(crate) mod diagram;
pub(crate) mod dot;
pub mod explain;
mod explain_json;
pub mod html;
pub mod lint;
pub mod migrate;
mod routes;
pub mod rule;
pub mod sarif;
pub(crate) mod style;
pub(crate) mod svg;
pub(crate) mod terminal;
pub(crate) mod text;
pub mod trace;

use serde::Serialize;
use std::io::{self, Write};

pub use style::Style;

/// How to write a report: one of the renderer's formats and, for people, the
/// colour style.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options<F> {
    pub(crate) format: F,
    pub(crate) style: Style,
}

/// A report as pretty JSON, newline-terminated. Serialised directly into
/// `out` (no intermediate value tree, which for a large cluster would double
/// the memory); keys come in the reports' declared order.
pub fn json<T: Serialize>(report: &T, out: &mut dyn Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, report)?;
    out.write_all(b"\n")
}

/// The heading of one cluster's part of a human answer over several
/// clusters: `── context prod (https://10.0.0.1:6443) ──`, in bold.
pub(crate) fn cluster_heading(style: Style, context: &str, server: Option<&str>) -> String {
    let server = server.map(|s| format!(" ({s})")).unwrap_or_default();
    style.bold(&format!("── context {context}{server} ──"))
}

/// The same document as YAML.
pub fn yaml<T: Serialize>(report: &T, out: &mut dyn Write) -> io::Result<()> {
    let text = crate::yaml::to_string(report).map_err(io::Error::other)?;
    out.write_all(text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Scope;

    /// A reader that went away: every write fails, and the writes are counted.
    #[derive(Default)]
    struct ClosedPipe {
        writes: usize,
    }

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            Err(io::ErrorKind::BrokenPipe.into())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// Every renderer stops at the first failed write and hands back the
    /// error's kind, which `main` turns into a quiet exit.
    #[test]
    fn renderers_stop_at_a_closed_pipe() {
        let snap = crate::source::demo::load(Scope::AllNamespaces).unwrap();
        let explained = crate::explain::explain(&snap, &[]);
        let traced = crate::trace::trace(&snap, None, None).unwrap();
        let style = Style::plain();
        type Render<'a> = &'a dyn Fn(&mut dyn Write) -> io::Result<()>;
        let runs: [(&str, Render); 10] = [
            ("explain human", &|o| {
                explain::human(&explained, style, false, o)
            }),
            ("explain json", &|o| json(&explained, o)),
            ("explain yaml", &|o| yaml(&explained, o)),
            ("trace human", &|o| trace::human(&traced, style, o)),
            ("trace mermaid", &|o| trace::mermaid(&traced, o)),
            ("trace json", &|o| json(&traced, o)),
            ("explain html", &|o| html::explain(&explained, o)),
            ("explain dot", &|o| explain::dot(&explained, o)),
            ("trace html", &|o| html::trace(&traced, o)),
            ("trace dot", &|o| trace::dot(&traced, o)),
        ];
        for (name, run) in runs {
            let mut pipe = ClosedPipe::default();
            let err = run(&mut pipe).expect_err(name);
            assert_eq!(err.kind(), io::ErrorKind::BrokenPipe, "{name}");
            assert_eq!(pipe.writes, 1, "{name}");
        }
    }

    /// Human output is written a Service (and a Gateway) at a time, not built whole first.
    #[test]
    fn human_output_is_written_as_it_goes() {
        let snap = crate::source::demo::load(Scope::AllNamespaces).unwrap();
        let explained = crate::explain::explain(&snap, &[]);
        let mut counting = Counting::default();
        explain::human(&explained, Style::plain(), false, &mut counting).unwrap();
        assert!(!explained.gateways.is_empty());
        assert_eq!(
            counting.writes,
            explained.services.len() + explained.gateways.len()
        );
    }

    #[derive(Default)]
    struct Counting {
        writes: usize,
    }

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }
}
