#include "lims/store/unit_of_work.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <cppconn/resultset.h>
#include <mysql_connection.h>

#include "lims/store/sql_error.h"
#include "lims/store/sql_util.h"

namespace lims::store {
namespace {

constexpr int kDuplicateKey = 1062;

void SaveResponse(sql::Connection& c, const IdempotencyKey& key, const StoredResponse& r, Timestamp at) {
  Statement ps = Prepare(c,
                         "INSERT INTO idempotency_keys (user_id, idem_key, request_sha256, status, content_type,"
                         " body, location, etag, created_at) VALUES (?,?,?,?,?,?,?,?,?)");
  ps->setInt64(1, key.user_id);
  ps->setString(2, key.key);
  ps->setString(3, key.request_sha256);
  ps->setInt(4, r.status);
  ps->setString(5, r.content_type);
  ps->setString(6, r.body);
  ps->setString(7, r.location);
  ps->setString(8, r.etag);
  ps->setString(9, ToSqlDatetime(at));
  ps->executeUpdate();
}

}  // namespace

Result<std::optional<StoredResponse>> FindStoredResponse(sql::Connection& c, const IdempotencyKey& key) {
  try {
    Statement ps = Prepare(c,
                           "SELECT request_sha256, status, content_type, body, location, etag FROM idempotency_keys"
                           " WHERE user_id = ? AND idem_key = ?");
    ps->setInt64(1, key.user_id);
    ps->setString(2, key.key);
    Rows rs(ps->executeQuery());
    if (!rs->next()) return std::optional<StoredResponse>();
    if (rs->getString(1) != key.request_sha256) {
      return Status::Unprocessable("this Idempotency-Key was already used for a different request",
                                   {{"Idempotency-Key", "reused with another method, path or body"}});
    }
    StoredResponse r{rs->getInt(2), rs->getString(3), rs->getString(4), rs->getString(5), rs->getString(6)};
    return std::optional<StoredResponse>(std::move(r));
  } catch (const sql::SQLException& e) {
    return FromSqlException(e, "reading an idempotency key");
  }
}

UnitOfWork::UnitOfWork(sql::Connection& c, Actor actor, Timestamp now)
    : c_(c), actor_(std::move(actor)), now_(now), tx_(c) {}

Status UnitOfWork::Commit(const std::optional<IdempotencyKey>& key, const StoredResponse* response) {
  try {
    // The idempotency row first: a concurrent twin with the same key waits here on the unique key
    // and fails once this commits, before it takes an audit stripe.
    if (key && response) SaveResponse(c_, *key, *response, now_);
    AppendAuditEvents(c_, actor_, now_, changes_);
    tx_.Commit();
    return Status::Ok();
  } catch (const sql::SQLException& e) {
    if (e.getErrorCode() == kDuplicateKey && key) {
      return Status::Conflict("a request with this Idempotency-Key was completed concurrently");
    }
    return FromSqlException(e, "committing the change");
  }
}

}  // namespace lims::store
