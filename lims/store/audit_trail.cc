#include "lims/store/audit_trail.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include "lims/store/sql_error.h"
#include "lims/store/sql_util.h"
#include "lims/store/transaction.h"

namespace lims::store {
namespace {

AuditEvent EventFromRow(sql::ResultSet& rs) {
  AuditEvent e;
  e.seq = rs.getInt64("seq");
  e.stripe = rs.getInt("stripe");
  e.stripe_seq = rs.getInt64("stripe_seq");
  e.at = FromSqlDatetime(rs.getString("at"));
  e.actor_id = rs.getInt64("actor_id");
  e.actor = rs.getString("actor");
  e.role = rs.getString("role");
  e.change.action = rs.getString("action");
  e.change.entity = rs.getString("entity");
  e.change.entity_id = rs.getString("entity_id");
  e.change.before = rs.getString("before_doc");
  e.change.after = rs.getString("after_doc");
  e.change.reason = rs.getString("reason");
  e.prev_hash = rs.getString("prev_hash");
  e.hash = rs.getString("hash");
  return e;
}

void InsertEvent(sql::PreparedStatement& ps, const AuditEvent& e) {
  ps.setInt(1, e.stripe);
  ps.setInt64(2, e.stripe_seq);
  ps.setString(3, ToSqlDatetime(e.at));
  ps.setInt64(4, e.actor_id);
  ps.setString(5, e.actor);
  ps.setString(6, e.role);
  ps.setString(7, e.change.action);
  ps.setString(8, e.change.entity);
  ps.setString(9, e.change.entity_id);
  ps.setString(10, e.change.before);
  ps.setString(11, e.change.after);
  ps.setString(12, e.change.reason);
  ps.setString(13, e.prev_hash);
  ps.setString(14, e.hash);
  ps.executeUpdate();
}

}  // namespace

void AppendAuditEvents(sql::Connection& c, const Actor& actor, Timestamp at, const std::vector<AuditChange>& changes) {
  if (changes.empty()) return;
  const int stripe = AuditStripeFor(changes.front().entity, changes.front().entity_id, kAuditStripes);
  Statement head = Prepare(c, "SELECT stripe_seq, hash FROM audit_heads WHERE stripe = ? FOR UPDATE");
  head->setInt(1, stripe);
  Rows rs(head->executeQuery());
  if (!rs->next()) throw sql::SQLException("audit stripe " + std::to_string(stripe) + " has no head row");
  int64_t stripe_seq = rs->getInt64(1);
  std::string prev = rs->getString(2);

  Statement insert = Prepare(c,
                             "INSERT INTO audit_events (stripe, stripe_seq, at, actor_id, actor, role, action, entity,"
                             " entity_id, before_doc, after_doc, reason, prev_hash, hash)"
                             " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  for (const AuditChange& change : changes) {
    AuditEvent e;
    e.stripe = stripe;
    e.stripe_seq = ++stripe_seq;
    e.at = at;
    e.actor_id = actor.user_id;
    e.actor = actor.username;
    e.role = actor.role;
    e.change = change;
    e.prev_hash = prev;
    e.hash = ChainHash(prev, e);
    InsertEvent(*insert, e);
    prev = e.hash;
  }
  Statement update = Prepare(c, "UPDATE audit_heads SET stripe_seq = ?, hash = ? WHERE stripe = ?");
  update->setInt64(1, stripe_seq);
  update->setString(2, prev);
  update->setInt(3, stripe);
  update->executeUpdate();
}

Result<std::vector<AuditEvent>> QueryAudit(sql::Connection& c, const AuditQuery& q) {
  try {
    // Each filter is either bound or disabled by a bound flag, so the text stays constant.
    Statement ps = Prepare(c,
                           "SELECT * FROM audit_events WHERE seq > ?"
                           " AND (? = '' OR (entity = ? AND (? = '' OR entity_id = ?)))"
                           " AND (? = '' OR actor = ?)"
                           " AND (? IS NULL OR at >= ?) AND (? IS NULL OR at < ?)"
                           " ORDER BY seq LIMIT ?");
    int i = 1;
    ps->setInt64(i++, q.after);
    ps->setString(i++, q.entity);
    ps->setString(i++, q.entity);
    ps->setString(i++, q.entity_id);
    ps->setString(i++, q.entity_id);
    ps->setString(i++, q.actor);
    ps->setString(i++, q.actor);
    i = BindOptionalTwice(*ps, i, q.from);
    i = BindOptionalTwice(*ps, i, q.to);
    ps->setInt(i++, q.limit);
    Rows rs(ps->executeQuery());
    std::vector<AuditEvent> out;
    while (rs->next()) out.push_back(EventFromRow(*rs));
    return out;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading the audit trail");
  }
}

namespace {

// One statement text for every batch: unused slots are bound to a key no event has.
constexpr int kLinkBatch = 50;

std::string PredecessorSql() {
  std::string sql = "SELECT stripe, stripe_seq, hash FROM audit_events WHERE ";
  for (int i = 0; i < kLinkBatch; ++i)
    sql += i == 0 ? "(stripe = ? AND stripe_seq = ?)" : " OR (stripe = ? AND stripe_seq = ?)";
  return sql;
}

}  // namespace

Result<PredecessorHashes> ReadPredecessorHashes(sql::Connection& c, const std::vector<AuditEvent>& events) {
  try {
    static const std::string* const kSql = new std::string(PredecessorSql());
    std::vector<std::pair<int, int64_t>> keys;
    for (const AuditEvent& e : events) {
      if (e.stripe_seq > 1) keys.emplace_back(e.stripe, e.stripe_seq - 1);
    }
    PredecessorHashes out;
    for (size_t start = 0; start < keys.size(); start += kLinkBatch) {
      Statement ps = Prepare(c, *kSql);
      for (size_t k = 0; k < static_cast<size_t>(kLinkBatch); ++k) {
        const bool used = start + k < keys.size();
        ps->setInt(static_cast<int>(2 * k + 1), used ? keys[start + k].first : -1);
        ps->setInt64(static_cast<int>(2 * k + 2), used ? keys[start + k].second : -1);
      }
      Rows rs(ps->executeQuery());
      while (rs->next()) out[{rs->getInt(1), rs->getInt64(2)}] = rs->getString(3);
    }
    return out;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading the audit trail");
  }
}

Result<AuditVerification> VerifyAuditTrail(sql::Connection& c) {
  try {
    AuditVerification v;
    // One consistent snapshot (InnoDB REPEATABLE READ) for the heads and every page of events:
    // writers committing meanwhile are invisible, so what is read agrees with itself, and any
    // event beyond its chain's head is a real break, not a race.
    Transaction snapshot(c);
    Rows heads(Prepare(c, "SELECT stripe, stripe_seq, hash FROM audit_heads ORDER BY stripe")->executeQuery());
    while (heads->next()) v.heads.push_back({heads->getInt(1), {heads->getInt64(2), heads->getString(3)}});

    AuditChainVerifier verifier;
    constexpr int kPage = 5000;
    Statement page = Prepare(c, "SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?");
    int64_t after = 0;
    for (;;) {
      page->setInt64(1, after);
      page->setInt(2, kPage);
      Rows rs(page->executeQuery());
      int n = 0;
      while (rs->next()) {
        ++n;
        AuditEvent e = EventFromRow(*rs);
        after = e.seq;
        if (std::optional<ChainBreak> b = verifier.Add(e); b && !v.broken) v.broken = b;
      }
      if (n < kPage || v.broken) break;
    }
    if (!v.broken) v.broken = verifier.Finish(v.heads);
    v.events = verifier.events();
    return v;
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "verifying the audit trail");
  }
}

}  // namespace lims::store
