//! PostgreSQL typed literals as the server prints the constant it stores.
//!
//! A literal cast to a type (`'1.999'::money`, `interval '90' minute`, `x'1F'`) is
//! stored as a constant of that type, and `pg_get_expr` prints the value through the
//! type's output function: `'$2.00'::money`, `'01:30:00'::interval`,
//! `'00011111'::"bit"`. These functions compute that output text for the inputs they
//! fully understand and return `None` for anything else, which then stays as written.
//!
//! The output of the date/time and money types depends on session settings. The model
//! assumes the live inspector's session: `TimeZone` UTC, `DateStyle` ISO,
//! `IntervalStyle` postgres and `lc_monetary` C (which prints `$`, `,` and two
//! fraction digits); the inspector sets all four.

/// The digits of a bit-string constant: `X'1F'` is `00011111`, `B'101'` is `101`.
pub(crate) fn bit_digits(hex: bool, text: &str) -> Option<String> {
    if hex {
        let mut out = String::with_capacity(text.len() * 4);
        for c in text.chars() {
            let v = c.to_digit(16)?;
            out.push_str(&format!("{v:04b}"));
        }
        Some(out)
    } else {
        text.chars()
            .all(|c| c == '0' || c == '1')
            .then(|| text.to_owned())
    }
}

/// `numeric_out` of a plain decimal (`01.50` is `1.50`, `-0` is `0`); `None` for
/// exponents, `NaN`, `Infinity` and anything else.
pub(crate) fn numeric(text: &str) -> Option<String> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int)
        || !frac.is_none_or(all_digits)
        || (int.is_empty() && frac.is_none_or(str::is_empty))
    {
        return None;
    }
    let int = int.trim_start_matches('0');
    let int = if int.is_empty() { "0" } else { int };
    let mut out = String::new();
    let zero = int == "0" && frac.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    if negative && !zero {
        out.push('-');
    }
    out.push_str(int);
    if let Some(frac) = frac
        && !frac.is_empty()
    {
        out.push('.');
        out.push_str(frac);
    }
    Some(out)
}

/// How `get_const_expr` prints a `numeric` constant: bare when it looks like a
/// decimal (a leading digit and a point), otherwise quoted with its cast.
pub(crate) fn numeric_prints_bare(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_digit()) && text.contains('.')
}

/// `cash_in` then `cash_out` under `lc_monetary = C`: `1.999` is `$2.00`, `-3` is
/// `-$3.00`, `1234567.891` is `$1,234,567.89` (the digit after the cents rounds half
/// up, further digits are ignored).
pub(crate) fn money(text: &str) -> Option<String> {
    let mut rest = text.trim();
    let mut negative = false;
    if let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        rest = inner.trim();
    }
    if let Some(r) = rest.strip_prefix('-') {
        negative = !negative;
        rest = r;
    } else if let Some(r) = rest.strip_prefix('+') {
        rest = r;
    }
    rest = rest.strip_prefix('$').unwrap_or(rest).trim_start();
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, f),
        None => (rest, ""),
    };
    let int: String = int.chars().filter(|&c| c != ',').collect();
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(&int) || !(frac.is_empty() || digits(frac)) {
        return None;
    }
    let mut cents: i128 = int.parse::<i128>().ok()? * 100;
    let mut frac_digits = frac.bytes().map(|b| i128::from(b - b'0'));
    cents += frac_digits.next().unwrap_or(0) * 10 + frac_digits.next().unwrap_or(0);
    if frac_digits.next().is_some_and(|d| d >= 5) {
        cents += 1;
    }
    if i64::try_from(cents).is_err() {
        return None;
    }
    let whole = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if negative && cents != 0 { "-" } else { "" };
    Some(format!("{sign}${grouped}.{:02}", cents % 100))
}

/// A `timestamp` / `timestamptz` input in ISO form (`2024-01-01`, `2024-01-01
/// 10:00:00.5+01`, `...T...Z`, `epoch`) as the server prints it: the offset is ignored
/// for `timestamp`, and applied for `timestamptz`, which prints in UTC.
pub(crate) fn timestamp(text: &str, with_time_zone: bool) -> Option<String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("epoch") {
        return Some(format_timestamp(0, with_time_zone));
    }
    if text.eq_ignore_ascii_case("infinity") || text.eq_ignore_ascii_case("-infinity") {
        return Some(text.to_ascii_lowercase());
    }
    let (date, rest) = match text.find([' ', 'T', 't']) {
        Some(i) => (text.get(..i)?, text.get(i + 1..)?.trim_start()),
        None => (text, ""),
    };
    let days = days_from_date(date)?;
    let (time, offset) = split_offset(rest)?;
    let micros = if time.is_empty() {
        0
    } else {
        time_micros(time)?
    };
    let mut total = i128::from(days) * 86_400_000_000 + i128::from(micros);
    if with_time_zone {
        total -= i128::from(offset.unwrap_or(0)) * 1_000_000;
    }
    Some(format_timestamp(i64::try_from(total).ok()?, with_time_zone))
}

/// The time part and the UTC offset in seconds after it (`10:00+01`, `10:00:00Z`).
fn split_offset(rest: &str) -> Option<(&str, Option<i64>)> {
    if rest.is_empty() {
        return Some(("", None));
    }
    if let Some(time) = rest.strip_suffix(['Z', 'z']) {
        return Some((time.trim_end(), Some(0)));
    }
    let Some(at) = rest.rfind(['+', '-']) else {
        return Some((rest, None));
    };
    let (time, zone) = (rest.get(..at)?.trim_end(), rest.get(at..)?);
    let sign = if zone.starts_with('-') { -1 } else { 1 };
    let zone = zone.get(1..)?;
    let (hours, minutes) = match zone.split_once(':') {
        Some((h, m)) => (h, m),
        None if zone.len() == 4 => (zone.get(..2)?, zone.get(2..)?),
        None => (zone, "0"),
    };
    let (hours, minutes): (i64, i64) = (digits_number(hours)?, digits_number(minutes)?);
    if hours > 15 || minutes > 59 {
        return None;
    }
    Some((time, Some(sign * (hours * 3600 + minutes * 60))))
}

fn digits_number(text: &str) -> Option<i64> {
    (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

/// `HH:MM[:SS[.ffffff]]` in microseconds.
fn time_micros(text: &str) -> Option<i64> {
    let mut parts = text.split(':');
    let hours = digits_number(parts.next()?)?;
    let minutes = digits_number(parts.next()?)?;
    let seconds = parts.next().map_or(Some(0), seconds_micros)?;
    if parts.next().is_some() || hours > 24 || minutes > 59 || seconds > 60_000_000 {
        return None;
    }
    Some((hours * 60 + minutes) * 60_000_000 + seconds)
}

/// `SS[.ffffff]` in microseconds, rounded to the microsecond.
fn seconds_micros(text: &str) -> Option<i64> {
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let whole = digits_number(whole)?;
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut micros = 0i64;
    for (i, b) in frac.bytes().take(7).enumerate() {
        let d = i64::from(b - b'0');
        if i < 6 {
            micros = micros * 10 + d;
        } else if d >= 5 {
            micros += 1;
        }
    }
    for _ in frac.len()..6 {
        micros *= 10;
    }
    Some(whole * 1_000_000 + micros)
}

/// Days since 1970-01-01 of an ISO date (`YYYY-MM-DD`), years 1 to 9999.
fn days_from_date(date: &str) -> Option<i64> {
    let mut parts = date.split('-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() || y.len() != 4 {
        return None;
    }
    let (y, m, d) = (digits_number(y)?, digits_number(m)?, digits_number(d)?);
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let month_days = [
        31,
        if leap { 29 } else { 28 },
        31,
        30,
        31,
        30,
        31,
        31,
        30,
        31,
        30,
        31,
    ];
    let usize_m = usize::try_from(m).ok()?;
    if y < 1 || !(1..=12).contains(&m) || d < 1 || d > *month_days.get(usize_m - 1)? {
        return None;
    }
    // Howard Hinnant's days_from_civil.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn format_timestamp(micros: i64, with_time_zone: bool) -> String {
    let days = micros.div_euclid(86_400_000_000);
    let time = micros.rem_euclid(86_400_000_000);
    let (y, m, d) = civil_from_days(days);
    let mut out = format!("{y:04}-{m:02}-{d:02} ");
    push_clock(&mut out, time);
    if with_time_zone {
        out.push_str("+00");
    }
    out
}

/// `HH:MM:SS[.ffffff]` with the fraction's trailing zeros trimmed.
fn push_clock(out: &mut String, micros: i64) {
    let (hours, rest) = (micros / 3_600_000_000, micros % 3_600_000_000);
    let (minutes, rest) = (rest / 60_000_000, rest % 60_000_000);
    let (seconds, frac) = (rest / 1_000_000, rest % 1_000_000);
    out.push_str(&format!("{hours:02}:{minutes:02}:{seconds:02}"));
    if frac != 0 {
        let digits = format!("{frac:06}");
        out.push('.');
        out.push_str(digits.trim_end_matches('0'));
    }
}

/// An interval's field restriction and fractional-second precision (the type
/// modifier of `interval day to second(0)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Range {
    Full,
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
}

/// The range a field restriction such as `day to second` names (its last field
/// decides both where a bare number goes and what is truncated).
pub(crate) fn interval_range(fields: Option<&str>) -> Option<Range> {
    let Some(fields) = fields else {
        return Some(Range::Full);
    };
    let last = fields.rsplit(' ').next()?.to_ascii_lowercase();
    Some(match last.as_str() {
        "year" => Range::Year,
        "month" => Range::Month,
        "day" => Range::Day,
        "hour" => Range::Hour,
        "minute" => Range::Minute,
        "second" => Range::Second,
        _ => return None,
    })
}

#[derive(Default)]
struct IntervalValue {
    months: i64,
    days: i64,
    micros: i64,
}

/// An interval input (`1 day`, `90 minutes`, `1 year 2 mons`, `01:30:00`, `@ 1 day
/// ago`, or a bare number, which goes to the range's last field) as `interval_out`
/// prints it in the `postgres` style, after the type modifier's truncation and
/// rounding.
pub(crate) fn interval(text: &str, range: Range, precision: Option<u32>) -> Option<String> {
    let mut value = parse_interval(text, range)?;
    match range {
        Range::Full | Range::Second => {}
        Range::Year => {
            value.months = value.months / 12 * 12;
            value.days = 0;
            value.micros = 0;
        }
        Range::Month => {
            value.days = 0;
            value.micros = 0;
        }
        Range::Day => value.micros = 0,
        Range::Hour => value.micros = value.micros / 3_600_000_000 * 3_600_000_000,
        Range::Minute => value.micros = value.micros / 60_000_000 * 60_000_000,
    }
    if let Some(p) = precision
        && p < 6
    {
        let scale = 10i64.pow(6 - p);
        let half = scale / 2;
        value.micros = if value.micros >= 0 {
            (value.micros + half) / scale * scale
        } else {
            -((-value.micros + half) / scale * scale)
        };
    }
    Some(format_interval(&value))
}

fn parse_interval(text: &str, range: Range) -> Option<IntervalValue> {
    let mut value = IntervalValue::default();
    let mut words: Vec<&str> = text.split_whitespace().collect();
    if words.first() == Some(&"@") {
        words.remove(0);
    }
    let ago = words.last().is_some_and(|w| w.eq_ignore_ascii_case("ago"));
    if ago {
        words.pop();
    }
    if words.is_empty() {
        return None;
    }
    let mut i = 0;
    while let Some(word) = words.get(i) {
        i += 1;
        if word.contains(':') {
            let (sign, clock) = match word.strip_prefix('-') {
                Some(rest) => (-1, rest),
                None => (1, word.strip_prefix('+').unwrap_or(word)),
            };
            value.micros += sign * clock_micros(clock)?;
            continue;
        }
        // A number, with its unit attached (`10d`) or as the next word.
        let split = word
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(word.len());
        let (number, attached) = (word.get(..split)?, word.get(split..)?);
        let unit = if !attached.is_empty() {
            Some(attached)
        } else {
            match words.get(i) {
                Some(next) if next.starts_with(|c: char| c.is_ascii_alphabetic()) => {
                    i += 1;
                    Some(*next)
                }
                _ => None,
            }
        };
        let amount: f64 = number.parse().ok()?;
        if !number
            .bytes()
            .all(|b| b.is_ascii_digit() || b"+-.".contains(&b))
        {
            return None;
        }
        let unit = match unit {
            Some(unit) => unit_of(unit)?,
            None => match range {
                Range::Year => Unit::Year,
                Range::Month => Unit::Month,
                Range::Day => Unit::Day,
                Range::Hour => Unit::Hour,
                Range::Minute => Unit::Minute,
                Range::Full | Range::Second => Unit::Second,
            },
        };
        add_unit(&mut value, amount, unit)?;
    }
    if ago {
        value.months = -value.months;
        value.days = -value.days;
        value.micros = -value.micros;
    }
    Some(value)
}

/// `H:MM[:SS[.f]]` in microseconds.
fn clock_micros(text: &str) -> Option<i64> {
    let mut parts = text.split(':');
    let hours = digits_number(parts.next()?)?;
    let minutes = digits_number(parts.next()?)?;
    let seconds = parts.next().map_or(Some(0), seconds_micros)?;
    if parts.next().is_some() || minutes > 59 || seconds >= 60_000_000 {
        return None;
    }
    Some((hours * 60 + minutes) * 60_000_000 + seconds)
}

#[derive(Clone, Copy)]
enum Unit {
    Year,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
    Microsecond,
}

fn unit_of(word: &str) -> Option<Unit> {
    Some(match word.to_ascii_lowercase().as_str() {
        "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
        "mon" | "mons" | "month" | "months" => Unit::Month,
        "w" | "week" | "weeks" => Unit::Week,
        "d" | "day" | "days" => Unit::Day,
        "h" | "hr" | "hrs" | "hour" | "hours" => Unit::Hour,
        "m" | "min" | "mins" | "minute" | "minutes" => Unit::Minute,
        "s" | "sec" | "secs" | "second" | "seconds" => Unit::Second,
        "ms" | "msec" | "msecs" | "millisecond" | "milliseconds" => Unit::Millisecond,
        "us" | "usec" | "usecs" | "microsecond" | "microseconds" => Unit::Microsecond,
        _ => return None,
    })
}

/// Adds `amount` units as `DecodeInterval` does: fractions of years go to whole
/// months (rounded), fractions of months to days (30 a month) and the rest of a day
/// to time.
fn add_unit(value: &mut IntervalValue, amount: f64, unit: Unit) -> Option<()> {
    if !amount.is_finite() || amount.abs() > 1e12 {
        return None;
    }
    let whole = amount.trunc();
    let frac = amount - whole;
    // Bounded by the check above: the casts cannot overflow.
    #[allow(clippy::cast_possible_truncation)]
    let int = |f: f64| f as i64;
    let spill_days = |value: &mut IntervalValue, days: f64| {
        let d = days.trunc();
        value.days += int(d);
        value.micros += int(((days - d) * 86_400_000_000.0).round());
    };
    match unit {
        Unit::Year => value.months += int(whole) * 12 + int((frac * 12.0).round()),
        Unit::Month => {
            value.months += int(whole);
            spill_days(value, frac * 30.0);
        }
        Unit::Week => spill_days(value, amount * 7.0),
        Unit::Day => spill_days(value, amount),
        Unit::Hour => value.micros += int((amount * 3_600_000_000.0).round()),
        Unit::Minute => value.micros += int((amount * 60_000_000.0).round()),
        Unit::Second => value.micros += int((amount * 1_000_000.0).round()),
        Unit::Millisecond => value.micros += int((amount * 1_000.0).round()),
        Unit::Microsecond => value.micros += int(amount.round()),
    }
    Some(())
}

/// `interval_out` in the `postgres` style: `1 year 2 mons -3 days +04:05:06.5`.
fn format_interval(value: &IntervalValue) -> String {
    let mut out = String::new();
    let mut is_zero = true;
    let mut is_before = false;
    // `AddPostgresIntPart`: a part after a negative one shows its `+`.
    let (years, months) = (value.months / 12, value.months % 12);
    for (amount, unit) in [(years, "year"), (months, "mon"), (value.days, "day")] {
        if amount == 0 {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        let plus = if is_before && amount > 0 { "+" } else { "" };
        let plural = if amount == 1 { "" } else { "s" };
        out.push_str(&format!("{plus}{amount} {unit}{plural}"));
        is_before = amount < 0;
        is_zero = false;
    }
    if is_zero || value.micros != 0 {
        if !out.is_empty() {
            out.push(' ');
        }
        let minus = value.micros < 0;
        out.push_str(if minus {
            "-"
        } else if is_before {
            "+"
        } else {
            ""
        });
        push_clock(&mut out, value.micros.abs());
    }
    out
}

use super::Replay;
use schema_model::DataType;
use sqlparser::ast::{
    self, CastKind, DateTimeField, Expr, Ident, IntervalFields, ObjectName, Value,
};

/// Rewrites a typed literal node into the constant the server prints (PostgreSQL):
/// `x'1F'` / `b'101'` are `bit` constants, and a string cast to `numeric`, `money`,
/// `timestamp[tz]` or `interval` (also `INTERVAL '1' DAY`) carries the value's output
/// text. Called on each node after its children.
pub(crate) fn spell(replay: &Replay, expr: &mut Expr) {
    if let Expr::Value(v) = expr {
        let digits = match &v.value {
            Value::HexStringLiteral(h) => bit_digits(true, h),
            Value::SingleQuotedByteStringLiteral(b) => bit_digits(false, b),
            _ => None,
        };
        if let Some(digits) = digits {
            *expr = Expr::Cast {
                kind: CastKind::DoubleColon,
                expr: Box::new(Expr::Value(Value::SingleQuotedString(digits).into())),
                data_type: ast::DataType::Custom(
                    ObjectName::from(vec![Ident::with_quote('"', "bit")]),
                    Vec::new(),
                ),
                format: None,
            };
        }
        return;
    }
    if let Expr::Interval(interval) = expr
        && let Some(fields) = interval_fields(interval)
        && let Expr::Value(v) = interval.value.as_ref()
        && let Value::SingleQuotedString(text) = &v.value
    {
        let precision = interval.fractional_seconds_precision.or(
            match (&interval.leading_field, &interval.last_field) {
                (Some(DateTimeField::Second), None) => interval.leading_precision,
                _ => None,
            },
        );
        let text = text.clone();
        *expr = Expr::Cast {
            kind: CastKind::DoubleColon,
            expr: Box::new(Expr::Value(Value::SingleQuotedString(text).into())),
            data_type: ast::DataType::Interval {
                fields: Some(fields),
                precision,
            },
            format: None,
        };
    }
    let Expr::Cast {
        kind: CastKind::DoubleColon,
        expr: inner,
        data_type,
        ..
    } = expr
    else {
        return;
    };
    let Expr::Value(v) = inner.as_ref() else {
        return;
    };
    let Value::SingleQuotedString(text) = &v.value else {
        return;
    };
    let Ok((ty, _)) = replay.data_type(data_type) else {
        return;
    };
    let Some(constant) = constant(text, &ty) else {
        return;
    };
    if matches!(
        ty,
        DataType::Numeric {
            precision: None,
            ..
        }
    ) && numeric_prints_bare(&constant)
    {
        *expr = Expr::Value(Value::Number(constant, false).into());
    } else {
        **inner = Expr::Value(Value::SingleQuotedString(constant).into());
    }
}

/// `ARRAY[e, ...]::T[]` as written: the parser hands the element type to the
/// `ARRAY[...]` and casts each element (`ARRAY['a']::text[]` is `ARRAY['a'::text]`,
/// `ARRAY['a'::varchar]::text[]` is `ARRAY['a'::character varying::text]`), and the
/// outer cast is gone. Done only when every element's type is evident (literals,
/// `NULL`, casts); an empty `ARRAY[]` keeps its cast.
pub(crate) fn cast_array_elements(replay: &Replay, expr: &mut Expr) {
    let Expr::Cast {
        kind: CastKind::DoubleColon,
        expr: inner,
        data_type,
        ..
    } = expr
    else {
        return;
    };
    let Expr::Array(array) = inner.as_ref() else {
        return;
    };
    if array.elem.is_empty() {
        return;
    }
    let Ok((DataType::Array(element), _)) = replay.data_type(data_type) else {
        return;
    };
    if matches!(element.as_ref(), DataType::Array(_)) {
        return;
    }
    let label = super::postgres::format_type(&element, true);
    let cast_to = |e: Expr| Expr::Cast {
        kind: CastKind::DoubleColon,
        expr: Box::new(e),
        data_type: ast::DataType::Custom(
            ObjectName::from(vec![Ident::new(label.clone())]),
            Vec::new(),
        ),
        format: None,
    };
    let mut elements = Vec::with_capacity(array.elem.len());
    for e in &array.elem {
        let cast = match e {
            Expr::Value(v) => match &v.value {
                Value::SingleQuotedString(_) | Value::Null => {
                    let mut cast = cast_to(e.clone());
                    spell(replay, &mut cast);
                    cast
                }
                Value::Number(n, _) => {
                    let own = if n.bytes().all(|b| b.is_ascii_digit()) {
                        if n.parse::<i32>().is_ok() {
                            DataType::Integer
                        } else if n.parse::<i64>().is_ok() {
                            DataType::BigInt
                        } else {
                            DataType::NUMERIC
                        }
                    } else {
                        DataType::NUMERIC
                    };
                    let same = match (&own, element.as_ref()) {
                        (DataType::Numeric { .. }, DataType::Numeric { precision, .. }) => {
                            precision.is_none()
                        }
                        (own, element) => own == element,
                    };
                    if same { e.clone() } else { cast_to(e.clone()) }
                }
                _ => return,
            },
            Expr::Cast {
                kind: CastKind::DoubleColon,
                data_type: ast::DataType::Custom(name, modifiers),
                ..
            } if modifiers.is_empty() => {
                if name.to_string() == label {
                    e.clone()
                } else {
                    cast_to(e.clone())
                }
            }
            _ => return,
        };
        elements.push(cast);
    }
    let mut array = array.clone();
    array.elem = elements;
    *expr = Expr::Array(array);
}

/// The output text of a string input to a type, where it is computed here.
pub(crate) fn constant(text: &str, ty: &DataType) -> Option<String> {
    match ty {
        DataType::Numeric { .. } => numeric(text),
        DataType::Money => money(text),
        DataType::Timestamp { with_time_zone, .. } => timestamp(text, *with_time_zone),
        DataType::Interval { fields, precision } => {
            interval(text, interval_range(fields.as_deref())?, *precision)
        }
        _ => None,
    }
}

/// The field restriction of `INTERVAL '1' DAY` / `INTERVAL '1' DAY TO SECOND(0)`.
fn interval_fields(interval: &ast::Interval) -> Option<IntervalFields> {
    use DateTimeField as F;
    use IntervalFields as I;
    Some(
        match (interval.leading_field.as_ref()?, &interval.last_field) {
            (F::Year | F::Years, None) => I::Year,
            (F::Month | F::Months, None) => I::Month,
            (F::Day | F::Days, None) => I::Day,
            (F::Hour | F::Hours, None) => I::Hour,
            (F::Minute | F::Minutes, None) => I::Minute,
            (F::Second | F::Seconds, None) => I::Second,
            (F::Year | F::Years, Some(F::Month | F::Months)) => I::YearToMonth,
            (F::Day | F::Days, Some(F::Hour | F::Hours)) => I::DayToHour,
            (F::Day | F::Days, Some(F::Minute | F::Minutes)) => I::DayToMinute,
            (F::Day | F::Days, Some(F::Second | F::Seconds)) => I::DayToSecond,
            (F::Hour | F::Hours, Some(F::Minute | F::Minutes)) => I::HourToMinute,
            (F::Hour | F::Hours, Some(F::Second | F::Seconds)) => I::HourToSecond,
            (F::Minute | F::Minutes, Some(F::Second | F::Seconds)) => I::MinuteToSecond,
            _ => return None,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected values are what PostgreSQL 15 prints (`SELECT <literal>` in a session
    // with TimeZone UTC).

    #[test]
    fn bit_strings() {
        assert_eq!(bit_digits(true, "1F").as_deref(), Some("00011111"));
        assert_eq!(bit_digits(true, "A").as_deref(), Some("1010"));
        assert_eq!(bit_digits(false, "101").as_deref(), Some("101"));
        assert_eq!(bit_digits(false, "102"), None);
    }

    #[test]
    fn numerics() {
        assert_eq!(numeric("1.5").as_deref(), Some("1.5"));
        assert_eq!(numeric("01.50").as_deref(), Some("1.50"));
        assert_eq!(numeric("-0").as_deref(), Some("0"));
        assert_eq!(numeric(".5").as_deref(), Some("0.5"));
        assert_eq!(numeric("1e2"), None);
        assert_eq!(numeric("NaN"), None);
        assert!(numeric_prints_bare("1.5"));
        assert!(!numeric_prints_bare("1"));
        assert!(!numeric_prints_bare("-1.5"));
    }

    #[test]
    fn money_values() {
        assert_eq!(money("1.00").as_deref(), Some("$1.00"));
        assert_eq!(money("1.999").as_deref(), Some("$2.00"));
        assert_eq!(money("-3").as_deref(), Some("-$3.00"));
        assert_eq!(money("1234567.891").as_deref(), Some("$1,234,567.89"));
        assert_eq!(money("1,234.5").as_deref(), Some("$1,234.50"));
        assert_eq!(money("(5)").as_deref(), Some("-$5.00"));
        assert_eq!(money("-0.005").as_deref(), Some("-$0.01"));
        assert_eq!(money("$2.00").as_deref(), Some("$2.00"));
        assert_eq!(money("abc"), None);
    }

    #[test]
    fn timestamps() {
        assert_eq!(
            timestamp("1970-01-01 00:00:01+00:00", false).as_deref(),
            Some("1970-01-01 00:00:01")
        );
        assert_eq!(
            timestamp("2024-01-01", false).as_deref(),
            Some("2024-01-01 00:00:00")
        );
        assert_eq!(
            timestamp("2024-01-01", true).as_deref(),
            Some("2024-01-01 00:00:00+00")
        );
        assert_eq!(
            timestamp("2022-04-01 00:00:00+01", true).as_deref(),
            Some("2022-03-31 23:00:00+00")
        );
        assert_eq!(
            timestamp("1970-01-01 00:00:01+02:00", true).as_deref(),
            Some("1969-12-31 22:00:01+00")
        );
        assert_eq!(
            timestamp("2020-01-01T10:00:00.500Z", false).as_deref(),
            Some("2020-01-01 10:00:00.5")
        );
        assert_eq!(
            timestamp("2020-01-01 10:00", false).as_deref(),
            Some("2020-01-01 10:00:00")
        );
        assert_eq!(
            timestamp("epoch", false).as_deref(),
            Some("1970-01-01 00:00:00")
        );
        assert_eq!(timestamp("now", false), None);
        assert_eq!(timestamp("2020-02-30", false), None);
    }

    #[test]
    fn intervals() {
        let full = |t: &str| interval(t, Range::Full, None);
        assert_eq!(full("1.7 year").as_deref(), Some("1 year 8 mons"));
        assert_eq!(full("1.05 year").as_deref(), Some("1 year 1 mon"));
        assert_eq!(full("1.5 month").as_deref(), Some("1 mon 15 days"));
        assert_eq!(full("0.99 mon").as_deref(), Some("29 days 16:48:00"));
        assert_eq!(full("1.5 day").as_deref(), Some("1 day 12:00:00"));
        assert_eq!(full("1.5 week").as_deref(), Some("10 days 12:00:00"));
        assert_eq!(full("0.5 hour").as_deref(), Some("00:30:00"));
        assert_eq!(full("-1 day 2 hours").as_deref(), Some("-1 days +02:00:00"));
        assert_eq!(full("1 day -2 hours").as_deref(), Some("1 day -02:00:00"));
        assert_eq!(full("@ 1 day ago").as_deref(), Some("-1 days"));
        assert_eq!(full("25:00").as_deref(), Some("25:00:00"));
        assert_eq!(full("1.5").as_deref(), Some("00:00:01.5"));
        assert_eq!(full("2 mins 3.25 secs").as_deref(), Some("00:02:03.25"));
        assert_eq!(full("1 year -1 mon").as_deref(), Some("11 mons"));
        assert_eq!(full("-1:00:00").as_deref(), Some("-01:00:00"));
        assert_eq!(full("1 day").as_deref(), Some("1 day"));
        assert_eq!(
            full("1 mon 1.5 day").as_deref(),
            Some("1 mon 1 day 12:00:00")
        );
        assert_eq!(
            interval("1 day 10 minutes", Range::Hour, None).as_deref(),
            Some("1 day")
        );
        assert_eq!(
            interval("3.4567", Range::Second, Some(2)).as_deref(),
            Some("00:00:03.46")
        );
        assert_eq!(
            interval("100", Range::Day, None).as_deref(),
            Some("100 days")
        );
        assert_eq!(
            interval("5", Range::Second, None).as_deref(),
            Some("00:00:05")
        );
        assert_eq!(
            interval("1.5", Range::Year, None).as_deref(),
            Some("1 year")
        );
        assert_eq!(
            interval("1.5", Range::Hour, None).as_deref(),
            Some("01:00:00")
        );
        assert_eq!(
            interval("90", Range::Minute, None).as_deref(),
            Some("01:30:00")
        );
        assert_eq!(
            interval("1 day 2 hours 3.5 seconds", Range::Second, Some(0)).as_deref(),
            Some("1 day 02:00:04")
        );
        assert_eq!(full("1 fortnight"), None);
    }
}
