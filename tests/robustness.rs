//! No panic, whatever the input: every corpus file, cut short at many points
//! (which leaves unclosed brackets, half a block scalar, a key without a
//! value, a document that stops mid-list), goes through the manifest reader,
//! explain, trace and every renderer. Errors are fine; panics are bugs.

use crate::common;

use std::io::sink;
use svcx::render::{self, Style};
use svcx::{Origin, Scope, Snapshot, SourceInfo};

const CUTS: usize = 48;

fn exercise(text: &str, label: &str) {
    let mut snap = Snapshot::new(
        SourceInfo::Files {
            paths: vec![label.into()],
        },
        Scope::AllNamespaces,
    );
    let origin = |line| Origin::File {
        path: label.to_string(),
        line,
    };
    if svcx::files::load_text(&mut snap, text, label, origin, "default").is_err() {
        return;
    }
    let snap = snap.finish();
    let report = svcx::explain(&snap, &[]);
    render::explain::human(&report, Style::plain(), false, &mut sink()).expect("text renders");
    render::json(&report, &mut sink()).expect("JSON renders");
    render::yaml(&report, &mut sink()).expect("YAML renders");
    if let Ok(trace) = svcx::trace(&snap, None, None) {
        render::trace::human(&trace, Style::plain(), &mut sink()).expect("text renders");
        render::trace::mermaid(&trace, &mut sink()).expect("Mermaid renders");
        render::json(&trace, &mut sink()).expect("JSON renders");
    }
}

#[test]
#[cfg_attr(
    not(svcx_corpus),
    ignore = "needs ../shared/corpus (not found beside the repo)"
)]
fn truncated_corpus_files_never_panic() {
    let mut files = Vec::new();
    for dir in ["manifests", "live"] {
        for entry in std::fs::read_dir(common::root().join(common::corpus(dir))).unwrap() {
            files.push(entry.unwrap().path());
        }
    }
    files.sort();
    assert!(files.len() > 40, "the corpus is beside the project");
    // Files on threads of their own: each is ~50 reads and renderings.
    common::parallel(files, |path| {
        let text = std::fs::read_to_string(&path).unwrap();
        let label = path.file_name().unwrap().to_string_lossy().into_owned();
        exercise(&text, &label);
        let step = (text.len() / CUTS).max(1);
        for cut in (0..text.len()).step_by(step) {
            if text.is_char_boundary(cut) {
                exercise(&text[..cut], &label);
            }
        }
    });
}
