// Prometheus's humanize* template functions on a float64, byte for byte
// (template/template.go in Prometheus 2.42), including NaN and Inf.
#pragma once

#include <string>

#include <tocsin/error.h>

namespace tocsin::tmpl {

std::string humanize(double v);             // 1234567 -> "1.235M"
std::string humanize_1024(double v);        // 1048576 -> "1Mi"
std::string humanize_duration(double v);    // 3661 -> "1h 1m 1s"
std::string humanize_percentage(double v);  // 0.1234 -> "12.34%"
// Time.String() of v seconds since the epoch, at millisecond precision;
// "%.4g" of v for NaN and Inf; an error when the nanoseconds overflow int64.
Result<std::string> humanize_timestamp(double v);

// Prometheus's floatToTime: v seconds as a time at millisecond precision.
struct FloatTime {
  std::int64_t seconds;
  std::int32_t nanos;
};
enum class FloatTimeError { kNone, kNaNOrInf, kOverflow };
FloatTimeError float_to_time(double v, FloatTime& out);
std::string float_overflow_message(double v);

}  // namespace tocsin::tmpl
