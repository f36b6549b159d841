//! Typed `add` requests: each service type carries exactly the parameters it takes.

use crate::error::PanelError;
use crate::service::ServiceType;

/// The largest request body an order may produce (comments, usernames…), in bytes.
pub const MAX_ORDER_BYTES: usize = 1 << 20;

/// The subscription `delay` values (minutes) of the current PerfectPanel template.
pub const SUBSCRIPTION_DELAYS: [u32; 22] = [
    0, 5, 10, 15, 20, 30, 40, 50, 60, 90, 120, 150, 180, 210, 240, 270, 300, 360, 420, 480, 540,
    600,
];

/// Drip-feed: deliver `quantity` per run, `runs` times, `interval` minutes apart. Both are
/// always sent together.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DripFeed {
    /// Number of runs (at least 1).
    pub runs: u64,
    /// Minutes between runs.
    pub interval: u64,
}

/// A subscription expiry date, sent as `d/m/Y` (e.g. `25/12/2026`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExpiryDate(jiff::civil::Date);

impl ExpiryDate {
    /// A calendar date; errors on an impossible day or month.
    pub fn new(day: u8, month: u8, year: u16) -> Result<ExpiryDate, PanelError> {
        let date = i16::try_from(year)
            .ok()
            .filter(|y| (1970..=9999).contains(y))
            .and_then(|y| jiff::civil::Date::new(y, month as i8, day as i8).ok());
        date.map(ExpiryDate).ok_or_else(|| {
            PanelError::InvalidRequest(format!(
                "expiry {day}/{month}/{year} is not a calendar date"
            ))
        })
    }

    /// Parses `2026-12-25` or `25/12/2026`; `None` when it is neither or not a date.
    pub fn parse(text: &str) -> Option<ExpiryDate> {
        let t = text.trim();
        let date = if t.contains('/') {
            jiff::civil::Date::strptime("%d/%m/%Y", t).ok()?
        } else {
            t.parse::<jiff::civil::Date>().ok()?
        };
        (1970..=9999)
            .contains(&date.year())
            .then_some(ExpiryDate(date))
    }

    /// The wire form, `dd/mm/YYYY`.
    pub fn to_wire(&self) -> String {
        self.0.strftime("%d/%m/%Y").to_string()
    }
}

/// Web traffic device (`device`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Device {
    /// 1: desktop.
    Desktop,
    /// 2: Android.
    Android,
    /// 3: iOS.
    Ios,
    /// 4: mixed mobile.
    MixedMobile,
    /// 5: mixed mobile and desktop.
    MixedAll,
}

impl Device {
    /// The wire number.
    pub fn code(self) -> u8 {
        match self {
            Device::Desktop => 1,
            Device::Android => 2,
            Device::Ios => 3,
            Device::MixedMobile => 4,
            Device::MixedAll => 5,
        }
    }
}

/// Web traffic source (`type_of_traffic` with its companion field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrafficSource {
    /// 1: a Google keyword (`google_keyword`).
    GoogleKeyword(String),
    /// 2: a custom referrer (`referring_url`).
    CustomReferrer(String),
    /// 3: blank referrer.
    BlankReferrer,
}

/// Web Traffic order options.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WebTraffic {
    /// `country`: a code or a name ("US", "United States").
    pub country: Option<String>,
    /// `device`.
    pub device: Option<Device>,
    /// `type_of_traffic` and its keyword or referrer.
    pub source: Option<TrafficSource>,
}

/// The type-specific part of an order; each variant holds exactly what its type sends.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum OrderDetails {
    /// Default: `link`, `quantity`, optional `runs` + `interval`.
    Default {
        /// Target link.
        link: String,
        /// Units (per run when drip-fed).
        quantity: u64,
        /// Optional drip-feed.
        drip_feed: Option<DripFeed>,
    },
    /// Package: `link` only.
    Package {
        /// Target link.
        link: String,
    },
    /// Custom Comments: `link`, `comments` (no quantity: one unit per line).
    CustomComments {
        /// Target link.
        link: String,
        /// One comment per entry.
        comments: Vec<String>,
    },
    /// Custom Comments Package: `link`, `comments`.
    CustomCommentsPackage {
        /// Target link.
        link: String,
        /// One comment per entry.
        comments: Vec<String>,
    },
    /// SEO: `link`, `quantity`, `keywords`.
    Seo {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// One keyword per entry.
        keywords: Vec<String>,
    },
    /// Mentions: `link`, `quantity`, `usernames`.
    Mentions {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// One username per entry.
        usernames: Vec<String>,
    },
    /// Mentions with Hashtags: `link`, `quantity`, `usernames`, `hashtags`.
    MentionsWithHashtags {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// One username per entry.
        usernames: Vec<String>,
        /// One hashtag per entry.
        hashtags: Vec<String>,
    },
    /// Mentions Custom List: `link`, `usernames` (no quantity).
    MentionsCustomList {
        /// Target link.
        link: String,
        /// One username per entry.
        usernames: Vec<String>,
    },
    /// Mentions Hashtag: `link`, `quantity`, `hashtag`.
    MentionsHashtag {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// Hashtag to scrape usernames from.
        hashtag: String,
    },
    /// Mentions User Followers: `link`, `quantity`, `username`.
    MentionsUserFollowers {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// Account to scrape followers from.
        username: String,
    },
    /// Mentions Media Likers: `link`, `quantity`, `media`.
    MentionsMediaLikers {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// Media URL to scrape likers from.
        media: String,
    },
    /// Comment Likes: `link`, `quantity`, `username`.
    CommentLikes {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// Username of the comment owner.
        username: String,
    },
    /// Comment Replies: `link`, `username`, `comments`.
    CommentReplies {
        /// Target link.
        link: String,
        /// Username of the comment owner.
        username: String,
        /// One reply per entry.
        comments: Vec<String>,
    },
    /// Poll: `link`, `quantity`, `answer_number`.
    Poll {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// The answer to vote for (1-based).
        answer_number: u32,
    },
    /// Invites from Groups: `link`, `quantity`, `groups`.
    InvitesFromGroups {
        /// Target link.
        link: String,
        /// Units.
        quantity: u64,
        /// One group per entry.
        groups: Vec<String>,
    },
    /// Subscriptions: `username`, `min`, `max`, `posts`?, `old_posts`?, `delay`, `expiry`?.
    /// Never a link or a quantity.
    Subscriptions {
        /// The account to follow.
        username: String,
        /// Minimum units per post.
        min: u64,
        /// Maximum units per post.
        max: u64,
        /// How many new posts to handle (unset: unlimited).
        posts: Option<u64>,
        /// How many existing posts to include.
        old_posts: Option<u64>,
        /// Minutes to wait after a post (one of [`SUBSCRIPTION_DELAYS`]).
        delay: u32,
        /// When the subscription ends.
        expiry: Option<ExpiryDate>,
    },
    /// Web Traffic: `link`, `quantity`, optional drip-feed and traffic options.
    WebTraffic {
        /// Target link.
        link: String,
        /// Units (per run when drip-fed).
        quantity: u64,
        /// Optional drip-feed.
        drip_feed: Option<DripFeed>,
        /// Country, device and source.
        options: WebTraffic,
    },
    /// A type this client does not know: the parameters are passed through as given.
    Other {
        /// The provider's type name.
        type_name: String,
        /// Parameters besides `key`, `action` and `service`.
        params: Vec<(String, String)>,
    },
}

impl OrderDetails {
    /// The service type these details are for.
    pub fn service_type(&self) -> ServiceType {
        match self {
            OrderDetails::Default { .. } => ServiceType::Default,
            OrderDetails::Package { .. } => ServiceType::Package,
            OrderDetails::CustomComments { .. } => ServiceType::CustomComments,
            OrderDetails::CustomCommentsPackage { .. } => ServiceType::CustomCommentsPackage,
            OrderDetails::Seo { .. } => ServiceType::Seo,
            OrderDetails::Mentions { .. } => ServiceType::Mentions,
            OrderDetails::MentionsWithHashtags { .. } => ServiceType::MentionsWithHashtags,
            OrderDetails::MentionsCustomList { .. } => ServiceType::MentionsCustomList,
            OrderDetails::MentionsHashtag { .. } => ServiceType::MentionsHashtag,
            OrderDetails::MentionsUserFollowers { .. } => ServiceType::MentionsUserFollowers,
            OrderDetails::MentionsMediaLikers { .. } => ServiceType::MentionsMediaLikers,
            OrderDetails::CommentLikes { .. } => ServiceType::CommentLikes,
            OrderDetails::CommentReplies { .. } => ServiceType::CommentReplies,
            OrderDetails::Poll { .. } => ServiceType::Poll,
            OrderDetails::InvitesFromGroups { .. } => ServiceType::InvitesFromGroups,
            OrderDetails::Subscriptions { .. } => ServiceType::Subscriptions,
            OrderDetails::WebTraffic { .. } => ServiceType::WebTraffic,
            OrderDetails::Other { type_name, .. } => ServiceType::Other(type_name.clone()),
        }
    }
}

/// A validated `add` request: a service id and the details its type takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderRequest {
    service: String,
    details: OrderDetails,
}

impl OrderRequest {
    /// Validates and builds an order; every problem is a clear [`PanelError::InvalidRequest`]
    /// before anything is sent.
    pub fn new(service: impl Into<String>, details: OrderDetails) -> Result<Self, PanelError> {
        let request = OrderRequest {
            service: service.into().trim().to_owned(),
            details,
        };
        request.validate()?;
        Ok(request)
    }

    /// A Default order: link and quantity.
    pub fn default_type(
        service: impl Into<String>,
        link: impl Into<String>,
        quantity: u64,
    ) -> Result<Self, PanelError> {
        OrderRequest::new(
            service,
            OrderDetails::Default {
                link: link.into(),
                quantity,
                drip_feed: None,
            },
        )
    }

    /// An order not validated yet (the order form checks its size first, for its own error).
    pub(crate) fn unchecked(service: &str, details: OrderDetails) -> Self {
        OrderRequest {
            service: service.trim().to_owned(),
            details,
        }
    }

    /// Validates an order made by [`OrderRequest::unchecked`].
    pub(crate) fn checked(self) -> Result<Self, PanelError> {
        self.validate()?;
        Ok(self)
    }

    /// The size of the form body besides `key` and `action`, in bytes (about: separators
    /// counted, escapes not).
    pub fn wire_size(&self) -> usize {
        self.form_params()
            .iter()
            .map(|(k, v)| k.len() + v.len() + 2)
            .sum()
    }

    /// The provider's service id.
    pub fn service(&self) -> &str {
        &self.service
    }

    /// The type-specific details.
    pub fn details(&self) -> &OrderDetails {
        &self.details
    }

    /// The service type of this order.
    pub fn service_type(&self) -> ServiceType {
        self.details.service_type()
    }

    /// The target link, for types that have one.
    pub fn link(&self) -> Option<&str> {
        use OrderDetails::*;
        match &self.details {
            Default { link, .. }
            | Package { link }
            | CustomComments { link, .. }
            | CustomCommentsPackage { link, .. }
            | Seo { link, .. }
            | Mentions { link, .. }
            | MentionsWithHashtags { link, .. }
            | MentionsCustomList { link, .. }
            | MentionsHashtag { link, .. }
            | MentionsUserFollowers { link, .. }
            | MentionsMediaLikers { link, .. }
            | CommentLikes { link, .. }
            | CommentReplies { link, .. }
            | Poll { link, .. }
            | InvitesFromGroups { link, .. }
            | WebTraffic { link, .. } => Some(link),
            Subscriptions { .. } => None,
            Other { params, .. } => params
                .iter()
                .find(|(k, _)| k == "link")
                .map(|(_, v)| v.as_str()),
        }
    }

    /// Units per run for cost and min/max checks: the quantity, or the number of comments or
    /// usernames for list types; `None` for packages and subscriptions.
    pub fn quantity(&self) -> Option<u64> {
        use OrderDetails::*;
        match &self.details {
            Default { quantity, .. }
            | Seo { quantity, .. }
            | Mentions { quantity, .. }
            | MentionsWithHashtags { quantity, .. }
            | MentionsHashtag { quantity, .. }
            | MentionsUserFollowers { quantity, .. }
            | MentionsMediaLikers { quantity, .. }
            | CommentLikes { quantity, .. }
            | Poll { quantity, .. }
            | InvitesFromGroups { quantity, .. }
            | WebTraffic { quantity, .. } => Some(*quantity),
            CustomComments { comments, .. } | CommentReplies { comments, .. } => {
                Some(comments.len() as u64)
            }
            MentionsCustomList { usernames, .. } => Some(usernames.len() as u64),
            Package { .. } | CustomCommentsPackage { .. } | Subscriptions { .. } => None,
            Other { params, .. } => params
                .iter()
                .find(|(k, _)| k == "quantity")
                .and_then(|(_, v)| v.trim().parse().ok()),
        }
    }

    /// Drip-feed runs, when the order is drip-fed.
    pub fn runs(&self) -> Option<u64> {
        match &self.details {
            OrderDetails::Default { drip_feed, .. }
            | OrderDetails::WebTraffic { drip_feed, .. } => drip_feed.map(|d| d.runs),
            _ => None,
        }
    }

    /// The exact form parameters sent besides `key` and `action`, in order, `service` first.
    pub fn form_params(&self) -> Vec<(String, String)> {
        use OrderDetails::*;
        let mut p = Params(vec![("service".to_owned(), self.service.clone())]);
        match &self.details {
            Default {
                link,
                quantity,
                drip_feed,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.drip(drip_feed);
            }
            Package { link } => p.push("link", link),
            CustomComments { link, comments } | CustomCommentsPackage { link, comments } => {
                p.push("link", link);
                p.list("comments", comments);
            }
            Seo {
                link,
                quantity,
                keywords,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.list("keywords", keywords);
            }
            Mentions {
                link,
                quantity,
                usernames,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.list("usernames", usernames);
            }
            MentionsWithHashtags {
                link,
                quantity,
                usernames,
                hashtags,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.list("usernames", usernames);
                p.list("hashtags", hashtags);
            }
            MentionsCustomList { link, usernames } => {
                p.push("link", link);
                p.list("usernames", usernames);
            }
            MentionsHashtag {
                link,
                quantity,
                hashtag,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.push("hashtag", hashtag);
            }
            MentionsUserFollowers {
                link,
                quantity,
                username,
            }
            | CommentLikes {
                link,
                quantity,
                username,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.push("username", username);
            }
            MentionsMediaLikers {
                link,
                quantity,
                media,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.push("media", media);
            }
            CommentReplies {
                link,
                username,
                comments,
            } => {
                p.push("link", link);
                p.push("username", username);
                p.list("comments", comments);
            }
            Poll {
                link,
                quantity,
                answer_number,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.push("answer_number", answer_number);
            }
            InvitesFromGroups {
                link,
                quantity,
                groups,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.list("groups", groups);
            }
            Subscriptions {
                username,
                min,
                max,
                posts,
                old_posts,
                delay,
                expiry,
            } => {
                p.push("username", username);
                p.push("min", min);
                p.push("max", max);
                if let Some(posts) = posts {
                    p.push("posts", posts);
                }
                if let Some(old) = old_posts {
                    p.push("old_posts", old);
                }
                p.push("delay", delay);
                if let Some(expiry) = expiry {
                    p.push("expiry", expiry.to_wire());
                }
            }
            WebTraffic {
                link,
                quantity,
                drip_feed,
                options,
            } => {
                p.push("link", link);
                p.push("quantity", quantity);
                p.drip(drip_feed);
                if let Some(country) = &options.country {
                    p.push("country", country.trim());
                }
                if let Some(device) = options.device {
                    p.push("device", device.code());
                }
                match &options.source {
                    Some(TrafficSource::GoogleKeyword(k)) => {
                        p.push("type_of_traffic", 1);
                        p.push("google_keyword", k.trim());
                    }
                    Some(TrafficSource::CustomReferrer(url)) => {
                        p.push("type_of_traffic", 2);
                        p.push("referring_url", url.trim());
                    }
                    Some(TrafficSource::BlankReferrer) => p.push("type_of_traffic", 3),
                    None => {}
                }
            }
            Other { params, .. } => {
                for (k, v) in params {
                    p.0.push((k.clone(), v.clone()));
                }
            }
        }
        p.0
    }

    fn validate(&self) -> Result<(), PanelError> {
        use OrderDetails::*;
        let bad = |msg: String| Err(PanelError::InvalidRequest(msg));
        if self.service.is_empty() || self.service.contains([',', '\n', '\r']) {
            return bad(format!("service id {:?} is not valid", self.service));
        }
        if let Some(link) = self.link() {
            if link.trim().is_empty() || link.contains(['\n', '\r']) {
                return bad("the link is empty or spans several lines".into());
            }
        }
        let drip = match &self.details {
            Default { drip_feed, .. } | WebTraffic { drip_feed, .. } => *drip_feed,
            _ => None,
        };
        if let Some(d) = drip {
            if d.runs == 0 {
                return bad("drip-feed needs at least 1 run".into());
            }
        }
        match &self.details {
            CustomComments { comments, .. }
            | CustomCommentsPackage { comments, .. }
            | CommentReplies { comments, .. } => check_list("comments", comments)?,
            Seo { keywords, .. } => check_list("keywords", keywords)?,
            Mentions { usernames, .. } | MentionsCustomList { usernames, .. } => {
                check_list("usernames", usernames)?
            }
            MentionsWithHashtags {
                usernames,
                hashtags,
                ..
            } => {
                check_list("usernames", usernames)?;
                check_list("hashtags", hashtags)?;
            }
            InvitesFromGroups { groups, .. } => check_list("groups", groups)?,
            MentionsHashtag { hashtag: v, .. } => check_one("hashtag", v)?,
            MentionsUserFollowers { username: v, .. } | CommentLikes { username: v, .. } => {
                check_one("username", v)?
            }
            MentionsMediaLikers { media, .. } => check_one("media", media)?,
            Poll { answer_number, .. } if *answer_number == 0 => {
                return bad("the poll answer number starts at 1".into())
            }
            Subscriptions {
                username,
                min,
                max,
                delay,
                ..
            } => {
                check_one("username", username)?;
                if *min == 0 || max < min {
                    return bad(format!(
                        "subscription min {min} and max {max} must satisfy 1 <= min <= max"
                    ));
                }
                if !SUBSCRIPTION_DELAYS.contains(delay) {
                    return bad(format!(
                        "subscription delay {delay} is not one of {SUBSCRIPTION_DELAYS:?}"
                    ));
                }
            }
            WebTraffic { options, .. } => match &options.source {
                Some(TrafficSource::GoogleKeyword(v)) => check_one("google_keyword", v)?,
                Some(TrafficSource::CustomReferrer(v)) => check_one("referring_url", v)?,
                _ => {}
            },
            Other { type_name, params } => {
                if type_name.trim().is_empty() {
                    return bad("the service type name is empty".into());
                }
                for (k, _) in params {
                    if matches!(k.as_str(), "key" | "action" | "service") || k.is_empty() {
                        return bad(format!("parameter {k:?} cannot be passed through"));
                    }
                }
            }
            _ => {}
        }
        if let Some(q) = self.quantity() {
            if q == 0 {
                return bad("the quantity must be at least 1".into());
            }
        }
        let size = self.wire_size();
        if size > MAX_ORDER_BYTES {
            return bad(format!(
                "the order is {size} bytes; the limit is {MAX_ORDER_BYTES}"
            ));
        }
        Ok(())
    }
}

fn check_one(name: &str, value: &str) -> Result<(), PanelError> {
    if value.trim().is_empty() || value.contains(['\n', '\r']) {
        return Err(PanelError::InvalidRequest(format!(
            "{name} is empty or spans several lines"
        )));
    }
    Ok(())
}

fn check_list(name: &str, items: &[String]) -> Result<(), PanelError> {
    if items.is_empty() {
        return Err(PanelError::InvalidRequest(format!("{name} list is empty")));
    }
    for (i, item) in items.iter().enumerate() {
        if item.trim().is_empty() || item.contains(['\n', '\r']) {
            return Err(PanelError::InvalidRequest(format!(
                "{name} entry {} is empty or spans several lines",
                i + 1
            )));
        }
    }
    Ok(())
}

struct Params(Vec<(String, String)>);

impl Params {
    fn push(&mut self, name: &str, value: impl ToString) {
        let value = value.to_string();
        if name == "link" {
            self.0.push((name.to_owned(), value.trim().to_owned()));
            return;
        }
        self.0.push((name.to_owned(), value));
    }

    fn list(&mut self, name: &str, items: &[String]) {
        self.push(name, items.join("\n"));
    }

    fn drip(&mut self, drip: &Option<DripFeed>) {
        if let Some(d) = drip {
            self.push("runs", d.runs);
            self.push("interval", d.interval);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(service: &str, details: OrderDetails) -> String {
        match OrderRequest::new(service, details) {
            Err(PanelError::InvalidRequest(m)) => m,
            other => panic!("expected InvalidRequest, got {other:?}"),
        }
    }

    fn subscription(delay: u32, min: u64, max: u64) -> OrderDetails {
        OrderDetails::Subscriptions {
            username: "brand".into(),
            min,
            max,
            posts: None,
            old_posts: None,
            delay,
            expiry: None,
        }
    }

    #[test]
    fn invalid_orders_are_refused_before_sending() {
        let link = || "https://instagram.com/p/x".to_owned();
        assert!(invalid("", OrderDetails::Package { link: link() }).contains("service id"));
        assert!(invalid("1,2", OrderDetails::Package { link: link() }).contains("service id"));
        assert!(invalid(
            "1",
            OrderDetails::Default {
                link: link(),
                quantity: 0,
                drip_feed: None
            }
        )
        .contains("quantity"));
        assert!(invalid(
            "1",
            OrderDetails::Default {
                link: link(),
                quantity: 10,
                drip_feed: Some(DripFeed {
                    runs: 0,
                    interval: 5
                })
            }
        )
        .contains("run"));
        assert!(invalid(
            "1",
            OrderDetails::Default {
                link: " ".into(),
                quantity: 10,
                drip_feed: None
            }
        )
        .contains("link"));
        assert!(invalid(
            "1",
            OrderDetails::CustomComments {
                link: link(),
                comments: vec![]
            }
        )
        .contains("comments"));
        assert!(invalid(
            "1",
            OrderDetails::CustomComments {
                link: link(),
                comments: vec!["ok".into(), "two\nlines".into()]
            }
        )
        .contains("entry 2"));
        assert!(invalid("1", subscription(7, 10, 20)).contains("delay"));
        assert!(invalid("1", subscription(30, 20, 10)).contains("min"));
        assert!(invalid(
            "1",
            OrderDetails::Poll {
                link: link(),
                quantity: 10,
                answer_number: 0
            }
        )
        .contains("answer"));
        assert!(invalid(
            "1",
            OrderDetails::Other {
                type_name: "Story Poll".into(),
                params: vec![("key".into(), "x".into())]
            }
        )
        .contains("key"));
        let huge = vec!["x".repeat(1000); 2000];
        assert!(invalid(
            "1",
            OrderDetails::CustomComments {
                link: link(),
                comments: huge
            }
        )
        .contains("limit"));
        assert!(ExpiryDate::new(31, 2, 2027).is_err());
        assert!(ExpiryDate::new(29, 2, 2028).is_ok());
    }

    #[test]
    fn drip_feed_sends_runs_and_interval_together_and_subscriptions_no_link() {
        let order = OrderRequest::new(
            "5",
            OrderDetails::Default {
                link: " https://t.me/x ".into(),
                quantity: 100,
                drip_feed: Some(DripFeed {
                    runs: 3,
                    interval: 15,
                }),
            },
        )
        .unwrap();
        assert_eq!(order.runs(), Some(3));
        assert_eq!(order.quantity(), Some(100));
        let names: Vec<(String, String)> = order.form_params();
        assert_eq!(
            names,
            [
                ("service", "5"),
                ("link", "https://t.me/x"),
                ("quantity", "100"),
                ("runs", "3"),
                ("interval", "15")
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        let sub = OrderRequest::new("9", subscription(0, 10, 20)).unwrap();
        let keys: Vec<String> = sub.form_params().into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["service", "username", "min", "max", "delay"]);
        assert_eq!(sub.link(), None);
        assert_eq!(sub.quantity(), None);
        assert_eq!(sub.service_type(), ServiceType::Subscriptions);
    }
}
