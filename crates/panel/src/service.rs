//! Catalog items (`services`) and their types; the shared cost estimate.

use std::fmt;

use rust_decimal::Decimal;

/// A service type as named by the provider; unknown names are kept raw.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ServiceType {
    /// `Default`: link + quantity, optional drip-feed.
    Default,
    /// `Package`: link only, flat price.
    Package,
    /// `Custom Comments`: link + comments (one per line).
    CustomComments,
    /// `Custom Comments Package`: link + comments, flat price.
    CustomCommentsPackage,
    /// `SEO`: link + quantity + keywords.
    Seo,
    /// `Mentions`: link + quantity + usernames.
    Mentions,
    /// `Mentions with Hashtags`: link + quantity + usernames + hashtags.
    MentionsWithHashtags,
    /// `Mentions Custom List`: link + usernames.
    MentionsCustomList,
    /// `Mentions Hashtag`: link + quantity + hashtag.
    MentionsHashtag,
    /// `Mentions User Followers`: link + quantity + username.
    MentionsUserFollowers,
    /// `Mentions Media Likers`: link + quantity + media.
    MentionsMediaLikers,
    /// `Comment Likes`: link + quantity + username.
    CommentLikes,
    /// `Comment Replies`: link + username + comments.
    CommentReplies,
    /// `Poll`: link + quantity + answer number.
    Poll,
    /// `Invites from Groups`: link + quantity + groups.
    InvitesFromGroups,
    /// `Subscriptions`: username + min/max + posts/old posts + delay + expiry; no link.
    Subscriptions,
    /// `Web Traffic`: link + quantity + traffic options.
    WebTraffic,
    /// Any other type name, verbatim.
    Other(String),
}

impl ServiceType {
    /// Every known type, in the order of the protocol reference.
    pub const KNOWN: [ServiceType; 17] = [
        ServiceType::Default,
        ServiceType::Package,
        ServiceType::CustomComments,
        ServiceType::CustomCommentsPackage,
        ServiceType::Seo,
        ServiceType::Mentions,
        ServiceType::MentionsWithHashtags,
        ServiceType::MentionsCustomList,
        ServiceType::MentionsHashtag,
        ServiceType::MentionsUserFollowers,
        ServiceType::MentionsMediaLikers,
        ServiceType::CommentLikes,
        ServiceType::CommentReplies,
        ServiceType::Poll,
        ServiceType::InvitesFromGroups,
        ServiceType::Subscriptions,
        ServiceType::WebTraffic,
    ];

    /// Parses a provider type name: case-insensitive, ignoring `_`, `-` and spaces.
    pub fn parse(raw: &str) -> ServiceType {
        let key = collapse(raw);
        match key.as_str() {
            "" | "default" => ServiceType::Default,
            "package" => ServiceType::Package,
            "customcomments" => ServiceType::CustomComments,
            "customcommentspackage" => ServiceType::CustomCommentsPackage,
            "seo" => ServiceType::Seo,
            "mentions" => ServiceType::Mentions,
            "mentionswithhashtags" => ServiceType::MentionsWithHashtags,
            "mentionscustomlist" => ServiceType::MentionsCustomList,
            "mentionshashtag" => ServiceType::MentionsHashtag,
            "mentionsuserfollowers" => ServiceType::MentionsUserFollowers,
            "mentionsmedialikers" => ServiceType::MentionsMediaLikers,
            "commentlikes" => ServiceType::CommentLikes,
            "commentreplies" => ServiceType::CommentReplies,
            "poll" => ServiceType::Poll,
            "invitesfromgroups" => ServiceType::InvitesFromGroups,
            "subscriptions" => ServiceType::Subscriptions,
            "webtraffic" => ServiceType::WebTraffic,
            _ => ServiceType::Other(raw.trim().to_owned()),
        }
    }

    /// The canonical name, as the PerfectPanel template writes it.
    pub fn as_str(&self) -> &str {
        match self {
            ServiceType::Default => "Default",
            ServiceType::Package => "Package",
            ServiceType::CustomComments => "Custom Comments",
            ServiceType::CustomCommentsPackage => "Custom Comments Package",
            ServiceType::Seo => "SEO",
            ServiceType::Mentions => "Mentions",
            ServiceType::MentionsWithHashtags => "Mentions with Hashtags",
            ServiceType::MentionsCustomList => "Mentions Custom List",
            ServiceType::MentionsHashtag => "Mentions Hashtag",
            ServiceType::MentionsUserFollowers => "Mentions User Followers",
            ServiceType::MentionsMediaLikers => "Mentions Media Likers",
            ServiceType::CommentLikes => "Comment Likes",
            ServiceType::CommentReplies => "Comment Replies",
            ServiceType::Poll => "Poll",
            ServiceType::InvitesFromGroups => "Invites from Groups",
            ServiceType::Subscriptions => "Subscriptions",
            ServiceType::WebTraffic => "Web Traffic",
            ServiceType::Other(raw) => raw,
        }
    }

    /// True for types charged a flat `rate` per order (Package, Custom Comments Package).
    pub fn is_flat_priced(&self) -> bool {
        matches!(
            self,
            ServiceType::Package | ServiceType::CustomCommentsPackage
        )
    }
}

impl fmt::Display for ServiceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Lower-cases and drops `_`, `-` and whitespace, for tolerant vocabulary matching.
pub(crate) fn collapse(raw: &str) -> String {
    raw.chars()
        .filter(|c| !matches!(c, '_' | '-') && !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One catalog item as the provider lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    /// The provider's service id (always a string, whatever the panel sends).
    pub id: String,
    /// The display name (often long, with emoji).
    pub name: String,
    /// The service type, normalized; unknown names kept raw.
    pub service_type: ServiceType,
    /// The provider's category text.
    pub category: String,
    /// Price per 1000 units in the account currency (flat price for package types).
    pub rate: Decimal,
    /// Minimum quantity.
    pub min: u64,
    /// Maximum quantity.
    pub max: u64,
    /// The provider offers refills for this service.
    pub refill: bool,
    /// The provider accepts cancel requests for this service.
    pub cancel: bool,
    /// The service accepts drip-feed (`runs` and `interval`).
    pub dripfeed: bool,
    /// The provider's description, when given (`desc` or `description`).
    pub description: Option<String>,
}

/// Estimated cost of an order: `rate × quantity / 1000`, times `runs` for drip-feed, and the
/// flat `rate` for Package and Custom Comments Package. The provider's `charge` is authoritative.
pub fn estimate_cost(
    rate: Decimal,
    service_type: &ServiceType,
    quantity: u64,
    runs: Option<u64>,
) -> Decimal {
    if service_type.is_flat_priced() {
        return rate;
    }
    let units = Decimal::from(quantity) * Decimal::from(runs.unwrap_or(1).max(1));
    rate * units / Decimal::ONE_THOUSAND
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn types_parse_tolerantly_and_round_trip() {
        for t in ServiceType::KNOWN {
            assert_eq!(ServiceType::parse(t.as_str()), t);
        }
        assert_eq!(ServiceType::parse("default"), ServiceType::Default);
        assert_eq!(
            ServiceType::parse("custom_comments"),
            ServiceType::CustomComments
        );
        assert_eq!(
            ServiceType::parse("Story Views"),
            ServiceType::Other("Story Views".into())
        );
    }

    #[test]
    fn cost_follows_the_type_rules() {
        let rate = Decimal::from_str("0.90").unwrap();
        assert_eq!(estimate_cost(rate, &ServiceType::Default, 1000, None), rate);
        assert_eq!(
            estimate_cost(rate, &ServiceType::Default, 100, Some(5)),
            Decimal::from_str("0.45").unwrap()
        );
        assert_eq!(estimate_cost(rate, &ServiceType::Package, 999, None), rate);
        let tiny = Decimal::from_str("0.0000001").unwrap();
        assert_eq!(estimate_cost(tiny, &ServiceType::Default, 1000, None), tiny);
    }
}
