// Rejection history in MySQL/MariaDB (schema/010_rejections.sql): the summary tables written when a
// sample's first certificate issues, and the auditors' reads over them.
//
// RecordIssuedSample runs inside the caller's transaction (CertificateStore's), so the history
// commits or rolls back with the certificate. The reads are single statements on the caller's
// connection; ScanRejections pages through with the keyset cursor in batches, so a full export
// holds one batch in memory at a time. Connector/C++ exceptions become Status here. Not
// thread-safe: one call at a time per connection, as every store.
#ifndef LIMS_STORE_REJECTION_STORE_H_
#define LIMS_STORE_REJECTION_STORE_H_

#include <functional>
#include <vector>

#include "lims/core/rejection.h"
#include "lims/core/status.h"

namespace sql {
class Connection;
}

namespace lims::store {

// Appends the failing requirements and the outcome of the sample of `certificate_id`, and counts
// its tests per (month, requirement). Call once per sample, for its first certificate.
Status RecordIssuedSample(sql::Connection& c, int64_t certificate_id);

// One page: at most query.limit rows after query.after, newest first.
Result<std::vector<RejectionRow>> ListRejections(sql::Connection& c, const RejectionQuery& query);

// Every row matching query.filter (after query.after), newest first, read in batches of
// `batch` rows; `sink` returns false to stop early (the client went away). kOk when done.
// A reader thread fetches up to two batches ahead on `c` while `sink` runs on the caller's thread;
// `c` is not used by anyone else until this returns. Memory: at most three batches.
Status ScanRejections(sql::Connection& c, RejectionQuery query, int batch,
                      const std::function<bool(const RejectionRow&)>& sink);

Result<RejectionSummary> SummarizeRejections(sql::Connection& c, const SummaryQuery& query);

// The `limit` requirements failed most often in query's period, district and exporter (group and
// format are ignored), most failures first, ties by code.
Result<std::vector<FailingRequirement>> TopFailingRequirements(sql::Connection& c, const SummaryQuery& query,
                                                               int limit);

}  // namespace lims::store

#endif  // LIMS_STORE_REJECTION_STORE_H_
