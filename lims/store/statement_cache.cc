#include "lims/store/statement_cache.h"

#include <cppconn/exception.h>
#include <cppconn/prepared_statement.h>
#include <mysql_connection.h>

#include <mutex>
#include <unordered_map>

namespace lims::store {
namespace {

using Statements = std::unordered_map<std::string, std::unique_ptr<sql::PreparedStatement>>;

struct Registry {
  std::mutex mu;
  // The per-connection maps are only touched by the thread that holds the connection's lease;
  // `mu` guards the outer map, which the pool changes while other leases are in use.
  std::unordered_map<const sql::Connection*, std::unique_ptr<Statements>> caches;
};

Registry& TheRegistry() {
  static auto* registry = new Registry;  // never destroyed: used until the last connection closes
  return *registry;
}

Statements* CacheOf(const sql::Connection* c) {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mu);
  auto it = r.caches.find(c);
  return it == r.caches.end() ? nullptr : it->second.get();
}

}  // namespace

void EnableStatementCache(const sql::Connection* c) {
  Registry& r = TheRegistry();
  std::lock_guard lock(r.mu);
  r.caches.emplace(c, std::make_unique<Statements>());
}

void ForgetStatementCache(const sql::Connection* c) {
  std::unique_ptr<Statements> statements;
  {
    Registry& r = TheRegistry();
    std::lock_guard lock(r.mu);
    auto it = r.caches.find(c);
    if (it == r.caches.end()) return;
    statements = std::move(it->second);
    r.caches.erase(it);
  }
  try {
    statements.reset();  // closes each statement on the server (outside the registry's lock)
  } catch (const sql::SQLException&) {
    // The connection is going away anyway; the server frees its statements with it.
  }
}

sql::PreparedStatement* CachedStatement(sql::Connection& c, const std::string& text) {
  Statements* cache = CacheOf(&c);
  if (cache == nullptr) return nullptr;
  auto it = cache->find(text);
  if (it == cache->end()) {
    it = cache->emplace(text, std::unique_ptr<sql::PreparedStatement>(c.prepareStatement(text))).first;
  }
  return it->second.get();
}

void CloseWithStatements::operator()(sql::Connection* c) const {
  ForgetStatementCache(c);
  delete c;
}

}  // namespace lims::store
