//! The protocol's actions.

use std::fmt;

/// An SMM API v2 action (the `action` form parameter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    /// `services`: the catalog.
    Services,
    /// `add`: place an order.
    Add,
    /// `status`: one order (`order`) or many (`orders`).
    Status,
    /// `refill`: one order (`order`) or many (`orders`).
    Refill,
    /// `refill_status`: one refill (`refill`) or many (`refills`).
    RefillStatus,
    /// `cancel`: many orders (`orders`).
    Cancel,
    /// `balance`: the account balance.
    Balance,
}

impl Action {
    /// Every action.
    pub const ALL: [Action; 7] = [
        Action::Services,
        Action::Add,
        Action::Status,
        Action::Refill,
        Action::RefillStatus,
        Action::Cancel,
        Action::Balance,
    ];

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Services => "services",
            Action::Add => "add",
            Action::Status => "status",
            Action::Refill => "refill",
            Action::RefillStatus => "refill_status",
            Action::Cancel => "cancel",
            Action::Balance => "balance",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_str() == raw)
    }

    /// True for reads, which are safe to repeat (`services`, `status`, `refill_status`, `balance`).
    pub fn is_read(self) -> bool {
        matches!(
            self,
            Action::Services | Action::Status | Action::RefillStatus | Action::Balance
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
