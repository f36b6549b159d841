//! Customers: who an order was sold to (issue #15). A name, unique ignoring case and spacing,
//! and one free-text contact. Never required: an order names a customer or not. Each
//! customer is listed with totals over their orders' [`settle`]ments, per currency.

use jiff::Timestamp;
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::clock::from_millis;
use crate::engine::Engine;
use crate::error::{EngineError, Result};
use crate::orders::settle;
use crate::profit::{facts_at, Earnings, Ledger, FACT_COLUMNS};

/// Longest customer name, in characters.
pub const NAME_MAX: usize = 100;
/// Longest contact, in characters.
pub const CONTACT_MAX: usize = 200;
/// Default and largest number of customers listed.
const LIST_LIMIT: u32 = 500;

/// A customer to add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase", default)]
pub struct NewCustomer {
    /// The name (1–100 characters).
    pub name: String,
    /// One contact: an e-mail, a phone, a handle… (free text, up to 200 characters).
    pub contact: Option<String>,
}

/// A customer with their totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    /// Local id.
    pub id: i64,
    /// The name, as first written.
    pub name: String,
    /// The contact, when given.
    pub contact: Option<String>,
    /// When added.
    pub created_at: Timestamp,
    /// Orders placed for this customer (every state).
    pub orders: u64,
    /// The newest of those orders, when any.
    pub last_order_at: Option<Timestamp>,
    /// Billed, cost and profit of their settled sold orders, per currency.
    pub earnings: Vec<Earnings>,
}

/// Which customers to list.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct CustomerQuery {
    /// Text the name or the contact contains (case-insensitive).
    pub search: Option<String>,
    /// At most this many (default and largest 500), most recent order first.
    pub limit: Option<u32>,
}

/// Characters refused in names and contacts: controls, and the invisible ones that make one
/// text look like another (zero-width space, word joiner, byte-order mark, bidirectional
/// overrides and isolates). Joiners used by Arabic, Persian and emoji (ZWJ, ZWNJ) are allowed.
fn is_refused(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}')
}

/// Checks one text field: trimmed, inner runs of spaces made one, within `max` characters.
fn clean(field: &'static str, text: &str, max: usize) -> Result<String> {
    if let Some(c) = text.chars().find(|c| is_refused(*c)) {
        return Err(EngineError::input(
            field,
            format!(
                "must not contain the invisible or control character U+{:04X}",
                c as u32
            ),
        ));
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let cleaned = words.join(" ");
    let n = cleaned.chars().count();
    if n > max {
        return Err(EngineError::input(
            field,
            format!("is {n} characters long; at most {max} are allowed"),
        ));
    }
    Ok(cleaned)
}

/// A checked customer name and its unique key (lowercase).
pub(crate) fn check_name(name: &str) -> Result<(String, String)> {
    let name = clean("customer", name, NAME_MAX)?;
    if name.is_empty() {
        return Err(EngineError::input(
            "customer",
            "the customer's name is empty",
        ));
    }
    let key = name.to_lowercase();
    Ok((name, key))
}

fn check_contact(contact: Option<&str>) -> Result<Option<String>> {
    Ok(contact
        .map(|c| clean("contact", c, CONTACT_MAX))
        .transpose()?
        .filter(|c| !c.is_empty()))
}

/// The customer named `name` (already checked), added when new; the id and whether it is new.
pub(crate) fn find_or_add(tx: &Connection, name: &str, key: &str, now: i64) -> Result<(i64, bool)> {
    if let Some(id) = id_by_key(tx, key)? {
        return Ok((id, false));
    }
    tx.prepare_cached(
        "INSERT INTO customers (name, name_key, contact, created_at, updated_at) \
         VALUES (?1, ?2, NULL, ?3, ?3)",
    )?
    .execute(params![name, key, now])?;
    Ok((tx.last_insert_rowid(), true))
}

fn id_by_key(conn: &Connection, key: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT id FROM customers WHERE name_key = ?1")?
        .query_row([key], |r| r.get(0))
        .optional()?)
}

/// The customer's id for a name, when such a customer exists.
pub(crate) fn id_by_name(conn: &Connection, name: &str) -> Result<Option<i64>> {
    let (_, key) = check_name(name)?;
    id_by_key(conn, &key)
}

/// One customer with totals.
fn customer_by_id(conn: &Connection, id: i64) -> Result<Customer> {
    let (name, contact, created_at) = conn
        .prepare_cached("SELECT name, contact, created_at FROM customers WHERE id = ?1")?
        .query_row([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get(1)?, r.get::<_, i64>(2)?))
        })
        .optional()?
        .ok_or_else(|| EngineError::CustomerNotFound(format!("#{id}")))?;
    let mut ledger = Ledger::default();
    let (mut orders, mut last) = (0u64, None::<i64>);
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT o.created_at, ifnull(o.currency, p.currency), {FACT_COLUMNS} \
         FROM orders o JOIN providers p ON p.id = o.provider_id WHERE o.customer_id = ?1"
    ))?;
    let mut rows = stmt.query([id])?;
    while let Some(r) = rows.next()? {
        orders += 1;
        let at: i64 = r.get(0)?;
        last = Some(last.map_or(at, |l| l.max(at)));
        if let Some(s) = settle(&facts_at(r, 2)?) {
            ledger.add(&r.get::<_, Option<String>>(1)?.unwrap_or_default(), &s);
        }
    }
    Ok(Customer {
        id,
        name,
        contact,
        created_at: from_millis(created_at),
        orders,
        last_order_at: last.map(from_millis),
        earnings: ledger.finish(),
    })
}

impl Engine {
    /// Adds a customer; a name already taken (ignoring case and spacing) is
    /// `customer.name_taken`, bad text an `input.invalid` naming its field; nothing is written
    /// then.
    pub fn add_customer(&self, new: &NewCustomer) -> Result<Customer> {
        let (name, key) = check_name(&new.name)?;
        let contact = check_contact(new.contact.as_deref())?;
        let now = self.now_ms();
        self.store().write(|tx| {
            if id_by_key(tx, &key)?.is_some() {
                return Err(EngineError::CustomerNameTaken(name.clone()));
            }
            tx.execute(
                "INSERT INTO customers (name, name_key, contact, created_at, updated_at) \
                 VALUES (?1, ?2, ?3, ?4, ?4)",
                params![name, key, contact, now],
            )?;
            customer_by_id(tx, tx.last_insert_rowid())
        })
    }

    /// Changes a customer's contact (`None` or blank removes it).
    pub fn set_customer_contact(&self, id: i64, contact: Option<&str>) -> Result<Customer> {
        let contact = check_contact(contact)?;
        let now = self.now_ms();
        self.store().write(|tx| {
            let n = tx.execute(
                "UPDATE customers SET contact = ?2, updated_at = ?3 WHERE id = ?1",
                params![id, contact, now],
            )?;
            if n == 0 {
                return Err(EngineError::CustomerNotFound(format!("#{id}")));
            }
            customer_by_id(tx, id)
        })
    }

    /// One customer with totals, by id.
    pub fn customer(&self, id: i64) -> Result<Customer> {
        self.store().read(|c| customer_by_id(c, id))
    }

    /// One customer with totals, by name (ignoring case and spacing).
    pub fn customer_named(&self, name: &str) -> Result<Customer> {
        self.store().read(|c| {
            let id = id_by_name(c, name)?
                .ok_or_else(|| EngineError::CustomerNotFound(name.trim().to_string()))?;
            customer_by_id(c, id)
        })
    }

    /// Customers with totals, most recent order first (customers without orders last, newest
    /// first), optionally only those whose name or contact contains `search`.
    pub fn customers(&self, q: &CustomerQuery) -> Result<Vec<Customer>> {
        let limit = match q.limit {
            None => LIST_LIMIT,
            Some(0) => return Err(EngineError::input("limit", "must be at least 1")),
            Some(n) if n > LIST_LIMIT => {
                return Err(EngineError::input("limit", "must be at most 500"))
            }
            Some(n) => n,
        };
        let search = q
            .search
            .as_deref()
            .map(|s| clean("search", s, NAME_MAX))
            .transpose()?
            .filter(|s| !s.is_empty())
            .map(|s| {
                let escaped = s
                    .to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_");
                format!("%{escaped}%")
            });
        self.store().read(|c| {
            let ids: Vec<i64> = c
                .prepare_cached(
                    "SELECT cu.id FROM customers cu \
                     WHERE ?1 IS NULL OR cu.name_key LIKE ?1 ESCAPE '\\' \
                        OR lower(ifnull(cu.contact, '')) LIKE ?1 ESCAPE '\\' \
                     ORDER BY (SELECT max(o.created_at) FROM orders o WHERE o.customer_id = cu.id) \
                        DESC NULLS LAST, cu.id DESC \
                     LIMIT ?2",
                )?
                .query_map(params![search, limit], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?;
            ids.into_iter().map(|id| customer_by_id(c, id)).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_keyed_ignoring_case_and_spacing() {
        assert_eq!(
            check_name("  Acme   Media ").unwrap(),
            ("Acme Media".to_string(), "acme media".to_string())
        );
        assert_eq!(check_name("متجر  سارة").unwrap().0, "متجر سارة");
        assert!(check_name("👩‍💻 Dev").is_ok(), "ZWJ in emoji is allowed");
    }

    #[test]
    fn bad_names_name_their_field() {
        for bad in [
            "",
            "   ",
            "a\u{200B}b",
            "x\u{202E}gnp.exe",
            "tab\there",
            &"n".repeat(101),
        ] {
            match check_name(bad) {
                Err(EngineError::Input { field, .. }) => assert_eq!(field, "customer", "{bad:?}"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
        assert!(check_contact(Some(&"c".repeat(201))).is_err());
        assert_eq!(check_contact(Some("  ")).unwrap(), None);
    }
}
