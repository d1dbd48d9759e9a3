// Transaction: RAII scope of one database transaction on a borrowed connection. Rolls back unless
// Commit() was called, so an exception or early return leaves nothing half-written.
//
// Transactions nest: one opened while another is open on the connection (a store method called
// inside a request's UnitOfWork) joins it, and its Commit and rollback are left to the outer one.
#ifndef LIMS_STORE_TRANSACTION_H_
#define LIMS_STORE_TRANSACTION_H_

namespace sql {
class Connection;
}

namespace lims::store {

class Transaction {
 public:
  explicit Transaction(sql::Connection& c);
  ~Transaction();
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;

  void Commit();  // throws sql::SQLException like any statement

 private:
  sql::Connection& connection_;
  bool committed_ = false;
  bool nested_ = false;
};

}  // namespace lims::store

#endif  // LIMS_STORE_TRANSACTION_H_
