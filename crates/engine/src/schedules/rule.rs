//! When a schedule's occurrences fall: the rule as given (strings, checked field by field)
//! and the rule compiled against its IANA time zone.
//!
//! Days and weekdays are wall-clock time in the zone (civil arithmetic: "every day at 09:00"
//! stays at 09:00 across a daylight-saving change); hours are elapsed time (every 6 hours is
//! 6 real hours, also across the change). A local time that does not exist (the hour skipped
//! in spring) is moved forward by the gap; a local time that exists twice (autumn) is its
//! first instance (jiff's "compatible" disambiguation, as RFC 5545 does).

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

use crate::error::{EngineError, Result};

/// The most occurrences a series may have.
pub const MAX_COUNT: u32 = 100_000;
/// The longest interval: a year of hours, or ten years of days.
const MAX_HOURS: u32 = 24 * 366;
const MAX_DAYS: u32 = 3660;

/// How a schedule repeats.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Repeat {
    /// Once, at the start.
    Once,
    /// Every `every` hours of elapsed time from the start.
    Hours {
        /// Hours between occurrences (1..=8784).
        every: u32,
    },
    /// Every `every` days at the start's local time.
    Days {
        /// Days between occurrences (1..=3660).
        every: u32,
    },
    /// On these weekdays at a local time.
    Weekdays {
        /// Weekdays: `mon`, `tue`, `wed`, `thu`, `fri`, `sat`, `sun` (or the full English names).
        days: Vec<String>,
        /// The local time of day, `HH:MM` (or `HH:MM:SS`).
        time: String,
    },
}

/// When a schedule's occurrences fall, as the user gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "camelCase")]
pub struct ScheduleRule {
    /// The IANA time zone the local times are in (`Europe/Berlin`, `Asia/Riyadh`, `UTC`).
    pub zone: String,
    /// The first occurrence (`Once`: the only one), a local date-time `2026-12-01T09:00`.
    /// Weekdays: the series starts on or after it. Absent: now (not for `Once`).
    pub start: Option<String>,
    /// How it repeats.
    pub repeat: Repeat,
    /// No occurrence after this local date (the whole day included) or date-time.
    pub until: Option<String>,
    /// At most this many occurrences (placed, skipped or missed alike).
    pub count: Option<u32>,
}

/// A rule checked and bound to its zone.
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    tz: TimeZone,
    /// The first occurrence's local date-time (Weekdays: the earliest allowed).
    start: DateTime,
    /// The first occurrence's instant (Weekdays: the earliest allowed).
    start_at: Timestamp,
    repeat: Compiled1,
    /// Occurrences must be before this instant.
    until_before: Option<Timestamp>,
    count: Option<u32>,
}

#[derive(Debug, Clone)]
enum Compiled1 {
    Once,
    Hours(i64),
    Days(i64),
    Weekdays([bool; 7], Time),
}

fn weekday(name: &str) -> Option<Weekday> {
    let n = name.trim().to_ascii_lowercase();
    let all = [
        ("mon", "monday", Weekday::Monday),
        ("tue", "tuesday", Weekday::Tuesday),
        ("wed", "wednesday", Weekday::Wednesday),
        ("thu", "thursday", Weekday::Thursday),
        ("fri", "friday", Weekday::Friday),
        ("sat", "saturday", Weekday::Saturday),
        ("sun", "sunday", Weekday::Sunday),
    ];
    all.iter()
        .find(|(short, long, _)| n == *short || n == *long)
        .map(|(_, _, w)| *w)
}

/// The short name of a weekday (`mon`).
fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Monday => "mon",
        Weekday::Tuesday => "tue",
        Weekday::Wednesday => "wed",
        Weekday::Thursday => "thu",
        Weekday::Friday => "fri",
        Weekday::Saturday => "sat",
        Weekday::Sunday => "sun",
    }
}

fn local_datetime(field: &'static str, text: &str) -> Result<DateTime> {
    let t = text.trim();
    t.parse::<DateTime>().map_err(|_| {
        EngineError::input(
            field,
            format!("\"{t}\" is not a local date and time like 2026-12-01T09:00"),
        )
    })
}

/// The zone with this IANA name.
pub(crate) fn zone(name: &str) -> Result<TimeZone> {
    let n = name.trim();
    if n.is_empty() {
        return Err(EngineError::input(
            "zone",
            "a time zone is needed (an IANA name such as Europe/Berlin)",
        ));
    }
    TimeZone::get(n).map_err(|_| {
        EngineError::input(
            "zone",
            format!("\"{n}\" is not a known IANA time zone (such as Europe/Berlin)"),
        )
    })
}

impl ScheduleRule {
    /// Checks the rule (every field named when wrong) and binds it to its zone. `now` stands
    /// for an absent start.
    pub(crate) fn compile(&self, now: Timestamp) -> Result<Compiled> {
        let tz = zone(&self.zone)?;
        let start = match &self.start {
            Some(s) => local_datetime("start", s)?,
            None if self.repeat == Repeat::Once => {
                return Err(EngineError::input(
                    "start",
                    "a one-time schedule needs its date and time",
                ))
            }
            // Now, to the minute (a series "from now" starts on a round minute).
            None => {
                let local = now.to_zoned_datetime(tz.clone()).datetime();
                local
                    .with()
                    .second(0)
                    .subsec_nanosecond(0)
                    .build()
                    .map_err(|e| EngineError::Internal(e.to_string()))?
            }
        };
        let repeat = match &self.repeat {
            Repeat::Once => Compiled1::Once,
            Repeat::Hours { every } => {
                if !(1..=MAX_HOURS).contains(every) {
                    return Err(EngineError::input(
                        "every",
                        format!("every 1 to {MAX_HOURS} hours (got {every})"),
                    ));
                }
                Compiled1::Hours(i64::from(*every))
            }
            Repeat::Days { every } => {
                if !(1..=MAX_DAYS).contains(every) {
                    return Err(EngineError::input(
                        "every",
                        format!("every 1 to {MAX_DAYS} days (got {every})"),
                    ));
                }
                Compiled1::Days(i64::from(*every))
            }
            Repeat::Weekdays { days, time } => {
                if days.is_empty() {
                    return Err(EngineError::input(
                        "weekdays",
                        "choose at least one weekday (mon, tue, wed, thu, fri, sat, sun)",
                    ));
                }
                let mut set = [false; 7];
                for d in days {
                    let w = weekday(d).ok_or_else(|| {
                        EngineError::input(
                            "weekdays",
                            format!(
                                "\"{}\" is not a weekday (mon, tue, wed, thu, fri, sat, sun)",
                                d.trim()
                            ),
                        )
                    })?;
                    set[w.to_monday_zero_offset() as usize] = true;
                }
                let t = time.trim();
                let time = t.parse::<Time>().map_err(|_| {
                    EngineError::input("time", format!("\"{t}\" is not a time of day like 09:00"))
                })?;
                Compiled1::Weekdays(set, time)
            }
        };
        if self.count == Some(0) {
            return Err(EngineError::input("count", "at least 1 occurrence"));
        }
        if let Some(c) = self.count.filter(|c| *c > MAX_COUNT) {
            return Err(EngineError::input(
                "count",
                format!("at most {MAX_COUNT} occurrences (got {c})"),
            ));
        }
        let start_at = to_instant(&tz, start)?;
        let until_before = match &self.until {
            None => None,
            Some(u) => {
                let u = u.trim();
                let bound = if let Ok(date) = u.parse::<Date>() {
                    // The whole day: before the next day's midnight.
                    let next = date
                        .checked_add(1.day())
                        .map_err(|_| EngineError::input("until", "too far in the future"))?;
                    to_instant(&tz, next.to_datetime(Time::midnight()))?
                } else {
                    let dt = local_datetime("until", u)?;
                    to_instant(&tz, dt)?
                        .checked_add(Span::new().milliseconds(1))
                        .map_err(|_| EngineError::input("until", "too far in the future"))?
                };
                if bound <= start_at {
                    return Err(EngineError::input(
                        "until",
                        format!("{u} is before the start"),
                    ));
                }
                Some(bound)
            }
        };
        Ok(Compiled {
            tz,
            start,
            start_at,
            repeat,
            until_before,
            count: self.count,
        })
    }

    /// The rule in a few words (`every day at 09:00 Europe/Berlin`), for lists.
    pub fn describe(&self) -> String {
        let zone = self.zone.trim();
        let start = self.start.as_deref().unwrap_or("now");
        let mut text = match &self.repeat {
            Repeat::Once => format!("once at {start} {zone}"),
            Repeat::Hours { every: 1 } => format!("every hour from {start} {zone}"),
            Repeat::Hours { every } => format!("every {every} hours from {start} {zone}"),
            Repeat::Days { every: 1 } => format!("every day from {start} {zone}"),
            Repeat::Days { every } => format!("every {every} days from {start} {zone}"),
            Repeat::Weekdays { days, time } => {
                let names: Vec<&str> = days
                    .iter()
                    .filter_map(|d| weekday(d))
                    .map(weekday_name)
                    .collect();
                format!("{} at {time} {zone}", names.join(","))
            }
        };
        if let Some(u) = &self.until {
            text.push_str(&format!(" until {u}"));
        }
        if let Some(c) = self.count {
            text.push_str(&format!(", {c} times"));
        }
        text
    }
}

/// A local date-time in `tz` as an instant (gap: moved forward; fold: the first).
fn to_instant(tz: &TimeZone, dt: DateTime) -> Result<Timestamp> {
    dt.to_zoned_datetime(tz.clone())
        .map(|z| z.timestamp())
        .map_err(|e| EngineError::input("start", format!("out of range: {e}")))
}

impl Compiled {
    /// The first occurrence at or after `from` (`from` is usually the start): its instant and
    /// its 0-based index in the series. None when the series has none left.
    pub(crate) fn first(&self) -> Option<(Timestamp, u64)> {
        let at = match &self.repeat {
            Compiled1::Weekdays(..) => self.weekday_at_or_after(self.start_at)?,
            _ => self.start_at,
        };
        self.bounded(at, 0)
    }

    /// The occurrence after occurrence `index` at `at`; None when the series is over.
    pub(crate) fn following(&self, at: Timestamp, index: u64) -> Option<(Timestamp, u64)> {
        let next = index.checked_add(1)?;
        let when = match &self.repeat {
            Compiled1::Once => return None,
            Compiled1::Hours(h) => self
                .start_at
                .checked_add(
                    Span::new()
                        .try_hours(h.checked_mul(i64::try_from(next).ok()?)?)
                        .ok()?,
                )
                .ok()?,
            Compiled1::Days(d) => {
                let days = d.checked_mul(i64::try_from(next).ok()?)?;
                let local = self
                    .start
                    .checked_add(Span::new().try_days(days).ok()?)
                    .ok()?;
                to_instant(&self.tz, local).ok()?
            }
            Compiled1::Weekdays(..) => {
                self.weekday_at_or_after(at.checked_add(Span::new().milliseconds(1)).ok()?)?
            }
        };
        self.bounded(when, next)
    }

    fn bounded(&self, at: Timestamp, index: u64) -> Option<(Timestamp, u64)> {
        if self.count.is_some_and(|c| index >= u64::from(c)) {
            return None;
        }
        if self.until_before.is_some_and(|u| at >= u) {
            return None;
        }
        Some((at, index))
    }

    /// The first weekday occurrence at or after `from`.
    fn weekday_at_or_after(&self, from: Timestamp) -> Option<Timestamp> {
        let Compiled1::Weekdays(set, time) = &self.repeat else {
            return None;
        };
        let day = from.to_zoned_datetime(self.tz.clone()).date();
        // Eight days cover a whole week from any point, plus the day itself.
        for k in 0..=8 {
            let date = day.checked_add(Span::new().days(k)).ok()?;
            if !set[date.weekday().to_monday_zero_offset() as usize] {
                continue;
            }
            let at = to_instant(&self.tz, date.to_datetime(*time)).ok()?;
            if at >= from {
                return Some(at);
            }
        }
        None
    }

    /// The instant's local date-time in the rule's zone (`2026-12-01T09:00:00+01:00[Europe/Berlin]`).
    pub(crate) fn local(&self, at: Timestamp) -> String {
        at.to_zoned_datetime(self.tz.clone()).to_string()
    }

    /// The start as a local date-time (`2026-12-01T09:00:00`).
    pub(crate) fn start_local(&self) -> String {
        self.start.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(repeat: Repeat, start: &str) -> ScheduleRule {
        ScheduleRule {
            zone: "Europe/Berlin".into(),
            start: Some(start.into()),
            repeat,
            until: None,
            count: None,
        }
    }

    fn series(r: &ScheduleRule, n: usize) -> Vec<String> {
        let c = r.compile("2027-01-01T00:00:00Z".parse().unwrap()).unwrap();
        let mut out = Vec::new();
        let mut cur = c.first();
        while let Some((at, i)) = cur {
            if out.len() == n {
                break;
            }
            out.push(at.to_string());
            cur = c.following(at, i);
        }
        out
    }

    #[test]
    fn days_keep_the_local_time_across_the_spring_change() {
        // Berlin moves from +01:00 to +02:00 on Sunday 2027-03-28.
        let r = rule(Repeat::Days { every: 1 }, "2027-03-27T09:00");
        assert_eq!(
            series(&r, 3),
            [
                "2027-03-27T08:00:00Z",
                "2027-03-28T07:00:00Z",
                "2027-03-29T07:00:00Z"
            ]
        );
    }

    #[test]
    fn hours_are_elapsed_time_across_the_autumn_change() {
        // Berlin moves back from +02:00 to +01:00 on Sunday 2027-10-31 at 03:00.
        let r = rule(Repeat::Hours { every: 12 }, "2027-10-30T12:00");
        assert_eq!(
            series(&r, 3),
            [
                "2027-10-30T10:00:00Z",
                "2027-10-30T22:00:00Z",
                "2027-10-31T10:00:00Z"
            ]
        );
    }

    #[test]
    fn a_skipped_local_time_moves_forward_and_a_repeated_one_is_the_first() {
        let r = rule(
            Repeat::Weekdays {
                days: vec!["sun".into()],
                time: "02:30".into(),
            },
            "2027-03-27T00:00",
        );
        // 02:30 does not exist on 2027-03-28: 03:30 +02:00.
        assert_eq!(series(&r, 2)[0], "2027-03-28T01:30:00Z");
        let r = rule(
            Repeat::Weekdays {
                days: vec!["Sunday".into()],
                time: "02:30".into(),
            },
            "2027-10-30T00:00",
        );
        // 02:30 happens twice on 2027-10-31: the first, +02:00.
        assert_eq!(series(&r, 1), ["2027-10-31T00:30:00Z"]);
    }

    #[test]
    fn weekdays_until_a_date_include_that_whole_day() {
        let mut r = rule(
            Repeat::Weekdays {
                days: vec!["mon".into(), "thu".into()],
                time: "18:00".into(),
            },
            "2027-01-01T00:00",
        );
        r.until = Some("2027-01-11".into());
        // Friday 1st: next Monday 4th, Thursday 7th, Monday 11th (included).
        assert_eq!(
            series(&r, 10),
            [
                "2027-01-04T17:00:00Z",
                "2027-01-07T17:00:00Z",
                "2027-01-11T17:00:00Z"
            ]
        );
    }

    #[test]
    fn count_and_once_end_the_series() {
        let mut r = rule(Repeat::Days { every: 2 }, "2027-01-01T09:00");
        r.count = Some(2);
        assert_eq!(series(&r, 10).len(), 2);
        let r = rule(Repeat::Once, "2027-01-01T09:00");
        assert_eq!(series(&r, 10), ["2027-01-01T08:00:00Z"]);
    }

    #[test]
    fn bad_rules_name_their_field() {
        let now: Timestamp = "2027-01-01T00:00:00Z".parse().unwrap();
        let field = |r: ScheduleRule| match r.compile(now) {
            Err(EngineError::Input { field, .. }) => field,
            other => panic!("expected an input error, got {other:?}"),
        };
        let mut r = rule(Repeat::Days { every: 1 }, "2027-01-01T09:00");
        r.zone = "Mars/Olympus".into();
        assert_eq!(field(r), "zone");
        assert_eq!(
            field(rule(Repeat::Hours { every: 0 }, "2027-01-01T09:00")),
            "every"
        );
        assert_eq!(field(rule(Repeat::Days { every: 1 }, "tomorrow")), "start");
        let mut r = rule(Repeat::Days { every: 1 }, "2027-01-02T09:00");
        r.until = Some("2027-01-01".into());
        assert_eq!(field(r), "until");
        let mut r = rule(Repeat::Days { every: 1 }, "2027-01-02T09:00");
        r.count = Some(0);
        assert_eq!(field(r), "count");
        let days = |d: &[&str], t: &str| Repeat::Weekdays {
            days: d.iter().map(|s| s.to_string()).collect(),
            time: t.into(),
        };
        assert_eq!(
            field(rule(days(&["mon", "funday"], "09:00"), "2027-01-01T00:00")),
            "weekdays"
        );
        assert_eq!(
            field(rule(days(&[], "09:00"), "2027-01-01T00:00")),
            "weekdays"
        );
        assert_eq!(
            field(rule(days(&["mon"], "25:00"), "2027-01-01T00:00")),
            "time"
        );
        let mut r = rule(Repeat::Once, "x");
        r.start = None;
        assert_eq!(field(r), "start");
    }
}
