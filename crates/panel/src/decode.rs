//! Tolerant decoders of provider replies. Every function takes the raw body and never panics:
//! a reply it cannot use becomes a [`PanelError`] (or an [`ItemError`] for one batch item).
//!
//! Rules (real panels' replies are in `tests/fixtures/`): ids become strings, money exact
//! decimals, counts `Option<u64>`, flags bools; unknown fields are ignored; an object whose
//! only key is `error` is a whole-call error; a body that is not JSON is
//! [`PanelError::NonJson`]. PHP's displayed notices before the JSON (see [`php_notices`]) are
//! skipped when what follows them is one whole JSON value; any other mix stays not JSON.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use crate::client::BatchResult;
use crate::error::{snippet, ItemError, PanelError};
use crate::loose::Scalar;
use crate::service::{Service, ServiceType};
use crate::status::{
    Balance, CancelAccepted, OrderState, OrderStatus, PlacedOrder, RefillAccepted, RefillState,
    RefillStatus,
};

/// Longest snippet of a reply quoted in an error.
const SNIPPET_CHARS: usize = 200;

/// Decodes a `services` reply. Rows without a usable id, rate, min or max are skipped (and
/// logged); one bad row never loses the catalog.
pub fn services(body: &[u8]) -> Result<Vec<Service>, PanelError> {
    let body = json_start(body)?;
    let (parsed, body): (ServicesBody, &[u8]) = match serde_json::from_slice(body) {
        Ok(parsed) => (parsed, body),
        Err(_) => {
            let json = php_notices(body).ok_or_else(|| non_json(body))?.json;
            (
                serde_json::from_slice(json).map_err(|_| non_json(body))?,
                json,
            )
        }
    };
    match parsed {
        ServicesBody::Rows(rows) => {
            let total = rows.len();
            let services: Vec<Service> = rows.into_iter().flatten().collect();
            if services.len() < total {
                tracing::warn!(
                    skipped = total - services.len(),
                    "services: rows without a usable id, rate, min or max were skipped"
                );
            }
            Ok(services)
        }
        ServicesBody::Object(map) => Err(object_error(&map, body)
            .unwrap_or_else(|| unexpected("a JSON array of services", body))),
        ServicesBody::Other => Err(unexpected("a JSON array of services", body)),
    }
}

/// Decodes an `add` reply: `{"order": 23501}` or `{"order": "23501"}`; `{}` is an error.
pub fn placed_order(body: &[u8]) -> Result<PlacedOrder, PanelError> {
    let (map, body) = object(body, "an object with an order id")?;
    if let Some(order) = map.get("order") {
        if let Some(id) = Scalar::of(order).id() {
            return Ok(PlacedOrder { id });
        }
        if let Some(message) = error_text(order) {
            return Err(PanelError::provider(&message, 200));
        }
    }
    Err(object_error(&map, body).unwrap_or_else(|| unexpected("an order id", body)))
}

/// Decodes a single `status` reply (a bag of optional fields around `status`).
pub fn order_state(body: &[u8]) -> Result<OrderState, PanelError> {
    let (map, body) = object(body, "an object with a status")?;
    if let Some(e) = sole_error(&map) {
        return Err(e);
    }
    match state_of(&map) {
        Ok(state) => Ok(state),
        Err(Some(item)) => Err(item_to_call_error(item)),
        Err(None) => {
            Err(object_error(&map, body).unwrap_or_else(|| unexpected("an order status", body)))
        }
    }
}

/// Decodes a multi `status` reply: an object keyed by order id (also an array of items with
/// `order`). Every requested id is in the result; absent ones are [`ItemError::NotReturned`].
pub fn order_states(
    body: &[u8],
    requested: &[String],
) -> Result<BatchResult<OrderState>, PanelError> {
    let items = batch_items(body, requested, &["order", "id"], "status")?;
    Ok(collect(requested, items, |value| match value {
        Value::Object(map) => state_of(map).map_err(|e| item_failure(e, value)),
        other => Err(bare_item_error(other)),
    }))
}

/// Decodes a single `refill` reply: `{"refill":"1"}`, `{"refill":12345,"success":…}`, or
/// `{"status":"success","message":…}` (accepted without an id).
pub fn refill_accepted(body: &[u8]) -> Result<RefillAccepted, PanelError> {
    let (map, body) = object(body, "an object with a refill id")?;
    if let Some(e) = sole_error(&map) {
        return Err(e);
    }
    match refill_of(&map) {
        Ok(accepted) => Ok(accepted),
        Err(Some(item)) => Err(item_to_call_error(item)),
        Err(None) => {
            Err(object_error(&map, body).unwrap_or_else(|| unexpected("a refill id", body)))
        }
    }
}

/// Decodes a multi `refill` reply (`[{"order":1,"refill":1}, {"order":3,"refill":{"error":…}}]`),
/// keyed by order id.
pub fn refills_accepted(
    body: &[u8],
    requested: &[String],
) -> Result<BatchResult<RefillAccepted>, PanelError> {
    let items = batch_items(body, requested, &["order", "id"], "refill")?;
    Ok(collect(requested, items, |value| match value {
        Value::Object(map) => refill_of(map).map_err(|e| item_failure(e, value)),
        other => match Scalar::of(other).id() {
            Some(id) => Ok(RefillAccepted { id: Some(id) }),
            None => Err(bare_item_error(other)),
        },
    }))
}

/// Decodes a single `refill_status` reply: `{"status":"Completed"}`.
pub fn refill_state(body: &[u8]) -> Result<RefillState, PanelError> {
    let (map, body) = object(body, "an object with a refill status")?;
    if let Some(e) = sole_error(&map) {
        return Err(e);
    }
    match refill_state_of(&map) {
        Ok(state) => Ok(state),
        Err(Some(item)) => Err(item_to_call_error(item)),
        Err(None) => {
            Err(object_error(&map, body).unwrap_or_else(|| unexpected("a refill status", body)))
        }
    }
}

/// Decodes a multi `refill_status` reply (`[{"refill":1,"status":"Completed"},
/// {"refill":3,"status":{"error":…}}]`), keyed by refill id.
pub fn refill_states(
    body: &[u8],
    requested: &[String],
) -> Result<BatchResult<RefillState>, PanelError> {
    let items = batch_items(body, requested, &["refill", "id"], "status")?;
    Ok(collect(requested, items, |value| match value {
        Value::Object(map) => refill_state_of(map).map_err(|e| item_failure(e, value)),
        Value::String(raw) => Ok(RefillState {
            status: RefillStatus::parse(raw),
            raw_status: raw.trim().to_owned(),
        }),
        other => Err(bare_item_error(other)),
    }))
}

/// Decodes a `cancel` reply (`[{"order":9,"cancel":{"error":…}},{"order":2,"cancel":1}]`),
/// keyed by order id. `1`, `"1"`, `true` and `"requested"` mean accepted.
pub fn cancels(
    body: &[u8],
    requested: &[String],
) -> Result<BatchResult<CancelAccepted>, PanelError> {
    let items = batch_items(body, requested, &["order", "id"], "cancel")?;
    Ok(collect(requested, items, |value| match value {
        Value::Object(map) => match map.get("cancel") {
            Some(v) => cancel_value(v),
            None => Err(error_text(value)
                .map(|m| ItemError::provider(&m))
                .unwrap_or_else(|| malformed(value))),
        },
        other => cancel_value(other),
    }))
}

/// Decodes a `balance` reply: `{"balance":"100.84292","currency":"USD"}`; the currency may be
/// missing and the amount a number.
pub fn balance(body: &[u8]) -> Result<Balance, PanelError> {
    let (map, body) = object(body, "an object with a balance")?;
    if let Some(amount) = map.get("balance").and_then(|v| Scalar::of(v).money()) {
        return Ok(Balance {
            amount,
            currency: map
                .get("currency")
                .and_then(|v| Scalar::of(v).non_empty_text()),
        });
    }
    Err(object_error(&map, body).unwrap_or_else(|| unexpected("a balance amount", body)))
}

/// The provider's message when the body is a JSON object with an `error` text (any status).
pub(crate) fn error_message(body: &[u8]) -> Option<String> {
    match parse(body).ok()?.0 {
        value @ Value::Object(_) => error_text(&value),
        _ => None,
    }
}

/// The PHP notices a reply starts with, and the JSON after them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhpNotices<'b> {
    /// How many notices (Notice, Warning, Deprecated, Strict Standards) came first.
    pub count: usize,
    /// The rest of the body, from the first `{` or `[` after the last notice.
    pub json: &'b [u8],
}

/// PHP's displayed errors before a reply's JSON, as cheap hosting shows them
/// (`<br />\n<b>Notice</b>:  Undefined index: x in <b>/var/www/api.php</b> on line <b>12</b><br />`,
/// or the plain `Notice: … in /var/www/api.php on line 12`). `Some` only when the body starts
/// with one or more whole notices of the kinds that let the script go on (Notice, Warning,
/// Deprecated, Strict Standards), none holding a `{` or `[`, and what follows them starts with
/// `{` or `[`. Whether that rest is one whole JSON value is for the decoder to find out.
pub fn php_notices(body: &[u8]) -> Option<PhpNotices<'_>> {
    let mut rest = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let mut count = 0;
    loop {
        rest = trim_start(rest);
        if count > 0 && matches!(rest.first(), Some(b'{' | b'[')) {
            return Some(PhpNotices { count, json: rest });
        }
        rest = one_notice(rest)?;
        count += 1;
    }
}

/// The levels PHP names in a displayed error that does not stop the script.
const NOTICE_LEVELS: [&[u8]; 4] = [b"Notice", b"Warning", b"Deprecated", b"Strict Standards"];

/// The body after one displayed notice at its start, or `None` when it does not start with one.
fn one_notice(body: &[u8]) -> Option<&[u8]> {
    let mut rest = strip_break(body).map_or(body, trim_start);
    let html = match rest.strip_prefix(b"<b>") {
        Some(r) => {
            rest = r;
            true
        }
        None => {
            rest = rest.strip_prefix(b"PHP ").unwrap_or(rest);
            false
        }
    };
    let level = NOTICE_LEVELS.iter().find(|l| rest.starts_with(l))?;
    rest = &rest[level.len()..];
    if html {
        rest = rest.strip_prefix(b"</b>")?;
    }
    rest = rest.strip_prefix(b":")?;
    // The message and the file, on one line, up to " on line ".
    let line_end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let at = find(&rest[..line_end], b" on line ")?;
    let message = &rest[..at];
    if find(message, b" in ").is_none() || message.iter().any(|b| matches!(b, b'{' | b'[')) {
        return None;
    }
    rest = &rest[at + b" on line ".len()..];
    if html {
        rest = rest.strip_prefix(b"<b>")?;
    }
    let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    rest = &rest[digits..];
    if html {
        rest = rest.strip_prefix(b"</b>")?;
        rest = strip_break(rest).unwrap_or(rest);
    }
    Some(rest)
}

/// The body after an HTML line break (`<br />`, `<br/>`, `<br>`) at its start.
fn strip_break(body: &[u8]) -> Option<&[u8]> {
    [&b"<br />"[..], b"<br/>", b"<br>"]
        .iter()
        .find_map(|br| body.strip_prefix(*br))
}

fn trim_start(body: &[u8]) -> &[u8] {
    let start = body
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(body.len());
    &body[start..]
}

/// Where `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

// ---------------------------------------------------------------------------------------------
// Shared shapes.

/// Skips a UTF-8 byte-order mark and surrounding whitespace; an empty body is an error.
fn json_start(body: &[u8]) -> Result<&[u8], PanelError> {
    let body = body.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(body);
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    match start {
        Some(i) => Ok(&body[i..]),
        None => Err(PanelError::EmptyBody { http_status: 200 }),
    }
}

fn text_snippet(body: &[u8]) -> String {
    snippet(&String::from_utf8_lossy(body), SNIPPET_CHARS)
}

fn non_json(body: &[u8]) -> PanelError {
    PanelError::NonJson {
        http_status: 200,
        snippet: text_snippet(body),
    }
}

fn unexpected(what: &str, body: &[u8]) -> PanelError {
    PanelError::UnexpectedReply {
        detail: format!("expected {what}"),
        snippet: text_snippet(body),
    }
}

/// Parses a body as one JSON value, after PHP notices if it starts with some.
fn parse(body: &[u8]) -> Result<(Value, &[u8]), PanelError> {
    let body = json_start(body)?;
    match serde_json::from_slice(body) {
        Ok(value) => Ok((value, body)),
        Err(_) => {
            let json = php_notices(body).ok_or_else(|| non_json(body))?.json;
            let value = serde_json::from_slice(json).map_err(|_| non_json(body))?;
            Ok((value, json))
        }
    }
}

/// Parses a body that must be a JSON object.
fn object<'b>(body: &'b [u8], what: &str) -> Result<(Map<String, Value>, &'b [u8]), PanelError> {
    match parse(body)? {
        (Value::Object(map), body) => Ok((map, body)),
        (_, body) => Err(unexpected(what, body)),
    }
}

/// The text of an `error` value: a string, or `{"message": …}`, or the error under `error`.
fn error_text(value: &Value) -> Option<String> {
    let error = value.get("error")?;
    match error {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Value::Object(inner) => inner
            .get("message")
            .and_then(|m| Scalar::of(m).non_empty_text()),
        other => Scalar::of(other).non_empty_text(),
    }
}

/// `{"error": …}` as the only key: a whole-call provider error.
fn sole_error(map: &Map<String, Value>) -> Option<PanelError> {
    if map.len() != 1 {
        return None;
    }
    let value = map.get("error")?;
    let message = match value {
        Value::String(s) => s.trim().to_owned(),
        Value::Object(inner) => inner
            .get("message")
            .and_then(|m| Scalar::of(m).non_empty_text())?,
        other => Scalar::of(other).non_empty_text()?,
    };
    Some(PanelError::provider(&message, 200))
}

/// The error an object without the expected fields stands for: a sole `error`, a foreign
/// envelope, or an `error` beside other keys (`{"status":"error","error":…}`).
fn object_error(map: &Map<String, Value>, body: &[u8]) -> Option<PanelError> {
    if let Some(e) = sole_error(map) {
        return Some(e);
    }
    if map.contains_key("data") && map.contains_key("error") {
        return Some(PanelError::UnsupportedFormat {
            snippet: text_snippet(body),
        });
    }
    if let Some(message) = error_text(&Value::Object(map.clone())) {
        return Some(PanelError::provider(&message, 200));
    }
    let status = map.get("status").and_then(|s| s.as_str()).unwrap_or("");
    if status.eq_ignore_ascii_case("error") || status.eq_ignore_ascii_case("fail") {
        let message = map
            .get("message")
            .and_then(|m| Scalar::of(m).non_empty_text())
            .unwrap_or_else(|| status.to_owned());
        return Some(PanelError::provider(&message, 200));
    }
    None
}

/// A per-item error in a single call becomes a whole-call provider error.
fn item_to_call_error(item: ItemError) -> PanelError {
    match item {
        ItemError::Provider { reason, message } => PanelError::Provider {
            reason,
            message,
            http_status: 200,
            retry_after: None,
        },
        ItemError::Call(e) => *e,
        other => PanelError::UnexpectedReply {
            detail: other.to_string(),
            snippet: String::new(),
        },
    }
}

/// The error of a batch item that did not decode: its own `error`, else malformed.
fn item_failure(e: Option<ItemError>, value: &Value) -> ItemError {
    e.or_else(|| nested_error(value))
        .unwrap_or_else(|| malformed(value))
}

fn malformed(value: &Value) -> ItemError {
    ItemError::Malformed(snippet(&value.to_string(), SNIPPET_CHARS))
}

/// A non-object batch item: a bare string is the provider's message (SmartPanel).
fn bare_item_error(value: &Value) -> ItemError {
    match value {
        Value::String(s) if !s.trim().is_empty() => ItemError::provider(s),
        other => malformed(other),
    }
}

/// An item value that is `{"error": …}` (or holds an `error` text).
fn nested_error(value: &Value) -> Option<ItemError> {
    error_text(value).map(|m| ItemError::provider(&m))
}

/// Splits a batch reply into `(id, item)` pairs, whatever its shape: an array of items carrying
/// their id under one of `id_keys`, an object keyed by id, or (for one requested id) the single
/// form carrying `single_key`.
fn batch_items(
    body: &[u8],
    requested: &[String],
    id_keys: &[&str],
    single_key: &str,
) -> Result<Vec<(String, Value)>, PanelError> {
    let (value, body) = parse(body)?;
    match value {
        Value::Array(items) => Ok(items
            .into_iter()
            .filter_map(|item| {
                let id = id_keys
                    .iter()
                    .find_map(|k| item.get(k).and_then(|v| Scalar::of(v).id()))?;
                Some((id, item))
            })
            .collect()),
        Value::Object(map) => {
            if let Some(e) = sole_error(&map) {
                return Err(e);
            }
            let keyed = requested.iter().any(|id| map.contains_key(id));
            if !keyed {
                if map.contains_key("data") && map.contains_key("error") {
                    return Err(PanelError::UnsupportedFormat {
                        snippet: text_snippet(body),
                    });
                }
                if requested.len() == 1 && map.contains_key(single_key) {
                    return Ok(vec![(requested[0].clone(), Value::Object(map))]);
                }
                if let Some(e) = object_error(&map, body) {
                    return Err(e);
                }
            }
            Ok(map.into_iter().collect())
        }
        _ => Err(unexpected("a batch of items", body)),
    }
}

/// Builds the result for every requested id from the items found.
fn collect<T>(
    requested: &[String],
    items: Vec<(String, Value)>,
    decode: impl Fn(&Value) -> Result<T, ItemError>,
) -> BatchResult<T> {
    let mut found: std::collections::HashMap<String, Value> = items.into_iter().collect();
    requested
        .iter()
        .map(|id| {
            let result = match found.remove(id) {
                Some(value) => decode(&value),
                None => Err(ItemError::NotReturned),
            };
            (id.clone(), result)
        })
        .collect()
}

/// An order state from a status object; `Err(Some)` for an item error, `Err(None)` when the
/// object has no status at all.
fn state_of(map: &Map<String, Value>) -> Result<OrderState, Option<ItemError>> {
    let Some(status) = map.get("status") else {
        return Err(None);
    };
    if status.is_object() {
        return Err(nested_error(status));
    }
    let Some(raw) = Scalar::of(status).non_empty_text() else {
        return Err(None);
    };
    if raw.eq_ignore_ascii_case("error") || raw.eq_ignore_ascii_case("fail") {
        let message = map
            .get("error")
            .or_else(|| map.get("message"))
            .and_then(|m| Scalar::of(m).non_empty_text())
            .unwrap_or(raw);
        return Err(Some(ItemError::provider(&message)));
    }
    let count = |k: &str| map.get(k).and_then(|v| Scalar::of(v).count());
    let child_orders = match map.get("orders") {
        Some(Value::Array(ids)) => ids.iter().filter_map(|v| Scalar::of(v).id()).collect(),
        Some(Value::String(s)) => s
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    };
    Ok(OrderState {
        status: OrderStatus::parse(&raw),
        raw_status: raw,
        charge: map.get("charge").and_then(|v| Scalar::of(v).money()),
        start_count: count("start_count"),
        remains: count("remains"),
        currency: map
            .get("currency")
            .and_then(|v| Scalar::of(v).non_empty_text()),
        runs: count("runs"),
        posts: count("posts"),
        child_orders,
    })
}

fn refill_of(map: &Map<String, Value>) -> Result<RefillAccepted, Option<ItemError>> {
    match map.get("refill") {
        Some(v) if v.is_object() => Err(nested_error(v)),
        Some(v) => match Scalar::of(v).id() {
            Some(id) => Ok(RefillAccepted { id: Some(id) }),
            None => Err(None),
        },
        None => {
            if map.contains_key("error") {
                return Err(None);
            }
            let success = map
                .get("status")
                .and_then(|s| s.as_str())
                .is_some_and(|s| s.trim().eq_ignore_ascii_case("success"))
                || map.contains_key("success");
            if success {
                Ok(RefillAccepted { id: None })
            } else {
                Err(None)
            }
        }
    }
}

fn refill_state_of(map: &Map<String, Value>) -> Result<RefillState, Option<ItemError>> {
    match map.get("status") {
        Some(v) if v.is_object() => Err(nested_error(v)),
        Some(v) => match Scalar::of(v).non_empty_text() {
            Some(raw) => Ok(RefillState {
                status: RefillStatus::parse(&raw),
                raw_status: raw,
            }),
            None => Err(None),
        },
        None => Err(None),
    }
}

fn cancel_value(value: &Value) -> Result<CancelAccepted, ItemError> {
    if value.is_object() {
        return Err(nested_error(value).unwrap_or_else(|| malformed(value)));
    }
    match Scalar::of(value) {
        Scalar::Str(s) => {
            let t = s.trim().to_ascii_lowercase();
            match t.as_str() {
                "1" | "true" | "requested" | "success" | "ok" | "accepted" => Ok(CancelAccepted),
                "0" | "false" | "" => Err(ItemError::provider("cancel not accepted")),
                _ => Err(ItemError::provider(&s)),
            }
        }
        other => match other.flag() {
            Some(true) => Ok(CancelAccepted),
            Some(false) => Err(ItemError::provider("cancel not accepted")),
            None => Err(malformed(value)),
        },
    }
}

// ---------------------------------------------------------------------------------------------
// The fast path for large catalogs: rows decoded straight from the bytes, no `Value` tree.

enum ServicesBody {
    Rows(Vec<Option<Service>>),
    Object(Map<String, Value>),
    Other,
}

impl<'de> Deserialize<'de> for ServicesBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ServicesBodyVisitor)
    }
}

struct ServicesBodyVisitor;

impl<'de> Visitor<'de> for ServicesBodyVisitor {
    type Value = ServicesBody;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a services array")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(100_000));
        while let Some(row) = seq.next_element::<ServiceRow>()? {
            rows.push(row.0);
        }
        Ok(ServicesBody::Rows(rows))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = Map::new();
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            out.insert(k, v);
        }
        Ok(ServicesBody::Object(out))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ServicesBody::Other)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ServicesBody::Other)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ServicesBody::Other)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ServicesBody::Other)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ServicesBody::Other)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ServicesBody::Other)
    }
}

/// One catalog row; `None` when it cannot be used.
struct ServiceRow(Option<Service>);

impl<'de> Deserialize<'de> for ServiceRow {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ServiceRowVisitor)
    }
}

/// Row field names we read; everything else is skipped.
enum Field {
    Service,
    Name,
    Type,
    Category,
    Rate,
    Min,
    Max,
    Refill,
    Cancel,
    Dripfeed,
    Desc,
    Ignored,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a field name")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                Ok(match v {
                    "service" => Field::Service,
                    "name" => Field::Name,
                    "type" => Field::Type,
                    "category" => Field::Category,
                    "rate" => Field::Rate,
                    "min" => Field::Min,
                    "max" => Field::Max,
                    "refill" => Field::Refill,
                    "cancel" => Field::Cancel,
                    "dripfeed" => Field::Dripfeed,
                    "desc" | "description" => Field::Desc,
                    _ => Field::Ignored,
                })
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct ServiceRowVisitor;

impl<'de> Visitor<'de> for ServiceRowVisitor {
    type Value = ServiceRow;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a service object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id = None;
        let mut name = None;
        let mut service_type = None;
        let mut category = None;
        let mut rate = None;
        let mut min = None;
        let mut max = None;
        let mut refill = None;
        let mut cancel = None;
        let mut dripfeed = None;
        let mut description = None;
        while let Some(field) = map.next_key::<Field>()? {
            if let Field::Ignored = field {
                map.next_value::<IgnoredAny>()?;
                continue;
            }
            let value: Scalar<'de> = map.next_value()?;
            match field {
                Field::Service => id = value.id(),
                Field::Name => name = value.text(),
                Field::Type => service_type = value.non_empty_text(),
                Field::Category => category = value.text(),
                Field::Rate => rate = value.money(),
                Field::Min => min = value.count(),
                Field::Max => max = value.count(),
                Field::Refill => refill = value.flag(),
                Field::Cancel => cancel = value.flag(),
                Field::Dripfeed => dripfeed = value.flag(),
                Field::Desc => description = value.text().filter(|d| !d.trim().is_empty()),
                Field::Ignored => {}
            }
        }
        let row = (|| {
            let rate = rate.filter(|r| !r.is_sign_negative())?;
            Some(Service {
                id: id?,
                name: name.unwrap_or_default(),
                service_type: service_type
                    .as_deref()
                    .map_or(ServiceType::Default, ServiceType::parse),
                category: category.unwrap_or_default(),
                rate,
                min: min?,
                max: max?,
                refill: refill.unwrap_or(false),
                cancel: cancel.unwrap_or(false),
                dripfeed: dripfeed.unwrap_or(false),
                description,
            })
        })();
        Ok(ServiceRow(row))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ServiceRow(None))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(ServiceRow(None))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(ServiceRow(None))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(ServiceRow(None))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(ServiceRow(None))
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(ServiceRow(None))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(ServiceRow(None))
    }
}
