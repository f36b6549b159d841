//! `smmdesk provider …`

use std::process::ExitCode;

use smm_engine::providers::{preset, PRESETS};
use smm_engine::{Engine, NewProvider, Provider, ProviderUpdate};

use crate::args::{AddArgs, ProviderCommand, UpdateArgs};
use crate::error::CliError;
use crate::input::{amount, read_key};
use crate::output::{table, Output};

/// `provider presets` (needs no database).
pub fn presets(out: &Output) {
    out.print(&PRESETS, || {
        let rows: Vec<Vec<String>> = PRESETS
            .iter()
            .map(|p| {
                vec![
                    p.id.to_string(),
                    p.name.to_string(),
                    p.display_name.to_string(),
                    p.api_url.to_string(),
                ]
            })
            .collect();
        table(&["PRESET", "NAME", "DISPLAY NAME", "URL"], &rows)
    });
}

/// Runs a provider command.
pub fn run(engine: &Engine, cmd: ProviderCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        ProviderCommand::Presets => presets(out),
        ProviderCommand::Add(args) => {
            let p = engine.add_provider(new_provider(args)?)?;
            out.print(&p, || format!("added {}\n{}", p.name, details(&p)));
        }
        ProviderCommand::List => {
            let list = engine.list_providers()?;
            out.print(&list, || {
                if list.is_empty() {
                    return "no providers yet: smmdesk provider add --preset jap --key-stdin"
                        .into();
                }
                let rows: Vec<Vec<String>> = list
                    .iter()
                    .map(|p| {
                        vec![
                            p.name.clone(),
                            if p.active { "yes" } else { "no" }.into(),
                            p.priority.to_string(),
                            balance(p),
                            p.key_hint.clone(),
                            p.api_url.clone(),
                        ]
                    })
                    .collect();
                table(
                    &["NAME", "ACTIVE", "PRIORITY", "BALANCE", "KEY", "URL"],
                    &rows,
                )
            });
        }
        ProviderCommand::Show { name } => {
            let p = engine.provider(&name)?;
            out.print(&p, || details(&p));
        }
        ProviderCommand::Update(args) => {
            let name = args.name.clone();
            let p = engine.update_provider(&name, update(args)?)?;
            out.print(&p, || format!("updated {}\n{}", p.name, details(&p)));
        }
        ProviderCommand::Remove { name } => {
            let p = engine.remove_provider(&name)?;
            out.print(&p, || {
                format!("removed {} (its orders and history are kept)", p.name)
            });
        }
        ProviderCommand::Enable { name } => {
            let p = engine.set_provider_active(&name, true)?;
            out.print(&p, || format!("enabled {}", p.name));
        }
        ProviderCommand::Disable { name } => {
            let p = engine.set_provider_active(&name, false)?;
            out.print(&p, || format!("disabled {}", p.name));
        }
        ProviderCommand::Test { name } => {
            let check = crate::block_on(engine.test_provider(&name))??;
            out.print(&check, || {
                format!(
                    "{}: connection ok, balance {} {}",
                    check.provider,
                    check.balance,
                    check.currency.as_deref().unwrap_or("")
                )
            });
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn new_provider(args: AddArgs) -> Result<NewProvider, CliError> {
    // Every argument is checked before the key is read, so a typo never eats a piped key.
    let low_balance = args
        .low_balance
        .as_deref()
        .map(|t| amount("low_balance", t))
        .transpose()?;
    let preset = args.preset.map(|p| preset(p.as_str())).transpose()?;
    let key = read_key()?;
    let mut new = match preset {
        Some(p) => NewProvider::from_preset(p, key),
        None => NewProvider::new(String::new(), String::new(), key),
    };
    if let Some(name) = args.name {
        new.name = name;
    }
    if let Some(url) = args.url {
        new.api_url = url;
    }
    if let Some(d) = args.display_name {
        new.display_name = Some(d);
    }
    new.priority = args.priority.unwrap_or(0);
    new.user_agent = args.user_agent;
    new.max_concurrency = args.max_concurrency;
    new.requests_per_minute = args.requests_per_minute;
    new.low_balance_threshold = low_balance;
    new.is_demo = args.demo;
    Ok(new)
}

fn update(args: UpdateArgs) -> Result<ProviderUpdate, CliError> {
    let low_balance_threshold = match args.low_balance.as_deref().map(str::trim) {
        None => None,
        Some("none") | Some("") => Some(None),
        Some(t) => Some(Some(amount("low_balance", t)?)),
    };
    let api_key = if args.key_stdin {
        Some(read_key()?)
    } else {
        None
    };
    Ok(ProviderUpdate {
        display_name: args.display_name,
        api_url: args.url,
        api_key,
        priority: args.priority,
        user_agent: args.user_agent,
        max_concurrency: args.max_concurrency,
        requests_per_minute: args.requests_per_minute,
        low_balance_threshold,
        active: None,
    })
}

fn balance(p: &Provider) -> String {
    match &p.last_balance {
        Some(b) => format!("{b} {}", p.currency.as_deref().unwrap_or(""))
            .trim()
            .to_string(),
        None => "-".into(),
    }
}

fn details(p: &Provider) -> String {
    let opt = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    let ts = |v: Option<jiff::Timestamp>| opt(v.map(|t| t.to_string()));
    [
        ("name", p.name.clone()),
        ("display name", p.display_name.clone()),
        ("url", p.api_url.clone()),
        ("key", p.key_hint.clone()),
        ("active", p.active.to_string()),
        ("priority", p.priority.to_string()),
        ("balance", balance(p)),
        ("balance checked", ts(p.balance_checked_at)),
        ("catalog synced", ts(p.catalog_synced_at)),
        ("user agent", opt(p.user_agent.clone())),
        ("max concurrency", p.max_concurrency.to_string()),
        ("requests/minute", p.requests_per_minute.to_string()),
        (
            "low balance below",
            opt(p.low_balance_threshold.map(|d| d.to_string())),
        ),
        ("demo", p.is_demo.to_string()),
        ("last error", opt(p.last_error.clone())),
        (
            "noisy replies",
            match p.noisy_reply_at {
                Some(at) => format!(
                    "{} (PHP notices before the JSON; last {at})",
                    p.noisy_replies
                ),
                None => "0".into(),
            },
        ),
    ]
    .iter()
    .map(|(k, v)| format!("{k:<18} {v}"))
    .collect::<Vec<_>>()
    .join("\n")
}
