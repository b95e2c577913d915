#include "psc/civil_date.hpp"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace psc {
namespace {

// parse_digits into `out`, for parsers that read several fields in one condition.
bool digits(std::string_view t, std::size_t from, std::size_t n, int& out) {
  const auto value = parse_digits(t, from, n);
  if (value) out = *value;
  return value.has_value();
}

}  // namespace

std::optional<int> parse_digits(std::string_view text, std::size_t from, std::size_t count) {
  if (text.size() < from + count) return std::nullopt;
  int n = 0;
  for (std::size_t i = from; i < from + count; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    n = n * 10 + (text[i] - '0');
  }
  return n;
}

std::optional<CivilDate> parse_civil_date(std::string_view t) {
  int year, month, day;
  if (t.size() != 10 || t[4] != '-' || t[7] != '-' || !digits(t, 0, 4, year) || !digits(t, 5, 2, month) ||
      !digits(t, 8, 2, day))
    return std::nullopt;
  static const int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (year < 1900 || month < 1 || month > 12 || day < 1 || day > kDays[month - 1]) return std::nullopt;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (month == 2 && day == 29 && !leap) return std::nullopt;
  return CivilDate{year, static_cast<unsigned>(month), static_cast<unsigned>(day)};
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

std::optional<int64_t> day_number(std::string_view date) {
  const auto civil = parse_civil_date(date.substr(0, 10));
  if (!civil) return std::nullopt;
  return days_from_civil(civil->year, civil->month, civil->day);
}

int64_t utc_day_of_millis(uint64_t millis) { return static_cast<int64_t>(millis / 86'400'000); }

namespace {
struct Civil {
  int64_t year;
  unsigned month, day;
};
Civil civil_from_days(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {y + (m <= 2), m, d};
}
}  // namespace

std::string civil_date_text(int64_t z) {
  const Civil c = civil_from_days(z);
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  return buffer;
}

std::optional<int64_t> parse_w3c_datetime(std::string_view t) {
  int hour = 0, minute = 0, second = 0;
  const auto civil = parse_civil_date(t.substr(0, 10));
  if (!civil) return std::nullopt;
  std::size_t i = 10;
  int64_t offset_min = 0;
  if (i < t.size()) {
    if (t[i] != 'T' || !digits(t, i + 1, 2, hour) || t.size() < i + 6 || t[i + 3] != ':' ||
        !digits(t, i + 4, 2, minute))
      return std::nullopt;
    i += 6;
    if (i < t.size() && t[i] == ':') {
      if (!digits(t, i + 1, 2, second)) return std::nullopt;
      i += 3;
      if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9') ++i;
      }
    }
    if (i >= t.size()) return std::nullopt;  // a time needs a zone
    if (t[i] == 'Z') {
      ++i;
    } else if (t[i] == '+' || t[i] == '-') {
      int oh, om;
      if (!digits(t, i + 1, 2, oh) || t.size() < i + 6 || t[i + 3] != ':' || !digits(t, i + 4, 2, om))
        return std::nullopt;
      offset_min = (t[i] == '-' ? -1 : 1) * (oh * 60 + om);
      i += 6;
    } else {
      return std::nullopt;
    }
    if (i != t.size() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  }
  const int64_t days = days_from_civil(civil->year, civil->month, civil->day);
  return ((days * 24 + hour) * 60 + minute - offset_min) * 60'000 + second * 1000;
}

std::string format_w3c_datetime(int64_t ms) {
  const int64_t day = (ms >= 0 ? ms : ms - 86'399'999) / 86'400'000;
  const int64_t secs_of_day = (ms - day * 86'400'000) / 1000;
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%sT%02lld:%02lld:%02lldZ", civil_date_text(day).c_str(),
                static_cast<long long>(secs_of_day / 3600), static_cast<long long>(secs_of_day / 60 % 60),
                static_cast<long long>(secs_of_day % 60));
  return buffer;
}

int weekday(int64_t day) {
  // 1970-01-01 was a Thursday (4).
  return static_cast<int>(((day + 4) % 7 + 7) % 7);
}

namespace {
// The `nth` (1-based) Sunday of `month` in `year`.
int64_t nth_sunday(int64_t year, unsigned month, int nth) {
  const int64_t first = days_from_civil(year, month, 1);
  return first + (7 - weekday(first)) % 7 + 7 * (nth - 1);
}
}  // namespace

int us_eastern_utc_offset_minutes(int64_t day, int local_minutes) {
  constexpr int kStandard = -300, kDaylight = -240, kSwitch = 120;  // 2:00 local
  const int64_t year = civil_from_days(day).year;
  const int64_t starts = nth_sunday(year, 3, 2), ends = nth_sunday(year, 11, 1);
  if (day > starts && day < ends) return kDaylight;
  if (day == starts) return local_minutes >= kSwitch ? kDaylight : kStandard;
  if (day == ends) return local_minutes < kSwitch ? kDaylight : kStandard;
  return kStandard;
}

std::string format_w3c_us_eastern(int64_t day, int local_minutes) {
  const int offset = us_eastern_utc_offset_minutes(day, local_minutes);
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:00%c%02d:%02d", civil_date_text(day).c_str(),
                local_minutes / 60, local_minutes % 60, offset < 0 ? '-' : '+', std::abs(offset) / 60,
                std::abs(offset) % 60);
  return buffer;
}

std::string format_us_eastern_of_millis(int64_t ms) {
  constexpr int64_t kMinute = 60'000, kDayMinutes = 24 * 60;
  const int64_t utc_minutes = (ms >= 0 ? ms : ms - kMinute + 1) / kMinute;  // floor
  const int64_t utc_day = (utc_minutes >= 0 ? utc_minutes : utc_minutes - kDayMinutes + 1) / kDayMinutes;
  const int64_t year = civil_from_days(utc_day).year;
  const int64_t starts = nth_sunday(year, 3, 2) * kDayMinutes + 7 * 60;  // 2:00 EST in UTC
  const int64_t ends = nth_sunday(year, 11, 1) * kDayMinutes + 6 * 60;   // 2:00 EDT in UTC
  const int offset = utc_minutes >= starts && utc_minutes < ends ? -240 : -300;
  const int64_t local_minutes = utc_minutes + offset;
  const int64_t local_day =
      (local_minutes >= 0 ? local_minutes : local_minutes - kDayMinutes + 1) / kDayMinutes;
  const int64_t minute_of_day = local_minutes - local_day * kDayMinutes;
  const int64_t second = ((ms % kMinute) + kMinute) % kMinute / 1000;
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d%c%02d:%02d", civil_date_text(local_day).c_str(),
                static_cast<int>(minute_of_day / 60), static_cast<int>(minute_of_day % 60),
                static_cast<int>(second), '-', std::abs(offset) / 60, std::abs(offset) % 60);
  return buffer;
}

}  // namespace psc
