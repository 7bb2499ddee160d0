// How a store's rows become the values of a statement and come back from
// a result row, for every backend alike: the tables hold the same columns
// in the same order and the same encodings in SQLite and PostgreSQL (times
// as Unix milliseconds, fingerprints and hashes as 16 hex digits, labels
// and lists as JSON text), so that one codec serves both and a row reads
// back the same from either.
//
// Each `*_values` function gives the parameters of its table's upsert in
// column order; each `*_from` reads a row whose columns come in that same
// order (the history's have the id first, see history_from). A decoding
// error names the row ("silence ID: labels: ..."); the store adds its own
// name in front.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <tocsin/error.h>
#include <tocsin/labels.h>
#include <tocsin/time.h>

#include "store/store.h"

namespace tocsin::store {

// One statement parameter: NULL, an integer, a real or text.
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
using Values = std::vector<Value>;

// One row of a result, however the backend holds it. Text of a NULL
// column is empty, its integer 0.
class Columns {
 public:
  virtual ~Columns() = default;
  virtual bool is_null(int i) const = 0;
  virtual std::string text(int i) const = 0;
  virtual std::int64_t integer(int i) const = 0;
  // NULL reads as NaN (NaN is stored as NULL).
  virtual double real(int i) const = 0;
  Timestamp time(int i) const { return Timestamp(Duration(integer(i))); }
};

Values silence_values(const SilenceRow& row);
Result<SilenceRow> silence_from(const Columns& c);

Values notification_values(const NotificationRow& row);
Result<NotificationRow> notification_from(const Columns& c);

Values rule_alert_values(const RuleAlertRow& row);
Result<RuleAlertRow> rule_alert_from(const Columns& c);

Values rule_group_values(const RuleGroupRow& row);
RuleGroupRow rule_group_from(const Columns& c);

Values alert_values(const AlertRow& row);
Result<AlertRow> alert_from(const Columns& c);

Values heartbeat_values(const HeartbeatRow& row);
Result<HeartbeatRow> heartbeat_from(const Columns& c);

Values acknowledgement_values(const AcknowledgementRow& row);
Result<AcknowledgementRow> acknowledgement_from(const Columns& c);

Values escalation_values(const EscalationRow& row);
EscalationRow escalation_from(const Columns& c);

// (at, kind, state, fingerprint, alertname, labels, receiver, integration,
// group_key, by, details): the id is the store's to give.
Values history_values(const HistoryRow& row);
// (id, at, kind, state, fingerprint, labels, receiver, integration,
// group_key, by, details).
HistoryRow history_from(const Columns& c, Labels labels);

// One history page, from rows read newest first (id, at, kind, ... as
// history_from reads them): decodes each row's labels, keeps the rows the
// query's matchers take, and says when the page is done — full, or
// max_examined rows examined — setting the cursor to read on from.
class HistoryCollector {
 public:
  explicit HistoryCollector(const HistoryQuery& query) : query_(query) {}
  // Takes the next row; false once the page is done (read no more). An
  // error names the row that does not decode.
  Result<bool> add(const Columns& row);
  HistoryPage take() { return std::move(page_); }

 private:
  const HistoryQuery& query_;
  HistoryPage page_;
  std::size_t examined_ = 0;
};

// The statements a batch of changes runs, the same for every backend (each
// holds its own SQL for them).
enum class StatementId {
  kPutSilence,
  kPurgeSilences,
  kPutNotification,
  kPurgeNotifications,
  kPutRuleAlert,
  kDeleteRuleAlert,
  kPutRuleGroup,
  kDeleteRuleGroupAlerts,
  kDeleteRuleGroup,
  kPutAlert,
  kPurgeAlerts,
  kPutHeartbeat,
  kDeleteHeartbeat,
  kPutAcknowledgement,
  kDeleteAcknowledgement,
  kPutEscalation,
  kDeleteEscalation,
  kAppendHistory
};
inline constexpr std::size_t kStatementCount = 18;

// One statement of a batch: which, its parameters in column order, and what
// it does, for the error ("writing silence ID").
struct Step {
  StatementId statement;
  Values values;
  std::string doing;
};

// Appends the statements `change` runs, in order (a rule group's deletion
// is two: its alerts, then the group).
void steps_of(const Change& change, std::vector<Step>& out);

// A fingerprint as the tables hold it: 16 hex digits.
std::string fingerprint_text(std::uint64_t fingerprint);

}  // namespace tocsin::store
