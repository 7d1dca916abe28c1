//! The config file: `.svcx.yaml`, found in the working directory or the
//! nearest directory above it, or named with `--config`. Its `lint:` section
//! holds what a repository wants every run to use:
//!
//! ```yaml
//! lint:
//!   select: [ALL]                 # codes, names or families (SVC3)
//!   ignore: [node-port-service]
//!   severity:                     # overrides, per code or name
//!     SVC302: warning
//!   exclude: ["vendor/**"]        # files read, but their findings not reported
//!   fail-on: warning
//! ```
//!
//! Command-line flags win: `--select` replaces `select`, `--ignore` adds to
//! `ignore`, `--fail-on` replaces `fail-on`.

use super::settings::{FailOn, Selector, Settings};
use crate::error::Failure;
use crate::model::finding::Severity;
use crate::rules::Code;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// The file name looked for.
pub(crate) const FILE_NAME: &str = ".svcx.yaml";

/// The whole file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    lint: LintSection,
}

/// The `lint:` section, as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct LintSection {
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    #[serde(default)]
    severity: std::collections::BTreeMap<String, SeverityWord>,
    #[serde(default)]
    exclude: Vec<String>,
    fail_on: Option<FailOnWord>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum SeverityWord {
    Error,
    Warning,
    Info,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum FailOnWord {
    Error,
    Warning,
    Info,
    Never,
}

/// A config file, read and checked.
#[derive(Debug, Default)]
pub(crate) struct Config {
    pub(crate) settings: Settings,
    pub(crate) fail_on: Option<FailOn>,
}

/// The nearest `.svcx.yaml` in `dir` or above it.
pub(crate) fn find(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

/// Reads and checks a config file. Errors point at `file:line:col`.
pub(crate) fn read(path: &Path) -> anyhow::Result<Config> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).map_err(|e| {
        anyhow::Error::new(e).context(
            Failure::new(format!("could not read the config file `{shown}`"))
                .hint("check the path given to --config, or run with --no-config"),
        )
    })?;
    let file: File = if text.trim().is_empty() {
        File::default()
    } else {
        crate::yaml::from_str(&text).map_err(|e| {
            Failure::new(format!("{shown}:{}:{}: {}", e.line, e.column, e.message)).hint(
                "the lint section takes select, ignore, severity, exclude and fail-on (docs/lint.md)",
            )
        })?
    };
    let bad = |what: String| -> anyhow::Error {
        Failure::new(format!("{shown}: {what}"))
            .hint("name rules by code (SVC101), name (selector-matches-no-pods) or family (SVC3); `svcx rule --all` lists them")
            .into()
    };
    let selectors = |words: &[String], key: &str| -> anyhow::Result<Vec<Selector>> {
        words
            .iter()
            .map(|w| Selector::parse(w).map_err(|e| bad(format!("lint.{key}: {e}"))))
            .collect()
    };
    let l = file.lint;
    let mut settings = Settings {
        select: selectors(&l.select, "select")?,
        ignore: selectors(&l.ignore, "ignore")?,
        ..Settings::default()
    };
    for (word, sev) in &l.severity {
        let code = Code::parse(word).ok_or_else(|| {
            bad(format!(
                "lint.severity: `{word}` is not a rule code or name"
            ))
        })?;
        let sev = match sev {
            SeverityWord::Error => Severity::Error,
            SeverityWord::Warning => Severity::Warning,
            SeverityWord::Info => Severity::Info,
        };
        settings.severity.insert(code, sev);
    }
    if !l.exclude.is_empty() {
        let mut set = globset::GlobSetBuilder::new();
        for pattern in &l.exclude {
            let glob = globset::Glob::new(pattern).map_err(|e| {
                Failure::new(format!(
                    "{shown}: lint.exclude: `{pattern}` is not a glob: {e}"
                ))
                .hint("use patterns such as `vendor/**` or `**/generated/*.yaml`")
            })?;
            set.add(glob);
        }
        settings.exclude = Some(set.build()?);
    }
    let fail_on = l.fail_on.map(|w| match w {
        FailOnWord::Error => FailOn::Error,
        FailOnWord::Warning => FailOn::Warning,
        FailOnWord::Info => FailOn::Info,
        FailOnWord::Never => FailOn::Never,
    });
    Ok(Config { settings, fail_on })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Origin;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn reads_every_key() {
        let (_dir, path) = write(
            "lint:\n  select: [SVC3]\n  ignore: [node-port-service]\n  severity:\n    SVC302: warning\n  exclude: ['vendor/**']\n  fail-on: never\n",
        );
        let c = read(&path).unwrap();
        assert!(c.settings.enabled(Code::LoadBalancerService));
        assert!(!c.settings.enabled(Code::NodePortService));
        assert_eq!(
            c.settings.severity.get(&Code::LoadBalancerService),
            Some(&Severity::Warning)
        );
        let vendored = Origin::File {
            path: "vendor/x.yaml".into(),
            line: 1,
        };
        assert!(c.settings.excluded(&vendored));
        assert_eq!(c.fail_on, Some(FailOn::Never));
    }

    #[test]
    fn errors_say_where() {
        let (_dir, path) = write("lint:\n  selct: [SVC3]\n");
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains(":2:"), "{err}");
        let (_dir, path) = write("lint:\n  ignore: [SVC999]\n");
        let err = read(&path).unwrap_err().to_string();
        assert!(err.contains("lint.ignore"), "{err}");
    }

    #[test]
    fn found_upward() {
        let (dir, path) = write("");
        let deep = dir.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        assert_eq!(find(&deep), Some(path));
    }
}
