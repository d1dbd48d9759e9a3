// The audit trail's domain: what an audited change is, how an event is written down canonically,
// and the hash chain that makes the trail tamper-evident (ISO/IEC 17025 7.5 and 8.4; 21 CFR Part 11
// §11.10(e); ALCOA+).
//
// Every write of the workflow records one or more AuditChange values through an AuditSink; the
// store turns them into AuditEvents in the same transaction as the change. Events are chained in
// stripes (several independent chains, so that concurrent writers do not queue on one chain head):
// an event's hash is SHA-256(previous hash of its stripe ‖ CanonicalEventBytes(event)), and a
// stripe's first event chains from kAuditGenesisHash. Value types; thread-compatible.
#ifndef LIMS_CORE_AUDIT_H_
#define LIMS_CORE_AUDIT_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lims/core/clock.h"

namespace lims {

// 64 hex zeros: the "previous hash" of a stripe's first event.
inline constexpr std::string_view kAuditGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";

// Builds the before/after documents of an event as canonical JSON: keys sorted, no white space,
// strings escaped the same way every time, so the same record always gives the same bytes.
class AuditJson {
 public:
  AuditJson& Set(std::string key, std::string_view value);  // JSON string
  AuditJson& Set(std::string key, const char* value) { return Set(std::move(key), std::string_view(value)); }
  AuditJson& Set(std::string key, int64_t value);                           // JSON number
  AuditJson& Set(std::string key, const std::vector<std::string>& values);  // JSON array of strings
  AuditJson& SetNull(std::string key);
  AuditJson& SetRaw(std::string key, std::string json);  // an already canonical JSON value (nested)
  bool empty() const { return fields_.empty(); }
  std::string str() const;  // "{}" when empty

 private:
  std::vector<std::pair<std::string, std::string>> fields_;  // key → encoded value; last Set wins
};

// Escapes `text` as the body of a JSON string (without the quotes): ", \ and control characters.
std::string JsonEscape(std::string_view text);

// What a write changed, as the workflow states it. `before` is empty for a creation.
struct AuditChange {
  std::string action;     // "sample.register", "test.result", "test.review", "custody.moved", ...
  std::string entity;     // "sample", "test", "organization", "user", ...
  std::string entity_id;  // the public id: sample number, test id, ...
  std::string before;     // canonical JSON ("" = nothing before)
  std::string after;      // canonical JSON
  std::string reason;     // required for retests, corrections and revocations; else ""
};

// Receives the changes of one unit of work; the store writes them when the transaction commits.
class AuditSink {
 public:
  virtual ~AuditSink() = default;
  virtual void Record(AuditChange change) = 0;
};

// Keeps the changes in memory (unit tests, and the store's buffer until commit).
class RecordingAuditSink : public AuditSink {
 public:
  void Record(AuditChange change) override { changes_.push_back(std::move(change)); }
  const std::vector<AuditChange>& changes() const { return changes_; }
  std::vector<AuditChange> Take() { return std::exchange(changes_, {}); }

 private:
  std::vector<AuditChange> changes_;
};

// An audit event as stored: the change, who made it and when, and its place in the chain.
struct AuditEvent {
  int64_t seq = 0;         // global order of insertion (database id)
  int stripe = 0;          // which chain
  int64_t stripe_seq = 0;  // 1, 2, 3 ... within the stripe, gapless
  Timestamp at;
  int64_t actor_id = 0;  // 0 = the system (migrations, start-up)
  std::string actor;     // username at the time
  std::string role;      // the role the actor acted in
  AuditChange change;
  std::string prev_hash;  // 64 hex digits
  std::string hash;       // SHA-256(prev_hash ‖ CanonicalEventBytes), 64 hex digits
};

// The bytes that are hashed: every field except `seq` and the hashes, each as a netstring
// ("<decimal length>:<bytes>,"), in a fixed order, so no two different events share bytes.
// `seq` is left out because it is assigned by the database after the hash is computed.
std::string CanonicalEventBytes(const AuditEvent& e);

// SHA-256(prev_hash_hex ‖ CanonicalEventBytes(e)) as 64 lower-case hex digits. The previous hash
// enters as its 64 ASCII hex digits.
std::string ChainHash(std::string_view prev_hash_hex, const AuditEvent& e);

// The first place where the stored trail disagrees with its own chain.
struct ChainBreak {
  int64_t seq = 0;  // the event at which the chain breaks
  int stripe = 0;
  int64_t stripe_seq = 0;
  std::string reason;  // "event 17 (stripe 3 #5) was altered: its content no longer matches its hash"
};

// Walks the events of all stripes in any interleaving, as long as each stripe's events arrive in
// stripe_seq order. Detects an altered event (its hash no longer matches its content), a deleted
// event (a gap in stripe_seq, or a prev_hash that is not the previous event's hash) and a stripe
// whose recorded head does not match its last event (the tail was cut off).
class AuditChainVerifier {
 public:
  // Returns the first break found, and then keeps returning it.
  std::optional<ChainBreak> Add(const AuditEvent& e);
  // After the last event: compares each stripe's recorded head (stripe → (last stripe_seq, hash))
  // with the last event seen. Stripes with no events must have head (0, genesis).
  std::optional<ChainBreak> Finish(const std::vector<std::pair<int, std::pair<int64_t, std::string>>>& heads);
  int64_t events() const { return events_; }

 private:
  struct Tail {
    int64_t stripe_seq = 0;
    std::string hash{kAuditGenesisHash};
    int64_t seq = 0;
  };
  std::vector<Tail> tails_;  // by stripe
  std::optional<ChainBreak> broken_;
  int64_t events_ = 0;
};

// The check of one event read on its own (an audit query's page, not the whole trail): its hash
// must match its content, and it must link to the event before it on its stripe.
// `predecessor_hash` is the stored hash of (stripe, stripe_seq - 1); nullopt when that event is
// missing; ignored for a stripe's first event (which must chain from kAuditGenesisHash).
// Returns the reason the event fails, or nullopt when it passes. What this cannot see (events cut
// off after a stripe's last one) only the whole-trail verification finds.
std::optional<std::string> CheckEventLink(const AuditEvent& e, const std::optional<std::string>& predecessor_hash);

// The stripe of a unit of work whose first change is (entity, entity_id): stable, so one sample's
// events share a chain, and spread evenly over `stripes`.
int AuditStripeFor(std::string_view entity, std::string_view entity_id, int stripes);

}  // namespace lims

#endif  // LIMS_CORE_AUDIT_H_
