//! `svcx migrate-to-gateway`: load the snapshot, pick the Services, plan the
//! migration (pure, [`crate::migrate`]), write the manifests to stdout and
//! the report to stderr. Nothing is sent to the cluster but reads.

use super::{print_notices, refuse_input_findings, source_options, to_stdout};
use crate::cli::{ChannelArg, GlobalArgs, MigrateArgs, MigrateOutput};
use crate::error::Failure;
use crate::exit::ExitStatus;
use crate::migrate::target::{Channel, Release};
use crate::migrate::{self, Migration, Options};
use crate::render::migrate::{file_name, json_document, markdown, report_text, yaml};
use std::io::{self, Write};

/// Runs `svcx migrate-to-gateway`: 0 when the manifests were written.
pub(crate) async fn run(global: &GlobalArgs, args: &MigrateArgs) -> anyhow::Result<ExitStatus> {
    let sources = source_options(global);
    let mut snap = super::load(&sources).await?;
    // An unrendered template is no input to migrate: say so, rather than
    // "nothing to migrate".
    refuse_input_findings(&snap, "migrate-to-gateway")?;
    let ingresses_in_scope = snap.ingresses.iter().any(|i| {
        snap.scope
            .includes(i.object.metadata.namespace.as_deref().unwrap_or_default())
    });
    if args.services.is_empty()
        && !ingresses_in_scope
        && let Some(n) = snap.nothing_in_scope("migrate")
    {
        snap.notices.push(n);
    }
    print_notices(&snap, None);
    let mut services = Vec::new();
    for query in &args.services {
        match snap.find_services(query) {
            Ok(found) => services.extend(
                found
                    .into_iter()
                    .filter_map(|s| snap.services.iter().position(|x| std::ptr::eq(x, s))),
            ),
            Err(e) => return Err(super::service_not_found(&sources, &snap, e).await),
        }
    }
    services.dedup();
    let opts = Options {
        services,
        gateway_class: args.gateway_class.clone(),
        gateway_name: Some(args.gateway_name.clone()),
        gateway_namespace: args.gateway_namespace.clone(),
        target: args.gateway_api_version.map(|minor| Release {
            minor,
            channel: match args.channel {
                ChannelArg::Standard => Channel::Standard,
                ChannelArg::Experimental => Channel::Experimental,
            },
        }),
        hostnames: args.hostnames.clone(),
        domain: args.domain.clone(),
        existing_gateway: args.existing_gateway.clone(),
        tls_secrets: args.tls_secrets.clone(),
        allow_gateway_proxies: args.allow_gateway_proxies,
    };
    let mut opts = opts;
    if args.interactive && !args.yes && !choose(&snap, &mut opts)? {
        crate::render::terminal::eprint("svcx: nothing chosen, nothing written\n");
        return Ok(ExitStatus::Clean);
    }
    let migration = migrate::plan(&snap, &opts)
        .map_err(|e| anyhow::Error::new(Failure::new(e.message).hint(e.hint)))?;
    // A directory that cannot take the files is refused before the report:
    // a report of files that are not written would read as done.
    let planned = match &args.output_dir {
        Some(dir) => Some(dir_files(dir, &migration)?),
        None => None,
    };
    crate::render::terminal::eprint(&report_text(&migration));
    if let (Some(dir), Some(files)) = (&args.output_dir, planned) {
        let written = write_files(dir, &files)?;
        crate::render::terminal::eprint(&format!(
            "svcx: wrote {} files to {} (the report is MIGRATION.md)\n",
            written,
            crate::render::terminal::one_line(&dir.display().to_string())
        ));
        return Ok(ExitStatus::Clean);
    }
    match args.output {
        MigrateOutput::Yaml => to_stdout(|out| out.write_all(yaml(&migration)?.as_bytes()))?,
        MigrateOutput::Json => {
            to_stdout(|out| crate::render::json(&json_document(&migration), out))?
        }
    }
    Ok(ExitStatus::Clean)
}

/// Asks, on the terminal, what the flags did not say: the Services, the
/// GatewayClass, the release and channel, a domain, and each Service's
/// hostname. The answers fill `opts` exactly as the equivalent flags would
/// (SERVICE names, `--gateway-class`, `--gateway-api-version`, `--channel`,
/// `--domain`, `--hostname`), so the plan cannot tell them apart. `false`
/// when no Service was chosen.
fn choose(snap: &crate::model::Snapshot, opts: &mut Options) -> anyhow::Result<bool> {
    use crate::render::terminal::one_line;
    use dialoguer::{Input, MultiSelect, Select, theme::SimpleTheme};
    use std::io::IsTerminal;
    // The questions are drawn on stderr and answered on stdin; stdout may
    // go to a file or a pipe (`> gateway.yaml`), as without --interactive.
    if !io::stdin().is_terminal() || !io::stderr().is_terminal() {
        return Err(Failure::new("--interactive needs a terminal to ask on (stdin and stderr)")
            .hint(
                "pass the answers as flags instead: SERVICE names, --gateway-class, --gateway-api-version and \
                 --channel, --domain or --hostname SERVICE=HOST; or add --yes to take the defaults",
            )
            .into());
    }
    let theme = SimpleTheme;
    let asked = |e: dialoguer::Error| anyhow::anyhow!("could not read the answer: {e}");
    if opts.services.is_empty() {
        let candidates = migrate::candidates(snap);
        if !candidates.is_empty() {
            // dialoguer prints the items itself: neutralise them first.
            let labels: Vec<String> = candidates
                .iter()
                .map(|(_, l)| one_line(l).into_owned())
                .collect();
            let picked = MultiSelect::with_theme(&theme)
                .with_prompt("Services to migrate (space toggles, enter accepts)")
                .items(&labels)
                .defaults(&vec![true; labels.len()])
                .interact()
                .map_err(asked)?;
            if picked.is_empty() {
                return Ok(false);
            }
            opts.services = picked.into_iter().map(|i| candidates[i].0).collect();
        }
    }
    if opts.gateway_class.is_none() && opts.existing_gateway.is_none() {
        // Live, the classes the cluster has; offline, those in the files.
        let classes: Vec<String> = snap
            .gateway_classes
            .iter()
            .filter_map(|c| c.object.metadata.name.clone())
            .collect();
        let typed = |theme: &SimpleTheme| {
            Input::<String>::with_theme(theme)
                .with_prompt("GatewayClass of the Gateway")
                .interact_text()
                .map(|c| c.trim().to_string())
                .map_err(asked)
        };
        opts.gateway_class = Some(if classes.is_empty() {
            typed(&theme)?
        } else {
            let mut items: Vec<String> = classes.iter().map(|c| one_line(c).into_owned()).collect();
            items.push("another (type its name)".into());
            let i = Select::with_theme(&theme)
                .with_prompt("GatewayClass of the Gateway")
                .items(&items)
                .default(0)
                .interact()
                .map_err(asked)?;
            match classes.get(i) {
                Some(c) => c.clone(),
                None => typed(&theme)?,
            }
        });
    }
    if opts.target.is_none() {
        let discovered = snap
            .gateway_api_served
            .as_ref()
            .is_some_and(|s| !s.is_empty());
        let mut items: Vec<String> = Vec::new();
        if discovered {
            items.push("what the cluster serves (discovery)".into());
        }
        let releases = items.len();
        items.extend(
            (0..=migrate::target::NEWEST_MINOR)
                .rev()
                .map(|m| format!("v1.{m}")),
        );
        let i = Select::with_theme(&theme)
            .with_prompt("Gateway API release installed where the manifests go")
            .items(&items)
            .default(0)
            .interact()
            .map_err(asked)?;
        if i >= releases {
            let channel = Select::with_theme(&theme)
                .with_prompt("Release channel")
                .items(["standard", "experimental"])
                .default(0)
                .interact()
                .map_err(asked)?;
            opts.target = Some(Release {
                minor: migrate::target::NEWEST_MINOR - (i - releases) as u8,
                channel: if channel == 0 {
                    Channel::Standard
                } else {
                    Channel::Experimental
                },
            });
        }
    }
    if opts.domain.is_none() && opts.hostnames.is_empty() {
        let domain: String = Input::with_theme(&theme)
            .with_prompt("Domain for hostnames <service>.<namespace>.<domain> (empty: none)")
            .allow_empty(true)
            .interact_text()
            .map_err(asked)?;
        opts.domain = Some(domain.trim().to_string()).filter(|d| !d.is_empty());
    }
    // Each Service's hostname, defaulting to what the flags (and its
    // Ingresses) give it: an answer that keeps the default adds nothing.
    let chosen: Vec<usize> = if opts.services.is_empty() {
        migrate::candidates(snap)
            .into_iter()
            .map(|(i, _)| i)
            .collect()
    } else {
        opts.services.clone()
    };
    for index in chosen {
        let Some(default) = migrate::hostname_choice(snap, opts, index) else {
            continue;
        };
        let svc = &snap.services[index].object.metadata;
        let full = format!(
            "{}/{}",
            svc.namespace.as_deref().unwrap_or_default(),
            svc.name.as_deref().unwrap_or_default()
        );
        let prompt = format!("Hostname of {full}'s HTTP, gRPC and TLS routes");
        let input = match &default {
            Some(d) => Input::<String>::with_theme(&theme)
                .with_prompt(prompt)
                .default(d.clone()),
            None => Input::<String>::with_theme(&theme)
                .with_prompt(format!("{prompt} (empty: none)"))
                .allow_empty(true),
        };
        let host = input.interact_text().map_err(asked)?.trim().to_string();
        if !host.is_empty() && Some(&host) != default.as_ref() {
            opts.hostnames.push((full, host));
        }
    }
    Ok(true)
}

fn dir_failure(what: String, e: io::Error) -> anyhow::Error {
    anyhow::Error::new(e).context(
        Failure::new(what).hint(
            "choose an empty or new directory with --output-dir; svcx never overwrites a file",
        ),
    )
}

/// The files a migration writes to `dir` (name, text), after checking that
/// the directory can be made and holds none of them yet.
fn dir_files(
    dir: &std::path::Path,
    migration: &Migration,
) -> anyhow::Result<Vec<(String, String)>> {
    let failed = dir_failure;
    std::fs::create_dir_all(dir)
        .map_err(|e| failed(format!("could not create `{}`", dir.display()), e))?;
    let mut files: Vec<(String, String)> = Vec::new();
    for (i, o) in migration.objects.iter().enumerate() {
        let value = o.to_value();
        let text = crate::yaml::to_string(&value)?;
        files.push((file_name(i, &value), text));
    }
    // Read with `cat` as often as in an editor: terminal-safe like stdout.
    files.push((
        "MIGRATION.md".to_string(),
        crate::render::terminal::neutralise(&markdown(migration)).into_owned(),
    ));
    // All or nothing: refuse before writing the first file.
    if let Some((name, _)) = files.iter().find(|(name, _)| dir.join(name).exists()) {
        let path = dir.join(name);
        return Err(failed(
            format!("could not write `{}`", path.display()),
            io::Error::from(io::ErrorKind::AlreadyExists),
        ));
    }
    Ok(files)
}

/// Writes the files of [`dir_files`], each new.
fn write_files(dir: &std::path::Path, files: &[(String, String)]) -> anyhow::Result<usize> {
    let failed = dir_failure;
    for (name, text) in files {
        let path = dir.join(name);
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .map_err(|e| failed(format!("could not write `{}`", path.display()), e))?;
        file.write_all(text.as_bytes())
            .map_err(|e| failed(format!("could not write `{}`", path.display()), e))?;
    }
    Ok(files.len())
}
