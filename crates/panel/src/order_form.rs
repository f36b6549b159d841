//! The order form: every field an order can carry ([`OrderField`]), which fields each service
//! type takes ([`form_rules`], exported to the UI as a table), the flat input those fields
//! arrive in from the app, the command line and stored orders ([`OrderFields`]), and the one
//! check that turns that input into typed [`OrderDetails`] against the service's limits
//! ([`OrderFields::build`]).
//!
//! Adding a service type: a variant in [`ServiceType`], one in [`OrderDetails`] (with its
//! `form_params` arm), its row in [`form_rules`] and its arm in [`OrderFields::build`]. The UI's
//! form and the engine's checks follow from these; nothing else lists fields.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::order::{
    Device, DripFeed, ExpiryDate, OrderDetails, OrderRequest, TrafficSource, WebTraffic,
    MAX_ORDER_BYTES, SUBSCRIPTION_DELAYS,
};
use crate::service::{collapse, estimate_cost, ServiceType};

/// The longest link, username, hashtag or other one-line field, in bytes.
pub const MAX_LINK_BYTES: usize = 2048;

/// The most entries a list field (comments, usernames…) may hold.
pub const MAX_LIST_ENTRIES: usize = 10_000;

/// A field of the order form. Serialized in the UI's camelCase names (`answerNumber`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub enum OrderField {
    /// The target link.
    Link,
    /// Units (per run when drip-fed).
    Quantity,
    /// Custom comments, one per line.
    Comments,
    /// Usernames, one per line.
    Usernames,
    /// Hashtags, one per line.
    Hashtags,
    /// SEO keywords, one per line.
    Keywords,
    /// Groups, one per line.
    Groups,
    /// One hashtag.
    Hashtag,
    /// One username.
    Username,
    /// A media URL.
    Media,
    /// The poll answer number (1-based).
    AnswerNumber,
    /// Drip-feed: `runs` and `interval`, always together.
    Runs,
    /// Subscriptions: minimum units per post.
    SubMin,
    /// Subscriptions: maximum units per post.
    SubMax,
    /// Subscriptions: how many new posts.
    Posts,
    /// Subscriptions: how many existing posts.
    OldPosts,
    /// Subscriptions: minutes to wait after a post.
    Delay,
    /// Subscriptions: when the subscription ends.
    Expiry,
    /// Web traffic: country.
    Country,
    /// Web traffic: device.
    Device,
    /// Web traffic: 1 Google keyword, 2 custom referrer, 3 blank referrer.
    TypeOfTraffic,
    /// Web traffic: the Google keyword.
    GoogleKeyword,
    /// Web traffic: the referring URL.
    ReferringUrl,
}

impl OrderField {
    /// Every field, in form order.
    pub const ALL: [OrderField; 23] = [
        OrderField::Link,
        OrderField::Quantity,
        OrderField::Comments,
        OrderField::Usernames,
        OrderField::Hashtags,
        OrderField::Keywords,
        OrderField::Groups,
        OrderField::Hashtag,
        OrderField::Username,
        OrderField::Media,
        OrderField::AnswerNumber,
        OrderField::Runs,
        OrderField::SubMin,
        OrderField::SubMax,
        OrderField::Posts,
        OrderField::OldPosts,
        OrderField::Delay,
        OrderField::Expiry,
        OrderField::Country,
        OrderField::Device,
        OrderField::TypeOfTraffic,
        OrderField::GoogleKeyword,
        OrderField::ReferringUrl,
    ];

    /// The API v2 parameter (`answer_number`, `min`, `type_of_traffic`); also the name in
    /// error messages and the command line's flags.
    pub fn wire_name(self) -> &'static str {
        match self {
            OrderField::SubMin => "min",
            OrderField::SubMax => "max",
            other => other.stored_name(),
        }
    }

    /// The name in an order's stored parameters (`sub_min`, `answer_number`).
    pub fn stored_name(self) -> &'static str {
        match self {
            OrderField::Link => "link",
            OrderField::Quantity => "quantity",
            OrderField::Comments => "comments",
            OrderField::Usernames => "usernames",
            OrderField::Hashtags => "hashtags",
            OrderField::Keywords => "keywords",
            OrderField::Groups => "groups",
            OrderField::Hashtag => "hashtag",
            OrderField::Username => "username",
            OrderField::Media => "media",
            OrderField::AnswerNumber => "answer_number",
            OrderField::Runs => "runs",
            OrderField::SubMin => "sub_min",
            OrderField::SubMax => "sub_max",
            OrderField::Posts => "posts",
            OrderField::OldPosts => "old_posts",
            OrderField::Delay => "delay",
            OrderField::Expiry => "expiry",
            OrderField::Country => "country",
            OrderField::Device => "device",
            OrderField::TypeOfTraffic => "type_of_traffic",
            OrderField::GoogleKeyword => "google_keyword",
            OrderField::ReferringUrl => "referring_url",
        }
    }

    /// The name in the app's form and IPC (`answerNumber`, `subMin`).
    pub fn form_name(self) -> &'static str {
        match self {
            OrderField::AnswerNumber => "answerNumber",
            OrderField::SubMin => "subMin",
            OrderField::SubMax => "subMax",
            OrderField::OldPosts => "oldPosts",
            OrderField::TypeOfTraffic => "typeOfTraffic",
            OrderField::GoogleKeyword => "googleKeyword",
            OrderField::ReferringUrl => "referringUrl",
            other => other.stored_name(),
        }
    }

    /// What the field holds, with its limits.
    pub fn kind(self) -> FieldKind {
        use OrderField::*;
        match self {
            Link | Media | ReferringUrl => FieldKind::Url {
                max_bytes: MAX_LINK_BYTES as u32,
            },
            Comments | Usernames | Hashtags | Keywords | Groups => FieldKind::Lines {
                max_entries: MAX_LIST_ENTRIES as u32,
                max_bytes: MAX_ORDER_BYTES as u32,
            },
            Hashtag | Username | Country | GoogleKeyword => FieldKind::Text {
                max_bytes: MAX_LINK_BYTES as u32,
            },
            Quantity | SubMin | SubMax | Posts | OldPosts => FieldKind::Count,
            AnswerNumber => FieldKind::Number { min: 1 },
            Runs => FieldKind::DripFeed,
            Delay => FieldKind::Choice {
                values: SUBSCRIPTION_DELAYS.to_vec(),
            },
            Device => FieldKind::Choice {
                values: vec![1, 2, 3, 4, 5],
            },
            TypeOfTraffic => FieldKind::Choice {
                values: vec![1, 2, 3],
            },
            Expiry => FieldKind::Date,
        }
    }
}

impl std::fmt::Display for OrderField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.wire_name())
    }
}

/// What a field holds, and its limits (the service's own min and max apply to counts).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum FieldKind {
    /// An http(s) link with a host.
    #[serde(rename_all = "camelCase")]
    Url {
        /// The longest accepted value, in bytes.
        max_bytes: u32,
    },
    /// One line of text.
    #[serde(rename_all = "camelCase")]
    Text {
        /// The longest accepted value, in bytes.
        max_bytes: u32,
    },
    /// One entry per line.
    #[serde(rename_all = "camelCase")]
    Lines {
        /// The most entries.
        max_entries: u32,
        /// The most bytes, all entries together.
        max_bytes: u32,
    },
    /// A whole number of units (the service's min and max apply).
    Count,
    /// A whole number from `min`.
    Number {
        /// The smallest accepted value.
        min: u32,
    },
    /// One of the listed numbers.
    Choice {
        /// The accepted values.
        values: Vec<u32>,
    },
    /// A calendar date (`2026-12-25` or `25/12/2026`).
    Date,
    /// Drip-feed runs and interval (minutes), both or neither; only where the service offers it.
    DripFeed,
}

/// One field a service type takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct FieldRule {
    /// The field.
    pub field: OrderField,
    /// The order is refused without it.
    pub required: bool,
}

const fn req(field: OrderField) -> FieldRule {
    FieldRule {
        field,
        required: true,
    }
}

const fn opt(field: OrderField) -> FieldRule {
    FieldRule {
        field,
        required: false,
    }
}

/// The fields `t` takes, in form order. Unknown types take a link, a quantity and drip-feed,
/// all optional (the provider decides).
pub fn form_rules(t: &ServiceType) -> &'static [FieldRule] {
    use OrderField::*;
    match t {
        ServiceType::Default => const { &[req(Link), req(Quantity), opt(Runs)] },
        ServiceType::Package => const { &[req(Link)] },
        ServiceType::CustomComments | ServiceType::CustomCommentsPackage => {
            const { &[req(Link), req(Comments)] }
        }
        ServiceType::Seo => const { &[req(Link), req(Quantity), req(Keywords)] },
        ServiceType::Mentions => const { &[req(Link), req(Quantity), req(Usernames)] },
        ServiceType::MentionsWithHashtags => {
            const { &[req(Link), req(Quantity), req(Usernames), req(Hashtags)] }
        }
        ServiceType::MentionsCustomList => const { &[req(Link), req(Usernames)] },
        ServiceType::MentionsHashtag => const { &[req(Link), req(Quantity), req(Hashtag)] },
        ServiceType::MentionsUserFollowers | ServiceType::CommentLikes => {
            const { &[req(Link), req(Quantity), req(Username)] }
        }
        ServiceType::MentionsMediaLikers => const { &[req(Link), req(Quantity), req(Media)] },
        ServiceType::CommentReplies => const { &[req(Link), req(Username), req(Comments)] },
        ServiceType::Poll => const { &[req(Link), req(Quantity), req(AnswerNumber)] },
        ServiceType::InvitesFromGroups => const { &[req(Link), req(Quantity), req(Groups)] },
        ServiceType::Subscriptions => {
            const {
                &[
                    req(Username),
                    req(SubMin),
                    req(SubMax),
                    opt(Posts),
                    opt(OldPosts),
                    req(Delay),
                    opt(Expiry),
                ]
            }
        }
        ServiceType::WebTraffic => {
            const {
                &[
                    req(Link),
                    req(Quantity),
                    opt(Runs),
                    opt(Country),
                    opt(Device),
                    opt(TypeOfTraffic),
                    opt(GoogleKeyword),
                    opt(ReferringUrl),
                ]
            }
        }
        ServiceType::Other(_) => const { &[opt(Link), opt(Quantity), opt(Runs)] },
    }
}

/// The list whose line count is the quantity (one unit per comment or username), if any.
/// A quantity may then be left out; when given it must equal the count.
pub fn quantity_from(t: &ServiceType) -> Option<OrderField> {
    match t {
        ServiceType::CustomComments | ServiceType::CommentReplies => Some(OrderField::Comments),
        ServiceType::MentionsCustomList => Some(OrderField::Usernames),
        _ => None,
    }
}

/// A service type's form, as the UI's generated table holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct OrderForm {
    /// The type's canonical name (`Custom Comments`).
    pub service_type: String,
    /// The fields it takes, in form order.
    pub fields: Vec<FieldRule>,
    /// The list whose line count is the quantity, if any.
    pub quantity_from: Option<OrderField>,
}

/// The form of every known type keyed by the folded type name (`customcomments`), plus
/// `other` for types this client does not know. Exported into the UI's bindings.
pub fn order_forms() -> std::collections::BTreeMap<String, OrderForm> {
    let other = ServiceType::Other(String::new());
    ServiceType::KNOWN
        .iter()
        .map(|t| (collapse(t.as_str()), t))
        .chain([("other".to_owned(), &other)])
        .map(|(key, t)| {
            let form = OrderForm {
                service_type: t.as_str().to_owned(),
                fields: form_rules(t).to_vec(),
                quantity_from: quantity_from(t),
            };
            (key, form)
        })
        .collect()
}

/// Every field of every limit, keyed by field (`answerNumber` → number from 1). Exported
/// into the UI's bindings beside [`order_forms`].
pub fn field_kinds() -> std::collections::BTreeMap<&'static str, FieldKind> {
    OrderField::ALL
        .into_iter()
        .map(|f| (f.form_name(), f.kind()))
        .collect()
}

/// Why an order's fields were refused, before anything was written or sent. One stable code
/// per cause ([`OrderFormError::code`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OrderFormError {
    /// The type needs a link and none was given.
    #[error("this service needs a link")]
    LinkMissing,
    /// The link is not http(s) with a host.
    #[error("\"{0}\" is not a link (http:// or https:// with a host)")]
    LinkInvalid(String),
    /// The type needs a quantity.
    #[error("this service needs a quantity")]
    QuantityMissing,
    /// Below the service's minimum.
    #[error("quantity {quantity} is below the service minimum of {min}")]
    QuantityBelowMin {
        /// What was asked.
        quantity: u64,
        /// The service's minimum.
        min: u64,
    },
    /// Above the service's maximum.
    #[error("quantity {quantity} is above the service maximum of {max}")]
    QuantityAboveMax {
        /// What was asked.
        quantity: u64,
        /// The service's maximum.
        max: u64,
    },
    /// The quantity given differs from the number of lines that make it.
    #[error(
        "quantity {quantity} differs from the {comments} comment(s) given (one unit per line)"
    )]
    QuantityMismatch {
        /// What was asked.
        quantity: u64,
        /// The number of lines.
        comments: u64,
    },
    /// A field the type needs is missing.
    #[error("this service type ({service_type}) needs {field}")]
    FieldMissing {
        /// The service type.
        service_type: String,
        /// The missing field.
        field: OrderField,
    },
    /// A field the type does not take was given.
    #[error("this service type ({service_type}) does not take {field}")]
    FieldNotAllowed {
        /// The service type.
        service_type: String,
        /// The field given.
        field: OrderField,
    },
    /// A list entry is blank or spans lines; or a one-line field spans lines.
    #[error("{field}: entry {entry} is empty or spans several lines")]
    ListEntryInvalid {
        /// The field.
        field: OrderField,
        /// 1-based.
        entry: usize,
    },
    /// A field, or the whole order, is over its limit.
    #[error("{what} is too large: {size} (the limit is {limit})")]
    TooLarge {
        /// What is too large (`the link`, `comments`, `the order`).
        what: &'static str,
        /// Its size.
        size: String,
        /// The limit.
        limit: String,
    },
    /// Drip-feed asked of a service without it.
    #[error("this service does not offer drip-feed (runs and interval)")]
    DripFeedUnsupported,
    /// Runs without an interval, or the other way round.
    #[error("drip-feed needs both --runs (at least 1) and --interval")]
    DripFeedIncomplete,
    /// Poll answer 0.
    #[error("the poll answer number starts at 1")]
    AnswerNumberInvalid,
    /// Subscription min/max/delay out of the rules.
    #[error("subscription: {0}")]
    SubscriptionInvalid(String),
    /// An expiry that is not a date.
    #[error("\"{0}\" is not an expiry date (use 2026-12-25 or 25/12/2026)")]
    ExpiryInvalid(String),
    /// Web traffic options that do not fit together.
    #[error("web traffic: {0}")]
    TrafficInvalid(String),
    /// The typed request refused the order (a rule the form does not know).
    #[error("the order is not valid: {0}")]
    RequestInvalid(String),
}

impl OrderFormError {
    /// The stable code (`order.link_missing`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::LinkMissing => "order.link_missing",
            Self::LinkInvalid(_) => "order.link_invalid",
            Self::QuantityMissing => "order.quantity_missing",
            Self::QuantityBelowMin { .. } => "order.quantity_below_min",
            Self::QuantityAboveMax { .. } => "order.quantity_above_max",
            Self::QuantityMismatch { .. } => "order.quantity_mismatch",
            Self::FieldMissing { .. } => "order.field_missing",
            Self::FieldNotAllowed { .. } => "order.field_not_allowed",
            Self::ListEntryInvalid { .. } => "order.list_entry_invalid",
            Self::TooLarge { .. } => "order.too_large",
            Self::DripFeedUnsupported => "order.dripfeed_unsupported",
            Self::DripFeedIncomplete => "order.dripfeed_incomplete",
            Self::AnswerNumberInvalid => "order.answer_number_invalid",
            Self::SubscriptionInvalid(_) => "order.subscription_invalid",
            Self::ExpiryInvalid(_) => "order.expiry_invalid",
            Self::TrafficInvalid(_) => "order.traffic_invalid",
            Self::RequestInvalid(_) => "order.request_invalid",
        }
    }

    /// The form field the error is about, when it is about one.
    pub fn field(&self) -> Option<OrderField> {
        Some(match self {
            Self::LinkMissing | Self::LinkInvalid(_) => OrderField::Link,
            Self::QuantityMissing
            | Self::QuantityBelowMin { .. }
            | Self::QuantityAboveMax { .. }
            | Self::QuantityMismatch { .. } => OrderField::Quantity,
            Self::FieldMissing { field, .. }
            | Self::FieldNotAllowed { field, .. }
            | Self::ListEntryInvalid { field, .. } => *field,
            Self::TooLarge { what, .. } => {
                return OrderField::ALL.into_iter().find(|f| f.wire_name() == *what)
            }
            Self::DripFeedUnsupported | Self::DripFeedIncomplete => OrderField::Runs,
            Self::AnswerNumberInvalid => OrderField::AnswerNumber,
            Self::SubscriptionInvalid(_) => OrderField::SubMin,
            Self::ExpiryInvalid(_) => OrderField::Expiry,
            Self::TrafficInvalid(_) => OrderField::TypeOfTraffic,
            Self::RequestInvalid(_) => return None,
        })
    }
}

/// The flat input of an order: only the fields the service type takes are set, the rest stay
/// `None`/empty. Lists hold one entry per element. Read in camelCase from the app and in the
/// stored parameters' snake_case (`sub_min`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct OrderFields {
    /// Target link (every type but Subscriptions).
    pub link: Option<String>,
    /// Units (per run when drip-fed); may be left out where lines make it.
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub quantity: Option<u64>,
    /// Custom comments, one per entry.
    pub comments: Vec<String>,
    /// Usernames, one per entry.
    pub usernames: Vec<String>,
    /// Hashtags, one per entry.
    pub hashtags: Vec<String>,
    /// SEO keywords, one per entry.
    pub keywords: Vec<String>,
    /// Groups, one per entry.
    pub groups: Vec<String>,
    /// One hashtag (Mentions Hashtag).
    pub hashtag: Option<String>,
    /// One username (Mentions User Followers, Comment Likes, Comment Replies, Subscriptions).
    pub username: Option<String>,
    /// Media URL (Mentions Media Likers).
    pub media: Option<String>,
    /// Poll answer number (1-based).
    #[serde(alias = "answer_number")]
    pub answer_number: Option<u32>,
    /// Drip-feed runs.
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub runs: Option<u64>,
    /// Drip-feed interval, in minutes.
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub interval: Option<u64>,
    /// Subscriptions: minimum units per post.
    #[serde(alias = "sub_min")]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub sub_min: Option<u64>,
    /// Subscriptions: maximum units per post.
    #[serde(alias = "sub_max")]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub sub_max: Option<u64>,
    /// Subscriptions: how many new posts (unset: unlimited).
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub posts: Option<u64>,
    /// Subscriptions: how many existing posts to include.
    #[serde(alias = "old_posts")]
    #[cfg_attr(feature = "specta", specta(type = Option<u32>))]
    pub old_posts: Option<u64>,
    /// Subscriptions: minutes to wait after a post.
    pub delay: Option<u32>,
    /// Subscriptions: expiry date, `2026-12-25` or `25/12/2026`.
    pub expiry: Option<String>,
    /// Web traffic: country code or name.
    pub country: Option<String>,
    /// Web traffic: device 1-5.
    pub device: Option<u8>,
    /// Web traffic: 1 Google keyword, 2 custom referrer, 3 blank referrer.
    #[serde(alias = "type_of_traffic")]
    pub type_of_traffic: Option<u8>,
    /// Web traffic: the Google keyword (with type 1).
    #[serde(alias = "google_keyword")]
    pub google_keyword: Option<String>,
    /// Web traffic: the referring URL (with type 2).
    #[serde(alias = "referring_url")]
    pub referring_url: Option<String>,
}

/// What a service allows, as the catalog synced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceLimits {
    /// The smallest quantity.
    pub min: u64,
    /// The largest quantity.
    pub max: u64,
    /// Whether drip-feed is offered.
    pub dripfeed: bool,
    /// The rate per 1000 units (per order for packages).
    pub rate: Decimal,
}

/// Checked fields: the typed details to send, what to store, what it should cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuiltOrder {
    /// The typed `add` request.
    pub request: OrderRequest,
    /// The link, trimmed, when the type has one.
    pub link: Option<String>,
    /// The quantity to store and show (`None` for packages and subscriptions).
    pub quantity: Option<u64>,
    /// The type-specific fields as stored with the order (lists, username, runs…; never the
    /// link or quantity, which have their own columns). Read back by [`OrderFields`].
    pub params: Value,
    /// The estimated cost, all runs included.
    pub estimated_cost: Decimal,
}

type Checked<T> = Result<T, OrderFormError>;

impl OrderFields {
    /// Whether `field` is set (a list: not empty; drip-feed: runs or interval).
    pub fn has(&self, field: OrderField) -> bool {
        self.value(field).is_some() || (field == OrderField::Runs && self.interval.is_some())
    }

    /// The fields that are set, in form order.
    pub fn given(&self) -> impl Iterator<Item = OrderField> + '_ {
        OrderField::ALL.into_iter().filter(|f| self.has(*f))
    }

    /// The value of `field` as JSON, when set (drip-feed: the runs).
    fn value(&self, field: OrderField) -> Option<Value> {
        use OrderField::*;
        let list = |v: &Vec<String>| (!v.is_empty()).then(|| json!(v));
        let one = |v: &Option<String>| v.as_ref().map(|s| json!(s));
        match field {
            Link => one(&self.link),
            Quantity => self.quantity.map(|v| json!(v)),
            Comments => list(&self.comments),
            Usernames => list(&self.usernames),
            Hashtags => list(&self.hashtags),
            Keywords => list(&self.keywords),
            Groups => list(&self.groups),
            Hashtag => one(&self.hashtag),
            Username => one(&self.username),
            Media => one(&self.media),
            AnswerNumber => self.answer_number.map(|v| json!(v)),
            Runs => self.runs.map(|v| json!(v)),
            SubMin => self.sub_min.map(|v| json!(v)),
            SubMax => self.sub_max.map(|v| json!(v)),
            Posts => self.posts.map(|v| json!(v)),
            OldPosts => self.old_posts.map(|v| json!(v)),
            Delay => self.delay.map(|v| json!(v)),
            Expiry => one(&self.expiry),
            Country => one(&self.country),
            Device => self.device.map(|v| json!(v)),
            TypeOfTraffic => self.type_of_traffic.map(|v| json!(v)),
            GoogleKeyword => one(&self.google_keyword),
            ReferringUrl => one(&self.referring_url),
        }
    }

    /// The fields as stored with an order: every set field but the link and the quantity, in
    /// their stored names, drip-feed as `runs` and `interval`.
    fn stored_params(&self) -> Value {
        let mut params = Map::new();
        for field in self.given() {
            if matches!(field, OrderField::Link | OrderField::Quantity) {
                continue;
            }
            if let Some(v) = self.value(field) {
                params.insert(field.stored_name().into(), v);
            }
        }
        if let Some(i) = self.interval {
            params.insert("interval".into(), json!(i));
        }
        Value::Object(params)
    }

    /// The fields stored with an order ([`BuiltOrder::params`]), read back; unknown keys
    /// are ignored and a malformed value leaves the field unset.
    pub fn from_stored(params: &Value) -> OrderFields {
        serde_json::from_value(params.clone()).unwrap_or_default()
    }

    /// Replaces every field that `changes` sets (a list: when not empty).
    pub fn overlay(&mut self, changes: &OrderFields) {
        let (Ok(Value::Object(mut base)), Ok(Value::Object(over))) =
            (serde_json::to_value(&*self), serde_json::to_value(changes))
        else {
            return;
        };
        for (k, v) in over {
            let unset = v.is_null() || v.as_array().is_some_and(Vec::is_empty);
            if !unset {
                base.insert(k, v);
            }
        }
        if let Ok(merged) = serde_json::from_value(Value::Object(base)) {
            *self = merged;
        }
    }

    /// Checks the fields against a service of type `t` and builds the typed details, the
    /// stored parameters and the estimate. Pure: touches nothing. Every problem is a specific
    /// [`OrderFormError`].
    pub fn build(
        &self,
        service_id: &str,
        t: &ServiceType,
        service: &ServiceLimits,
    ) -> Checked<BuiltOrder> {
        let rules = form_rules(t);
        let derived = quantity_from(t);
        for field in self.given() {
            let allowed = rules.iter().any(|r| r.field == field)
                || (field == OrderField::Quantity && derived.is_some());
            if !allowed {
                if field == OrderField::Runs {
                    return Err(OrderFormError::DripFeedUnsupported);
                }
                return Err(OrderFormError::FieldNotAllowed {
                    service_type: t.to_string(),
                    field,
                });
            }
        }
        let drip = self.drip_feed(service)?;
        let link = match (t, &self.link) {
            (ServiceType::Subscriptions, _) | (ServiceType::Other(_), None) => None,
            (_, None) => return Err(OrderFormError::LinkMissing),
            (_, Some(l)) => Some(check_link(l)?),
        };
        let mut form = Form {
            t,
            fields: self,
            service,
            link: link.clone().unwrap_or_default(),
            normal: OrderFields {
                link: link.clone(),
                runs: drip.map(|d| d.runs),
                interval: drip.map(|d| d.interval),
                ..OrderFields::default()
            },
        };
        let (details, units, runs) = form.details(drip)?;
        let request = OrderRequest::unchecked(service_id, details);
        let bytes = request.wire_size();
        if bytes > MAX_ORDER_BYTES {
            return Err(OrderFormError::TooLarge {
                what: "the order",
                size: format!("{bytes} bytes"),
                limit: format!("{MAX_ORDER_BYTES} bytes"),
            });
        }
        let request = request
            .checked()
            .map_err(|e| OrderFormError::RequestInvalid(e.to_string()))?;
        let estimated_cost = match units {
            Some(u) if !t.is_flat_priced() => estimate_cost(service.rate, t, u, runs),
            _ => service.rate,
        };
        let quantity = match t {
            ServiceType::Subscriptions
            | ServiceType::Package
            | ServiceType::CustomCommentsPackage => None,
            _ => units,
        };
        Ok(BuiltOrder {
            request,
            link,
            quantity,
            params: form.normal.stored_params(),
            estimated_cost,
        })
    }

    /// Drip-feed: both or neither, at least one run, and only where the service offers it.
    fn drip_feed(&self, service: &ServiceLimits) -> Checked<Option<DripFeed>> {
        match (self.runs, self.interval) {
            (None, None) => Ok(None),
            (Some(runs), Some(interval)) if runs >= 1 => {
                if !service.dripfeed {
                    return Err(OrderFormError::DripFeedUnsupported);
                }
                Ok(Some(DripFeed { runs, interval }))
            }
            _ => Err(OrderFormError::DripFeedIncomplete),
        }
    }
}

/// One build in progress: the input, the service, and the normalized fields to store.
struct Form<'a> {
    t: &'a ServiceType,
    fields: &'a OrderFields,
    service: &'a ServiceLimits,
    link: String,
    normal: OrderFields,
}

/// Details, units per run for the estimate, and runs.
type Built = (OrderDetails, Option<u64>, Option<u64>);

impl Form<'_> {
    fn missing(&self, field: OrderField) -> OrderFormError {
        OrderFormError::FieldMissing {
            service_type: self.t.to_string(),
            field,
        }
    }

    fn in_range(&self, q: u64) -> Checked<u64> {
        let min = self.service.min.max(1);
        if q < min {
            return Err(OrderFormError::QuantityBelowMin { quantity: q, min });
        }
        if q > self.service.max {
            return Err(OrderFormError::QuantityAboveMax {
                quantity: q,
                max: self.service.max,
            });
        }
        Ok(q)
    }

    /// The quantity, required and within the service's limits.
    fn quantity(&mut self) -> Checked<u64> {
        let q = self.in_range(
            self.fields
                .quantity
                .ok_or(OrderFormError::QuantityMissing)?,
        )?;
        self.normal.quantity = Some(q);
        Ok(q)
    }

    /// The quantity made by `entries` lines; a quantity given must equal it.
    fn counted(&self, entries: usize) -> Checked<u64> {
        let n = entries as u64;
        if let Some(q) = self.fields.quantity {
            if q != n {
                return Err(OrderFormError::QuantityMismatch {
                    quantity: q,
                    comments: n,
                });
            }
        }
        self.in_range(n)
    }

    /// A required list, entries trimmed.
    fn lines(&mut self, field: OrderField) -> Checked<Vec<String>> {
        let items = match field {
            OrderField::Comments => &self.fields.comments,
            OrderField::Usernames => &self.fields.usernames,
            OrderField::Hashtags => &self.fields.hashtags,
            OrderField::Keywords => &self.fields.keywords,
            _ => &self.fields.groups,
        };
        if items.is_empty() {
            return Err(self.missing(field));
        }
        check_list(field, items)?;
        let items: Vec<String> = items.iter().map(|s| s.trim().to_owned()).collect();
        let slot = match field {
            OrderField::Comments => &mut self.normal.comments,
            OrderField::Usernames => &mut self.normal.usernames,
            OrderField::Hashtags => &mut self.normal.hashtags,
            OrderField::Keywords => &mut self.normal.keywords,
            _ => &mut self.normal.groups,
        };
        slot.clone_from(&items);
        Ok(items)
    }

    /// A required one-line text, trimmed.
    fn text(&mut self, field: OrderField) -> Checked<String> {
        let value = match field {
            OrderField::Hashtag => &self.fields.hashtag,
            OrderField::Media => &self.fields.media,
            _ => &self.fields.username,
        };
        let value = match value.as_deref().map(str::trim) {
            Some(s) if !s.is_empty() => s.to_owned(),
            _ => return Err(self.missing(field)),
        };
        check_one(field, &value)?;
        if field == OrderField::Media {
            check_link(&value)?;
        }
        let slot = match field {
            OrderField::Hashtag => &mut self.normal.hashtag,
            OrderField::Media => &mut self.normal.media,
            _ => &mut self.normal.username,
        };
        *slot = Some(value.clone());
        Ok(value)
    }

    /// The typed details of this type; one arm per type.
    fn details(&mut self, drip: Option<DripFeed>) -> Checked<Built> {
        use OrderField as F;
        let link = self.link.clone();
        Ok(match self.t {
            ServiceType::Default => {
                let quantity = self.quantity()?;
                let details = OrderDetails::Default {
                    link,
                    quantity,
                    drip_feed: drip,
                };
                (details, Some(quantity), drip.map(|d| d.runs))
            }
            ServiceType::Package => (OrderDetails::Package { link }, None, None),
            ServiceType::CustomComments => {
                let comments = self.lines(F::Comments)?;
                let q = self.counted(comments.len())?;
                (
                    OrderDetails::CustomComments { link, comments },
                    Some(q),
                    None,
                )
            }
            ServiceType::CommentReplies => {
                let comments = self.lines(F::Comments)?;
                let q = self.counted(comments.len())?;
                let username = self.text(F::Username)?;
                let details = OrderDetails::CommentReplies {
                    link,
                    username,
                    comments,
                };
                (details, Some(q), None)
            }
            ServiceType::CustomCommentsPackage => {
                let comments = self.lines(F::Comments)?;
                (
                    OrderDetails::CustomCommentsPackage { link, comments },
                    None,
                    None,
                )
            }
            ServiceType::Seo => {
                let quantity = self.quantity()?;
                let keywords = self.lines(F::Keywords)?;
                let details = OrderDetails::Seo {
                    link,
                    quantity,
                    keywords,
                };
                (details, Some(quantity), None)
            }
            ServiceType::Mentions => {
                let quantity = self.quantity()?;
                let usernames = self.lines(F::Usernames)?;
                let details = OrderDetails::Mentions {
                    link,
                    quantity,
                    usernames,
                };
                (details, Some(quantity), None)
            }
            ServiceType::MentionsWithHashtags => {
                let quantity = self.quantity()?;
                let usernames = self.lines(F::Usernames)?;
                let hashtags = self.lines(F::Hashtags)?;
                let details = OrderDetails::MentionsWithHashtags {
                    link,
                    quantity,
                    usernames,
                    hashtags,
                };
                (details, Some(quantity), None)
            }
            ServiceType::MentionsCustomList => {
                let usernames = self.lines(F::Usernames)?;
                let q = self.counted(usernames.len())?;
                (
                    OrderDetails::MentionsCustomList { link, usernames },
                    Some(q),
                    None,
                )
            }
            ServiceType::MentionsHashtag => {
                let quantity = self.quantity()?;
                let hashtag = self.text(F::Hashtag)?;
                let details = OrderDetails::MentionsHashtag {
                    link,
                    quantity,
                    hashtag,
                };
                (details, Some(quantity), None)
            }
            ServiceType::MentionsUserFollowers => {
                let quantity = self.quantity()?;
                let username = self.text(F::Username)?;
                let details = OrderDetails::MentionsUserFollowers {
                    link,
                    quantity,
                    username,
                };
                (details, Some(quantity), None)
            }
            ServiceType::CommentLikes => {
                let quantity = self.quantity()?;
                let username = self.text(F::Username)?;
                let details = OrderDetails::CommentLikes {
                    link,
                    quantity,
                    username,
                };
                (details, Some(quantity), None)
            }
            ServiceType::MentionsMediaLikers => {
                let quantity = self.quantity()?;
                let media = self.text(F::Media)?;
                let details = OrderDetails::MentionsMediaLikers {
                    link,
                    quantity,
                    media,
                };
                (details, Some(quantity), None)
            }
            ServiceType::Poll => {
                let quantity = self.quantity()?;
                let answer_number = self
                    .fields
                    .answer_number
                    .ok_or_else(|| self.missing(F::AnswerNumber))?;
                if answer_number == 0 {
                    return Err(OrderFormError::AnswerNumberInvalid);
                }
                self.normal.answer_number = Some(answer_number);
                let details = OrderDetails::Poll {
                    link,
                    quantity,
                    answer_number,
                };
                (details, Some(quantity), None)
            }
            ServiceType::InvitesFromGroups => {
                let quantity = self.quantity()?;
                let groups = self.lines(F::Groups)?;
                let details = OrderDetails::InvitesFromGroups {
                    link,
                    quantity,
                    groups,
                };
                (details, Some(quantity), None)
            }
            ServiceType::Subscriptions => self.subscription()?,
            ServiceType::WebTraffic => self.web_traffic(drip)?,
            ServiceType::Other(type_name) => {
                let q = self.fields.quantity.map(|q| self.in_range(q)).transpose()?;
                let mut wire = Vec::new();
                if !link.is_empty() {
                    wire.push(("link".to_owned(), link));
                }
                if let Some(q) = q {
                    wire.push(("quantity".to_owned(), q.to_string()));
                }
                if let Some(d) = drip {
                    wire.push(("runs".to_owned(), d.runs.to_string()));
                    wire.push(("interval".to_owned(), d.interval.to_string()));
                }
                let details = OrderDetails::Other {
                    type_name: type_name.clone(),
                    params: wire,
                };
                (details, q, drip.map(|d| d.runs))
            }
        })
    }

    fn subscription(&mut self) -> Checked<Built> {
        use OrderField as F;
        let username = self.text(F::Username)?;
        let f = self.fields;
        let min = f.sub_min.ok_or_else(|| self.missing(F::SubMin))?;
        let max = f.sub_max.ok_or_else(|| self.missing(F::SubMax))?;
        let delay = f.delay.ok_or_else(|| self.missing(F::Delay))?;
        if min == 0 || max < min {
            return Err(OrderFormError::SubscriptionInvalid(format!(
                "min {min} and max {max} must satisfy 1 <= min <= max"
            )));
        }
        self.in_range(min)?;
        self.in_range(max)?;
        if !SUBSCRIPTION_DELAYS.contains(&delay) {
            return Err(OrderFormError::SubscriptionInvalid(format!(
                "delay {delay} is not one of {SUBSCRIPTION_DELAYS:?}"
            )));
        }
        let expiry = f.expiry.as_deref().map(parse_expiry).transpose()?;
        self.normal = OrderFields {
            username: Some(username.clone()),
            sub_min: Some(min),
            sub_max: Some(max),
            delay: Some(delay),
            posts: f.posts,
            old_posts: f.old_posts,
            expiry: f.expiry.as_deref().map(|e| e.trim().to_owned()),
            ..OrderFields::default()
        };
        let details = OrderDetails::Subscriptions {
            username,
            min,
            max,
            posts: f.posts,
            old_posts: f.old_posts,
            delay,
            expiry,
        };
        Ok((details, Some(max), Some(f.posts.unwrap_or(1).max(1))))
    }

    fn web_traffic(&mut self, drip: Option<DripFeed>) -> Checked<Built> {
        let quantity = self.quantity()?;
        let f = self.fields;
        let device = f
            .device
            .map(|d| match d {
                1 => Ok(Device::Desktop),
                2 => Ok(Device::Android),
                3 => Ok(Device::Ios),
                4 => Ok(Device::MixedMobile),
                5 => Ok(Device::MixedAll),
                other => Err(OrderFormError::TrafficInvalid(format!(
                    "device {other} is not 1-5"
                ))),
            })
            .transpose()?;
        let source = match (f.type_of_traffic, &f.google_keyword, &f.referring_url) {
            (None, None, None) => None,
            (Some(1), Some(k), None) if !k.trim().is_empty() => {
                Some(TrafficSource::GoogleKeyword(k.trim().to_owned()))
            }
            (Some(2), None, Some(u)) => Some(TrafficSource::CustomReferrer(check_link(u)?)),
            (Some(3), None, None) => Some(TrafficSource::BlankReferrer),
            _ => {
                return Err(OrderFormError::TrafficInvalid(
                    "type_of_traffic 1 needs google_keyword, 2 needs referring_url, 3 neither"
                        .into(),
                ))
            }
        };
        if let Some(c) = &f.country {
            check_one(OrderField::Country, c)?;
        }
        let country = f.country.as_deref().map(|c| c.trim().to_owned());
        self.normal.country.clone_from(&country);
        self.normal.device = f.device;
        self.normal.type_of_traffic = f.type_of_traffic;
        self.normal.google_keyword = f.google_keyword.as_deref().map(|k| k.trim().to_owned());
        self.normal.referring_url = f.referring_url.as_deref().map(|u| u.trim().to_owned());
        let details = OrderDetails::WebTraffic {
            link: self.link.clone(),
            quantity,
            drip_feed: drip,
            options: WebTraffic {
                country,
                device,
                source,
            },
        };
        Ok((details, Some(quantity), drip.map(|d| d.runs)))
    }
}

/// A link: http(s), a host with a dot (or localhost), one line, bounded. Returns it trimmed.
pub fn check_link(link: &str) -> Result<String, OrderFormError> {
    let t = link.trim();
    if t.is_empty() {
        return Err(OrderFormError::LinkMissing);
    }
    if t.len() > MAX_LINK_BYTES {
        return Err(OrderFormError::TooLarge {
            what: "the link",
            size: format!("{} bytes", t.len()),
            limit: format!("{MAX_LINK_BYTES} bytes"),
        });
    }
    let ok = !t.contains(char::is_whitespace)
        && url::Url::parse(t).is_ok_and(|u| {
            matches!(u.scheme(), "http" | "https")
                && u.host_str()
                    .is_some_and(|h| h.contains('.') || h == "localhost")
        });
    if ok {
        Ok(t.to_owned())
    } else {
        Err(OrderFormError::LinkInvalid(t.chars().take(200).collect()))
    }
}

fn check_list(field: OrderField, items: &[String]) -> Result<(), OrderFormError> {
    if items.len() > MAX_LIST_ENTRIES {
        return Err(OrderFormError::TooLarge {
            what: field.wire_name(),
            size: format!("{} entries", items.len()),
            limit: format!("{MAX_LIST_ENTRIES} entries"),
        });
    }
    let bytes: usize = items.iter().map(|s| s.len() + 1).sum();
    if bytes > MAX_ORDER_BYTES {
        return Err(OrderFormError::TooLarge {
            what: field.wire_name(),
            size: format!("{bytes} bytes"),
            limit: format!("{MAX_ORDER_BYTES} bytes"),
        });
    }
    match items
        .iter()
        .position(|item| item.trim().is_empty() || item.contains(['\n', '\r']))
    {
        Some(i) => Err(OrderFormError::ListEntryInvalid {
            field,
            entry: i + 1,
        }),
        None => Ok(()),
    }
}

fn check_one(field: OrderField, value: &str) -> Result<(), OrderFormError> {
    if value.len() > MAX_LINK_BYTES {
        return Err(OrderFormError::TooLarge {
            what: field.wire_name(),
            size: format!("{} bytes", value.len()),
            limit: format!("{MAX_LINK_BYTES} bytes"),
        });
    }
    if value.contains(['\n', '\r']) {
        return Err(OrderFormError::ListEntryInvalid { field, entry: 1 });
    }
    Ok(())
}

/// Parses `2026-12-25` or `25/12/2026`.
fn parse_expiry(text: &str) -> Result<ExpiryDate, OrderFormError> {
    let t = text.trim();
    ExpiryDate::parse(t).ok_or_else(|| OrderFormError::ExpiryInvalid(t.chars().take(40).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> ServiceLimits {
        ServiceLimits {
            min: 10,
            max: 1000,
            dripfeed: true,
            rate: "0.9".parse().unwrap(),
        }
    }

    fn link() -> Option<String> {
        Some("https://x.com/p".into())
    }

    #[test]
    fn drip_feed_costs_all_runs_and_needs_both_fields() {
        let mut o = OrderFields {
            link: link(),
            quantity: Some(100),
            runs: Some(5),
            interval: Some(30),
            ..OrderFields::default()
        };
        let b = o.build("7", &ServiceType::Default, &limits()).unwrap();
        assert_eq!(b.estimated_cost, "0.45".parse().unwrap());
        assert_eq!(b.params, json!({"runs": 5, "interval": 30}));
        o.interval = None;
        assert_eq!(
            o.build("7", &ServiceType::Default, &limits()).unwrap_err(),
            OrderFormError::DripFeedIncomplete
        );
    }

    #[test]
    fn lines_make_the_quantity_and_a_given_one_must_match() {
        let mut o = OrderFields {
            link: link(),
            comments: (0..12).map(|i| format!(" nice {i} ")).collect(),
            ..OrderFields::default()
        };
        let b = o
            .build("7", &ServiceType::CustomComments, &limits())
            .unwrap();
        assert_eq!(b.quantity, Some(12));
        assert_eq!(b.params["comments"][0], "nice 0");
        o.quantity = Some(13);
        let err = o
            .build("7", &ServiceType::CustomComments, &limits())
            .unwrap_err();
        assert_eq!(err.code(), "order.quantity_mismatch");
        assert_eq!(err.field(), Some(OrderField::Quantity));
    }

    #[test]
    fn expiry_parses_both_forms() {
        assert_eq!(parse_expiry("2026-12-25").unwrap().to_wire(), "25/12/2026");
        assert_eq!(parse_expiry("25/12/2026").unwrap().to_wire(), "25/12/2026");
        assert!(parse_expiry("2026-02-30").is_err());
        assert!(parse_expiry("25/12").is_err());
    }

    #[test]
    fn stored_params_read_back_as_the_same_fields() {
        let o = OrderFields {
            link: link(),
            comments: vec!["a".into(), "b".into()],
            username: Some("brand".into()),
            ..OrderFields::default()
        };
        let b = o
            .build("7", &ServiceType::CommentReplies, &limits_from(1))
            .unwrap();
        let mut back = OrderFields::from_stored(&b.params);
        back.link = b.link;
        assert_eq!(back, o);
        // The snake_case names of older stored orders read the same.
        let old = OrderFields::from_stored(&json!({"sub_min": 5, "answer_number": 2}));
        assert_eq!((old.sub_min, old.answer_number), (Some(5), Some(2)));
    }

    fn limits_from(min: u64) -> ServiceLimits {
        ServiceLimits { min, ..limits() }
    }

    /// Gives `field` a valid value.
    fn set(o: &mut OrderFields, field: OrderField) {
        use OrderField::*;
        match field {
            Link => o.link = link(),
            Quantity => o.quantity = Some(100),
            Comments => o.comments = vec!["c".into(); 20],
            Usernames => o.usernames = vec!["u".into(); 20],
            Hashtags => o.hashtags = vec!["h".into()],
            Keywords => o.keywords = vec!["k".into()],
            Groups => o.groups = vec!["g".into()],
            Hashtag => o.hashtag = Some("tag".into()),
            Username => o.username = Some("brand".into()),
            Media => o.media = Some("https://x.com/m".into()),
            AnswerNumber => o.answer_number = Some(1),
            Runs => (o.runs, o.interval) = (Some(2), Some(10)),
            SubMin => o.sub_min = Some(10),
            SubMax => o.sub_max = Some(20),
            Posts => o.posts = Some(3),
            OldPosts => o.old_posts = Some(1),
            Delay => o.delay = Some(0),
            Expiry => o.expiry = Some("2027-01-31".into()),
            Country => o.country = Some("US".into()),
            Device => o.device = Some(1),
            TypeOfTraffic => o.type_of_traffic = Some(3),
            GoogleKeyword => o.google_keyword = Some("smm".into()),
            ReferringUrl => o.referring_url = Some("https://ref.example".into()),
        }
    }

    /// Unsets `field`.
    fn clear(o: &mut OrderFields, field: OrderField) {
        let mut empty = OrderFields::default();
        // Copy every other set field into an empty input.
        for f in o.given().filter(|f| *f != field) {
            set(&mut empty, f);
        }
        *o = empty;
    }

    #[test]
    fn the_field_table_and_the_checks_agree_for_every_type() {
        for t in ServiceType::KNOWN {
            let rules = form_rules(&t);
            let mut full = OrderFields::default();
            for rule in rules.iter().filter(|r| r.required) {
                set(&mut full, rule.field);
            }
            let built = full.build("7", &t, &limits());
            assert!(built.is_ok(), "{t}: the required fields alone: {built:?}");
            assert_eq!(built.unwrap().request.service_type(), t);
            for rule in rules.iter().filter(|r| r.required) {
                let mut o = full.clone();
                clear(&mut o, rule.field);
                let err = o.build("7", &t, &limits()).unwrap_err();
                assert_eq!(err.field(), Some(rule.field), "{t} without {}", rule.field);
            }
            for field in OrderField::ALL {
                let listed = rules.iter().any(|r| r.field == field)
                    || (field == OrderField::Quantity && quantity_from(&t).is_some());
                if listed {
                    continue;
                }
                let mut o = full.clone();
                set(&mut o, field);
                let err = o.build("7", &t, &limits()).unwrap_err();
                assert_eq!(err.field(), Some(field), "{t} with {field}: {err}");
            }
        }
    }

    #[test]
    fn the_ui_table_lists_every_type_and_the_derived_quantities() {
        let forms = order_forms();
        assert_eq!(forms.len(), ServiceType::KNOWN.len() + 1);
        assert_eq!(
            forms["customcomments"].quantity_from,
            Some(OrderField::Comments)
        );
        let json = serde_json::to_value(&forms["poll"]).unwrap();
        assert_eq!(
            json["fields"][2],
            json!({"field": "answerNumber", "required": true})
        );
        let kinds = serde_json::to_value(field_kinds()).unwrap();
        assert_eq!(kinds["delay"]["kind"], "choice");
        assert_eq!(kinds["comments"]["maxEntries"], MAX_LIST_ENTRIES);
    }

    #[test]
    fn an_order_over_the_body_limit_says_so() {
        let half = vec!["x".repeat(1000); (MAX_ORDER_BYTES / 1001) - 1];
        let o = OrderFields {
            link: link(),
            quantity: Some(100),
            usernames: half.clone(),
            hashtags: half,
            ..OrderFields::default()
        };
        let err = o
            .build("7", &ServiceType::MentionsWithHashtags, &limits())
            .unwrap_err();
        assert!(
            matches!(
                err,
                OrderFormError::TooLarge {
                    what: "the order",
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn bad_fields_are_specific_errors() {
        let o = OrderFields {
            link: Some("ftp://x".into()),
            quantity: Some(5),
            ..OrderFields::default()
        };
        assert_eq!(
            o.build("7", &ServiceType::Default, &limits())
                .unwrap_err()
                .code(),
            "order.link_invalid"
        );
        let o = OrderFields {
            link: link(),
            quantity: Some(5),
            ..OrderFields::default()
        };
        assert_eq!(
            o.build("7", &ServiceType::Default, &limits()).unwrap_err(),
            OrderFormError::QuantityBelowMin {
                quantity: 5,
                min: 10
            }
        );
        let o = OrderFields {
            link: link(),
            quantity: Some(50),
            username: Some("x".into()),
            ..OrderFields::default()
        };
        assert_eq!(
            o.build("7", &ServiceType::Default, &limits()).unwrap_err(),
            OrderFormError::FieldNotAllowed {
                service_type: "Default".into(),
                field: OrderField::Username
            }
        );
    }
}
