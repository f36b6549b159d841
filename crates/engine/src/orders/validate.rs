//! Checks a [`NewOrder`] against the synced service before anything is written, and builds
//! the typed `add` request, the stored parameters and the estimated cost.

use rusqlite::{Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde_json::{json, Map, Value};
use smm_panel::{
    estimate_cost, Device, DripFeed, ExpiryDate, OrderDetails, OrderRequest, ServiceType,
    TrafficSource, WebTraffic, SUBSCRIPTION_DELAYS,
};

use super::error::OrderError;
use super::place::{MAX_LINK_BYTES, MAX_LIST_ENTRIES, MAX_ORDER_BYTES};
use super::NewOrder;
use crate::error::Result;
use crate::money;

/// The catalog row an order is checked against.
#[derive(Debug, Clone)]
pub(crate) struct ServiceRow {
    pub(crate) id: i64,
    pub(crate) service_id: String,
    pub(crate) name: String,
    pub(crate) type_name: String,
    pub(crate) rate: Decimal,
    pub(crate) min: u64,
    pub(crate) max: u64,
    pub(crate) dripfeed: bool,
}

/// A checked order: what to send, what to store, what it should cost.
#[derive(Debug, Clone)]
pub(crate) struct Checked {
    pub(crate) request: OrderRequest,
    pub(crate) service: ServiceRow,
    pub(crate) link: Option<String>,
    pub(crate) quantity: Option<u64>,
    pub(crate) params: Value,
    pub(crate) estimated_cost: Decimal,
}

/// The live service `service_id` of provider `provider_id`.
pub(crate) fn service_row(
    conn: &Connection,
    provider_id: i64,
    provider: &str,
    service_id: &str,
) -> Result<ServiceRow> {
    let row = conn
        .prepare_cached(
            "SELECT id, service_id, name, type, rate, min, max, dripfeed FROM services \
             WHERE provider_id = ?1 AND service_id = ?2 AND removed_at IS NULL",
        )?
        .query_row(rusqlite::params![provider_id, service_id.trim()], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, i64>(5)?,
                r.get::<_, i64>(6)?,
                r.get::<_, bool>(7)?,
            ))
        })
        .optional()?;
    let Some((id, service_id, name, type_name, rate, min, max, dripfeed)) = row else {
        return Err(OrderError::ServiceNotFound {
            provider: provider.to_string(),
            service_id: service_id.trim().to_string(),
        }
        .into());
    };
    Ok(ServiceRow {
        id,
        service_id,
        name,
        type_name,
        rate: money::from_text(&rate)?,
        min: min.max(0) as u64,
        max: max.max(0) as u64,
        dripfeed,
    })
}

/// A link: http(s), a host with a dot (or localhost), one line, bounded.
pub(crate) fn check_link(link: &str) -> Result<String, OrderError> {
    let t = link.trim();
    if t.is_empty() {
        return Err(OrderError::LinkMissing);
    }
    if t.len() > MAX_LINK_BYTES {
        return Err(OrderError::TooLarge {
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
        Ok(t.to_string())
    } else {
        Err(OrderError::LinkInvalid(t.chars().take(200).collect()))
    }
}

fn check_list(field: &'static str, items: &[String]) -> Result<(), OrderError> {
    if items.len() > MAX_LIST_ENTRIES {
        return Err(OrderError::TooLarge {
            what: field,
            size: format!("{} entries", items.len()),
            limit: format!("{MAX_LIST_ENTRIES} entries"),
        });
    }
    let bytes: usize = items.iter().map(|s| s.len() + 1).sum();
    if bytes > MAX_ORDER_BYTES {
        return Err(OrderError::TooLarge {
            what: field,
            size: format!("{bytes} bytes"),
            limit: format!("{MAX_ORDER_BYTES} bytes"),
        });
    }
    for (i, item) in items.iter().enumerate() {
        if item.trim().is_empty() || item.contains(['\n', '\r']) {
            return Err(OrderError::ListEntryInvalid {
                field,
                entry: i + 1,
            });
        }
    }
    Ok(())
}

fn check_one(field: &'static str, value: &str) -> Result<(), OrderError> {
    if value.len() > MAX_LINK_BYTES {
        return Err(OrderError::TooLarge {
            what: field,
            size: format!("{} bytes", value.len()),
            limit: format!("{MAX_LINK_BYTES} bytes"),
        });
    }
    if value.contains(['\n', '\r']) {
        return Err(OrderError::ListEntryInvalid { field, entry: 1 });
    }
    Ok(())
}

/// Parses `2026-12-25` or `25/12/2026`.
fn parse_expiry(text: &str) -> Result<ExpiryDate, OrderError> {
    let t = text.trim();
    let bad = || OrderError::ExpiryInvalid(t.chars().take(40).collect());
    let parts: Vec<&str> = if t.contains('-') {
        t.split('-').collect()
    } else {
        t.split('/').rev().collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let (Ok(y), Ok(m), Ok(d)) = (y.parse::<u16>(), m.parse::<u8>(), d.parse::<u8>()) else {
        return Err(bad());
    };
    ExpiryDate::new(d, m, y).map_err(|_| bad())
}

/// Which fields the order sets, by name.
fn given_fields(o: &NewOrder) -> Vec<&'static str> {
    let mut f = Vec::new();
    let mut add = |cond: bool, name: &'static str| {
        if cond {
            f.push(name);
        }
    };
    add(o.link.is_some(), "link");
    add(o.quantity.is_some(), "quantity");
    add(!o.comments.is_empty(), "comments");
    add(!o.usernames.is_empty(), "usernames");
    add(!o.hashtags.is_empty(), "hashtags");
    add(!o.keywords.is_empty(), "keywords");
    add(!o.groups.is_empty(), "groups");
    add(o.hashtag.is_some(), "hashtag");
    add(o.username.is_some(), "username");
    add(o.media.is_some(), "media");
    add(o.answer_number.is_some(), "answer_number");
    add(o.runs.is_some() || o.interval.is_some(), "runs");
    add(o.sub_min.is_some(), "min");
    add(o.sub_max.is_some(), "max");
    add(o.posts.is_some(), "posts");
    add(o.old_posts.is_some(), "old_posts");
    add(o.delay.is_some(), "delay");
    add(o.expiry.is_some(), "expiry");
    add(o.country.is_some(), "country");
    add(o.device.is_some(), "device");
    add(o.type_of_traffic.is_some(), "type_of_traffic");
    add(o.google_keyword.is_some(), "google_keyword");
    add(o.referring_url.is_some(), "referring_url");
    f
}

/// The fields a type takes.
fn allowed_fields(t: &ServiceType) -> &'static [&'static str] {
    match t {
        ServiceType::Default => &["link", "quantity", "runs"],
        ServiceType::Package => &["link"],
        ServiceType::CustomComments => &["link", "comments", "quantity"],
        ServiceType::CustomCommentsPackage => &["link", "comments"],
        ServiceType::Seo => &["link", "quantity", "keywords"],
        ServiceType::Mentions => &["link", "quantity", "usernames"],
        ServiceType::MentionsWithHashtags => &["link", "quantity", "usernames", "hashtags"],
        ServiceType::MentionsCustomList => &["link", "usernames", "quantity"],
        ServiceType::MentionsHashtag => &["link", "quantity", "hashtag"],
        ServiceType::MentionsUserFollowers | ServiceType::CommentLikes => {
            &["link", "quantity", "username"]
        }
        ServiceType::MentionsMediaLikers => &["link", "quantity", "media"],
        ServiceType::CommentReplies => &["link", "username", "comments", "quantity"],
        ServiceType::Poll => &["link", "quantity", "answer_number"],
        ServiceType::InvitesFromGroups => &["link", "quantity", "groups"],
        ServiceType::Subscriptions => &[
            "username",
            "min",
            "max",
            "posts",
            "old_posts",
            "delay",
            "expiry",
        ],
        ServiceType::WebTraffic => &[
            "link",
            "quantity",
            "runs",
            "country",
            "device",
            "type_of_traffic",
            "google_keyword",
            "referring_url",
        ],
        _ => &["link", "quantity", "runs"],
    }
}

fn need<'a>(
    t: &ServiceType,
    field: &'static str,
    v: &'a Option<String>,
) -> Result<&'a str, OrderError> {
    match v.as_deref().map(str::trim) {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(OrderError::FieldMissing {
            service_type: t.to_string(),
            field,
        }),
    }
}

fn need_list(
    t: &ServiceType,
    field: &'static str,
    v: &[String],
) -> Result<Vec<String>, OrderError> {
    if v.is_empty() {
        return Err(OrderError::FieldMissing {
            service_type: t.to_string(),
            field,
        });
    }
    check_list(field, v)?;
    Ok(v.iter().map(|s| s.trim().to_string()).collect())
}

/// Checks `o` against `service` and builds the request. Pure: touches nothing.
pub(crate) fn check(o: &NewOrder, service: ServiceRow) -> Result<Checked, OrderError> {
    let t = ServiceType::parse(&service.type_name);
    let allowed = allowed_fields(&t);
    for field in given_fields(o) {
        if !allowed.contains(&field) {
            if field == "runs" {
                return Err(OrderError::DripFeedUnsupported);
            }
            return Err(OrderError::FieldNotAllowed {
                service_type: t.to_string(),
                field,
            });
        }
    }
    // Drip-feed: both or neither, and only where the service offers it.
    let drip = match (o.runs, o.interval) {
        (None, None) => None,
        (Some(runs), Some(interval)) if runs >= 1 => {
            if !service.dripfeed {
                return Err(OrderError::DripFeedUnsupported);
            }
            Some(DripFeed { runs, interval })
        }
        _ => return Err(OrderError::DripFeedIncomplete),
    };
    let link = match (&t, &o.link) {
        (ServiceType::Subscriptions, _) => None,
        (ServiceType::Other(_), None) => None,
        (_, None) => return Err(OrderError::LinkMissing),
        (_, Some(l)) => Some(check_link(l)?),
    };
    let in_range = |q: u64| -> Result<u64, OrderError> {
        if q < service.min.max(1) {
            return Err(OrderError::QuantityBelowMin {
                quantity: q,
                min: service.min.max(1),
            });
        }
        if q > service.max {
            return Err(OrderError::QuantityAboveMax {
                quantity: q,
                max: service.max,
            });
        }
        Ok(q)
    };
    let quantity = |o: &NewOrder| -> Result<u64, OrderError> {
        in_range(o.quantity.ok_or(OrderError::QuantityMissing)?)
    };
    let counted = |entries: usize, o: &NewOrder| -> Result<u64, OrderError> {
        let n = entries as u64;
        if let Some(q) = o.quantity {
            if q != n {
                return Err(OrderError::QuantityMismatch {
                    quantity: q,
                    comments: n,
                });
            }
        }
        in_range(n)
    };
    let mut params = Map::new();
    let mut put_list = |name: &str, v: &[String]| {
        params.insert(name.into(), json!(v));
    };
    let link_s = link.clone().unwrap_or_default();
    let (details, units, runs) = match &t {
        ServiceType::Default => {
            let q = quantity(o)?;
            (
                OrderDetails::Default {
                    link: link_s,
                    quantity: q,
                    drip_feed: drip,
                },
                Some(q),
                drip.map(|d| d.runs),
            )
        }
        ServiceType::Package => (OrderDetails::Package { link: link_s }, None, None),
        ServiceType::CustomComments | ServiceType::CommentReplies => {
            let comments = need_list(&t, "comments", &o.comments)?;
            let q = counted(comments.len(), o)?;
            put_list("comments", &comments);
            let details = if t == ServiceType::CustomComments {
                OrderDetails::CustomComments {
                    link: link_s,
                    comments,
                }
            } else {
                let username = need(&t, "username", &o.username)?.to_string();
                check_one("username", &username)?;
                params.insert("username".into(), json!(username));
                OrderDetails::CommentReplies {
                    link: link_s,
                    username,
                    comments,
                }
            };
            (details, Some(q), None)
        }
        ServiceType::CustomCommentsPackage => {
            let comments = need_list(&t, "comments", &o.comments)?;
            put_list("comments", &comments);
            (
                OrderDetails::CustomCommentsPackage {
                    link: link_s,
                    comments,
                },
                None,
                None,
            )
        }
        ServiceType::Seo => {
            let q = quantity(o)?;
            let keywords = need_list(&t, "keywords", &o.keywords)?;
            put_list("keywords", &keywords);
            (
                OrderDetails::Seo {
                    link: link_s,
                    quantity: q,
                    keywords,
                },
                Some(q),
                None,
            )
        }
        ServiceType::Mentions => {
            let q = quantity(o)?;
            let usernames = need_list(&t, "usernames", &o.usernames)?;
            put_list("usernames", &usernames);
            (
                OrderDetails::Mentions {
                    link: link_s,
                    quantity: q,
                    usernames,
                },
                Some(q),
                None,
            )
        }
        ServiceType::MentionsWithHashtags => {
            let q = quantity(o)?;
            let usernames = need_list(&t, "usernames", &o.usernames)?;
            let hashtags = need_list(&t, "hashtags", &o.hashtags)?;
            put_list("usernames", &usernames);
            put_list("hashtags", &hashtags);
            (
                OrderDetails::MentionsWithHashtags {
                    link: link_s,
                    quantity: q,
                    usernames,
                    hashtags,
                },
                Some(q),
                None,
            )
        }
        ServiceType::MentionsCustomList => {
            let usernames = need_list(&t, "usernames", &o.usernames)?;
            let q = counted(usernames.len(), o)?;
            put_list("usernames", &usernames);
            (
                OrderDetails::MentionsCustomList {
                    link: link_s,
                    usernames,
                },
                Some(q),
                None,
            )
        }
        ServiceType::MentionsHashtag => {
            let q = quantity(o)?;
            let hashtag = need(&t, "hashtag", &o.hashtag)?.to_string();
            check_one("hashtag", &hashtag)?;
            params.insert("hashtag".into(), json!(hashtag));
            (
                OrderDetails::MentionsHashtag {
                    link: link_s,
                    quantity: q,
                    hashtag,
                },
                Some(q),
                None,
            )
        }
        ServiceType::MentionsUserFollowers | ServiceType::CommentLikes => {
            let q = quantity(o)?;
            let username = need(&t, "username", &o.username)?.to_string();
            check_one("username", &username)?;
            params.insert("username".into(), json!(username));
            let details = if t == ServiceType::CommentLikes {
                OrderDetails::CommentLikes {
                    link: link_s,
                    quantity: q,
                    username,
                }
            } else {
                OrderDetails::MentionsUserFollowers {
                    link: link_s,
                    quantity: q,
                    username,
                }
            };
            (details, Some(q), None)
        }
        ServiceType::MentionsMediaLikers => {
            let q = quantity(o)?;
            let media = need(&t, "media", &o.media)?.to_string();
            check_link(&media)?;
            params.insert("media".into(), json!(media));
            (
                OrderDetails::MentionsMediaLikers {
                    link: link_s,
                    quantity: q,
                    media,
                },
                Some(q),
                None,
            )
        }
        ServiceType::Poll => {
            let q = quantity(o)?;
            let answer = o.answer_number.ok_or(OrderError::FieldMissing {
                service_type: t.to_string(),
                field: "answer_number",
            })?;
            if answer == 0 {
                return Err(OrderError::AnswerNumberInvalid);
            }
            params.insert("answer_number".into(), json!(answer));
            (
                OrderDetails::Poll {
                    link: link_s,
                    quantity: q,
                    answer_number: answer,
                },
                Some(q),
                None,
            )
        }
        ServiceType::InvitesFromGroups => {
            let q = quantity(o)?;
            let groups = need_list(&t, "groups", &o.groups)?;
            put_list("groups", &groups);
            (
                OrderDetails::InvitesFromGroups {
                    link: link_s,
                    quantity: q,
                    groups,
                },
                Some(q),
                None,
            )
        }
        ServiceType::Subscriptions => {
            let username = need(&t, "username", &o.username)?.to_string();
            check_one("username", &username)?;
            let missing = |field| OrderError::FieldMissing {
                service_type: t.to_string(),
                field,
            };
            let min = o.sub_min.ok_or_else(|| missing("min"))?;
            let max = o.sub_max.ok_or_else(|| missing("max"))?;
            let delay = o.delay.ok_or_else(|| missing("delay"))?;
            if min == 0 || max < min {
                return Err(OrderError::SubscriptionInvalid(format!(
                    "min {min} and max {max} must satisfy 1 <= min <= max"
                )));
            }
            in_range(min)?;
            in_range(max)?;
            if !SUBSCRIPTION_DELAYS.contains(&delay) {
                return Err(OrderError::SubscriptionInvalid(format!(
                    "delay {delay} is not one of {SUBSCRIPTION_DELAYS:?}"
                )));
            }
            let expiry = o.expiry.as_deref().map(parse_expiry).transpose()?;
            params.insert("username".into(), json!(username));
            params.insert("sub_min".into(), json!(min));
            params.insert("sub_max".into(), json!(max));
            params.insert("delay".into(), json!(delay));
            if let Some(p) = o.posts {
                params.insert("posts".into(), json!(p));
            }
            if let Some(p) = o.old_posts {
                params.insert("old_posts".into(), json!(p));
            }
            if let Some(e) = &o.expiry {
                params.insert("expiry".into(), json!(e.trim()));
            }
            (
                OrderDetails::Subscriptions {
                    username,
                    min,
                    max,
                    posts: o.posts,
                    old_posts: o.old_posts,
                    delay,
                    expiry,
                },
                Some(max),
                Some(o.posts.unwrap_or(1).max(1)),
            )
        }
        ServiceType::WebTraffic => {
            let q = quantity(o)?;
            let device = o
                .device
                .map(|d| match d {
                    1 => Ok(Device::Desktop),
                    2 => Ok(Device::Android),
                    3 => Ok(Device::Ios),
                    4 => Ok(Device::MixedMobile),
                    5 => Ok(Device::MixedAll),
                    other => Err(OrderError::TrafficInvalid(format!(
                        "device {other} is not 1-5"
                    ))),
                })
                .transpose()?;
            let source =
                match (o.type_of_traffic, &o.google_keyword, &o.referring_url) {
                    (None, None, None) => None,
                    (Some(1), Some(k), None) if !k.trim().is_empty() => {
                        Some(TrafficSource::GoogleKeyword(k.trim().to_string()))
                    }
                    (Some(2), None, Some(u)) => Some(TrafficSource::CustomReferrer(check_link(u)?)),
                    (Some(3), None, None) => Some(TrafficSource::BlankReferrer),
                    _ => return Err(OrderError::TrafficInvalid(
                        "type_of_traffic 1 needs google_keyword, 2 needs referring_url, 3 neither"
                            .into(),
                    )),
                };
            if let Some(c) = &o.country {
                check_one("country", c)?;
                params.insert("country".into(), json!(c.trim()));
            }
            for (name, v) in [
                ("device", o.device.map(u64::from)),
                ("type_of_traffic", o.type_of_traffic.map(u64::from)),
            ] {
                if let Some(v) = v {
                    params.insert(name.into(), json!(v));
                }
            }
            if let Some(k) = &o.google_keyword {
                params.insert("google_keyword".into(), json!(k.trim()));
            }
            if let Some(u) = &o.referring_url {
                params.insert("referring_url".into(), json!(u.trim()));
            }
            (
                OrderDetails::WebTraffic {
                    link: link_s,
                    quantity: q,
                    drip_feed: drip,
                    options: WebTraffic {
                        country: o.country.as_deref().map(|c| c.trim().to_string()),
                        device,
                        source,
                    },
                },
                Some(q),
                drip.map(|d| d.runs),
            )
        }
        _ => {
            let q = o.quantity.map(in_range).transpose()?;
            let mut wire = Vec::new();
            if let Some(l) = &link {
                wire.push(("link".to_string(), l.clone()));
            }
            if let Some(q) = q {
                wire.push(("quantity".to_string(), q.to_string()));
            }
            if let Some(d) = drip {
                wire.push(("runs".to_string(), d.runs.to_string()));
                wire.push(("interval".to_string(), d.interval.to_string()));
            }
            (
                OrderDetails::Other {
                    type_name: service.type_name.clone(),
                    params: wire,
                },
                q,
                drip.map(|d| d.runs),
            )
        }
    };
    if let Some(d) = drip {
        params.insert("runs".into(), json!(d.runs));
        params.insert("interval".into(), json!(d.interval));
    }
    let request = OrderRequest::new(service.service_id.clone(), details)
        .map_err(|e| OrderError::RequestInvalid(e.to_string()))?;
    let bytes: usize = request
        .form_params()
        .iter()
        .map(|(k, v)| k.len() + v.len() + 2)
        .sum();
    if bytes > MAX_ORDER_BYTES {
        return Err(OrderError::TooLarge {
            what: "the order",
            size: format!("{bytes} bytes"),
            limit: format!("{MAX_ORDER_BYTES} bytes"),
        });
    }
    let estimated_cost = match units {
        _ if t.is_flat_priced() => service.rate,
        None => service.rate,
        Some(u) => estimate_cost(service.rate, &t, u, runs),
    };
    Ok(Checked {
        request,
        link,
        quantity: match t {
            ServiceType::Subscriptions
            | ServiceType::Package
            | ServiceType::CustomCommentsPackage => None,
            _ => units,
        },
        service,
        params: Value::Object(params),
        estimated_cost,
    })
}

/// Rebuilds the order fields from stored parameters (for a resubmission).
pub(crate) fn restore(o: &mut NewOrder, params: &Value) {
    if let Ok(stored) = serde_json::from_value::<NewOrder>(params.clone()) {
        let NewOrder {
            provider,
            service_id,
            link,
            quantity,
            idempotency_key,
            force,
            ..
        } = std::mem::take(o);
        *o = NewOrder {
            provider,
            service_id,
            link,
            quantity,
            idempotency_key,
            force,
            ..stored
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn svc(t: &str) -> ServiceRow {
        ServiceRow {
            id: 1,
            service_id: "7".into(),
            name: "x".into(),
            type_name: t.into(),
            rate: "0.9".parse().unwrap(),
            min: 10,
            max: 1000,
            dripfeed: true,
        }
    }

    #[test]
    fn drip_feed_costs_all_runs_and_needs_both_fields() {
        let mut o = NewOrder::new("p", "7", "https://x.com/a", 100);
        o.runs = Some(5);
        o.interval = Some(30);
        let c = check(&o, svc("Default")).unwrap();
        assert_eq!(c.estimated_cost, "0.45".parse().unwrap());
        assert_eq!(c.params["runs"], json!(5));
        o.interval = None;
        assert_eq!(
            check(&o, svc("Default")).unwrap_err(),
            OrderError::DripFeedIncomplete
        );
    }

    #[test]
    fn custom_comments_count_is_the_quantity() {
        let mut o = NewOrder {
            provider: "p".into(),
            service_id: "7".into(),
            link: Some("https://x.com/p".into()),
            comments: (0..12).map(|i| format!("nice {i}")).collect(),
            ..NewOrder::default()
        };
        let c = check(&o, svc("Custom Comments")).unwrap();
        assert_eq!(c.quantity, Some(12));
        o.quantity = Some(13);
        assert_eq!(
            check(&o, svc("Custom Comments")).unwrap_err().code(),
            "order.quantity_mismatch"
        );
    }

    #[test]
    fn expiry_parses_both_forms() {
        assert_eq!(parse_expiry("2026-12-25").unwrap().to_wire(), "25/12/2026");
        assert_eq!(parse_expiry("25/12/2026").unwrap().to_wire(), "25/12/2026");
        assert!(parse_expiry("2026-02-30").is_err());
    }

    #[test]
    fn stored_params_restore_the_order() {
        let mut o = NewOrder {
            provider: "p".into(),
            service_id: "7".into(),
            link: Some("https://x.com/p".into()),
            comments: vec!["a".into(), "b".into()],
            ..NewOrder::default()
        };
        let mut s = svc("Custom Comments");
        s.min = 1;
        let c = check(&o, s.clone()).unwrap();
        let mut back = NewOrder {
            provider: "p".into(),
            service_id: "7".into(),
            link: c.link.clone(),
            ..NewOrder::default()
        };
        restore(&mut back, &c.params);
        o.link = c.link;
        assert_eq!(back, o);
    }
}
