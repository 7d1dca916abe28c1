//! Verdicts: whether traffic gets through a hop (`ok`), gets through with a
//! caveat or only partly (`warn`), or does not get through (`broken`). A
//! hop's verdict comes from the model's findings (their severity) and from
//! the state of the endpoint or node it stands for; nothing else decides it.

use crate::model::finding::Severity;
use serde::Serialize;

/// Whether traffic gets through. Ordered from best to worst, so `max` is the
/// worst of several.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Traffic gets through.
    #[default]
    Ok,
    /// Traffic gets through, but only partly or with a caveat worth knowing.
    Warn,
    /// Traffic does not get through this hop.
    Broken,
}

impl Verdict {
    /// The word printed for it (always printed; colour only adds to it).
    pub(crate) fn word(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Warn => "warn",
            Verdict::Broken => "broken",
        }
    }

    /// The worst of several verdicts (`ok` for none).
    pub(crate) fn worst(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        verdicts.into_iter().max().unwrap_or_default()
    }
}

impl From<Severity> for Verdict {
    /// An error stops traffic; a warning lets it through partly or with a
    /// caveat; information changes nothing.
    fn from(s: Severity) -> Verdict {
        match s {
            Severity::Error => Verdict::Broken,
            Severity::Warning => Verdict::Warn,
            Severity::Info => Verdict::Ok,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_is_the_maximum() {
        assert_eq!(
            Verdict::worst([Verdict::Ok, Verdict::Broken, Verdict::Warn]),
            Verdict::Broken
        );
        assert_eq!(Verdict::worst([]), Verdict::Ok);
    }

    #[test]
    fn severities_map_to_verdicts() {
        assert_eq!(Verdict::from(Severity::Error), Verdict::Broken);
        assert_eq!(Verdict::from(Severity::Warning), Verdict::Warn);
        assert_eq!(Verdict::from(Severity::Info), Verdict::Ok);
    }
}
