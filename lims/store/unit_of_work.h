// UnitOfWork: one write request as one transaction. It opens the transaction, collects the audit
// changes the workflow records (it is the workflow's AuditSink), and on Commit appends them as
// hash-chained events, stores the idempotent response if the request carried a key, and commits:
// the change, its audit events and its replayable response land together or not at all.
//
// Stores called while a unit of work is open join its transaction (Transaction nests). Not
// thread-safe; one per request, on the request's leased connection.
#ifndef LIMS_STORE_UNIT_OF_WORK_H_
#define LIMS_STORE_UNIT_OF_WORK_H_

#include <optional>
#include <string>
#include <vector>

#include "lims/core/audit.h"
#include "lims/core/clock.h"
#include "lims/core/status.h"
#include "lims/store/audit_trail.h"
#include "lims/store/transaction.h"

namespace sql {
class Connection;
}

namespace lims::store {

// A response as the first request produced it, replayed for a repeated Idempotency-Key.
struct StoredResponse {
  int status = 200;
  std::string content_type;
  std::string body;
  std::string location;
  std::string etag;
};

struct IdempotencyKey {
  int64_t user_id = 0;
  std::string key;             // the header's value
  std::string request_sha256;  // of method, path and body: the same key with another request is refused
};

// The response stored for (user, key): nullopt when none; kUnprocessable when the key was used
// for a different request.
Result<std::optional<StoredResponse>> FindStoredResponse(sql::Connection& c, const IdempotencyKey& key);

class UnitOfWork : public AuditSink {
 public:
  UnitOfWork(sql::Connection& c, Actor actor, Timestamp now);
  UnitOfWork(const UnitOfWork&) = delete;
  UnitOfWork& operator=(const UnitOfWork&) = delete;

  void Record(AuditChange change) override { changes_.push_back(std::move(change)); }
  sql::Connection& connection() { return c_; }
  const Actor& actor() const { return actor_; }
  Timestamp now() const { return now_; }
  const std::vector<AuditChange>& changes() const { return changes_; }

  // Appends the audit events, stores `response` under `key` (when both are given) and commits.
  // kConflict when another request with the same key committed first (the caller replays it);
  // kUnavailable when the database failed. Without Commit the destructor rolls everything back.
  Status Commit(const std::optional<IdempotencyKey>& key, const StoredResponse* response);

 private:
  sql::Connection& c_;
  Actor actor_;
  Timestamp now_;
  Transaction tx_;
  std::vector<AuditChange> changes_;
};

}  // namespace lims::store

#endif  // LIMS_STORE_UNIT_OF_WORK_H_
