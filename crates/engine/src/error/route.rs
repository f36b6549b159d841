//! Why an offer group or a routed order was refused: one stable code per cause. Re-exported
//! as `routing::RouteError`; nothing was written when one of these is returned.

use serde::Serialize;

use super::EngineError;

/// Why one member of a group was passed over for a routed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MemberSkip {
    /// The provider's name.
    pub provider: String,
    /// The provider's service id.
    pub service_id: String,
    /// A stable code (`provider.inactive`, `provider.offline`, `order.insufficient_balance`,
    /// `order.quantity_out_of_range`, `order.service_not_found`…).
    pub code: String,
    /// What is wrong, in English.
    pub message: String,
}

/// A refused offer group or routed order.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RouteError {
    /// No offer group has that name.
    #[error("no offer group named \"{0}\"")]
    GroupNotFound(String),
    /// An offer group already has that name (ignoring case).
    #[error("an offer group named \"{0}\" already exists")]
    GroupNameTaken(String),
    /// The name is empty, too long or has control characters.
    #[error("an offer group name must be 1-60 printable characters")]
    GroupNameInvalid,
    /// The group has no members.
    #[error("an offer group needs at least one member (provider and service)")]
    GroupEmpty,
    /// The group has more members than allowed.
    #[error("an offer group has at most {max} members (got {count})")]
    TooManyMembers {
        /// Members given.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The same provider and service twice.
    #[error("{provider} service {service_id} is in the group twice")]
    DuplicateMember {
        /// The provider's name.
        provider: String,
        /// The provider's service id.
        service_id: String,
    },
    /// A member's service is of another type than the first member's.
    #[error("{provider} service {service_id} is of type {found}, the group's services are {expected}: one order cannot go to both")]
    TypeMismatch {
        /// The provider's name.
        provider: String,
        /// The provider's service id.
        service_id: String,
        /// Its type.
        found: String,
        /// The first member's type.
        expected: String,
    },
    /// The members' providers bill in different currencies (their rates do not compare).
    #[error("{provider} bills in {found}, the group's other providers in {expected}: rates in different currencies do not compare")]
    CurrencyMismatch {
        /// The provider's name.
        provider: String,
        /// Its currency.
        found: String,
        /// The other members' currency.
        expected: String,
    },
    /// The routing rule is not one of the known ones.
    #[error("\"{0}\" is not a routing rule (cheapest, preference)")]
    RuleInvalid(String),
    /// No member of the group accepts the quantity (min/max).
    #[error("no member of offer group \"{group}\" accepts this quantity: {}", .skipped.iter().map(|s| s.message.as_str()).collect::<Vec<_>>().join("; "))]
    QuantityUnaccepted {
        /// The group.
        group: String,
        /// Why each member was passed over.
        skipped: Vec<MemberSkip>,
    },
    /// No member of the group can take the order now (inactive, offline, balance…).
    #[error("no member of offer group \"{group}\" can take the order: {}", .skipped.iter().map(|s| format!("{} {}: {}", s.provider, s.service_id, s.message)).collect::<Vec<_>>().join("; "))]
    NoProvider {
        /// The group.
        group: String,
        /// Why each member was passed over.
        skipped: Vec<MemberSkip>,
    },
}

impl RouteError {
    /// The stable code the UI and scripts branch on.
    pub fn code(&self) -> &'static str {
        match self {
            Self::GroupNotFound(_) => "offer_group.not_found",
            Self::GroupNameTaken(_) => "offer_group.name_taken",
            Self::GroupNameInvalid => "offer_group.name_invalid",
            Self::GroupEmpty => "offer_group.empty",
            Self::TooManyMembers { .. } => "offer_group.too_many_members",
            Self::DuplicateMember { .. } => "offer_group.duplicate_member",
            Self::TypeMismatch { .. } => "offer_group.type_mismatch",
            Self::CurrencyMismatch { .. } => "offer_group.currency_mismatch",
            Self::RuleInvalid(_) => "offer_group.rule_invalid",
            Self::QuantityUnaccepted { .. } => "route.quantity_unaccepted",
            Self::NoProvider { .. } => "route.no_provider",
        }
    }

    /// The request field the error is about, when there is one (camelCase).
    pub fn field(&self) -> Option<&'static str> {
        match self {
            Self::GroupNotFound(_) => Some("group"),
            Self::GroupNameTaken(_) | Self::GroupNameInvalid => Some("name"),
            Self::GroupEmpty
            | Self::TooManyMembers { .. }
            | Self::DuplicateMember { .. }
            | Self::TypeMismatch { .. }
            | Self::CurrencyMismatch { .. } => Some("members"),
            Self::RuleInvalid(_) => Some("rule"),
            Self::QuantityUnaccepted { .. } => Some("quantity"),
            Self::NoProvider { .. } => None,
        }
    }
}

impl From<RouteError> for EngineError {
    fn from(e: RouteError) -> Self {
        EngineError::Route(e)
    }
}
