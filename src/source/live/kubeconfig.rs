//! Finding the kubeconfig and context the way kubectl does: `--kubeconfig`,
//! then every file in `KUBECONFIG` (merged, missing ones skipped), then
//! `~/.kube/config`; the context from `--context` or the current one.

use super::failure::causes;
use crate::error::Failure;
use kube::config::Kubeconfig;
use std::path::{Path, PathBuf};

/// The kubeconfig to use (`flag`, the path given with `--kubeconfig`, wins)
/// and a label naming where it came from, or None when there is none (then
/// svcx tries the in-cluster service account).
pub(super) fn kubeconfig(flag: Option<&Path>) -> anyhow::Result<Option<(Kubeconfig, String)>> {
    if let Some(path) = flag {
        return read_kubeconfig(path).map(|k| Some((k, format!("`{}`", path.display()))));
    }
    if let Some(value) = std::env::var_os("KUBECONFIG") {
        // kubectl merges every file named (first one to set a value wins) and
        // skips names that do not exist.
        let paths: Vec<PathBuf> = std::env::split_paths(&value)
            .filter(|p| !p.as_os_str().is_empty())
            .collect();
        if !paths.is_empty() {
            let mut merged: Option<Kubeconfig> = None;
            for path in paths.iter().filter(|p| p.exists()) {
                let next = read_kubeconfig(path)?;
                merged = Some(match merged {
                    Some(m) => m.merge(next).map_err(|e| {
                        anyhow::Error::new(Failure::new(causes(&e)).hint(
                            "the files named in KUBECONFIG must agree on kind and apiVersion",
                        ))
                        .context(format!(
                            "could not merge `{}` into the kubeconfig",
                            path.display()
                        ))
                    })?,
                    None => next,
                });
            }
            let label = format!("KUBECONFIG ({})", value.to_string_lossy());
            return match merged {
                Some(k) => Ok(Some((k, label))),
                None => Err(Failure::new(format!("no file named in {label} exists"))
                    .hint("point KUBECONFIG at your kubeconfig file, or pass --kubeconfig PATH")
                    .into()),
            };
        }
    }
    // kubectl takes the home directory from HOME alone; so does svcx, so that a
    // cleared environment never reads anybody's kubeconfig.
    if let Some(home) = std::env::var_os("HOME").filter(|h| !h.is_empty()) {
        let path = Path::new(&home).join(".kube").join("config");
        if path.exists() {
            return read_kubeconfig(&path).map(|k| Some((k, format!("`{}`", path.display()))));
        }
    }
    Ok(None)
}

fn read_kubeconfig(path: &Path) -> anyhow::Result<Kubeconfig> {
    Kubeconfig::read_from(path).map_err(|e| {
        // The YAML parser's message goes on with a snippet of the lines
        // around the error, and a kubeconfig's lines hold tokens, passwords
        // and keys: only the first line (what and where) is shown.
        let causes = causes(&e);
        let what = causes.lines().next().unwrap_or_default();
        anyhow::Error::new(
            Failure::new(what)
                .hint("--kubeconfig and KUBECONFIG take the path of a kubeconfig YAML file"),
        )
        .context(format!(
            "could not read the kubeconfig `{}`",
            path.display()
        ))
    })
}

/// Every context of the kubeconfig, in the order it lists them
/// (`--all-contexts`). A kubeconfig with none, or none at all, fails.
pub(super) fn all_contexts(flag: Option<&Path>) -> anyhow::Result<Vec<String>> {
    let Some((kubeconfig, label)) = kubeconfig(flag)? else {
        return Err(Failure::new(
            "--all-contexts reads every context of the kubeconfig, but no kubeconfig was found",
        )
        .hint("pass --kubeconfig PATH, set KUBECONFIG, or create ~/.kube/config")
        .into());
    };
    if kubeconfig.contexts.is_empty() {
        return Err(Failure::new(format!(
            "--all-contexts: the kubeconfig {label} defines no contexts"
        ))
        .hint("add contexts with `kubectl config set-context`, or drop --all-contexts")
        .into());
    }
    Ok(kubeconfig.contexts.into_iter().map(|c| c.name).collect())
}

/// The context `--context` names, or the kubeconfig's current context; an
/// unknown name fails with the names that exist.
pub(super) fn choose_context(
    kubeconfig: &Kubeconfig,
    wanted: Option<&str>,
    label: &str,
) -> anyhow::Result<String> {
    let known: Vec<&str> = kubeconfig
        .contexts
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    let known_list = if known.is_empty() {
        "it defines no contexts".to_string()
    } else {
        format!("known contexts: {}", known.join(", "))
    };
    match wanted
        .map(str::to_string)
        .or_else(|| kubeconfig.current_context.clone())
    {
        Some(name) if known.contains(&name.as_str()) => Ok(name),
        Some(name) => Err(
            Failure::new(format!("no context `{name}` in the kubeconfig {label}"))
                .hint(format!("{known_list}; pass one with --context"))
                .into(),
        ),
        None => Err(
            Failure::new(format!("the kubeconfig {label} sets no current context"))
                .hint(format!("{known_list}; pass one with --context"))
                .into(),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kubeconfig(current: Option<&str>) -> Kubeconfig {
        let mut text = String::from(
            "apiVersion: v1\nkind: Config\ncontexts:\n- name: dev\n  context: {cluster: c, user: u}\n\
             - name: prod\n  context: {cluster: c, user: u}\n",
        );
        if let Some(c) = current {
            text.push_str(&format!("current-context: {c}\n"));
        }
        Kubeconfig::from_yaml(&text).expect("a kubeconfig")
    }

    fn failure_text(err: anyhow::Error) -> String {
        crate::error::render(&err)
    }

    #[test]
    fn contexts_are_chosen_like_kubectl() {
        assert_eq!(
            choose_context(&kubeconfig(Some("dev")), None, "`k`").unwrap(),
            "dev"
        );
        assert_eq!(
            choose_context(&kubeconfig(Some("dev")), Some("prod"), "`k`").unwrap(),
            "prod"
        );
        assert_eq!(
            failure_text(
                choose_context(&kubeconfig(Some("dev")), Some("staging"), "`k`").unwrap_err()
            ),
            "svcx: error: no context `staging` in the kubeconfig `k`\n  \
             hint: known contexts: dev, prod; pass one with --context\n"
        );
        assert_eq!(
            failure_text(choose_context(&kubeconfig(None), None, "`k`").unwrap_err()),
            "svcx: error: the kubeconfig `k` sets no current context\n  \
             hint: known contexts: dev, prod; pass one with --context\n"
        );
    }
}
