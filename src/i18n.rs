//! Dates, numbers and UI strings per language, from ICU4X's compiled CLDR data.

use anyhow::{Context, Result};
use chrono::{Datelike, NaiveDate};
use icu_calendar::{Date, Gregorian};
use icu_datetime::FixedCalendarDateTimeFormatter;
use icu_datetime::fieldsets::{MD, YMD};
use icu_decimal::DecimalFormatter;
use icu_decimal::input::Decimal;
use icu_decimal::options::{DecimalFormatterOptions, GroupingStrategy};
use icu_locale_core::Locale;

use crate::config::{Digits, Language};

/// Formats dates and numbers the way readers of one language expect them.
pub struct LocaleFormat {
    date: DateStyle,
    number: DecimalFormatter,
}

enum DateStyle {
    /// CLDR's long date, e.g. `29 August 2025`.
    Long(FixedCalendarDateTimeFormatter<Gregorian, YMD>),
    /// Day and month from CLDR, then the year: CLDR's long Marathi pattern is
    /// `d MMMM, y`, but Marathi newspapers print `२९ ऑगस्ट २०२५`, without the comma.
    DayMonthYear(
        FixedCalendarDateTimeFormatter<Gregorian, MD>,
        DecimalFormatter,
    ),
}

impl LocaleFormat {
    /// `code` is the language code; `lang.locale` may name another ICU locale.
    pub fn new(code: &str, lang: &Language) -> Result<Self> {
        // Indian English writes "29 August 2025"; other codes are their own locale.
        let mut name = lang.locale.clone().unwrap_or_else(|| match code {
            "en" => "en-IN".to_string(),
            _ => code.to_string(),
        });
        if lang.digits == Digits::Latin {
            name.push_str("-u-nu-latn");
        }
        let locale: Locale = name
            .parse()
            .with_context(|| format!("\"{name}\" is not a valid locale for language {code}"))?;
        let no_date = || format!("no date format for locale {name}");
        let date = if code == "mr" || name.starts_with("mr-") {
            let md = FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), MD::long())
                .with_context(no_date)?;
            let mut options = DecimalFormatterOptions::default();
            options.grouping_strategy = Some(GroupingStrategy::Never);
            let year =
                DecimalFormatter::try_new(locale.clone().into(), options).with_context(no_date)?;
            DateStyle::DayMonthYear(md, year)
        } else {
            DateStyle::Long(
                FixedCalendarDateTimeFormatter::try_new(locale.clone().into(), YMD::long())
                    .with_context(no_date)?,
            )
        };
        let number = DecimalFormatter::try_new(locale.into(), Default::default())
            .with_context(|| format!("no number format for locale {name}"))?;
        Ok(LocaleFormat { date, number })
    }

    /// `29 August 2025` / `२९ ऑगस्ट २०२५`.
    pub fn date(&self, d: NaiveDate) -> String {
        let Ok(date) = Date::try_new_gregorian(d.year(), d.month() as u8, d.day() as u8) else {
            return d.to_string();
        };
        match &self.date {
            DateStyle::Long(f) => f.format(&date).to_string(),
            DateStyle::DayMonthYear(md, year) => format!(
                "{} {}",
                md.format(&date),
                year.format(&Decimal::from(d.year()))
            ),
        }
    }

    /// A whole number in the language's digits, without grouping surprises for small values.
    pub fn number(&self, n: u64) -> String {
        self.number.format(&Decimal::from(n)).to_string()
    }
}

/// Fills `{name}` placeholders of a UI string.
pub fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = template.to_string();
    for (k, v) in args {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marathi_dates_use_marathi_months_and_devanagari_digits() {
        let f = LocaleFormat::new("mr", &Language::default()).unwrap();
        let d = NaiveDate::from_ymd_opt(2025, 8, 29).unwrap();
        assert_eq!(f.date(d), "२९ ऑगस्ट २०२५");
        assert_eq!(f.number(4), "४");
    }

    #[test]
    fn marathi_dates_can_use_latin_digits() {
        let lang = Language {
            digits: Digits::Latin,
            ..Language::default()
        };
        let f = LocaleFormat::new("mr", &lang).unwrap();
        let d = NaiveDate::from_ymd_opt(2025, 8, 29).unwrap();
        assert_eq!(f.date(d), "29 ऑगस्ट 2025");
    }

    #[test]
    fn english_dates_are_day_month_year() {
        let lang = Language {
            locale: Some("en-GB".into()),
            ..Language::default()
        };
        let f = LocaleFormat::new("en", &lang).unwrap();
        let d = NaiveDate::from_ymd_opt(2025, 8, 29).unwrap();
        assert_eq!(f.date(d), "29 August 2025");
    }
}
