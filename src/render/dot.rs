//! Writing diagrams as Graphviz DOT (`-o dot`): one `digraph`, a cluster per
//! diagram (a traced path, an explained Service), boxes filled by tone and
//! arrows into broken boxes dashed. Layout is Graphviz's. Every string goes
//! through [`quote`].

use super::diagram::{Diagram, Tone};
use std::fmt::Write;
use std::io;

/// A DOT quoted string (`"…"`): backslashes and quotes escaped, line breaks
/// as DOT's `\n` (a centred line break in a label), other control
/// characters as spaces. Quoted, any text is a valid ID, so names from
/// manifests cannot break out of a label or add statements.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Fill and border colours of a tone: the same palette as the HTML page's.
fn colours(t: Tone) -> (&'static str, &'static str) {
    match t {
        Tone::Ok => ("#e6f4ea", "#1e8e3e"),
        Tone::Warn => ("#fef7e0", "#e37400"),
        Tone::Broken => ("#fce8e6", "#d93025"),
        Tone::Unknown => ("#f1f3f4", "#80868b"),
        Tone::Plain => ("#e8f0fe", "#1a73e8"),
    }
}

/// Writes the diagrams as one `digraph` named `name`.
pub(crate) fn write(name: &str, diagrams: &[Diagram], out: &mut dyn io::Write) -> io::Result<()> {
    let mut text = String::new();
    let _ = writeln!(text, "digraph {} {{", quote(name));
    text.push_str("  rankdir=LR;\n");
    text.push_str(
        "  node [shape=box, style=\"rounded,filled\", fontname=\"monospace\", fontsize=10];\n",
    );
    text.push_str("  edge [color=\"#5f6368\"];\n");
    out.write_all(text.as_bytes())?;
    for (i, d) in diagrams.iter().enumerate() {
        text.clear();
        cluster(&mut text, i, d);
        out.write_all(text.as_bytes())?;
    }
    out.write_all(b"}\n")
}

fn cluster(out: &mut String, i: usize, d: &Diagram) {
    let _ = writeln!(out, "  subgraph cluster_{i} {{");
    let _ = writeln!(out, "    label={};", quote(&d.title));
    for (j, n) in d.nodes.iter().enumerate() {
        let mut label = n.title.clone();
        if n.tone != Tone::Plain {
            let _ = write!(label, " [{}]", n.tone.class());
        }
        for l in &n.lines {
            label.push('\n');
            label.push_str(&l.text);
            // A line toned apart (a node that takes no traffic) says so in words.
            if let Some(t) = l.tone.filter(|t| *t != n.tone && *t != Tone::Plain) {
                let _ = write!(label, " [{}]", t.class());
            }
        }
        let (fill, border) = colours(n.tone);
        let shape = match n.kind.as_str() {
            "client" => ", shape=oval",
            "findings" => ", shape=note",
            _ => "",
        };
        let _ = writeln!(
            out,
            "    d{i}n{j} [label={}, fillcolor=\"{fill}\", color=\"{border}\", class={}{shape}];",
            quote(&label),
            quote(&format!("{} {}", n.kind, n.tone.class())),
        );
    }
    for &(from, to) in &d.edges {
        let style = if d.nodes[to].tone == Tone::Broken {
            " [style=dashed, color=\"#d93025\"]"
        } else {
            ""
        };
        let _ = writeln!(out, "    d{i}n{from} -> d{i}n{to}{style};");
    }
    out.push_str("  }\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quote_escapes_what_dot_reads() {
        assert_eq!(quote(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(quote("x\ny\u{7}"), r#""x\ny ""#);
        assert_eq!(quote("} -> evil; {"), r#""} -> evil; {""#);
    }
}
