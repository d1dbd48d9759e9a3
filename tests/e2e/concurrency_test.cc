// Concurrency and crash safety of writes, end to end against real limsd processes:
//  - eight clients register samples at once, against one limsd and against two limsd processes
//    sharing one database: every intake succeeds, the numbers are unique and gapless, and each
//    sample has exactly one sample.register audit event;
//  - a limsd is killed with SIGKILL in the middle of a burst of intakes and result entries: after
//    a restart, every acknowledged write is there with its audit event, nothing is half-written,
//    the numbers stay gapless, the audit chain verifies, and retrying the requests whose outcome
//    the clients never learned (same Idempotency-Key) replays or executes them once, never twice.
// Every loop is bounded in count and time.
#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <latch>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/json_test_util.h"
#include "tests/support/limsd_process.h"
#include "tests/support/test_database.h"

namespace lims::testing {
namespace {

using SteadyClock = std::chrono::steady_clock;

constexpr char kPassword[] = "concurrency pass phrase 6093";
constexpr int kRaceClients = 8;
constexpr int kIntakesPerRaceClient = 25;
constexpr int kCrashClients = 4;
constexpr int kMaxOpsPerCrashClient = 400;
constexpr auto kKillAfter = std::chrono::milliseconds(1500);
constexpr auto kBurstLimit = std::chrono::seconds(4);

std::string Header(const HttpReply& reply, const std::string& name) {
  auto it = reply.headers.find(name);
  return it == reply.headers.end() ? "" : it->second;
}

// One client's kept-alive connection, used by one thread only. A transport failure (refused,
// reset, timed out) yields nullopt: the client cannot know whether the request took effect.
class Client {
 public:
  Client(int port, std::string token) : port_(port), token_(std::move(token)) {}

  std::optional<HttpReply> Send(const std::string& method, const std::string& path, const std::string& body = "",
                                const std::map<std::string, std::string>& headers = {}) {
    try {
      return Exchange(method, path, body, headers);
    } catch (const Poco::Exception& e) {
      failure_ = e.displayText();
    } catch (const std::exception& e) {  // a stream failure while the peer dies
      failure_ = e.what();
    }
    session_.reset();  // the next request opens a new connection
    return std::nullopt;
  }

  const std::string& last_failure() const { return failure_; }

 private:
  HttpReply Exchange(const std::string& method, const std::string& path, const std::string& body,
                     const std::map<std::string, std::string>& headers) {
    if (!session_) {
      session_ = std::make_unique<Poco::Net::HTTPClientSession>("127.0.0.1", static_cast<Poco::UInt16>(port_));
      session_->setKeepAlive(true);
      session_->setTimeout(Poco::Timespan(10, 0));
    }
    Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    request.setKeepAlive(true);
    request.set("Authorization", "Bearer " + token_);
    for (const auto& [k, v] : headers) request.set(k, v);
    if (method == "POST") {
      request.setContentType("application/json");
      request.setContentLength64(static_cast<Poco::Int64>(body.size()));
    }
    session_->sendRequest(request) << body;
    Poco::Net::HTTPResponse response;
    std::istream& in = session_->receiveResponse(response);
    HttpReply reply;
    reply.status = response.getStatus();
    reply.content_type = response.getContentType();
    for (const auto& [k, v] : response) reply.headers[k] = v;
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
  }

  int port_;
  std::string token_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
  std::string failure_;
};

std::string InsertExporter(const TestDatabase& db) {
  db.Execute(
      "INSERT INTO organizations (name, iec, address, district, odop_product) VALUES "
      "('Concurrent Leather Exports', '0599000001', 'Agra', 'Agra', 'Leather footwear')");
  return db.QueryValue("SELECT id FROM organizations WHERE iec = '0599000001'");
}

// An intake whose product names it uniquely (`tag`), so duplicates can be counted in the database.
std::string IntakeJson(const std::string& exporter, const std::string& tag) {
  return "{\"exporter\": \"" + exporter + "\", \"product\": \"" + tag +
         "\", \"quantity\": 6, \"quantity_unit\": \"pairs\", \"destination\": \"DE\","
         " \"requirements\": [\"REACH-XVII-47-CRVI-LEATHER\"]}";
}

// Creates technician `username` (through the admin API of `admin_side`).
void CreateTechnician(const LimsdProcess& admin_side, const std::string& username) {
  const std::string body = R"({"username":")" + username + R"(","password":")" + kPassword +
                           R"(","name":"Concurrency technician","roles":["technician"]})";
  const HttpReply reply = admin_side.CallAs(admin_side.admin_token(), "POST", "/api/v1/users", body);
  ASSERT_EQ(reply.status, 201) << reply.body;
}

std::string TechnicianName(int i) {
  return "conc-tech-" + std::to_string(i);
}

// The sample numbers of the acknowledged intakes must be AGR-<year>-000001 ... without a gap.
void ExpectGaplessNumbers(std::vector<std::string> numbers) {
  ASSERT_FALSE(numbers.empty());
  std::sort(numbers.begin(), numbers.end());
  EXPECT_EQ(std::set<std::string>(numbers.begin(), numbers.end()).size(), numbers.size()) << "duplicate numbers";
  const std::string year = numbers.front().substr(4, 4);
  for (size_t i = 0; i < numbers.size(); ++i) {
    char expected[32];
    std::snprintf(expected, sizeof expected, "AGR-%s-%06zu", year.c_str(), i + 1);
    ASSERT_EQ(numbers[i], expected) << "numbers are not gapless from 000001";
  }
}

// The database's own view: sequences 1..count, the counter at the last one.
void ExpectGaplessInDatabase(const TestDatabase& db) {
  const std::string count = db.QueryValue("SELECT COUNT(*) FROM samples");
  EXPECT_EQ(db.QueryValue("SELECT COUNT(DISTINCT sequence) FROM samples"), count);
  EXPECT_EQ(db.QueryValue("SELECT COALESCE(MIN(sequence), 1) FROM samples"), "1");
  EXPECT_EQ(db.QueryValue("SELECT COALESCE(MAX(sequence), 0) FROM samples"), count);
  EXPECT_EQ(db.QueryValue("SELECT COALESCE(MAX(last_sequence), 0) FROM sample_counters"), count);
}

int CountQuery(const TestDatabase& db, const std::string& query) {
  return std::stoi(db.QueryValue(query));
}

// Every sample carries exactly one sample.register event.
void ExpectOneRegisterEventPerSample(const TestDatabase& db) {
  EXPECT_EQ(CountQuery(db,
                       "SELECT COUNT(*) FROM samples s WHERE (SELECT COUNT(*) FROM audit_events a"
                       " WHERE a.action = 'sample.register' AND a.entity = 'sample' AND a.entity_id = s.number) <> 1"),
            0);
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM audit_events WHERE action = 'sample.register'"),
            db.QueryValue("SELECT COUNT(*) FROM samples"));
}

void ExpectAuditVerifies(const LimsdProcess& limsd) {
  const HttpReply reply = limsd.CallAs(limsd.admin_token(), "GET", "/api/v1/audit/verify", "");
  ASSERT_EQ(reply.status, 200) << reply.body;
  Poco::JSON::Object::Ptr body = ParseJsonObject(reply.body);
  ASSERT_FALSE(body.isNull()) << reply.body;
  EXPECT_TRUE(body->optValue<bool>("ok", false)) << reply.body;
}

// The actions of the audit events of one entity, read through the API.
std::vector<std::string> AuditActions(Client& admin, const std::string& entity, const std::string& id) {
  std::optional<HttpReply> reply = admin.Send("GET", "/api/v1/audit?entity=" + entity + "&entity_id=" + id);
  EXPECT_TRUE(reply && reply->status == 200) << (reply ? reply->body : admin.last_failure());
  std::vector<std::string> actions;
  if (!reply || reply->status != 200) return actions;
  Poco::JSON::Object::Ptr body = ParseJsonObject(reply->body);
  for (unsigned i = 0;; ++i) {
    Poco::JSON::Object::Ptr event = JsonArrayObject(body, "items", i);
    if (event.isNull()) break;
    actions.push_back(JsonString(event, "action"));
  }
  return actions;
}

// ---------------------------------------------------------------------------------------------
// Eight clients registering at once.

struct IntakeOutcome {
  int status = 0;  // 0: no response
  std::string number;
  std::string error;
};

std::vector<IntakeOutcome> RegisterMany(int port, const std::string& token, const std::string& exporter, int client,
                                        std::latch& start) {
  Client c(port, token);
  std::vector<IntakeOutcome> out;
  start.arrive_and_wait();
  for (int j = 0; j < kIntakesPerRaceClient; ++j) {
    const std::string tag = "Race boot c" + std::to_string(client) + "-" + std::to_string(j);
    std::optional<HttpReply> reply = c.Send("POST", "/api/v1/samples", IntakeJson(exporter, tag));
    IntakeOutcome o;
    if (reply) {
      o.status = reply->status;
      o.number = JsonString(ParseJsonObject(reply->body), "number");
      if (reply->status != 201) o.error = reply->body;
    } else {
      o.error = c.last_failure();
    }
    out.push_back(std::move(o));
  }
  return out;
}

// Eight clients, spread over `process_count` limsd processes on one fresh database.
void RunIntakeRace(int process_count) {
  TestDatabase db;
  std::vector<std::unique_ptr<LimsdProcess>> limsds;
  for (int p = 0; p < process_count; ++p) limsds.push_back(std::make_unique<LimsdProcess>(db.config()));
  const std::string exporter = InsertExporter(db);
  std::vector<std::string> tokens;
  for (int i = 0; i < kRaceClients; ++i) {
    ASSERT_NO_FATAL_FAILURE(CreateTechnician(*limsds[0], TechnicianName(i)));
    tokens.push_back(limsds[i % process_count]->Login(TechnicianName(i), kPassword));
  }

  std::latch start(kRaceClients);
  std::vector<std::vector<IntakeOutcome>> outcomes(kRaceClients);
  std::vector<std::thread> threads;
  const auto began = SteadyClock::now();
  for (int i = 0; i < kRaceClients; ++i) {
    const int port = limsds[i % process_count]->port();
    threads.emplace_back([&, i, port] { outcomes[i] = RegisterMany(port, tokens[i], exporter, i, start); });
  }
  for (std::thread& t : threads) t.join();
  const auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - began);

  std::vector<std::string> numbers;
  for (const auto& client : outcomes) {
    for (const IntakeOutcome& o : client) {
      EXPECT_EQ(o.status, 201) << o.error;
      if (o.status == 201) numbers.push_back(o.number);
    }
  }
  std::printf("[ concurrency ] %d limsd, %d clients: %zu intakes acknowledged in %lld ms\n", process_count,
              kRaceClients, numbers.size(), static_cast<long long>(elapsed.count()));
  EXPECT_EQ(numbers.size(), static_cast<size_t>(kRaceClients * kIntakesPerRaceClient));
  ExpectGaplessNumbers(numbers);
  EXPECT_EQ(db.QueryValue("SELECT COUNT(*) FROM samples"), std::to_string(numbers.size()));
  ExpectGaplessInDatabase(db);
  ExpectOneRegisterEventPerSample(db);
  // The API's view of a few of them (first, middle, last).
  std::sort(numbers.begin(), numbers.end());
  Client admin(limsds.back()->port(), limsds.back()->admin_token());
  for (const std::string& n : {numbers.front(), numbers[numbers.size() / 2], numbers.back()}) {
    EXPECT_EQ(AuditActions(admin, "sample", n), std::vector<std::string>{"sample.register"}) << n;
  }
  for (const auto& limsd : limsds) ExpectAuditVerifies(*limsd);
}

TEST(ConcurrentIntake, EightClientsOneLimsdGetGaplessNumbers) {
  RunIntakeRace(1);
}

TEST(ConcurrentIntake, EightClientsTwoLimsdsOnOneDatabaseGetGaplessNumbers) {
  RunIntakeRace(2);
}

// ---------------------------------------------------------------------------------------------
// A crash in the middle of a burst.

enum class Outcome { kAcknowledged, kUnknown, kRejected };

struct WriteOp {
  int client = 0;
  bool intake = true;
  std::string key;  // Idempotency-Key
  std::string path;
  std::string body;
  std::string tag;      // intake: the product
  std::string test_id;  // result: the test; intake: the test it created (when acknowledged)
  std::string value;    // result: the replicate sent
  std::string number;   // intake: the sample number (when acknowledged)
  Outcome outcome = Outcome::kUnknown;
  std::string detail;  // the body of a rejection, or the transport failure
};

struct BurstControl {
  std::atomic<bool> killed{false};
  SteadyClock::time_point deadline;
};

WriteOp NextOp(int client, int n, const std::string& exporter, std::vector<std::string>* untested) {
  WriteOp op;
  op.client = client;
  op.key = "crash-c" + std::to_string(client) + "-op" + std::to_string(n);
  if (untested->empty()) {
    op.tag = "Crash boot c" + std::to_string(client) + "-op" + std::to_string(n);
    op.path = "/api/v1/samples";
    op.body = IntakeJson(exporter, op.tag);
    return op;
  }
  op.intake = false;
  op.test_id = untested->back();
  untested->pop_back();
  op.value = "1." + std::to_string(10 + n % 90);
  op.path = "/api/v1/tests/" + op.test_id + "/results";
  op.body = R"({"values": [")" + op.value + R"("], "unit": "mg/kg"})";
  return op;
}

void RecordReply(const HttpReply& reply, WriteOp* op, std::vector<std::string>* untested) {
  if (reply.status < 200 || reply.status >= 300) {
    op->outcome = Outcome::kRejected;
    op->detail = std::to_string(reply.status) + " " + reply.body;
    return;
  }
  op->outcome = Outcome::kAcknowledged;
  if (!op->intake) return;
  Poco::JSON::Object::Ptr sample = ParseJsonObject(reply.body);
  op->number = JsonString(sample, "number");
  op->test_id = JsonString(JsonArrayObject(sample, "tests", 0), "id");
  if (!op->test_id.empty()) untested->push_back(op->test_id);
}

// One client of the burst: an intake, then a result for its test, and so on, each with its own
// Idempotency-Key. After the kill it stops at its first transport failure.
std::vector<WriteOp> Burst(int port, const std::string& token, const std::string& exporter, int client,
                           BurstControl& control, std::latch& start) {
  Client c(port, token);
  std::vector<WriteOp> ops;
  std::vector<std::string> untested;
  start.arrive_and_wait();
  for (int n = 0; n < kMaxOpsPerCrashClient && SteadyClock::now() < control.deadline; ++n) {
    WriteOp op = NextOp(client, n, exporter, &untested);
    std::optional<HttpReply> reply = c.Send("POST", op.path, op.body, {{"Idempotency-Key", op.key}});
    if (reply) RecordReply(*reply, &op, &untested);
    if (!reply) op.detail = c.last_failure();
    ops.push_back(std::move(op));
    if (!reply && control.killed.load()) break;
  }
  return ops;
}

// Runs the burst against `limsd` and kills it with SIGKILL while the clients are sending.
std::vector<WriteOp> BurstAndKill(LimsdProcess& limsd, const std::string& exporter,
                                  const std::vector<std::string>& tokens) {
  BurstControl control;
  control.deadline = SteadyClock::now() + kBurstLimit;
  std::latch start(kCrashClients + 1);
  std::vector<std::vector<WriteOp>> per_client(kCrashClients);
  std::vector<std::thread> threads;
  for (int i = 0; i < kCrashClients; ++i) {
    threads.emplace_back([&, i] { per_client[i] = Burst(limsd.port(), tokens[i], exporter, i, control, start); });
  }
  start.arrive_and_wait();
  std::this_thread::sleep_for(kKillAfter);
  control.killed.store(true);
  limsd.Kill9();
  for (std::thread& t : threads) t.join();
  std::vector<WriteOp> ops;
  for (auto& client : per_client) ops.insert(ops.end(), client.begin(), client.end());
  return ops;
}

size_t CountOps(const std::vector<WriteOp>& ops, bool intake, Outcome outcome) {
  return static_cast<size_t>(std::count_if(
      ops.begin(), ops.end(), [&](const WriteOp& op) { return op.intake == intake && op.outcome == outcome; }));
}

// Each acknowledged intake reads back, with exactly one sample.register event.
void ExpectAcknowledgedIntakes(const LimsdProcess& limsd, const std::vector<WriteOp>& ops) {
  Client staff(limsd.port(), limsd.staff_token());
  Client admin(limsd.port(), limsd.admin_token());
  for (const WriteOp& op : ops) {
    if (!op.intake || op.outcome != Outcome::kAcknowledged) continue;
    std::optional<HttpReply> reply = staff.Send("GET", "/api/v1/samples/" + op.number);
    ASSERT_TRUE(reply && reply->status == 200) << op.key << " " << op.number;
    EXPECT_EQ(JsonString(ParseJsonObject(reply->body), "product"), op.tag);
    // A result entered later adds sample.status events; registration happened exactly once.
    const std::vector<std::string> actions = AuditActions(admin, "sample", op.number);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "sample.register"), 1) << op.number;
  }
}

// Each acknowledged result is entered with the values sent, with exactly one test.result event.
void ExpectAcknowledgedResults(const LimsdProcess& limsd, const std::vector<WriteOp>& ops) {
  Client staff(limsd.port(), limsd.staff_token());
  Client admin(limsd.port(), limsd.admin_token());
  for (const WriteOp& op : ops) {
    if (op.intake || op.outcome != Outcome::kAcknowledged) continue;
    std::optional<HttpReply> reply = staff.Send("GET", "/api/v1/tests/" + op.test_id);
    ASSERT_TRUE(reply && reply->status == 200) << op.key << " test " << op.test_id;
    Poco::JSON::Object::Ptr test = ParseJsonObject(reply->body);
    EXPECT_EQ(JsonString(test, "status"), "entered") << reply->body;
    EXPECT_EQ(JsonStrings(test.isNull() ? Poco::JSON::Object::Ptr() : test->getObject("result"), "values"),
              std::vector<std::string>{op.value})
        << reply->body;
    const std::vector<std::string> actions = AuditActions(admin, "test", op.test_id);
    EXPECT_EQ(std::count(actions.begin(), actions.end(), "test.result"), 1) << op.test_id;
  }
}

// Nothing half-written: each table's rows have the rows that must come with them.
void ExpectNothingHalfWritten(const TestDatabase& db) {
  EXPECT_EQ(CountQuery(db,
                       "SELECT COUNT(*) FROM samples s WHERE NOT EXISTS"
                       " (SELECT 1 FROM tests t WHERE t.sample_id = s.id)"),
            0)
      << "samples without tests";
  EXPECT_EQ(CountQuery(db,
                       "SELECT COUNT(*) FROM samples s WHERE NOT EXISTS"
                       " (SELECT 1 FROM custody_events c WHERE c.sample_id = s.id AND c.event = 'received')"),
            0)
      << "samples without their received custody event";
  EXPECT_EQ(CountQuery(db,
                       "SELECT COUNT(*) FROM tests t WHERE t.status = 'entered' AND NOT EXISTS"
                       " (SELECT 1 FROM results r WHERE r.test_id = t.id)"),
            0)
      << "entered tests without a result";
  EXPECT_EQ(CountQuery(db,
                       "SELECT COUNT(*) FROM results r WHERE NOT EXISTS"
                       " (SELECT 1 FROM result_values v WHERE v.result_id = r.id)"),
            0)
      << "results without values";
  EXPECT_EQ(CountQuery(db,
                       "SELECT COUNT(*) FROM results r WHERE (SELECT COUNT(*) FROM audit_events a"
                       " WHERE a.action = 'test.result' AND a.entity = 'test' AND a.entity_id = r.test_id) <> 1"),
            0)
      << "results without exactly one test.result event";
  ExpectOneRegisterEventPerSample(db);
}

// Retries every request of unknown outcome with its key; returns how many were replayed.
int RetryUnknown(const LimsdProcess& limsd, const std::vector<WriteOp>& ops) {
  std::vector<Client> clients;
  for (int i = 0; i < kCrashClients; ++i) clients.emplace_back(limsd.port(), limsd.Login(TechnicianName(i), kPassword));
  int replayed = 0;
  for (const WriteOp& op : ops) {
    if (op.outcome != Outcome::kUnknown) continue;
    std::optional<HttpReply> reply = clients[op.client].Send("POST", op.path, op.body, {{"Idempotency-Key", op.key}});
    EXPECT_TRUE(reply.has_value()) << op.key << ": " << clients[op.client].last_failure();
    if (!reply) continue;
    EXPECT_TRUE(reply->status == 200 || reply->status == 201) << op.key << ": " << reply->status << " " << reply->body;
    if (Header(*reply, "Idempotent-Replayed") == "true") ++replayed;
    if (op.intake) {
      EXPECT_EQ(JsonString(ParseJsonObject(reply->body), "product"), op.tag) << reply->body;
    }
  }
  return replayed;
}

// The idempotency rows committed with the acknowledged writes survived the crash too: resending
// any of them replays the first response instead of writing again.
void ExpectAcknowledgedReplay(const LimsdProcess& limsd, const std::vector<WriteOp>& ops) {
  std::vector<Client> clients;
  for (int i = 0; i < kCrashClients; ++i) clients.emplace_back(limsd.port(), limsd.Login(TechnicianName(i), kPassword));
  for (const WriteOp& op : ops) {
    if (op.outcome != Outcome::kAcknowledged) continue;
    std::optional<HttpReply> reply = clients[op.client].Send("POST", op.path, op.body, {{"Idempotency-Key", op.key}});
    ASSERT_TRUE(reply.has_value()) << op.key << ": " << clients[op.client].last_failure();
    EXPECT_EQ(reply->status, 201) << op.key << ": " << reply->body;
    EXPECT_EQ(Header(*reply, "Idempotent-Replayed"), "true") << op.key;
    if (op.intake) {
      EXPECT_EQ(JsonString(ParseJsonObject(reply->body), "number"), op.number) << op.key;
    }
  }
}

// After the retries every intake made exactly one sample and every result entry one result.
void ExpectNoDuplicates(const TestDatabase& db, const std::vector<WriteOp>& ops) {
  EXPECT_EQ(CountQuery(db,
                       "SELECT COUNT(*) FROM (SELECT product FROM samples GROUP BY product"
                       " HAVING COUNT(*) > 1) d"),
            0)
      << "an intake was executed twice";
  EXPECT_EQ(CountQuery(db, "SELECT COUNT(*) FROM samples"),
            static_cast<int>(std::count_if(ops.begin(), ops.end(), [](const WriteOp& op) { return op.intake; })));
  EXPECT_EQ(CountQuery(db,
                       "SELECT COUNT(*) FROM (SELECT test_id FROM results GROUP BY test_id"
                       " HAVING COUNT(*) > 1) d"),
            0)
      << "a result was entered twice";
  EXPECT_EQ(CountQuery(db, "SELECT COUNT(*) FROM results"),
            static_cast<int>(std::count_if(ops.begin(), ops.end(), [](const WriteOp& op) { return !op.intake; })));
}

TEST(CrashDuringWrites, AcknowledgedWritesSurviveAndRetriesNeverDuplicate) {
  const auto began = SteadyClock::now();
  TestDatabase db;
  std::vector<WriteOp> ops;
  std::string exporter;
  {
    LimsdProcess first(db.config());
    exporter = InsertExporter(db);
    std::vector<std::string> tokens;
    for (int i = 0; i < kCrashClients; ++i) {
      ASSERT_NO_FATAL_FAILURE(CreateTechnician(first, TechnicianName(i)));
      tokens.push_back(first.Login(TechnicianName(i), kPassword));
    }
    ops = BurstAndKill(first, exporter, tokens);
  }
  const size_t acked_intakes = CountOps(ops, true, Outcome::kAcknowledged);
  const size_t acked_results = CountOps(ops, false, Outcome::kAcknowledged);
  const size_t unknown = CountOps(ops, true, Outcome::kUnknown) + CountOps(ops, false, Outcome::kUnknown);
  std::printf("[ concurrency ] burst: %zu writes; acknowledged %zu intakes, %zu results; %zu unknown (%zu intakes)\n",
              ops.size(), acked_intakes, acked_results, unknown, CountOps(ops, true, Outcome::kUnknown));
  for (const WriteOp& op : ops) {
    EXPECT_NE(op.outcome, Outcome::kRejected) << op.key << ": " << op.detail;
  }
  EXPECT_GT(acked_intakes, 0u);
  EXPECT_GT(acked_results, 0u);

  LimsdProcess second(db.config());
  ASSERT_NO_FATAL_FAILURE(ExpectAcknowledgedIntakes(second, ops));
  ASSERT_NO_FATAL_FAILURE(ExpectAcknowledgedResults(second, ops));
  ExpectNothingHalfWritten(db);
  ExpectGaplessInDatabase(db);
  ExpectAuditVerifies(second);

  ASSERT_NO_FATAL_FAILURE(ExpectAcknowledgedReplay(second, ops));
  const int replayed = RetryUnknown(second, ops);
  std::printf("[ concurrency ] retried %zu unknown: %d replayed, %zu executed now\n", unknown, replayed,
              unknown - static_cast<size_t>(replayed));
  ExpectNoDuplicates(db, ops);
  ExpectNothingHalfWritten(db);
  ExpectGaplessInDatabase(db);
  ExpectAuditVerifies(second);
  EXPECT_LT(SteadyClock::now() - began, std::chrono::seconds(30));
}

}  // namespace
}  // namespace lims::testing
