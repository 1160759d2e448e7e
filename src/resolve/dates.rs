//! Dates as the organisation writes them: 20.09.2023, 20 сентября 2023 г., «20» сентября 2023 г.

use crate::calendar::MONTHS_GENITIVE;
use crate::read::input::DateStyle;
use chrono::{Datelike, NaiveDate};

/// Format a date; non-breaking spaces keep a verbal date on one line.
pub fn format(d: NaiveDate, style: DateStyle) -> String {
    let month = MONTHS_GENITIVE[d.month0() as usize];
    match style {
        DateStyle::Numeric => d.format("%d.%m.%Y").to_string(),
        DateStyle::NumericYear => d.format("%d.%m.%Y\u{a0}г.").to_string(),
        DateStyle::NumericYearJoined => d.format("%d.%m.%Yг.").to_string(),
        DateStyle::Verbal => format!("{}\u{a0}{month} {}\u{a0}г.", d.day(), d.year()),
        DateStyle::VerbalQuoted => format!("«{}»\u{a0}{month} {}\u{a0}г.", d.day(), d.year()),
    }
}

/// Numeric form, always: used where a short date is wanted (deadlines in text).
pub fn numeric(d: NaiveDate) -> String {
    format(d, DateStyle::Numeric)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles() {
        let d = NaiveDate::from_ymd_opt(2016, 6, 5).unwrap();
        assert_eq!(format(d, DateStyle::Numeric), "05.06.2016");
        assert_eq!(format(d, DateStyle::Verbal), "5\u{a0}июня 2016\u{a0}г.");
        assert_eq!(
            format(d, DateStyle::VerbalQuoted),
            "«5»\u{a0}июня 2016\u{a0}г."
        );
    }
}
