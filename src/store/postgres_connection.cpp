#include "store/postgres_connection.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <variant>

#include <fmt/format.h>

#include "gocompat/utf8.h"

namespace tocsin::store::pg {

std::string one_line(std::string_view message) {
  std::string out;
  bool space = false;
  for (char ch : message) {
    if (ch == '\n' || ch == '\r' || ch == '\t' || ch == ' ') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

std::string valid_text(std::string_view s) {
  if (gocompat::valid_utf8(s) && s.find('\0') == std::string_view::npos) return std::string(s);
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    int width = 0;
    char32_t r = gocompat::decode_rune(s, i, width);
    gocompat::append_rune(out, r == 0 ? gocompat::kRuneError : r);
    i += static_cast<std::size_t>(width);
  }
  return out;
}

Params::Params(const Values& values) {
  texts_.reserve(values.size());
  pointers_.reserve(values.size());
  for (const Value& v : values) {
    if (std::holds_alternative<std::monostate>(v)) {
      texts_.emplace_back();
      pointers_.push_back(nullptr);
      continue;
    }
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      texts_.push_back(std::to_string(*i));
    } else if (const auto* d = std::get_if<double>(&v)) {
      texts_.push_back(std::isinf(*d) ? (*d > 0 ? "Infinity" : "-Infinity")
                                      : fmt::format("{}", *d));
    } else {
      texts_.push_back(valid_text(std::get<std::string>(v)));
    }
    pointers_.push_back(texts_.back().c_str());
  }
}

std::string PgColumns::text(int i) const {
  return std::string(PQgetvalue(result_, row_, i),
                     static_cast<std::size_t>(PQgetlength(result_, row_, i)));
}

std::int64_t PgColumns::integer(int i) const {
  const char* p = PQgetvalue(result_, row_, i);
  std::int64_t v = 0;
  std::from_chars(p, p + PQgetlength(result_, row_, i), v);
  return v;
}

double PgColumns::real(int i) const {
  if (is_null(i)) return std::nan("");
  const char* p = PQgetvalue(result_, row_, i);
  double v = std::nan("");
  std::from_chars(p, p + PQgetlength(result_, row_, i), v);  // also Infinity, -Infinity
  return v;
}

std::string column_list(std::span<const std::string_view> columns) {
  std::string names;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    names += fmt::format("{}{}", i == 0 ? "" : ", ", columns[i]);
  }
  return names;
}

std::string upsert(std::string_view table, std::span<const std::string_view> columns,
                   std::size_t key_columns, std::string_view only_if) {
  std::string params, updates;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    params += fmt::format("{}${}", i == 0 ? "" : ", ", i + 1);
    if (i >= key_columns) {
      updates +=
          fmt::format("{}{} = EXCLUDED.{}", updates.empty() ? "" : ", ", columns[i], columns[i]);
    }
  }
  return fmt::format("INSERT INTO {} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}{}{}", table,
                     column_list(columns), params, column_list(columns.first(key_columns)), updates,
                     only_if.empty() ? "" : " WHERE ", only_if);
}

bool ok(const PGresult* r) {
  ExecStatusType s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

std::string text_array(const std::vector<std::string>& texts) {
  std::string out = "{";
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char ch : texts[i]) {
      if (ch == '"' || ch == '\\') out += '\\';
      out += ch;
    }
    out += '"';
  }
  out += '}';
  return out;
}

Error Database::error(std::string_view doing, PGconn* connection, const PGresult* result) const {
  std::string why = result != nullptr ? PQresultErrorMessage(result) : "";
  if (why.empty() && connection != nullptr) why = PQerrorMessage(connection);
  if (why.empty()) why = "out of memory";
  return Error(fmt::format("{}: {}: {}", name_, doing, one_line(why)));
}

Result<Connection> Database::connect() const {
  const std::string timeout = std::to_string(std::max<std::int64_t>(
      1, std::chrono::duration_cast<std::chrono::seconds>(options_.connect_timeout).count()));
  // The URL comes after the defaults, so that what it says wins; the
  // encoding comes after the URL: every text tocsin sends is UTF-8.
  const char* const keys[] = {"connect_timeout", "application_name", "dbname", "client_encoding",
                              nullptr};
  const char* const values[] = {timeout.c_str(), "tocsin", url_.c_str(), "UTF8", nullptr};
  Connection connection(PQconnectdbParams(keys, values, /*expand_dbname=*/1));
  if (connection == nullptr) return fail(fmt::format("{}: cannot connect: out of memory", name_));
  if (PQstatus(connection.get()) != CONNECTION_OK) {
    return std::unexpected(error("cannot connect", connection.get()));
  }
  // The server's notices ("relation already exists, skipping") are not
  // tocsin's to print on stderr.
  PQsetNoticeProcessor(
      connection.get(), [](void*, const char*) {}, nullptr);
  auto ms = [](Duration d) {
    return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(d).count());
  };
  if (auto set = exec(connection.get(),
                      "SELECT set_config('statement_timeout', $1, false), "
                      "set_config('idle_in_transaction_session_timeout', $2, false), "
                      "set_config('tocsin.replica', $3, false)",
                      {ms(options_.statement_timeout), ms(options_.idle_in_transaction_timeout),
                       options_.replica},
                      "setting up the session");
      !set) {
    return std::unexpected(set.error());
  }
  return connection;
}

Result<PgResult> Database::exec(PGconn* connection, const std::string& sql, const Values& values,
                                std::string_view doing) const {
  Params params(values);
  PgResult result(PQexecParams(connection, sql.c_str(), params.size(), nullptr, params.values(),
                               nullptr, nullptr, 0));
  if (result == nullptr || !ok(result.get())) {
    return std::unexpected(error(doing, connection, result.get()));
  }
  return result;
}

}  // namespace tocsin::store::pg
