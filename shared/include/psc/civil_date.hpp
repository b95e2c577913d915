// Civil dates as day numbers (days since 1970-01-01), for the reports that
// count days (overdue commitments, days from adoption to first response).
//
// The core reads no clock: callers pass "today" as a YYYY-MM-DD string (the
// device's local date in the browser, the server's UTC date).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace psc {

// `count` ASCII digits at `from` of `text` as a number; nullopt when the text
// is shorter or one of them is not a digit. The one digit reader of dates and
// times (this file, and schema.cpp's field formats).
std::optional<int> parse_digits(std::string_view text, std::size_t from, std::size_t count);

// A day of the Gregorian calendar, year 1900 or later.
struct CivilDate {
  int year;
  unsigned month, day;
};
// "YYYY-MM-DD" exactly (10 characters) as a CivilDate; nullopt when it is not
// a real day (2026-02-29, 2026-13-01) or not of that form.
std::optional<CivilDate> parse_civil_date(std::string_view text);

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t year, unsigned month, unsigned day);

// The day number of "YYYY-MM-DD" (also the date part of a datetime such as
// "2026-11-29T18:30:00Z"); nullopt when it is not a valid date.
std::optional<int64_t> day_number(std::string_view date);

// The UTC day number of a time in milliseconds since the epoch (an HLC's millis).
int64_t utc_day_of_millis(uint64_t millis);

// "YYYY-MM-DD" of a day number.
std::string civil_date_text(int64_t day);

// W3C datetimes (the Open311 format): "YYYY-MM-DD" or "YYYY-MM-DDThh:mm[:ss[.s]]" with
// "Z" or a "+hh:mm"/"-hh:mm" zone, to milliseconds since the epoch; nullopt if not one.
std::optional<int64_t> parse_w3c_datetime(std::string_view text);
// Milliseconds since the epoch as "YYYY-MM-DDThh:mm:ssZ".
std::string format_w3c_datetime(int64_t ms);

// Day of the week of a day number: 0 Sunday .. 6 Saturday.
int weekday(int64_t day);

// US Eastern time (Hartford, America/New_York) without a timezone database:
// the UTC offset in minutes (-300 EST, -240 EDT) of the local civil time
// `local_minutes` after midnight of `day`, by the US rule in force since 2007
// (daylight time from 2:00 local on the second Sunday of March to 2:00 local
// on the first Sunday of November). The skipped hour (2:00-2:59 in March)
// counts as daylight time, the repeated one (1:00-1:59 in November) as its
// first, daylight, occurrence. Dates before 2007 get the same rule, not the
// one in force then.
int us_eastern_utc_offset_minutes(int64_t day, int local_minutes = 0);
// "YYYY-MM-DDThh:mm:ss-05:00" (or -04:00): the local civil time
// `local_minutes` after midnight of `day` in US Eastern time.
std::string format_w3c_us_eastern(int64_t day, int local_minutes = 0);
// An instant (milliseconds since the epoch) as Hartford's local time,
// "YYYY-MM-DDThh:mm:ss-05:00" (or -04:00): daylight time from 07:00 UTC on
// the second Sunday of March (2:00 EST) to 06:00 UTC on the first Sunday of
// November (2:00 EDT). Seconds truncated.
std::string format_us_eastern_of_millis(int64_t ms);

}  // namespace psc
