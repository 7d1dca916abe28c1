//! What the user chose to see: which rules run (`--select`, `--ignore`, the
//! config's `select` and `ignore`), severity overrides, paths whose findings
//! are not reported, and from which severity a finding fails the run. Built
//! by `commands::lint` from the flags and the config file; the engine only
//! asks it questions.

use crate::model::Origin;
use crate::model::finding::Severity;
use crate::rules::Code;
use std::collections::BTreeMap;

/// A way to name rules: `SVC101`, `selector-matches-no-pods`, a family or
/// any prefix of a code (`SVC3`, `SVC30`), or `ALL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    All,
    Code(Code),
    /// Upper-case prefix of codes, e.g. `SVC3`.
    Prefix(String),
}

impl Selector {
    /// Parses what the user typed. The error says what was expected.
    pub fn parse(text: &str) -> Result<Selector, String> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(Selector::All);
        }
        if let Some(code) = Code::parse(t) {
            return Ok(Selector::Code(code));
        }
        let upper = t.to_ascii_uppercase();
        let digits = upper.strip_prefix("SVC");
        if let Some(d) = digits
            && d.len() < 3
            && d.chars().all(|c| c.is_ascii_digit())
        {
            if Code::ALL.iter().any(|c| c.code().starts_with(&upper)) {
                return Ok(Selector::Prefix(upper));
            }
            return Err(format!("`{t}` matches no rule"));
        }
        Err(match nearest_name(t) {
            Some(name) => format!("`{t}` is not a rule code or name; did you mean `{name}`?"),
            None => format!("`{t}` is not a rule code or name"),
        })
    }

    /// Whether it names `code`.
    pub(crate) fn matches(&self, code: Code) -> bool {
        match self {
            Selector::All => true,
            Selector::Code(c) => *c == code,
            Selector::Prefix(p) => code.code().starts_with(p.as_str()),
        }
    }
}

/// The rule name closest to a misspelt one, if any is close.
fn nearest_name(typed: &str) -> Option<&'static str> {
    Code::ALL
        .iter()
        .map(|c| (strsim::levenshtein(typed, c.name()), c.name()))
        .filter(|(d, name)| *d <= name.len() / 3)
        .min()
        .map(|(_, name)| name)
}

/// From which severity findings make `svcx lint` exit 1.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum FailOn {
    #[default]
    Error,
    Warning,
    Info,
    /// Never: exit 0 whatever is found.
    Never,
}

impl FailOn {
    /// Whether a finding of this severity fails the run.
    pub(crate) fn fails(self, severity: Severity) -> bool {
        match self {
            FailOn::Error => severity >= Severity::Error,
            FailOn::Warning => severity >= Severity::Warning,
            FailOn::Info => true,
            FailOn::Never => false,
        }
    }
}

/// Everything that decides which findings a run reports.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// Rules to run; empty means every rule.
    pub(crate) select: Vec<Selector>,
    /// Rules not to run, even if selected.
    pub ignore: Vec<Selector>,
    /// Severities that replace the model's, per code.
    pub(crate) severity: BTreeMap<Code, Severity>,
    /// Files whose objects are read (they may back Services elsewhere) but
    /// whose findings are not reported.
    pub(crate) exclude: Option<globset::GlobSet>,
}

impl Settings {
    /// Whether findings of `code` are reported.
    pub(crate) fn enabled(&self, code: Code) -> bool {
        (self.select.is_empty() || self.select.iter().any(|s| s.matches(code)))
            && !self.ignore.iter().any(|s| s.matches(code))
    }

    /// Whether an object's findings are left out because its file is excluded.
    pub(crate) fn excluded(&self, origin: &Origin) -> bool {
        match (&self.exclude, origin) {
            (Some(set), Origin::File { path, .. }) => set.is_match(path.trim_start_matches("./")),
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selectors_take_codes_names_and_families() {
        assert_eq!(
            Selector::parse("svc101"),
            Ok(Selector::Code(Code::SelectorMatchesNoPods))
        );
        assert_eq!(
            Selector::parse("selector-matches-no-pods"),
            Ok(Selector::Code(Code::SelectorMatchesNoPods))
        );
        assert_eq!(Selector::parse("SVC3"), Ok(Selector::Prefix("SVC3".into())));
        assert_eq!(Selector::parse("ALL"), Ok(Selector::All));
        assert!(Selector::parse("SVC9").is_err());
        let typo = Selector::parse("selector-matches-no-pod").unwrap_err();
        assert!(typo.contains("`selector-matches-no-pods`"), "{typo}");
    }

    #[test]
    fn ignore_wins_over_select() {
        let s = Settings {
            select: vec![Selector::Prefix("SVC3".into())],
            ignore: vec![Selector::Code(Code::NodePortService)],
            ..Settings::default()
        };
        assert!(s.enabled(Code::LoadBalancerService));
        assert!(!s.enabled(Code::NodePortService));
        assert!(!s.enabled(Code::SelectorMatchesNoPods));
    }

    #[test]
    fn fail_on_thresholds() {
        assert!(FailOn::Error.fails(Severity::Error));
        assert!(!FailOn::Error.fails(Severity::Warning));
        assert!(FailOn::Warning.fails(Severity::Warning));
        assert!(FailOn::Info.fails(Severity::Info));
        assert!(!FailOn::Never.fails(Severity::Error));
    }
}
