//! Routing with failover: offer groups (the same offer on several providers, saved by the
//! user as a "route group", with suggestions from [`Engine::compare_offers`]) and routed
//! orders placed at the best member ([`place`]).
//!
//! A saved group is a [`RouteGroup`] (the catalog's compare results are
//! [`crate::catalog::OfferGroup`]): a unique name, a rule (the cheapest member that
//! can take the order, or the user's preference order) and its members, each one provider's
//! service. Every member is checked against the synced catalog when the group is saved: all
//! of one service type, one currency, no member twice.

mod mass;
mod place;

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::catalog::Platform;
use crate::catalog::{Offer, OfferQuery};
use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::money;

pub use crate::error::{MemberSkip, RouteError};
pub use mass::{RoutedLineResult, RoutedMassOrder, RoutedMassReport};
pub use place::{RouteAttempt, RouteChoice, RoutePreview, RoutedPlacement};

/// The most members one group may have.
pub const MAX_GROUP_MEMBERS: usize = 20;
/// The longest group name, in characters.
const MAX_NAME_CHARS: usize = 60;

/// How a routed order picks among the members that can take it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RouteRule {
    /// The lowest estimated cost first (ties: the member listed first).
    #[default]
    Cheapest,
    /// The members in the order the user listed them.
    Preference,
}

impl RouteRule {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            RouteRule::Cheapest => "cheapest",
            RouteRule::Preference => "preference",
        }
    }
}

impl fmt::Display for RouteRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RouteRule {
    type Err = EngineError;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cheapest" => Ok(RouteRule::Cheapest),
            "preference" | "order" => Ok(RouteRule::Preference),
            _ => Err(RouteError::RuleInvalid(s.to_string()).into()),
        }
    }
}

/// One member as given: a provider's name and its service id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct MemberRef {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
}

impl MemberRef {
    /// A member: `provider`'s service `service_id`.
    pub fn new(provider: impl Into<String>, service_id: impl Into<String>) -> Self {
        MemberRef {
            provider: provider.into(),
            service_id: service_id.into(),
        }
    }
}

/// A group to save.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct NewRouteGroup {
    /// Its name (unique, ignoring case).
    pub name: String,
    /// How a member is picked.
    pub rule: RouteRule,
    /// The members, the preferred first.
    pub members: Vec<MemberRef>,
}

/// One member of a saved group, with its service as the catalog has it now.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteMember {
    /// 1-based place in the user's order.
    pub position: u32,
    /// The provider's local id.
    pub provider_id: i64,
    /// The provider's name.
    pub provider: String,
    /// The provider is enabled (and not removed).
    pub provider_active: bool,
    /// The provider's currency, when known.
    pub currency: Option<String>,
    /// The provider's service id.
    pub service_id: String,
    /// The catalog row; `None` when the service is no longer offered.
    pub service_ref: Option<i64>,
    /// The service name.
    pub service_name: Option<String>,
    /// The service type.
    pub service_type: Option<String>,
    /// Price per 1000.
    pub rate: Option<Decimal>,
    /// Smallest quantity.
    pub min: Option<u64>,
    /// Largest quantity.
    pub max: Option<u64>,
}

/// A saved offer group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RouteGroup {
    /// Local id.
    pub id: i64,
    /// Its name.
    pub name: String,
    /// How a member is picked.
    pub rule: RouteRule,
    /// The members, in the user's order.
    pub members: Vec<RouteMember>,
    /// When saved.
    pub created_at: Timestamp,
    /// Last change.
    pub updated_at: Timestamp,
}

/// A group the catalog suggests: the same offer on several providers (from
/// [`Engine::compare_offers`]), cheapest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupSuggestion {
    /// A name for it (the cheapest offer's).
    pub name: String,
    /// Platform.
    pub platform: Platform,
    /// Kind (`followers`, `likes`…).
    pub kind: String,
    /// The members to save, cheapest first (one currency).
    pub members: Vec<Offer>,
    /// The saved group with exactly these members, if any.
    pub saved_as: Option<String>,
}

/// Checks a group name; returns it trimmed, and its key.
fn check_name(name: &str) -> Result<(String, String)> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > MAX_NAME_CHARS || n.chars().any(char::is_control) {
        return Err(RouteError::GroupNameInvalid.into());
    }
    Ok((n.to_string(), n.to_lowercase()))
}

const MEMBER_SQL: &str = "SELECT m.position, p.id, p.name, p.active = 1 AND p.removed_at IS NULL, \
     p.currency, m.service_id, s.id, s.name, s.type, s.rate, s.min, s.max \
     FROM route_members m JOIN providers p ON p.id = m.provider_id \
     LEFT JOIN services s ON s.provider_id = m.provider_id AND s.service_id = m.service_id \
       AND s.removed_at IS NULL \
     WHERE m.group_id = ?1 ORDER BY m.position";

fn members_of(conn: &Connection, group_id: i64) -> Result<Vec<RouteMember>> {
    let mut stmt = conn.prepare_cached(MEMBER_SQL)?;
    let rows = stmt.query_map([group_id], |r| {
        Ok((
            RouteMember {
                position: r.get::<_, i64>(0)?.max(0) as u32,
                provider_id: r.get(1)?,
                provider: r.get(2)?,
                provider_active: r.get(3)?,
                currency: r.get(4)?,
                service_id: r.get(5)?,
                service_ref: r.get(6)?,
                service_name: r.get(7)?,
                service_type: r.get(8)?,
                rate: None,
                min: r.get::<_, Option<i64>>(10)?.map(|v| v.max(0) as u64),
                max: r.get::<_, Option<i64>>(11)?.map(|v| v.max(0) as u64),
            },
            r.get::<_, Option<String>>(9)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (mut m, rate) = row?;
        m.rate = rate.as_deref().map(money::from_text).transpose()?;
        out.push(m);
    }
    Ok(out)
}

fn group_from(conn: &Connection, row: (i64, String, String, i64, i64)) -> Result<RouteGroup> {
    let (id, name, rule, created_at, updated_at) = row;
    Ok(RouteGroup {
        id,
        members: members_of(conn, id)?,
        name,
        rule: rule.parse()?,
        created_at: from_millis(created_at),
        updated_at: from_millis(updated_at),
    })
}

/// The group named `name` (ignoring case), if any.
pub(crate) fn group_by_name(conn: &Connection, name: &str) -> Result<Option<RouteGroup>> {
    let row = conn
        .prepare_cached(
            "SELECT id, name, rule, created_at, updated_at FROM route_groups WHERE name_key = ?1",
        )?
        .query_row([name.trim().to_lowercase()], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })
        .optional()?;
    row.map(|row| group_from(conn, row)).transpose()
}

impl Engine {
    /// Saves an offer group. Every member must be a live provider's service in the synced
    /// catalog, all of one type and one currency, none twice; nothing is written otherwise.
    pub fn add_offer_group(&self, new: NewRouteGroup) -> Result<RouteGroup> {
        let (name, key) = check_name(&new.name)?;
        if new.members.is_empty() {
            return Err(RouteError::GroupEmpty.into());
        }
        if new.members.len() > MAX_GROUP_MEMBERS {
            return Err(RouteError::TooManyMembers {
                count: new.members.len(),
                max: MAX_GROUP_MEMBERS,
            }
            .into());
        }
        let mut checked: Vec<(i64, String)> = Vec::new();
        let mut first_type: Option<String> = None;
        let mut currency: Option<String> = None;
        for m in &new.members {
            let provider = self.provider(m.provider.trim())?;
            let service = self.store().read(|c| {
                crate::orders::service_row_of(c, provider.id, &provider.name, &m.service_id)
            })?;
            if checked
                .iter()
                .any(|(p, s)| *p == provider.id && *s == service.service_id)
            {
                return Err(RouteError::DuplicateMember {
                    provider: provider.name,
                    service_id: service.service_id,
                }
                .into());
            }
            match &first_type {
                Some(t) if *t != service.type_name => {
                    return Err(RouteError::TypeMismatch {
                        provider: provider.name,
                        service_id: service.service_id,
                        found: service.type_name,
                        expected: t.clone(),
                    }
                    .into())
                }
                Some(_) => {}
                None => first_type = Some(service.type_name.clone()),
            }
            if let Some(c) = &provider.currency {
                match &currency {
                    Some(expected) if !expected.eq_ignore_ascii_case(c) => {
                        return Err(RouteError::CurrencyMismatch {
                            provider: provider.name,
                            found: c.clone(),
                            expected: expected.clone(),
                        }
                        .into())
                    }
                    Some(_) => {}
                    None => currency = Some(c.clone()),
                }
            }
            checked.push((provider.id, service.service_id));
        }
        let now = self.now_ms();
        self.store().write(|tx| {
            let taken: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM route_groups WHERE name_key = ?1)",
                [&key],
                |r| r.get(0),
            )?;
            if taken {
                return Err(RouteError::GroupNameTaken(name.clone()).into());
            }
            tx.execute(
                "INSERT INTO route_groups (name, name_key, rule, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![name, key, new.rule.as_str(), now],
            )?;
            let id = tx.last_insert_rowid();
            for (i, (provider_id, service_id)) in checked.iter().enumerate() {
                tx.execute(
                    "INSERT INTO route_members (group_id, position, provider_id, service_id) \
                     VALUES (?1, ?2, ?3, ?4)",
                    params![id, i as i64 + 1, provider_id, service_id],
                )?;
            }
            group_by_name(tx, &key)?
                .ok_or_else(|| EngineError::Internal("the saved group is missing".into()))
        })
    }

    /// Every saved offer group, by name.
    pub fn offer_groups(&self) -> Result<Vec<RouteGroup>> {
        self.store().read(|c| {
            let rows: Vec<(i64, String, String, i64, i64)> = c
                .prepare_cached(
                    "SELECT id, name, rule, created_at, updated_at FROM route_groups \
                     ORDER BY name_key",
                )?
                .query_map([], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            rows.into_iter().map(|row| group_from(c, row)).collect()
        })
    }

    /// The offer group named `name` (ignoring case).
    pub fn offer_group(&self, name: &str) -> Result<RouteGroup> {
        self.store()
            .read(|c| group_by_name(c, name))?
            .ok_or_else(|| RouteError::GroupNotFound(name.trim().to_string()).into())
    }

    /// Removes an offer group. Orders routed through it stay, with their timelines.
    pub fn remove_offer_group(&self, name: &str) -> Result<RouteGroup> {
        let group = self.offer_group(name)?;
        self.store().write(|tx| {
            tx.execute("DELETE FROM route_groups WHERE id = ?1", [group.id])?;
            Ok(())
        })?;
        Ok(group)
    }

    /// Groups worth saving: the catalog's same offer on two or more providers
    /// ([`Engine::compare_offers`]), each kept to the cheapest offer's currency, with the name
    /// of the saved group that already has exactly these members.
    pub fn suggest_offer_groups(&self, q: &OfferQuery) -> Result<Vec<GroupSuggestion>> {
        let saved = self.offer_groups()?;
        let mut out = Vec::new();
        for g in self.compare_offers(q)? {
            let Some(first) = g.offers.first() else {
                continue;
            };
            let currency = first.currency.clone();
            let name: String = first.name.trim().chars().take(MAX_NAME_CHARS).collect();
            let members: Vec<Offer> = g
                .offers
                .into_iter()
                .filter(|o| o.currency.is_none() || currency.is_none() || o.currency == currency)
                .collect();
            let providers: std::collections::BTreeSet<&str> =
                members.iter().map(|o| o.provider.as_str()).collect();
            if providers.len() < 2 {
                continue;
            }
            let mut wanted: Vec<(&str, &str)> = members
                .iter()
                .map(|o| (o.provider.as_str(), o.service_id.as_str()))
                .collect();
            wanted.sort_unstable();
            let saved_as = saved
                .iter()
                .find(|s| {
                    let mut have: Vec<(&str, &str)> = s
                        .members
                        .iter()
                        .map(|m| (m.provider.as_str(), m.service_id.as_str()))
                        .collect();
                    have.sort_unstable();
                    have == wanted
                })
                .map(|s| s.name.clone());
            out.push(GroupSuggestion {
                name,
                platform: g.platform,
                kind: g.kind,
                members,
                saved_as,
            });
        }
        Ok(out)
    }
}
