//! The pictures' common ground: a diagram is boxes and arrows, built from a
//! report (`trace.rs`: a traced path; `explain.rs`: an explained Service or
//! Gateway) and then drawn as SVG (`svg.rs`, inside the HTML page) or written
//! as Graphviz DOT (`dot.rs`). These modules only arrange what a report says
//! into boxes: the verdicts, addresses, ports and states all come from the
//! report, and how boxes are placed is the drawer's business.

mod explain;
mod trace;

pub(crate) use explain::{explain_gateway, explain_service, layer_name};
pub(crate) use trace::trace_path;

use super::style::Tone as TextTone;
use super::trace::shorten;
use crate::model::finding::{Finding, Severity};
use crate::trace::Verdict;

/// Characters of one line of a box; longer text is cut with `…` (the full
/// text is in the box's tooltip and in the page's tables).
pub(crate) const LINE: usize = 32;

/// How a box or line is coloured. The word is always written too: colour
/// only adds to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tone {
    /// Traffic gets through (a trace verdict, a ready endpoint).
    Ok,
    /// Gets through partly or with a caveat.
    Warn,
    /// Does not get through.
    Broken,
    /// Cannot be known from this source (pod templates: readiness exists only
    /// at run time).
    Unknown,
    /// No judgement: a layer, the client.
    Plain,
}

impl Tone {
    /// The CSS class and the word for it.
    pub(crate) fn class(self) -> &'static str {
        match self {
            Tone::Ok => "ok",
            Tone::Warn => "warn",
            Tone::Broken => "broken",
            Tone::Unknown => "unknown",
            Tone::Plain => "plain",
        }
    }
}

impl From<Verdict> for Tone {
    fn from(v: Verdict) -> Tone {
        match v {
            Verdict::Ok => Tone::Ok,
            Verdict::Warn => Tone::Warn,
            Verdict::Broken => Tone::Broken,
        }
    }
}

impl From<Severity> for Tone {
    fn from(s: Severity) -> Tone {
        Verdict::from(s).into()
    }
}

impl From<TextTone> for Tone {
    fn from(t: TextTone) -> Tone {
        match t {
            TextTone::Good => Tone::Ok,
            TextTone::Warn => Tone::Warn,
            TextTone::Bad => Tone::Broken,
            TextTone::Muted => Tone::Unknown,
        }
    }
}

/// One line of text in a box, with its own tone when it differs from the box's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) text: String,
    pub(crate) tone: Option<Tone>,
}

/// One box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    /// What the box stands for (`load-balancer`, `endpoint`, `client`...):
    /// a CSS class and the DOT node's shape.
    pub(crate) kind: String,
    /// The heading: the layer's name.
    pub(crate) title: String,
    pub(crate) tone: Tone,
    /// Addresses, ports, names: each cut to [`LINE`] characters.
    pub(crate) lines: Vec<Line>,
    /// The full story (reason, hint), shown as a tooltip.
    pub(crate) tip: String,
}

/// Boxes and the arrows between them (indices into `nodes`); node 0 is the client.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Diagram {
    /// What it shows: `shop/storefront port http 80/TCP → …`.
    pub(crate) title: String,
    pub(crate) nodes: Vec<Node>,
    pub(crate) edges: Vec<(usize, usize)>,
}

impl Diagram {
    /// A diagram holding only the client, node 0.
    pub(super) fn with_client(title: String) -> Diagram {
        let mut d = Diagram {
            title,
            ..Diagram::default()
        };
        d.add("client", "client", Tone::Plain, Vec::new(), String::new());
        d
    }

    /// Adds a box; returns its index.
    pub(super) fn add(
        &mut self,
        kind: impl Into<String>,
        title: impl Into<String>,
        tone: Tone,
        lines: Vec<Line>,
        tip: String,
    ) -> usize {
        self.nodes.push(Node {
            kind: kind.into(),
            title: title.into(),
            tone,
            lines,
            tip,
        });
        self.nodes.len() - 1
    }

    /// Adds an arrow, once.
    pub(super) fn link(&mut self, from: usize, to: usize) {
        if !self.edges.contains(&(from, to)) {
            self.edges.push((from, to));
        }
    }
}

/// A line of a box, cut to [`LINE`] characters.
pub(super) fn line(text: impl AsRef<str>) -> Line {
    Line {
        text: shorten(text.as_ref(), LINE),
        tone: None,
    }
}

/// A line with its own tone.
pub(super) fn toned(text: impl AsRef<str>, tone: Tone) -> Line {
    Line {
        tone: Some(tone),
        ..line(text)
    }
}
/// The worse of two tones (`unknown` ranks between ok and warn).
pub(super) fn worse(a: Tone, b: Tone) -> Tone {
    let rank = |t: Tone| match t {
        Tone::Plain => 0,
        Tone::Ok => 1,
        Tone::Unknown => 2,
        Tone::Warn => 3,
        Tone::Broken => 4,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// Findings as a tooltip: `warning[SVC109] message`, one a line.
pub(super) fn findings_tip<'f>(findings: impl Iterator<Item = &'f Finding>) -> String {
    findings
        .map(|f| format!("{}[{}] {}", f.severity.word(), f.code, f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A finding as a line of a box: its code and name, in its severity's tone.
pub(super) fn finding_line(f: &Finding) -> Line {
    toned(format!("{} {}", f.code, f.name), f.severity.into())
}

/// A unit enum's serde name (`provisioned`, `pending`), as the JSON has it.
pub(super) fn serde_plain<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
