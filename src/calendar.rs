//! The Russian months as acts write them: the one list of their names, read
//! by the dates that resolve prints and by the lints that find dates in text.

/// Stems of the month names, January first: they match every case form
/// («октябрь», «октября», «октябре»).
pub const MONTH_STEMS: [&str; 12] = [
    "январ",
    "феврал",
    "март",
    "апрел",
    "ма",
    "июн",
    "июл",
    "август",
    "сентябр",
    "октябр",
    "ноябр",
    "декабр",
];

/// Month names as a date has them: «20 октября 2023».
pub const MONTHS_GENITIVE: [&str; 12] = [
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
];
