//! The command line grammar (a contract: scripts and tests depend on it).

use std::path::PathBuf;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

/// smmdesk: SMM Desk from the command line. Keys are read from stdin, never from arguments.
#[derive(Debug, Parser)]
#[command(name = "smmdesk", version, about, max_term_width = 100)]
pub struct Cli {
    /// Keep everything (database, key file, logs) under DIR [env: SMM_DESK_DATA_DIR]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Print machine-readable JSON on stdout (money as strings); errors as JSON on stderr
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Manage providers (panels you buy from)
    #[command(subcommand)]
    Provider(ProviderCommand),
    /// Sync, search and compare the catalog
    #[command(subcommand)]
    Services(ServicesCommand),
    /// Show the data folder, database and where the master key lives
    Info,
    /// Place, list, track, refill, cancel, resolve and export orders
    #[command(subcommand)]
    Order(crate::order_cmd::OrderCommand),
    /// Place many orders from `service_id|link|quantity` lines (or `link|quantity` with --group)
    MassOrder(crate::order_cmd::MassOrderArgs),
    /// Check balances now (every active provider, or one), with history
    Balance(crate::stats_cmd::BalanceArgs),
    /// Orders, success rate, spend and API figures for a date range (demo excluded)
    Stats(crate::stats_cmd::StatsArgs),
    /// Run the demo panel (simulator) as provider "demo" until Ctrl-C or SIGTERM
    Demo(crate::stats_cmd::DemoArgs),
    /// Run the scheduler (status, catalog, balance, cleanup) until Ctrl-C, SIGTERM or --for
    Daemon(crate::daemon_cmd::DaemonArgs),
    /// Serve the local API (for your own site, bot or script) and run the scheduler
    Serve(crate::serve_cmd::ServeArgs),
    /// Job health per job and provider (`jobs run <job>` runs one now)
    Jobs(crate::daemon_cmd::JobsArgs),
    /// The alerts inbox (`alerts read [IDS]` marks read)
    Alerts(crate::daemon_cmd::AlertsArgs),
    /// Signed POSTs of order status changes and low balances to your URL (Standard Webhooks)
    #[command(subcommand)]
    Webhook(crate::webhook_cmd::WebhookCommand),
    /// The selling price list: markup rules (default, platform, category, service) and quotes
    #[command(subcommand)]
    Prices(crate::prices_cmd::PricesCommand),
    /// Customers: who orders are sold to, with billed, cost and profit
    #[command(subcommand)]
    Customers(crate::customers_cmd::CustomersCommand),
    /// Offer groups: the same offer on several providers, for routed orders with failover (add|list|show|rm|suggest)
    #[command(subcommand)]
    Group(crate::group_cmd::GroupCommand),
    /// Orders placed at set times: once, every N hours or days, or on weekdays (add|list|show|pause|resume|rm)
    #[command(subcommand)]
    Schedule(crate::schedule_cmd::ScheduleCommand),
    /// Write a consistent copy of the database to FILE (safe while the app runs)
    Backup(crate::data_cmd::BackupArgs),
    /// Replace the data by a backup (checked first; the replaced data is kept beside it)
    Restore(crate::data_cmd::RestoreArgs),
    /// Show the data folder, or move the data to another folder (--move-to)
    DataDir(crate::data_cmd::DataDirArgs),
}

/// `smmdesk provider …`
#[derive(Debug, Subcommand)]
pub enum ProviderCommand {
    /// List the built-in presets (JAP, SMM Kings, Secsers)
    Presets,
    /// Add a provider; the API key is read from stdin
    Add(AddArgs),
    /// List providers
    List,
    /// Show one provider
    Show {
        /// Provider name
        name: String,
    },
    /// Change a provider
    Update(UpdateArgs),
    /// Remove a provider (its orders and history stay readable)
    Remove {
        /// Provider name
        name: String,
    },
    /// Enable a provider
    Enable {
        /// Provider name
        name: String,
    },
    /// Disable a provider (no syncs, no orders)
    Disable {
        /// Provider name
        name: String,
    },
    /// Test the connection: fetch and store the balance
    Test {
        /// Provider name
        name: String,
    },
}

/// A preset name.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum PresetId {
    /// Just Another Panel
    Jap,
    /// SMM Kings
    Smmkings,
    /// Secsers
    Secsers,
}

impl PresetId {
    /// The engine's preset id.
    pub fn as_str(self) -> &'static str {
        match self {
            PresetId::Jap => "jap",
            PresetId::Smmkings => "smmkings",
            PresetId::Secsers => "secsers",
        }
    }
}

/// `provider add`
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("key_source").required(true).multiple(true).args(["key_stdin", "preset"])))]
pub struct AddArgs {
    /// Provider name: lowercase letters, digits, dashes (default with --preset: the preset's)
    #[arg(long, required_unless_present = "preset")]
    pub name: Option<String>,
    /// API URL: https, or http on 127.0.0.1/localhost only (default with --preset: the preset's)
    #[arg(long, required_unless_present = "preset")]
    pub url: Option<String>,
    /// Read the API key from stdin
    #[arg(long)]
    pub key_stdin: bool,
    /// Use a preset's name, display name and URL; the key is still read from stdin
    #[arg(long, value_enum)]
    pub preset: Option<PresetId>,
    /// Name shown to people
    #[arg(long)]
    pub display_name: Option<String>,
    /// Priority (higher first), -1000..1000
    #[arg(long, allow_negative_numbers = true)]
    pub priority: Option<i64>,
    /// User-Agent sent to this provider
    #[arg(long)]
    pub user_agent: Option<String>,
    /// Concurrent requests to this provider (1..64)
    #[arg(long)]
    pub max_concurrency: Option<u32>,
    /// Requests per minute to this provider (1..10000)
    #[arg(long)]
    pub requests_per_minute: Option<u32>,
    /// Warn when the balance falls below this amount
    #[arg(long, value_name = "AMOUNT")]
    pub low_balance: Option<String>,
    /// Mark as a demo provider (kept out of real totals)
    #[arg(long)]
    pub demo: bool,
}

/// `provider update`
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// Provider name
    pub name: String,
    /// New API URL
    #[arg(long)]
    pub url: Option<String>,
    /// New display name
    #[arg(long)]
    pub display_name: Option<String>,
    /// New priority
    #[arg(long, allow_negative_numbers = true)]
    pub priority: Option<i64>,
    /// New User-Agent ("" for the default)
    #[arg(long)]
    pub user_agent: Option<String>,
    /// New concurrency limit
    #[arg(long)]
    pub max_concurrency: Option<u32>,
    /// New rate limit
    #[arg(long)]
    pub requests_per_minute: Option<u32>,
    /// New low-balance threshold ("none" removes it)
    #[arg(long, value_name = "AMOUNT")]
    pub low_balance: Option<String>,
    /// Read a new API key from stdin
    #[arg(long)]
    pub key_stdin: bool,
}

/// `smmdesk services …`
#[derive(Debug, Subcommand)]
pub enum ServicesCommand {
    /// Fetch the catalog of one provider, or of every active provider, and store the changes
    Sync {
        /// Provider name (all active providers when left out)
        name: Option<String>,
    },
    /// Search the catalog
    List(ListArgs),
    /// Catalog changes: new, removed, and price/min/max changes
    Changes(ChangesArgs),
    /// The same offer on several providers, cheapest first
    Compare(CompareArgs),
}

/// Sort order of `services list`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SortArg {
    /// Cheapest first
    Price,
    /// Dearest first
    PriceDesc,
    /// By provider
    Provider,
}

/// `services list`
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this provider
    #[arg(long)]
    pub provider: Option<String>,
    /// Text in the service id, name or category
    #[arg(long)]
    pub search: Option<String>,
    /// Exactly this category
    #[arg(long)]
    pub category: Option<String>,
    /// Exactly this type (Default, Package, "Custom Comments", …)
    #[arg(long = "type", value_name = "TYPE")]
    pub service_type: Option<String>,
    /// Platform: instagram, tiktok, youtube, telegram, x, facebook, spotify, twitch, discord,
    /// soundcloud, linkedin, threads, other
    #[arg(long)]
    pub platform: Option<String>,
    /// Only services with refill
    #[arg(long)]
    pub refill: bool,
    /// Only services with cancel
    #[arg(long)]
    pub cancel: bool,
    /// Only services with drip-feed
    #[arg(long)]
    pub dripfeed: bool,
    /// Rate per 1000 at least
    #[arg(long, value_name = "AMOUNT")]
    pub min_rate: Option<String>,
    /// Rate per 1000 at most
    #[arg(long, value_name = "AMOUNT")]
    pub max_rate: Option<String>,
    /// Order
    #[arg(long, value_enum, default_value = "price")]
    pub sort: SortArg,
    /// Include services gone upstream
    #[arg(long)]
    pub include_removed: bool,
    /// Rows to show (1..1000)
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Rows to skip
    #[arg(long, default_value_t = 0)]
    pub offset: u32,
}

/// `services changes`
#[derive(Debug, Args)]
pub struct ChangesArgs {
    /// Only this provider
    #[arg(long)]
    pub provider: Option<String>,
    /// Only changes since DATE (2026-11-24, 2026-11-24T10:00:00Z, or 24h / 7d ago)
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Rows to show (1..1000)
    #[arg(long, default_value_t = 100)]
    pub limit: u32,
}

/// `services compare`
#[derive(Debug, Args)]
pub struct CompareArgs {
    /// Only this platform
    #[arg(long)]
    pub platform: Option<String>,
    /// Only this kind (followers, likes, views, comments, …)
    #[arg(long)]
    pub kind: Option<String>,
    /// Text in the offer's name
    #[arg(long)]
    pub search: Option<String>,
    /// Groups to show (1..500)
    #[arg(long, default_value_t = 20)]
    pub limit: u32,
}
