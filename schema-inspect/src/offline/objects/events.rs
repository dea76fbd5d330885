//! MySQL events: `CREATE EVENT`, `ALTER EVENT` and `DROP EVENT` into
//! [`schema_model::Event`]s, in the canonical form the model documents (MariaDB 10.11's
//! `information_schema.EVENTS`). The statements themselves are read token by token in
//! `fallback.rs`, which hands over their clauses as written; this file turns those
//! into canonical values and keeps the schema's events.

use super::{already_exists, does_not_exist, ignored};
use crate::Location;
use crate::offline::expr::{canonical, parse_expr};
use crate::offline::{Outcome, Replay, Result};
use schema_model::{Event, EventSchedule, EventStatus, QualifiedName};
use sqlparser::ast::ObjectName;

/// A timestamp of `AT`, `STARTS` or `ENDS` as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TimeText {
    /// A string literal, alone or after `TIMESTAMP`/`DATETIME`.
    Literal(String),
    /// `CURRENT_TIMESTAMP`, `NOW()` and their synonyms: the moment the statement runs.
    Now,
    /// Anything else, as written.
    Expression(String),
}

/// An `EVERY` interval's value as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum IntervalText {
    /// A numeric literal, as written (`1`, `1.5`).
    Number(String),
    /// A string literal's value (`1 4`).
    String(String),
    /// Anything else, as written.
    Expression(String),
}

/// `ON SCHEDULE` as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ScheduleText {
    At(TimeText),
    Every {
        value: IntervalText,
        /// The unit, uppercase.
        unit: String,
        starts: Option<TimeText>,
        ends: Option<TimeText>,
    },
}

/// The clauses of a `CREATE EVENT` or `ALTER EVENT`, each `None` when not written.
#[derive(Debug, Clone, Default)]
pub(crate) struct EventClauses {
    pub schedule: Option<ScheduleText>,
    pub preserve: Option<bool>,
    pub status: Option<EventStatus>,
    pub comment: Option<String>,
    /// `ALTER EVENT ... RENAME TO`.
    pub rename: Option<ObjectName>,
    pub body: Option<String>,
}

/// Units an event's interval may have (MICROSECOND ones are refused by the server).
pub(crate) const UNITS: [&str; 15] = [
    "YEAR",
    "QUARTER",
    "MONTH",
    "WEEK",
    "DAY",
    "HOUR",
    "MINUTE",
    "SECOND",
    "YEAR_MONTH",
    "DAY_HOUR",
    "DAY_MINUTE",
    "DAY_SECOND",
    "HOUR_MINUTE",
    "HOUR_SECOND",
    "MINUTE_SECOND",
];

/// How many fields a compound unit's string has, and the factor of each field to the
/// next smaller one (`DAY_MINUTE`: days, hours, minutes = ×24, ×60).
fn compound_fields(unit: &str) -> Option<&'static [u64]> {
    Some(match unit {
        "YEAR_MONTH" => &[12],
        "DAY_HOUR" => &[24],
        "DAY_MINUTE" => &[24, 60],
        "DAY_SECOND" => &[24, 60, 60],
        "HOUR_MINUTE" => &[60],
        "HOUR_SECOND" => &[60, 60],
        "MINUTE_SECOND" => &[60],
        _ => return None,
    })
}

/// The separator MariaDB prints before each field after the first.
fn separators(unit: &str) -> &'static [&'static str] {
    match unit {
        "YEAR_MONTH" => &["-"],
        "DAY_HOUR" => &[" "],
        "DAY_MINUTE" => &[" ", ":"],
        "DAY_SECOND" => &[" ", ":", ":"],
        _ => &[":", ":"],
    }
}

/// The interval as the server reprints it (`Events::reconstruct_interval_expression`):
/// the value is stored as one number of the unit's smallest field, so compound values
/// come back normalised (`'1:65' HOUR_MINUTE` is `'2:5'`) and quoted; a simple unit's
/// value is a whole number, a decimal literal rounded half up (`1.5` is `2`) and a
/// string read up to its first non-digit (`'1.5'` is `1`). Values the loader cannot
/// evaluate (expressions, negative or zero values the server refuses) are `None`.
pub(crate) fn canonical_interval(value: &IntervalText, unit: &str) -> Option<String> {
    let Some(factors) = compound_fields(unit) else {
        let number = match value {
            IntervalText::Number(n) => round_half_up(n),
            IntervalText::String(s) => leading_integer(s),
            IntervalText::Expression(_) => None,
        };
        return number.filter(|n| *n > 0).map(|n| n.to_string());
    };
    // A compound unit reads a number's text like a string's: `1.5 DAY_HOUR` is `'1 5'`.
    let text = match value {
        IntervalText::Number(n) | IntervalText::String(n) => n,
        IntervalText::Expression(_) => return None,
    };
    if text.trim_start().starts_with('-') {
        return None;
    }
    let groups: Vec<u64> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .map(|g| g.parse::<u64>().ok())
        .collect::<Option<_>>()
        .unwrap_or_default();
    let fields = factors.len() + 1;
    if groups.is_empty() || groups.len() > fields {
        return None;
    }
    // Fewer fields than the unit has fill it from the right: `'5' DAY_HOUR` is 5 hours.
    let mut values = vec![0u64; fields - groups.len()];
    values.extend(groups);
    let mut total: u64 = values.first().copied().unwrap_or_default();
    for (factor, value) in factors.iter().zip(values.iter().skip(1)) {
        total = total.checked_mul(*factor)?.checked_add(*value)?;
    }
    if total == 0 {
        return None;
    }
    // Split the total back into fields, the largest taking what is left over.
    let mut parts = Vec::with_capacity(fields);
    let mut rest = total;
    for factor in factors.iter().rev() {
        parts.push(rest % factor);
        rest /= factor;
    }
    parts.push(rest);
    parts.reverse();
    let mut out = String::from("'");
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            out.push_str(separators(unit).get(i - 1).copied().unwrap_or(":"));
        }
        out.push_str(&part.to_string());
    }
    out.push('\'');
    Some(out)
}

/// A decimal literal as a whole number, rounded half up; `None` if it is not one.
fn round_half_up(text: &str) -> Option<u64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    if !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let up = fraction.chars().next().is_some_and(|c| c >= '5');
    Some(whole + u64::from(up))
}

/// The digits a string starts with, as a number (how the server reads `'3'` for a
/// simple unit).
fn leading_integer(text: &str) -> Option<u64> {
    let digits: String = text
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// A timestamp literal as `YYYY-MM-DD HH:MM:SS`, the way the server stores it: any
/// punctuation between the fields, a date alone at midnight, `YYYYMMDD[HHMMSS]`
/// without separators, two-digit years in 1970-2069, fractions of a second dropped.
/// `None` when it is not a timestamp the loader can read.
pub(crate) fn canonical_timestamp(text: &str) -> Option<String> {
    let text = text.trim();
    let mut fields: Vec<u32> = Vec::new();
    let mut year_digits = 0;
    if !text.is_empty() && text.chars().all(|c| c.is_ascii_digit()) {
        if text.len() != 8 && text.len() != 14 {
            return None;
        }
        year_digits = 4;
        let parts = [0..4, 4..6, 6..8, 8..10, 10..12, 12..14];
        for range in parts {
            if let Some(part) = text.get(range) {
                fields.push(part.parse().ok()?);
            }
        }
    } else {
        for (i, group) in text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .enumerate()
        {
            if i == 0 {
                year_digits = group.len();
            }
            // Fractional seconds (the seventh field) are truncated by the server.
            if i < 6 {
                fields.push(group.parse().ok()?);
            }
        }
    }
    if fields.len() != 3 && fields.len() < 6 {
        return None;
    }
    let mut year = *fields.first()?;
    if year_digits <= 2 {
        year += if year < 70 { 2000 } else { 1900 };
    }
    let field = |i: usize| fields.get(i).copied().unwrap_or(0);
    let (month, day, hour, minute, second) = (field(1), field(2), field(3), field(4), field(5));
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60;
    valid.then(|| format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}:{second:02}"))
}

/// A timestamp in canonical form: the literal's value, or the expression canonical.
fn canonical_time(replay: &Replay, time: &TimeText) -> String {
    match time {
        TimeText::Literal(text) => {
            canonical_timestamp(text).unwrap_or_else(|| format!("'{}'", text.replace('\'', "''")))
        }
        TimeText::Now => "current_timestamp()".to_owned(),
        TimeText::Expression(text) => canonical_text(replay, text),
    }
}

fn canonical_text(replay: &Replay, text: &str) -> String {
    match parse_expr(replay.dialect, text) {
        Some(expr) => canonical(replay, &expr),
        None => text.trim().to_owned(),
    }
}

/// `ON SCHEDULE` in canonical form.
fn schedule(replay: &Replay, text: &ScheduleText) -> EventSchedule {
    match text {
        ScheduleText::At(time) => EventSchedule::At(canonical_time(replay, time)),
        ScheduleText::Every {
            value,
            unit,
            starts,
            ends,
        } => EventSchedule::Every {
            interval: canonical_interval(value, unit).unwrap_or_else(|| match value {
                IntervalText::Number(n) => n.clone(),
                IntervalText::String(s) => format!("'{}'", s.replace('\'', "''")),
                IntervalText::Expression(e) => canonical_text(replay, e),
            }),
            unit: unit.clone(),
            // Starting when the statement runs is what no STARTS means.
            starts: starts
                .as_ref()
                .filter(|s| **s != TimeText::Now)
                .map(|s| canonical_time(replay, s)),
            ends: ends.as_ref().map(|e| canonical_time(replay, e)),
        },
    }
}

fn comment(text: Option<&String>) -> Option<String> {
    text.filter(|c| !c.is_empty()).cloned()
}

/// `CREATE [OR REPLACE] EVENT [IF NOT EXISTS] name ...`.
pub(crate) fn create_event(
    replay: &mut Replay,
    name: &ObjectName,
    clauses: &EventClauses,
    or_replace: bool,
    if_not_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let qn = replay.create_name(name, loc)?;
    let (Some(schedule_text), Some(body)) = (&clauses.schedule, &clauses.body) else {
        return Err(crate::offline::invalid(
            loc,
            format!("event \"{qn}\" needs ON SCHEDULE and DO"),
        ));
    };
    let event = Event {
        name: qn.name.clone(),
        schedule: schedule(replay, schedule_text),
        preserve: clauses.preserve.unwrap_or(false),
        status: clauses.status.unwrap_or_default(),
        comment: comment(clauses.comment.as_ref()),
        body: body.clone(),
    };
    let events = &mut replay.realm.schema_mut(&qn.schema).events;
    if events.contains_key(&qn.name) {
        if if_not_exists {
            return ignored(format!("event \"{qn}\" already exists, skipping"));
        }
        if !or_replace {
            return Err(already_exists(loc, "event", &qn));
        }
    }
    events.insert(qn.name, event);
    Ok(Outcome::Applied)
}

/// Finds an existing event: unqualified names are in the current database.
fn locate(replay: &Replay, name: &ObjectName, loc: &Location) -> Result<QualifiedName> {
    replay.resolve_name(name, loc, |realm, qn: &QualifiedName| {
        realm
            .schemas
            .get(&qn.schema)
            .is_some_and(|s| s.events.contains_key(&qn.name))
    })
}

/// `ALTER EVENT name ...`: only the clauses written change. A new schedule replaces
/// the old one whole (its `STARTS` and `ENDS` too), as on the server.
pub(crate) fn alter_event(
    replay: &mut Replay,
    name: &ObjectName,
    clauses: &EventClauses,
    loc: &Location,
) -> Result<Outcome> {
    let qn = locate(replay, name, loc)?;
    let new_schedule = clauses.schedule.as_ref().map(|s| schedule(replay, s));
    let target = match &clauses.rename {
        Some(new_name) => Some(replay.create_name(new_name, loc)?),
        None => None,
    };
    if let Some(target) = &target
        && *target != qn
        && replay
            .realm
            .schema(&target.schema)
            .is_some_and(|s| s.events.contains_key(&target.name))
    {
        return Err(already_exists(loc, "event", target));
    }
    let Some(mut event) = replay
        .realm
        .schemas
        .get_mut(&qn.schema)
        .and_then(|s| s.events.remove(&qn.name))
    else {
        return Err(does_not_exist(loc, "event", &qn));
    };
    if let Some(schedule) = new_schedule {
        event.schedule = schedule;
    }
    if let Some(preserve) = clauses.preserve {
        event.preserve = preserve;
    }
    if let Some(status) = clauses.status {
        event.status = status;
    }
    if clauses.comment.is_some() {
        event.comment = comment(clauses.comment.as_ref());
    }
    if let Some(body) = &clauses.body {
        event.body = body.clone();
    }
    let home = target.unwrap_or(qn);
    event.name = home.name.clone();
    replay
        .realm
        .schema_mut(&home.schema)
        .events
        .insert(home.name, event);
    Ok(Outcome::Applied)
}

/// `DROP EVENT [IF EXISTS] name`.
pub(crate) fn drop_event(
    replay: &mut Replay,
    name: &ObjectName,
    if_exists: bool,
    loc: &Location,
) -> Result<Outcome> {
    let qn = match locate(replay, name, loc) {
        Ok(qn) => qn,
        Err(_) if if_exists => {
            return ignored(format!(
                "event \"{}\" does not exist, skipping",
                super::display_name(replay, name)
            ));
        }
        Err(error) => return Err(error),
    };
    let removed = replay
        .realm
        .schemas
        .get_mut(&qn.schema)
        .and_then(|s| s.events.remove(&qn.name));
    match removed {
        Some(_) => Ok(Outcome::Applied),
        None if if_exists => ignored(format!("event \"{qn}\" does not exist, skipping")),
        None => Err(does_not_exist(loc, "event", &qn)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_read_as_the_server_reprints_them() {
        let n = |v: &str, unit: &str| canonical_interval(&IntervalText::Number(v.into()), unit);
        let s = |v: &str, unit: &str| canonical_interval(&IntervalText::String(v.into()), unit);
        // Each pair checked against MariaDB 10.11's information_schema.EVENTS.
        assert_eq!(n("1", "DAY").as_deref(), Some("1"));
        assert_eq!(n("1.5", "HOUR").as_deref(), Some("2"));
        assert_eq!(n("2.5", "HOUR").as_deref(), Some("3"));
        assert_eq!(s("1.5", "HOUR").as_deref(), Some("1"));
        assert_eq!(s("3", "QUARTER").as_deref(), Some("3"));
        assert_eq!(s("1 4", "DAY_HOUR").as_deref(), Some("'1 4'"));
        assert_eq!(s("01:05", "HOUR_MINUTE").as_deref(), Some("'1:5'"));
        assert_eq!(s("1:65", "HOUR_MINUTE").as_deref(), Some("'2:5'"));
        assert_eq!(s("1-14", "YEAR_MONTH").as_deref(), Some("'2-2'"));
        assert_eq!(s("1", "YEAR_MONTH").as_deref(), Some("'0-1'"));
        assert_eq!(s("1 02:03:04", "DAY_SECOND").as_deref(), Some("'1 2:3:4'"));
        assert_eq!(s("2 3", "DAY_SECOND").as_deref(), Some("'0 0:2:3'"));
        assert_eq!(s("0 0:90", "DAY_MINUTE").as_deref(), Some("'0 1:30'"));
        assert_eq!(s("1:2", "HOUR_SECOND").as_deref(), Some("'0:1:2'"));
        assert_eq!(s("2:03", "MINUTE_SECOND").as_deref(), Some("'2:3'"));
        assert_eq!(n("7", "DAY_HOUR").as_deref(), Some("'0 7'"));
        assert_eq!(n("1.5", "DAY_HOUR").as_deref(), Some("'1 5'"));
        // What the server refuses stays as written.
        assert_eq!(s("1 2 3", "DAY_HOUR"), None);
        assert_eq!(s("-1", "DAY_HOUR"), None);
        assert_eq!(n("0", "DAY"), None);
    }

    #[test]
    fn timestamps_read_as_the_server_stores_them() {
        let t = |s: &str| canonical_timestamp(s);
        assert_eq!(
            t("2035-01-01 00:00:00").as_deref(),
            Some("2035-01-01 00:00:00")
        );
        assert_eq!(t("2035-1-2 3:4:5").as_deref(), Some("2035-01-02 03:04:05"));
        assert_eq!(t("2035-01-02").as_deref(), Some("2035-01-02 00:00:00"));
        assert_eq!(t("20350102").as_deref(), Some("2035-01-02 00:00:00"));
        assert_eq!(
            t("2035/01/02 03.04.05").as_deref(),
            Some("2035-01-02 03:04:05")
        );
        assert_eq!(
            t("2036-01-01 12:30:45.678").as_deref(),
            Some("2036-01-01 12:30:45")
        );
        assert_eq!(
            t("35-01-02 00:00:00").as_deref(),
            Some("2035-01-02 00:00:00")
        );
        assert_eq!(t("tomorrow"), None);
        assert_eq!(t("2035-13-01"), None);
    }
}
