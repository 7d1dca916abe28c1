//! What `svcx lint` found, as plain data: the findings in reading order, the
//! counts, and what was missing from the input. Its serde form is the
//! `-o json` document (docs/json.md, "lint"); the other formats render the
//! same value.

use crate::model::finding::Finding;
use crate::model::{ClusterInfo, Notice, Scope, Snapshot, SourceInfo};
use serde::Serialize;

/// Version of the lint JSON schema: the finding object is explain's and
/// trace's (schema 2).
pub(crate) const SCHEMA: u32 = 2;

/// The lint report.
#[derive(Clone, Debug, Serialize)]
pub struct LintReport {
    pub(crate) schema: u32,
    pub(crate) source: SourceInfo,
    pub(crate) scope: Scope,
    /// Over several clusters only: each cluster asked for, read or not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub(crate) clusters: Vec<ClusterInfo>,
    /// What was found, in reading order (file and position, or object).
    pub(crate) findings: Vec<Finding>,
    pub(crate) summary: Summary,
    pub(crate) notices: Vec<Notice>,
    /// The source line each finding points at (same order as `findings`),
    /// when the object was read from text: for code frames and SARIF
    /// regions. Not part of the JSON document.
    #[serde(skip)]
    pub(crate) snippets: Vec<Option<Snippet>>,
    /// From which severity findings fail the run (`--fail-on`): JUnit
    /// reports only those as failures. Not part of the JSON document.
    #[serde(skip)]
    pub(crate) fail_on: super::FailOn,
}

/// The line of source text a finding points at, and the part of it to
/// underline: from the field's column to the end of what is written on the
/// line (a trailing comment left out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Snippet {
    /// 1-based line in the file.
    pub(crate) line: usize,
    /// The line's text, without its line break.
    pub(crate) text: String,
    /// First column underlined, 1-based, in characters.
    pub(crate) start: usize,
    /// Last column underlined, inclusive.
    pub(crate) end: usize,
}

impl Snippet {
    /// The snippet of `text` (one line) for a field at `column`.
    pub(crate) fn new(line: usize, text: &str, column: usize) -> Snippet {
        let text = text.trim_end_matches(['\n', '\r']).replace('\t', " ");
        let chars: Vec<char> = text.chars().collect();
        let start = column.clamp(1, chars.len().max(1));
        // The written content ends before a ` #` comment, and, inside a
        // flow mapping (`{name: a, port: 80}`), at the entry's `,` or `}`
        // (outside quotes, as far as a line can tell); trailing blanks are
        // left out.
        let mut end = chars.len();
        let mut quote: Option<char> = None;
        let mut depth = 0i32;
        for (i, &c) in chars.iter().enumerate().skip(start - 1) {
            match (quote, c) {
                (None, '"' | '\'') => quote = Some(c),
                (Some(q), c) if c == q => quote = None,
                (None, '#') if i > 0 && chars[i - 1] == ' ' => {
                    end = i;
                    break;
                }
                (None, '{' | '[') => depth += 1,
                (None, '}' | ']') if depth == 0 => {
                    end = i;
                    break;
                }
                (None, '}' | ']') => depth -= 1,
                (None, ',') if depth == 0 => {
                    end = i;
                    break;
                }
                _ => {}
            }
        }
        while end > start && chars[end - 1] == ' ' {
            end -= 1;
        }
        Snippet {
            line,
            text,
            start,
            end: end.max(start),
        }
    }
}

/// Counts over the findings reported.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Summary {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) infos: usize,
    /// Files that hold at least one finding.
    pub(crate) files_with_findings: usize,
    /// Findings silenced by `svcx/ignore` annotations.
    pub(crate) suppressed: usize,
    pub(crate) load_balancers: LoadBalancerCount,
}

/// "N LoadBalancer Services = M cloud load balancers": Services that report
/// one of the same addresses share one load balancer and count once.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct LoadBalancerCount {
    /// LoadBalancer Services in scope.
    pub(crate) services: usize,
    /// The load balancers they make.
    pub(crate) load_balancers: usize,
}

impl LintReport {
    /// A report on `snap` with these findings.
    pub(crate) fn new(snap: &Snapshot, findings: Vec<Finding>, summary: Summary) -> Self {
        LintReport {
            schema: SCHEMA,
            source: snap.source.clone(),
            scope: snap.scope.clone(),
            clusters: Vec::new(),
            findings,
            summary,
            notices: snap.notices.clone(),
            snippets: Vec::new(),
            fail_on: super::FailOn::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Snippet;

    #[test]
    fn snippets_underline_what_is_written() {
        let s = Snippet::new(9, "    nodePort: 30080   # fixed\n", 5);
        assert_eq!((s.start, s.end), (5, 19));
        let s = Snippet::new(3, "  name: \"a # b\"", 3);
        assert_eq!((s.start, s.end), (3, 15));
        let s = Snippet::new(1, "", 4);
        assert_eq!((s.start, s.end), (1, 1));
        let line = "  - {name: syslog, port: 514, targetPort: 514, protocol: UDP}";
        let s = Snippet::new(7, line, 31);
        assert_eq!(&line[s.start - 1..s.end], "targetPort: 514");
        let s = Snippet::new(7, "  externalIPs: [\"203.0.113.7\", \"a\"]", 3);
        assert_eq!(s.end, 35, "a flow sequence closes on the line");
    }
}
