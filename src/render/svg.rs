//! Drawing a [`Diagram`] as inline SVG: boxes in columns from left to right
//! (a box's column is the length of the longest chain of arrows that leads to
//! it from the client, then as far right as the boxes it points at allow),
//! arrows as curves between them, level through lanes kept free of boxes. Colours come from CSS
//! classes (`ok`, `warn`, `broken`, `unknown`, `plain`) that the page's style
//! sheet defines, so the SVG carries meaning in its classes and words and
//! nothing is drawn by script. Every piece of text goes through [`escape`].

use super::diagram::{Diagram, Node, Tone};
use std::fmt::Write;

/// Width of a box, and the gap between columns.
const BOX_W: usize = 236;
const GAP_X: usize = 44;
const GAP_Y: usize = 14;
const MARGIN: usize = 12;
/// Height of the heading and of each further line.
const HEAD_H: usize = 22;
const LINE_H: usize = 16;
const PAD: usize = 8;

/// Text for XML (HTML and SVG), escaped: the five characters that can end a
/// text node or an attribute, and control characters (which XML forbids)
/// as spaces. Names, labels and messages come from manifests and clusters,
/// so they are untrusted: all text of a page goes through here.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\n' | '\t' => out.push(c),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Where each box goes: its column, and its top and height.
struct Placed {
    col: usize,
    y: usize,
    h: usize,
}

fn height(n: &Node) -> usize {
    HEAD_H + LINE_H * n.lines.len() + PAD
}

/// Each box's column: the longest chain of arrows from a box nothing points
/// at, relaxed at most once per box, so a cycle (which a report should not
/// have) cannot loop forever; then each box but the client moves right to
/// just before the nearest box it points at.
fn columns(d: &Diagram) -> Vec<usize> {
    let mut col = vec![0usize; d.nodes.len()];
    for _ in 0..d.nodes.len() {
        let mut changed = false;
        for &(from, to) in &d.edges {
            if col[to] < col[from] + 1 && col[from] < d.nodes.len() {
                col[to] = col[from] + 1;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Arrows into the endpoints stay short: the ways in converge there.
    let mut order: Vec<usize> = (1..d.nodes.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(col[i]));
    for i in order {
        let next = d
            .edges
            .iter()
            .filter(|(from, _)| *from == i)
            .map(|(_, to)| col[*to])
            .min();
        if let Some(n) = next
            && n > col[i] + 1
        {
            col[i] = n - 1;
        }
    }
    col
}

/// Where each box goes. Boxes are placed column by column, each as high as
/// its column allows; an arrow that skips columns runs level with its
/// target (see [`draw`]) through a lane kept free in the columns it
/// crosses, so that later boxes there go below it and no arrow passes
/// behind a box. The client's column is centred beside the ways in.
fn layout(d: &Diagram) -> (Vec<Placed>, usize, usize) {
    let col = columns(d);
    let ncols = col.iter().max().map_or(1, |m| m + 1);
    let mut next_y: Vec<usize> = vec![MARGIN; ncols];
    let mut y = vec![MARGIN; d.nodes.len()];
    let mut order: Vec<usize> = (0..d.nodes.len()).filter(|&i| col[i] > 0).collect();
    order.sort_by_key(|&i| (col[i], i));
    for i in order {
        let c = col[i];
        // The columns the arrows into it cross: from just after the
        // leftmost box pointing at it.
        let from = d
            .edges
            .iter()
            .filter(|(_, to)| *to == i)
            .map(|(from, _)| col[*from])
            .filter(|&pc| pc < c)
            .min()
            .map_or(c, |pc| pc + 1);
        let top = (from..=c).map(|k| next_y[k]).max().unwrap_or(MARGIN);
        let h = height(&d.nodes[i]);
        y[i] = top;
        next_y[c] = top + h + GAP_Y;
        for lane in &mut next_y[from..c] {
            *lane = (*lane).max(top + h / 2 + GAP_Y);
        }
    }
    let first: Vec<usize> = (0..d.nodes.len()).filter(|&i| col[i] == 0).collect();
    let first_h: usize = first.iter().map(|&i| height(&d.nodes[i]) + GAP_Y).sum();
    let rest_h = next_y.iter().skip(1).copied().max().unwrap_or(MARGIN);
    let total_h = rest_h.max(first_h + MARGIN) - GAP_Y + MARGIN;
    let mut at = MARGIN + (total_h - MARGIN - first_h.min(total_h - MARGIN)) / 2;
    for i in first {
        y[i] = at;
        at += height(&d.nodes[i]) + GAP_Y;
    }
    let placed = d
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| Placed {
            col: col[i],
            y: y[i],
            h: height(n),
        })
        .collect();
    let total_w = 2 * MARGIN + ncols * BOX_W + (ncols - 1) * GAP_X;
    (placed, total_w, total_h)
}

fn x_of(col: usize) -> usize {
    MARGIN + col * (BOX_W + GAP_X)
}

/// The diagram as an `<svg>` element; `id` makes its marker ids unique on a
/// page that holds several.
pub(crate) fn draw(d: &Diagram, id: &str) -> String {
    let (placed, w, h) = layout(d);
    let mut out = String::new();
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="diagram" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}-title">"#,
        id = escape(id)
    );
    let _ = writeln!(
        out,
        r#"<title id="{}-title">{}</title>"#,
        escape(id),
        escape(&d.title)
    );
    let _ = writeln!(out, "<defs>");
    for tone in [
        Tone::Ok,
        Tone::Warn,
        Tone::Broken,
        Tone::Unknown,
        Tone::Plain,
    ] {
        let _ = writeln!(
            out,
            r#"<marker id="{}-arrow-{c}" class="arrowhead {c}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z"/></marker>"#,
            escape(id),
            c = tone.class()
        );
    }
    let _ = writeln!(out, "</defs>");
    for &(from, to) in &d.edges {
        let (a, b) = (&placed[from], &placed[to]);
        let tone = d.nodes[to].tone;
        let (x1, y1) = (x_of(a.col) + BOX_W, a.y + a.h / 2);
        let (x2, y2) = (x_of(b.col), b.y + b.h / 2);
        // To the next column, an S-curve; further, the curve reaches the
        // target's level in the first gap and runs level through the lane
        // `layout` kept free. A link back (none in practice) is a curve too.
        let bend = GAP_X / 2;
        let level = if b.col > a.col + 1 {
            format!(" L{x2},{y2}")
        } else {
            String::new()
        };
        let end_x = if level.is_empty() { x2 } else { x1 + GAP_X };
        let _ = writeln!(
            out,
            r#"<path class="edge {c}" d="M{x1},{y1} C{},{y1} {},{y2} {end_x},{y2}{level}" marker-end="url(#{}-arrow-{c})"/>"#,
            x1 + bend,
            end_x.saturating_sub(bend),
            escape(id),
            c = tone.class()
        );
    }
    for (n, p) in d.nodes.iter().zip(&placed) {
        node(&mut out, n, p);
    }
    out.push_str("</svg>\n");
    out
}

fn node(out: &mut String, n: &Node, p: &Placed) {
    let x = x_of(p.col);
    let c = n.tone.class();
    let _ = writeln!(
        out,
        r#"<g class="node {c}" data-kind="{}">"#,
        escape(&n.kind)
    );
    let tip = if n.tip.is_empty() {
        n.title.clone()
    } else {
        format!("{}\n{}", n.title, n.tip)
    };
    let _ = writeln!(out, "<title>{}</title>", escape(&tip));
    let radius = if n.kind == "client" { p.h / 2 } else { 6 };
    let _ = writeln!(
        out,
        r#"<rect x="{x}" y="{}" width="{BOX_W}" height="{}" rx="{radius}"/>"#,
        p.y, p.h
    );
    let base = p.y + 16;
    let _ = writeln!(
        out,
        r#"<text class="title" x="{}" y="{base}">{}</text>"#,
        x + PAD,
        escape(&n.title)
    );
    // The verdict word beside the heading: colour is never the only carrier.
    if n.tone != Tone::Plain {
        let _ = writeln!(
            out,
            r#"<text class="verdict" x="{}" y="{base}" text-anchor="end">{c}</text>"#,
            x + BOX_W - PAD
        );
    }
    for (i, l) in n.lines.iter().enumerate() {
        let class = match l.tone {
            Some(t) => format!("line {}", t.class()),
            None => "line".to_string(),
        };
        let _ = writeln!(
            out,
            r#"<text class="{class}" x="{}" y="{}">{}</text>"#,
            x + PAD,
            base + HEAD_H - 4 + i * LINE_H,
            escape(&l.text)
        );
    }
    out.push_str("</g>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::diagram::Line;

    #[test]
    fn escape_neutralises_markup() {
        assert_eq!(
            escape(r#"<script>alert("x&y")</script> it's"#),
            "&lt;script&gt;alert(&quot;x&amp;y&quot;)&lt;/script&gt; it&#39;s"
        );
        assert_eq!(escape("a\u{0}b\u{1b}c\nd"), "a b c\nd");
    }

    fn boxed(title: &str) -> Node {
        Node {
            kind: "endpoint".into(),
            title: title.into(),
            tone: Tone::Ok,
            lines: vec![Line {
                text: "<b>".into(),
                tone: Some(Tone::Broken),
            }],
            tip: String::new(),
        }
    }

    /// Columns follow the longest chain; hostile text comes out escaped.
    #[test]
    fn boxes_go_in_columns_and_text_is_escaped() {
        let d = Diagram {
            title: "t".into(),
            nodes: vec![boxed("client"), boxed("a"), boxed("<script>"), boxed("c")],
            edges: vec![(0, 1), (1, 2), (0, 2), (2, 3)],
        };
        assert_eq!(columns(&d), [0, 1, 2, 3]);
        let svg = draw(&d, "d0");
        assert!(!svg.contains("<script>"));
        assert!(!svg.contains("<b>"));
        assert_eq!(
            svg.matches("&lt;script&gt;").count(),
            2,
            "title and tooltip"
        );
        assert_eq!(svg.matches(r#"class="line broken""#).count(), 4);
        assert_eq!(svg.matches("<path class=\"edge").count(), 4);
    }

    /// A cycle, which no report should have, still ends.
    #[test]
    fn a_cycle_does_not_hang() {
        let d = Diagram {
            title: "t".into(),
            nodes: vec![boxed("a"), boxed("b")],
            edges: vec![(0, 1), (1, 0)],
        };
        assert!(columns(&d).iter().all(|&c| c <= 2));
        assert!(draw(&d, "x").starts_with("<svg"));
    }
}
