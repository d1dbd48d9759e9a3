#include "lims/store/transaction.h"

#include <cppconn/exception.h>
#include <mysql_connection.h>

namespace lims::store {

Transaction::Transaction(sql::Connection& c) : connection_(c), nested_(!c.getAutoCommit()) {
  if (!nested_) connection_.setAutoCommit(false);
}

Transaction::~Transaction() {
  // A destructor must not throw. If the rollback fails the connection is already broken: the
  // server discards the open transaction when the connection closes, and the caller's error
  // path marks the pooled connection broken.
  if (nested_) return;
  try {
    if (!committed_) connection_.rollback();
    connection_.setAutoCommit(true);
  } catch (const sql::SQLException&) {
  }
}

void Transaction::Commit() {
  if (!nested_) connection_.commit();
  committed_ = true;
}

}  // namespace lims::store
