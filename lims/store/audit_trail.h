// The audit trail in MySQL/MariaDB: appending a unit of work's changes as hash-chained events in
// the caller's transaction, reading them back, and verifying the whole chain.
//
// Appending locks one stripe's head row (SELECT ... FOR UPDATE) as the last lock of the
// transaction and keeps it until commit: the chain of that stripe cannot fork, and writers on other
// stripes commit in parallel (group commit). See lims/core/audit.h for the chain itself.
#ifndef LIMS_STORE_AUDIT_TRAIL_H_
#define LIMS_STORE_AUDIT_TRAIL_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "lims/core/audit.h"
#include "lims/core/clock.h"
#include "lims/core/status.h"

namespace sql {
class Connection;
}

namespace lims::store {

// Stripes seeded by migration 006 (audit_heads rows 0..63). More stripes, fewer writers queueing
// on one head; the count is fixed by the rows, so changing it takes a migration and this constant.
inline constexpr int kAuditStripes = 64;

// Who acts: recorded with every event of the unit of work.
struct Actor {
  int64_t user_id = 0;  // 0 = the system
  std::string username = "system";
  std::string role = "system";
};

// Appends `changes` as consecutive events of one stripe (chosen from the first change) inside the
// transaction open on `c`. Throws sql::SQLException like any statement; does not commit.
void AppendAuditEvents(sql::Connection& c, const Actor& actor, Timestamp at, const std::vector<AuditChange>& changes);

struct AuditQuery {
  std::string entity;
  std::string entity_id;
  std::string actor;
  std::optional<Timestamp> from;
  std::optional<Timestamp> to;  // exclusive
  int64_t after = 0;            // keyset cursor: the last seq of the previous page
  int limit = 100;
};
Result<std::vector<AuditEvent>> QueryAudit(sql::Connection& c, const AuditQuery& q);

// The stored hash of the event before each of `events` on its stripe ((stripe, stripe_seq - 1) →
// hash); events that start their stripe have none, and a removed predecessor is simply absent.
// Reads by the unique (stripe, stripe_seq) key, 50 events per round trip.
using PredecessorHashes = std::map<std::pair<int, int64_t>, std::string>;
Result<PredecessorHashes> ReadPredecessorHashes(sql::Connection& c, const std::vector<AuditEvent>& events);

struct AuditVerification {
  int64_t events = 0;
  std::optional<ChainBreak> broken;                                    // the first broken link, if any
  std::vector<std::pair<int, std::pair<int64_t, std::string>>> heads;  // stripe → (#, hash)
};
// Recomputes every hash in seq order (in pages, so memory stays bounded) and compares the heads.
Result<AuditVerification> VerifyAuditTrail(sql::Connection& c);

}  // namespace lims::store

#endif  // LIMS_STORE_AUDIT_TRAIL_H_
