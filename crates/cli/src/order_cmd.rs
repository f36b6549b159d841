//! `smmdesk order …` and `smmdesk mass-order`: place, list, show, refresh, refill, cancel,
//! resolve and export orders; place many from a file.
//!
//! `order add` and `mass-order` exit 0 when every order was accepted, 1 when one was refused
//! or never sent (nothing charged), and 3 when an outcome is unknown (resolve it with
//! `order resolve`; it is never resent automatically).

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{ArgGroup, Args, Subcommand};
use serde_json::json;
use smm_engine::orders::{
    MassOrder, MassProgress, OrderQuery, RefreshReport, RefreshScope, Resolution, MAX_ORDER_BYTES,
};
use smm_engine::{
    Engine, EngineError, NewOrder, Order, OrderError, OrderFields, OrderFormError, OrderStatus,
};

use crate::error::CliError;
use crate::output::{table, Output};

/// Most bytes read from a list file (comments, usernames…) or a mass-order file; more is
/// refused before the engine sees it.
const MAX_FILE_BYTES: u64 = 16 << 20;

/// `smmdesk order …`
#[derive(Debug, Subcommand)]
pub enum OrderCommand {
    /// Place an order (checked against the synced catalog first)
    Add(Box<AddOrderArgs>),
    /// List orders, newest first
    List(ListOrdersArgs),
    /// Show one order with its timeline, refills and cancel requests
    Show {
        /// Local order id
        id: i64,
    },
    /// Refresh statuses from the providers: these orders, one provider, or every open order
    #[command(group(ArgGroup::new("scope").required(true).args(["ids", "provider", "all"])))]
    Refresh {
        /// Local order ids
        ids: Vec<i64>,
        /// Every open order of this provider
        #[arg(long)]
        provider: Option<String>,
        /// Every open order of every active provider
        #[arg(long)]
        all: bool,
    },
    /// Ask the provider to refill orders (services with refill only)
    Refill {
        /// Local order ids
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Ask the provider to cancel orders; the next refresh shows the outcome
    Cancel {
        /// Local order ids
        #[arg(required = true)]
        ids: Vec<i64>,
    },
    /// Resolve an order in state unknown; without an option, show what helps decide
    #[command(group(ArgGroup::new("resolution").args(["external_id", "not_placed"])))]
    Resolve {
        /// Local order id
        id: i64,
        /// The provider's order id you found in the panel
        #[arg(long, value_name = "N")]
        external_id: Option<String>,
        /// The order was not placed (it may then be submitted again with `order resubmit`)
        #[arg(long)]
        not_placed: bool,
    },
    /// Submit again an order that was not placed (rejected, not sent, resolved not placed);
    /// the fields given replace the stored ones (`--link` to fix a rejected link)
    Resubmit(Box<ResubmitArgs>),
    /// Export orders as CSV (RFC 4180; money as exact decimals)
    Export(ExportArgs),
}

/// `smmdesk order add`
#[derive(Debug, Args)]
pub struct AddOrderArgs {
    /// Provider name
    #[arg(long, required_unless_present = "group")]
    pub provider: Option<String>,
    /// The provider's service id
    #[arg(long, value_name = "ID", required_unless_present = "group")]
    pub service: Option<String>,
    /// Route through this offer group instead (`smmdesk group`): the best member that can
    /// take it, the next one only when the first certainly did not place it
    #[arg(long, value_name = "NAME", conflicts_with_all = ["provider", "service"])]
    pub group: Option<String>,
    /// The order's fields
    #[command(flatten)]
    pub fields: OrderFieldArgs,
    /// The same key always returns the same order (one is generated when omitted)
    #[arg(long, value_name = "K")]
    pub idempotency_key: Option<String>,
    /// Who it is sold to, and for how much
    #[command(flatten)]
    pub sale: SaleArgs,
    /// How to place it
    #[command(flatten)]
    pub place: PlaceArgs,
}

/// The sale of an order: shared by `order add` and `mass-order`.
#[derive(Debug, Args, Default)]
pub struct SaleArgs {
    /// The customer it is for, by name (added to `smmdesk customers` when new)
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// What the customer pays (default: the price list's price for the quantity); below the
    /// cost is allowed, with a warning
    #[arg(long, value_name = "AMOUNT", allow_hyphen_values = true)]
    pub sale_price: Option<String>,
}

impl SaleArgs {
    fn sale_price(&self) -> Result<Option<rust_decimal::Decimal>, CliError> {
        self.sale_price
            .as_deref()
            .map(|p| crate::input::amount("sale_price", p))
            .transpose()
    }
}

/// `smmdesk order resubmit`
#[derive(Debug, Args)]
pub struct ResubmitArgs {
    /// Local order id
    pub id: i64,
    /// Fields that replace the stored ones
    #[command(flatten)]
    pub fields: OrderFieldArgs,
    /// How to place it
    #[command(flatten)]
    pub place: PlaceArgs,
}

/// How an order is placed: shared by every command that places one.
#[derive(Debug, Args)]
pub struct PlaceArgs {
    /// Place even when the estimated cost exceeds the available balance (last read, less orders since)
    #[arg(long)]
    pub force: bool,
    /// Check and estimate only; place nothing
    #[arg(long)]
    pub dry_run: bool,
}

/// The fields of an order (the order definition's, as flags; list fields are read from
/// files, one entry per line): shared by every command that takes an order.
#[derive(Debug, Args, Default)]
pub struct OrderFieldArgs {
    /// Target link
    #[arg(long, value_name = "URL")]
    pub link: Option<String>,
    /// Quantity (per run with --runs)
    #[arg(long, value_name = "N")]
    pub quantity: Option<u64>,
    /// Custom comments, one per line (blank lines ignored)
    #[arg(long, value_name = "FILE")]
    pub comments_file: Option<PathBuf>,
    /// Mentions usernames, one per line
    #[arg(long, value_name = "FILE")]
    pub usernames_file: Option<PathBuf>,
    /// Hashtags, one per line
    #[arg(long, value_name = "FILE")]
    pub hashtags_file: Option<PathBuf>,
    /// SEO keywords, one per line
    #[arg(long, value_name = "FILE")]
    pub keywords_file: Option<PathBuf>,
    /// Groups, one per line
    #[arg(long, value_name = "FILE")]
    pub groups_file: Option<PathBuf>,
    /// Drip-feed runs (needs --interval)
    #[arg(long, value_name = "N")]
    pub runs: Option<u64>,
    /// Drip-feed interval in minutes (needs --runs)
    #[arg(long, value_name = "MIN")]
    pub interval: Option<u64>,
    /// Username (mentions user followers, comment likes/replies, subscriptions)
    #[arg(long)]
    pub username: Option<String>,
    /// Hashtag to scrape usernames from (mentions hashtag)
    #[arg(long)]
    pub hashtag: Option<String>,
    /// Media URL to scrape likers from (mentions media likers)
    #[arg(long, value_name = "URL")]
    pub media: Option<String>,
    /// Poll answer number
    #[arg(long, value_name = "N")]
    pub answer_number: Option<u32>,
    /// Subscriptions: minimum per post
    #[arg(long, value_name = "N")]
    pub min: Option<u64>,
    /// Subscriptions: maximum per post
    #[arg(long, value_name = "N")]
    pub max: Option<u64>,
    /// Subscriptions: new posts to handle (default unlimited)
    #[arg(long, value_name = "N")]
    pub posts: Option<u64>,
    /// Subscriptions: existing posts to include
    #[arg(long, value_name = "N")]
    pub old_posts: Option<u64>,
    /// Subscriptions: delay in minutes
    #[arg(long, value_name = "MIN")]
    pub delay: Option<u32>,
    /// Subscriptions: expiry date (2026-12-25 or 25/12/2026)
    #[arg(long, value_name = "DATE")]
    pub expiry: Option<String>,
    /// Web traffic: country
    #[arg(long)]
    pub country: Option<String>,
    /// Web traffic: device 1-5
    #[arg(long)]
    pub device: Option<u8>,
    /// Web traffic: 1 Google keyword, 2 custom referrer, 3 blank referrer
    #[arg(long, value_name = "1-3")]
    pub traffic_type: Option<u8>,
    /// Web traffic: the Google keyword
    #[arg(long)]
    pub google_keyword: Option<String>,
    /// Web traffic: the referring URL
    #[arg(long, value_name = "URL")]
    pub referring_url: Option<String>,
}

impl OrderFieldArgs {
    /// The order definition's fields; list files are read here.
    pub(crate) fn read(self) -> Result<OrderFields, CliError> {
        Ok(OrderFields {
            link: self.link,
            quantity: self.quantity,
            comments: read_list(&self.comments_file, "comments")?,
            usernames: read_list(&self.usernames_file, "usernames")?,
            hashtags: read_list(&self.hashtags_file, "hashtags")?,
            keywords: read_list(&self.keywords_file, "keywords")?,
            groups: read_list(&self.groups_file, "groups")?,
            hashtag: self.hashtag,
            username: self.username,
            media: self.media,
            answer_number: self.answer_number,
            runs: self.runs,
            interval: self.interval,
            sub_min: self.min,
            sub_max: self.max,
            posts: self.posts,
            old_posts: self.old_posts,
            delay: self.delay,
            expiry: self.expiry,
            country: self.country,
            device: self.device,
            type_of_traffic: self.traffic_type,
            google_keyword: self.google_keyword,
            referring_url: self.referring_url,
        })
    }
}

/// `smmdesk order list`
#[derive(Debug, Args)]
pub struct ListOrdersArgs {
    /// Only these states (repeat or comma-separate: pending,unknown,…)
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Only this provider
    #[arg(long)]
    pub provider: Option<String>,
    /// Only this provider service id
    #[arg(long, value_name = "ID")]
    pub service: Option<String>,
    /// Created at or after (2026-11-24, an RFC 3339 time, or 24h/7d ago)
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Created before
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Text the link contains
    #[arg(long, value_name = "TEXT")]
    pub link: Option<String>,
    /// Only this customer's orders (by name)
    #[arg(long, value_name = "NAME")]
    pub customer: Option<String>,
    /// Page size (1-1000)
    #[arg(long, default_value_t = 50)]
    pub limit: u32,
    /// Continue after this cursor (printed by the previous page)
    #[arg(long, value_name = "CURSOR")]
    pub after: Option<String>,
    /// Also orders the weekly cleanup archived (hidden by default)
    #[arg(long)]
    pub include_archived: bool,
}

/// `smmdesk order export`
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// Write CSV to FILE (`-` for stdout)
    #[arg(long, value_name = "FILE")]
    pub csv: PathBuf,
    /// Only these states
    #[arg(long, value_delimiter = ',')]
    pub status: Vec<String>,
    /// Only this provider
    #[arg(long)]
    pub provider: Option<String>,
    /// Created at or after
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Created before
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Also orders the weekly cleanup archived (hidden by default)
    #[arg(long)]
    pub include_archived: bool,
}

/// `smmdesk mass-order`
#[derive(Debug, Args)]
pub struct MassOrderArgs {
    /// Provider name
    #[arg(long, required_unless_present = "group")]
    pub provider: Option<String>,
    /// Route every line through this offer group instead; lines are then
    /// `link|quantity[|sale_price[|customer]]`
    #[arg(long, value_name = "NAME", conflicts_with = "provider")]
    pub group: Option<String>,
    /// Lines `service_id|link|quantity[|sale_price[|customer]]` (`-` for stdin); blank lines
    /// and `#` comments skipped
    pub file: PathBuf,
    /// The customer and sale price of the lines that give none
    #[command(flatten)]
    pub sale: SaleArgs,
    /// Place the valid lines even when others are invalid
    #[arg(long)]
    pub valid_only: bool,
    /// Batch key (default: derived from the provider and the file, so running the same file
    /// again places nothing twice; give a new key to place the same lines again on purpose)
    #[arg(long, value_name = "K")]
    pub batch_key: Option<String>,
    /// Place even when the total exceeds the available balance (last read, less orders since)
    #[arg(long)]
    pub force: bool,
    /// Check and estimate only; place nothing
    #[arg(long)]
    pub dry_run: bool,
}

fn read_text(path: &PathBuf, what: &'static str) -> Result<String, CliError> {
    let mut text = String::new();
    let read = if path.as_os_str() == "-" {
        std::io::stdin()
            .lock()
            .take(MAX_FILE_BYTES + 1)
            .read_to_string(&mut text)
    } else {
        std::fs::File::open(path).and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_string(&mut text))
    };
    read.map_err(|e| {
        CliError::Engine(EngineError::Io {
            what: format!("reading {what} {}", path.display()),
            source: e,
        })
    })?;
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(
            EngineError::Order(OrderError::Form(OrderFormError::TooLarge {
                what,
                size: format!("more than {MAX_FILE_BYTES} bytes"),
                limit: format!("{MAX_ORDER_BYTES} bytes"),
            }))
            .into(),
        );
    }
    Ok(text)
}

/// One entry per non-blank line.
fn read_list(path: &Option<PathBuf>, what: &'static str) -> Result<Vec<String>, CliError> {
    let Some(path) = path else {
        return Ok(Vec::new());
    };
    Ok(read_text(path, what)?
        .lines()
        .map(str::trim_end)
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect())
}

fn statuses(list: &[String]) -> Result<Vec<OrderStatus>, CliError> {
    list.iter()
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.parse::<OrderStatus>().map_err(CliError::from))
        .collect()
}

fn money(o: &Order) -> String {
    let cur = o.currency.as_deref().unwrap_or("");
    match o.charge {
        Some(c) => format!("{c} {cur}").trim().to_string(),
        None => format!("~{} {cur}", o.estimated_cost).trim().to_string(),
    }
}

fn short(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        text.to_string()
    } else {
        let cut: String = text.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn order_rows(orders: &[Order]) -> String {
    let rows: Vec<Vec<String>> = orders
        .iter()
        .map(|o| {
            vec![
                o.id.to_string(),
                o.created_at.strftime("%Y-%m-%d %H:%M").to_string(),
                o.provider.clone(),
                o.service_id.clone(),
                short(o.link.as_deref().unwrap_or("-"), 40),
                o.quantity.map_or("-".into(), |q| q.to_string()),
                o.status.to_string(),
                money(o),
                o.external_id.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table(
        &[
            "ID", "CREATED", "PROVIDER", "SERVICE", "LINK", "QTY", "STATUS", "CHARGE", "EXTERNAL",
        ],
        &rows,
    )
}

pub(crate) fn describe(o: &Order) -> String {
    let mut lines = vec![format!(
        "order #{} {} — {} service {} ({}, {})",
        o.id, o.status, o.provider, o.service_id, o.service_name, o.service_type
    )];
    if let Some(l) = &o.link {
        lines.push(format!("link:      {l}"));
    }
    if let Some(q) = o.quantity {
        lines.push(format!("quantity:  {q}"));
    }
    let cur = o.currency.as_deref().unwrap_or("");
    lines.push(format!("estimate:  {} {cur}", o.estimated_cost));
    if let Some(c) = o.charge {
        lines.push(format!("charge:    {c} {cur}"));
    }
    if let Some(c) = &o.customer {
        lines.push(format!("customer:  {c}"));
    }
    if let Some(p) = o.sale_price {
        lines.push(format!("sale:      {p} {cur}"));
    }
    if let Some(s) = o.settlement {
        lines.push(format!(
            "profit:    {} {cur} (billed {}, cost {})",
            s.profit, s.billed, s.cost
        ));
    }
    if let Some(e) = &o.external_id {
        lines.push(format!("external:  {e}"));
    }
    if let (Some(s), Some(r)) = (o.start_count, o.remains) {
        lines.push(format!("start:     {s}, remains {r}"));
    }
    if let Some(r) = &o.raw_status {
        lines.push(format!("provider:  {r}"));
    }
    if let Some(r) = &o.reject_reason {
        lines.push(format!("reason:    {r}"));
    }
    if let Some(e) = &o.last_error {
        lines.push(format!("error:     {e}"));
    }
    lines.push(format!("key:       {}", o.idempotency_key));
    match o.status {
        OrderStatus::Unknown => lines.push(format!(
            "the order may have been placed: check the provider's panel, then run \
             `smmdesk order resolve {} --external-id N` or `--not-placed`",
            o.id
        )),
        OrderStatus::NotSent | OrderStatus::Rejected | OrderStatus::NotPlaced => {
            lines.push(format!(
                "nothing was placed; `smmdesk order resubmit {}` tries again",
                o.id
            ))
        }
        _ => {}
    }
    lines.join("\n")
}

/// The exit code for a placement outcome.
pub(crate) fn outcome_code(statuses: impl IntoIterator<Item = OrderStatus>) -> ExitCode {
    let mut code = 0u8;
    for s in statuses {
        let c = match s {
            OrderStatus::Unknown | OrderStatus::Submitting => 3,
            s if s.is_not_placed() => 1,
            _ => 0,
        };
        code = code.max(c);
    }
    ExitCode::from(code)
}

fn report_text(what: &str, r: &RefreshReport) -> String {
    let mut text = format!(
        "{what}: {} checked, {} changed, {} finished, {} call(s)",
        r.checked, r.changed, r.finished, r.calls
    );
    if !r.skipped.is_empty() {
        let ids: Vec<String> = r.skipped.iter().map(i64::to_string).collect();
        text.push_str(&format!("\nskipped (not open): {}", ids.join(", ")));
    }
    for e in &r.errors {
        text.push_str(&format!(
            "\n{}: {} [{}]",
            e.provider, e.error.message, e.error.code
        ));
    }
    text
}

/// Runs `smmdesk order …`.
pub fn run(engine: &Engine, cmd: OrderCommand, out: &Output) -> Result<ExitCode, CliError> {
    match cmd {
        OrderCommand::Add(a) => add(engine, *a, out),
        OrderCommand::List(a) => {
            let now = engine.now();
            let q = OrderQuery {
                status: statuses(&a.status)?,
                provider: a.provider,
                service_id: a.service,
                from: a.from.map(|t| crate::input::since(&t, now)).transpose()?,
                to: a.to.map(|t| crate::input::since(&t, now)).transpose()?,
                link_contains: a.link,
                customer: a
                    .customer
                    .map(|c| engine.customer_named(&c).map(|c| c.id))
                    .transpose()?,
                limit: Some(a.limit),
                after: a.after,
                include_archived: a.include_archived,
                ..OrderQuery::default()
            };
            let page = engine.list_orders(&q)?;
            out.print(&page, || {
                let mut text = order_rows(&page.orders);
                if let Some(n) = &page.next {
                    text.push_str(&format!("\nmore: --after {n}"));
                }
                text
            });
            Ok(ExitCode::SUCCESS)
        }
        OrderCommand::Show { id } => {
            let order = engine.order(id)?;
            let events = engine.order_events(id)?;
            let refills = engine.order_refills(id)?;
            let value = json!({ "order": order, "events": events, "refills": refills });
            out.print(&value, || {
                let mut text = describe(&order);
                text.push_str("\ntimeline:");
                for e in &events {
                    text.push_str(&format!(
                        "\n  {}  {:<16} {}  {}",
                        e.at.strftime("%Y-%m-%d %H:%M:%S"),
                        e.kind,
                        e.status.as_deref().unwrap_or(""),
                        e.detail
                    ));
                }
                for r in &refills {
                    text.push_str(&format!(
                        "\nrefill #{} {} {}",
                        r.id,
                        r.status,
                        r.external_refill_id.as_deref().unwrap_or("")
                    ));
                }
                text
            });
            Ok(ExitCode::SUCCESS)
        }
        OrderCommand::Refresh { ids, provider, all } => {
            let (scope, refills) = match (ids.is_empty(), provider, all) {
                (false, _, _) => (RefreshScope::Orders(ids), None),
                (true, Some(p), _) => (RefreshScope::Provider(p.clone()), Some(Some(p))),
                (true, None, _) => (RefreshScope::AllOpen, Some(None)),
            };
            let (orders, refills) = crate::block_on(async {
                let orders = engine.refresh_orders(scope).await?;
                let refills = match refills {
                    Some(p) => Some(engine.refresh_refills(p.as_deref()).await?),
                    None => None,
                };
                Ok::<_, EngineError>((orders, refills))
            })??;
            let value = json!({ "orders": orders, "refills": refills });
            out.print(&value, || {
                let mut text = report_text("orders", &orders);
                if let Some(r) = &refills {
                    text.push('\n');
                    text.push_str(&report_text("refills", r));
                }
                text
            });
            let failed =
                !orders.errors.is_empty() || refills.as_ref().is_some_and(|r| !r.errors.is_empty());
            Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        OrderCommand::Refill { ids } => {
            let outcomes = crate::block_on(engine.request_refill(&ids))??;
            out.print(&outcomes, || {
                outcomes
                    .iter()
                    .map(|o| match (&o.refill, &o.error) {
                        (_, Some(e)) => format!("#{}: {} [{}]", o.order_id, e.message, e.code),
                        (Some(r), None) => format!(
                            "#{}: refill {} {}",
                            o.order_id,
                            r.status,
                            r.external_refill_id.as_deref().unwrap_or("")
                        ),
                        (None, None) => format!("#{}: ?", o.order_id),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(if outcomes.iter().any(|o| o.error.is_some()) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        OrderCommand::Cancel { ids } => {
            let outcomes = crate::block_on(engine.cancel_orders(&ids))??;
            out.print(&outcomes, || {
                outcomes
                    .iter()
                    .map(|o| match &o.error {
                        Some(e) => format!("#{}: {} [{}]", o.order_id, e.message, e.code),
                        None => format!(
                            "#{}: cancel requested (accepted; refresh to see the outcome)",
                            o.order_id
                        ),
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
            Ok(if outcomes.iter().any(|o| o.error.is_some()) {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        OrderCommand::Resolve {
            id,
            external_id,
            not_placed,
        } => {
            let resolution = match (external_id, not_placed) {
                (Some(e), _) => Resolution::ExternalId(e),
                (None, true) => Resolution::NotPlaced,
                (None, false) => {
                    let help = crate::block_on(engine.resolve_help(id))??;
                    out.print(&help, || {
                        let o = &help.order;
                        let cur = o.currency.clone().unwrap_or_default();
                        let show = |d: Option<rust_decimal::Decimal>| {
                            d.map_or("unknown".to_string(), |d| format!("{d} {cur}"))
                        };
                        let mut text = describe(o);
                        text.push_str(&format!(
                            "\nbalance before: {}\nbalance now:    {}\nchange:         {}\n\
                             expected charge: {} {cur}\nother orders placed since that balance: {} \
                             (estimated {} {cur})",
                            show(help.balance_before),
                            show(help.balance_now),
                            show(help.balance_change),
                            help.expected_charge,
                            help.later_orders,
                            help.later_orders_cost
                        ));
                        for other in &help.same_link_orders {
                            text.push_str(&format!(
                                "\nsame link: order #{} {} {}",
                                other.id,
                                other.status,
                                other.external_id.as_deref().unwrap_or("")
                            ));
                        }
                        text
                    });
                    return Ok(ExitCode::SUCCESS);
                }
            };
            let order = crate::block_on(engine.resolve_order(id, resolution))??;
            out.print(&order, || describe(&order));
            Ok(ExitCode::SUCCESS)
        }
        OrderCommand::Resubmit(a) => {
            let changes = a.fields.read()?;
            if a.place.dry_run {
                let new = engine.resubmission(a.id, &changes, a.place.force)?;
                return quote(engine, &new, out);
            }
            let order =
                crate::block_on(engine.resubmit_order_with(a.id, &changes, a.place.force))??;
            out.print(&order, || describe(&order));
            Ok(outcome_code([order.status]))
        }
        OrderCommand::Export(a) => {
            let now = engine.now();
            let q = OrderQuery {
                status: statuses(&a.status)?,
                provider: a.provider,
                from: a.from.map(|t| crate::input::since(&t, now)).transpose()?,
                to: a.to.map(|t| crate::input::since(&t, now)).transpose()?,
                include_archived: a.include_archived,
                ..OrderQuery::default()
            };
            let n = if a.csv.as_os_str() == "-" {
                let stdout = std::io::stdout();
                let mut lock = stdout.lock();
                engine.export_orders_csv(&q, &mut lock)?
            } else {
                let file = std::fs::File::create(&a.csv).map_err(|e| EngineError::Io {
                    what: format!("creating {}", a.csv.display()),
                    source: e,
                })?;
                let mut w = std::io::BufWriter::new(file);
                let n = engine.export_orders_csv(&q, &mut w)?;
                w.flush().map_err(|e| EngineError::Io {
                    what: format!("writing {}", a.csv.display()),
                    source: e,
                })?;
                n
            };
            if a.csv.as_os_str() != "-" {
                let value = json!({ "orders": n, "file": a.csv });
                out.print(&value, || {
                    format!("{n} orders written to {}", a.csv.display())
                });
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn add(engine: &Engine, a: AddOrderArgs, out: &Output) -> Result<ExitCode, CliError> {
    let new = NewOrder {
        provider: a.provider.unwrap_or_default(),
        service_id: a.service.unwrap_or_default(),
        fields: a.fields.read()?,
        idempotency_key: a.idempotency_key,
        force: a.place.force,
        customer: a.sale.customer.clone(),
        sale_price: a.sale.sale_price()?,
    };
    if let Some(group) = a.group {
        return crate::route_cmd::add(engine, &group, new, a.place.dry_run, out);
    }
    if a.place.dry_run {
        return quote(engine, &new, out);
    }
    // Never silently: a sale below the cost is said before the order is sent. (A quote that
    // fails is left to the placement, which answers the same error or replays the key.)
    if let Ok(q) = engine.quote_order(&new) {
        if q.below_cost {
            eprintln!("{}", below_cost_warning(&q));
        }
    }
    let placed = crate::block_on(engine.place_order_reported(new))??;
    let order = &placed.order;
    out.print(&placed, || {
        let mut text = describe(order);
        if !placed.sent {
            text.push_str(&format!(
                "\nnothing new was sent: this idempotency key already names order #{}",
                order.id
            ));
        }
        text
    });
    Ok(outcome_code([order.status]))
}

/// Prints what `new` would cost; places nothing.
fn below_cost_warning(q: &smm_engine::orders::OrderQuote) -> String {
    let cur = q.currency.as_deref().unwrap_or("");
    format!(
        "warning: sold below cost: sale {} {cur}, estimated cost {} {cur}",
        q.sale_price.unwrap_or_default(),
        q.estimated_cost
    )
}

fn quote(engine: &Engine, new: &NewOrder, out: &Output) -> Result<ExitCode, CliError> {
    let quote = engine.quote_order(new)?;
    out.print(&quote, || {
        let cur = quote.currency.clone().unwrap_or_default();
        let mut text = format!(
            "{} service {} ({}): estimated {} {cur}",
            quote.provider, quote.service_id, quote.service_name, quote.estimated_cost
        );
        if let Some(b) = quote.balance {
            text.push_str(&format!("; available balance {b} {cur}"));
        }
        if quote.exceeds_balance {
            text.push_str(" — exceeds the balance (use --force to place anyway)");
        }
        if let Some(c) = &quote.customer {
            let new = if quote.new_customer { " (new)" } else { "" };
            text.push_str(&format!("\ncustomer: {c}{new}"));
        }
        if let (Some(p), Some(profit)) = (quote.sale_price, quote.profit) {
            let from = if quote.sale_from_price_list {
                " (price list)"
            } else {
                ""
            };
            text.push_str(&format!("\nsale: {p} {cur}{from}, profit {profit} {cur}"));
        }
        if quote.below_cost {
            text.push('\n');
            text.push_str(&below_cost_warning(&quote));
        }
        text
    });
    Ok(ExitCode::SUCCESS)
}

/// Runs `smmdesk mass-order`.
/// `, about 3 min left` from the pace so far (nothing before 5 lines or once done): the
/// provider's limits (concurrency, requests per minute) set that pace.
fn eta(elapsed: std::time::Duration, done: usize, total: usize) -> String {
    if done < 5 || done >= total {
        return String::new();
    }
    let left = elapsed.as_secs_f64() / done as f64 * (total - done) as f64;
    match left.round() as u64 {
        s if s < 60 => format!(", about {s} s left"),
        s => format!(", about {} min left", s.div_ceil(60)),
    }
}

pub fn mass_order(engine: &Engine, a: MassOrderArgs, out: &Output) -> Result<ExitCode, CliError> {
    let text = read_text(&a.file, "the mass order")?;
    let sale_price = a.sale.sale_price()?;
    if let Some(group) = a.group.clone() {
        return crate::route_cmd::mass(engine, group, text, sale_price, a, out);
    }
    let provider = a.provider.clone().unwrap_or_default();
    let preview =
        engine.check_mass_order_sold(&provider, &text, a.sale.customer.as_deref(), sale_price);
    // Never silently: lines sold below cost are said before anything is sent.
    if let Ok(p) = &preview {
        if !p.below_cost.is_empty() && !a.dry_run {
            let lines: Vec<String> = p.below_cost.iter().map(usize::to_string).collect();
            eprintln!("warning: sold below cost on line(s) {}", lines.join(", "));
        }
    }
    if a.dry_run {
        let preview = preview?;
        out.print(&preview, || {
            let cur = preview.currency.clone().unwrap_or_default();
            let mut t = format!(
                "{} valid line(s), estimated {} {cur}",
                preview.lines.len(),
                preview.total_cost
            );
            if let Some(sale) = preview.total_sale {
                t.push_str(&format!(", sold for {sale} {cur}"));
            }
            if !preview.below_cost.is_empty() {
                let lines: Vec<String> = preview.below_cost.iter().map(usize::to_string).collect();
                t.push_str(&format!(
                    "\nwarning: sold below cost on line(s) {}",
                    lines.join(", ")
                ));
            }
            for e in &preview.errors {
                t.push_str(&format!("\nline {}: {} [{}]", e.line, e.message, e.code));
            }
            t
        });
        return Ok(if preview.errors.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::FAILURE
        });
    }
    let order = MassOrder {
        provider,
        text,
        batch_key: a.batch_key,
        valid_only: a.valid_only,
        force: a.force,
        customer: a.sale.customer,
        sale_price,
    };
    let json = out.json;
    let started = std::time::Instant::now();
    let progress = move |p: &MassProgress| {
        if !json {
            let status = p
                .result
                .order
                .as_ref()
                .map_or("failed".to_string(), |o| o.status.to_string());
            eprintln!(
                "[{}/{}] line {}: {status}{}",
                p.done,
                p.total,
                p.result.line,
                eta(started.elapsed(), p.done, p.total)
            );
        }
    };
    let result = crate::block_on(engine.place_mass_order(order, &progress))?;
    let report = match result {
        Ok(r) => r,
        Err(EngineError::Order(OrderError::MassOrderInvalid(lines))) if !out.json => {
            for e in &lines {
                eprintln!("line {}: {} [{}]", e.line, e.message, e.code);
            }
            return Err(EngineError::Order(OrderError::MassOrderInvalid(lines)).into());
        }
        Err(e) => return Err(e.into()),
    };
    out.print(&report, || {
        let mut t = format!(
            "batch {}: {} accepted, {} failed, {} unknown",
            report.batch_key, report.accepted, report.failed, report.unknown
        );
        if report.already_placed > 0 {
            t.push_str(&format!(
                "; {} line(s) already placed by an earlier run: nothing new was sent for them",
                report.already_placed
            ));
        }
        for r in &report.results {
            match (&r.order, &r.error) {
                (Some(o), _) => {
                    t.push_str(&format!("\nline {}: order #{} {}", r.line, o.id, o.status));
                    if let Some(id) = &o.external_id {
                        t.push_str(&format!(" {id}"));
                    }
                    // Why it was not placed, in the provider's or the engine's words.
                    if !(o.status.is_open() || o.status.is_terminal()) {
                        if let Some(e) = &o.last_error {
                            t.push_str(&format!(": {e}"));
                        }
                    }
                    if !r.sent {
                        t.push_str(" (already placed: nothing new was sent)");
                    }
                }
                (None, Some(e)) => {
                    t.push_str(&format!("\nline {}: {} [{}]", r.line, e.message, e.code))
                }
                (None, None) => {}
            }
        }
        for s in &report.skipped {
            t.push_str(&format!(
                "\nline {} skipped: {} [{}]",
                s.line, s.message, s.code
            ));
        }
        t
    });
    let mut statuses: Vec<OrderStatus> = report
        .results
        .iter()
        .map(|r| r.order.as_ref().map_or(OrderStatus::NotSent, |o| o.status))
        .collect();
    if !report.skipped.is_empty() {
        statuses.push(OrderStatus::Rejected);
    }
    Ok(outcome_code(statuses))
}

#[cfg(test)]
mod tests {
    use super::eta;
    use std::time::Duration;

    #[test]
    fn the_eta_follows_the_pace_so_far() {
        assert_eq!(eta(Duration::from_secs(10), 4, 100), "");
        assert_eq!(eta(Duration::from_secs(10), 10, 20), ", about 10 s left");
        assert_eq!(
            eta(Duration::from_secs(60), 100, 1000),
            ", about 9 min left"
        );
        assert_eq!(eta(Duration::from_secs(60), 1000, 1000), "");
    }
}
