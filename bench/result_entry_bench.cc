// Result entries per second against a running limsd (real HTTP, real MariaDB, durable commits).
// scripts/bench-result-entry.sh starts a private MariaDB and limsd, prepares the tests and runs this.
//
//   result_entry_bench URL TOKEN IDS_FILE [CLIENTS=16] [SECONDS=10]
//       CLIENTS threads, each with one keep-alive connection, POST /api/v1/tests/{id}/results
//       ({"values":["1.0"],"unit":"mg/kg"}, a unique Idempotency-Key) for the test ids of IDS_FILE
//       (one per line, each used once) until SECONDS have passed or the ids run out. Prints the
//       request count, errors by status, entries/s and latency percentiles, and a last line
//       "RESULT key=value ..." for scripts.
//   result_entry_bench prepare URL TOKEN EXPORTER_ID TESTS IDS_FILE [CLIENTS=16] [REQUIREMENTS]
//       Registers samples (POST /api/v1/samples, REQUIREMENTS comma-separated, each giving one
//       pending test) with CLIENTS threads until at least TESTS tests exist, and writes their ids to
//       IDS_FILE interleaved across samples (every sample's first test, then every second one, ...),
//       so that concurrent entries rarely queue on the same sample's lock.
//
// TOKEN is a bearer token of a user with the technician role.
#include <Poco/Exception.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

using SteadyClock = std::chrono::steady_clock;

struct Target {
  std::string host;
  Poco::UInt16 port = 0;
  std::string path_prefix;  // the URL's path without a trailing '/', usually ""
};

Target ParseTarget(const std::string& url) {
  const Poco::URI uri(url);
  Target t{uri.getHost(), uri.getPort(), uri.getPath()};
  while (!t.path_prefix.empty() && t.path_prefix.back() == '/') t.path_prefix.pop_back();
  return t;
}

struct Reply {
  int status = 0;  // 0: the exchange failed (connection error, timeout)
  std::string body;
};

// One keep-alive connection; reconnects after a failed exchange.
class Client {
 public:
  Client(const Target& target, std::string token) : target_(target), token_(std::move(token)) { Reset(); }

  Reply Post(const std::string& path, const std::string& body, const std::string& idempotency_key) {
    Reply reply;
    try {
      Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target_.path_prefix + path,
                                     Poco::Net::HTTPMessage::HTTP_1_1);
      request.setKeepAlive(true);
      request.set("Authorization", "Bearer " + token_);
      if (!idempotency_key.empty()) request.set("Idempotency-Key", idempotency_key);
      request.setContentType("application/json");
      request.setContentLength64(static_cast<Poco::Int64>(body.size()));
      session_->sendRequest(request) << body;
      Poco::Net::HTTPResponse response;
      std::istream& in = session_->receiveResponse(response);
      Poco::StreamCopier::copyToString(in, reply.body);  // read fully, so the connection can be reused
      reply.status = static_cast<int>(response.getStatus());
    } catch (const Poco::Exception& e) {
      reply.status = 0;
      reply.body = e.displayText();
      Reset();
    }
    return reply;
  }

 private:
  void Reset() {
    session_ = std::make_unique<Poco::Net::HTTPClientSession>(target_.host, target_.port);
    session_->setKeepAlive(true);
    session_->setTimeout(Poco::Timespan(30, 0));
  }

  Target target_;
  std::string token_;
  std::unique_ptr<Poco::Net::HTTPClientSession> session_;
};

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find(sep, start), text.size());
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

int ArgInt(int argc, char** argv, int index, int fallback) {
  return argc > index ? std::atoi(argv[index]) : fallback;
}

// Nearest-rank percentile of sorted microseconds, in milliseconds.
double PercentileMs(const std::vector<int64_t>& sorted, double p) {
  if (sorted.empty()) return 0;
  size_t rank = static_cast<size_t>(p / 100.0 * static_cast<double>(sorted.size()) + 0.999999);
  rank = std::clamp<size_t>(rank, 1, sorted.size());
  return static_cast<double>(sorted[rank - 1]) / 1000.0;
}

// --- run ------------------------------------------------------------------------------------

struct ClientStats {
  std::vector<int64_t> latencies_us;  // of every completed exchange, whatever its status
  std::map<int, int64_t> statuses;    // status -> count (0: connection error)
  std::string first_error;            // body of the first non-201 reply, for the report
};

int Run(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: result_entry_bench URL TOKEN IDS_FILE [CLIENTS=16] [SECONDS=10]\n");
    return 2;
  }
  const Target target = ParseTarget(argv[1]);
  const std::string token = argv[2];
  const int clients = ArgInt(argc, argv, 4, 16);
  const int seconds = ArgInt(argc, argv, 5, 10);
  std::vector<int64_t> ids;
  {
    std::ifstream in(argv[3]);
    if (!in) {
      std::fprintf(stderr, "result_entry_bench: cannot read %s\n", argv[3]);
      return 2;
    }
    for (std::string line; std::getline(in, line);) {
      if (!line.empty()) ids.push_back(std::stoll(line));
    }
  }
  if (clients < 1 || seconds < 1 || ids.empty()) {
    std::fprintf(stderr, "result_entry_bench: need CLIENTS >= 1, SECONDS >= 1 and at least one test id\n");
    return 2;
  }

  const std::string body = R"({"values":["1.0"],"unit":"mg/kg"})";
  const std::string key_prefix =
      "bench-" + std::to_string(getpid()) + "-" + std::to_string(SteadyClock::now().time_since_epoch().count()) + "-";
  std::atomic<size_t> next{0};
  std::atomic<bool> ran_out{false};
  std::vector<ClientStats> stats(static_cast<size_t>(clients));
  std::vector<std::thread> threads;
  const SteadyClock::time_point start = SteadyClock::now();
  const SteadyClock::time_point deadline = start + std::chrono::seconds(seconds);
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] {
      ClientStats& s = stats[static_cast<size_t>(i)];
      s.latencies_us.reserve(1 << 16);
      Client client(target, token);
      while (SteadyClock::now() < deadline) {
        const size_t index = next.fetch_add(1);
        if (index >= ids.size()) {
          ran_out = true;
          break;
        }
        const std::string path = "/api/v1/tests/" + std::to_string(ids[index]) + "/results";
        const SteadyClock::time_point t0 = SteadyClock::now();
        const Reply reply = client.Post(path, body, key_prefix + std::to_string(index));
        s.latencies_us.push_back(
            std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - t0).count());
        ++s.statuses[reply.status];
        if (reply.status != 201 && s.first_error.empty()) {
          s.first_error = std::to_string(reply.status) + " " + reply.body.substr(0, 300);
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();

  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const double client_cpu = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                            static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;

  std::vector<int64_t> all;
  std::map<int, int64_t> statuses;
  std::string first_error;
  for (const ClientStats& s : stats) {
    all.insert(all.end(), s.latencies_us.begin(), s.latencies_us.end());
    for (const auto& [status, n] : s.statuses) statuses[status] += n;
    if (first_error.empty()) first_error = s.first_error;
  }
  std::sort(all.begin(), all.end());
  const int64_t entries = statuses.count(201) ? statuses[201] : 0;
  const int64_t errors = static_cast<int64_t>(all.size()) - entries;
  const double rate = static_cast<double>(entries) / elapsed;

  std::printf("result entry: %d clients, %.2f s%s\n", clients, elapsed,
              ran_out ? " (STOPPED EARLY: the test ids ran out; prepare more)" : "");
  std::printf("  requests   %zu\n", all.size());
  std::printf("  entries    %lld (201)\n", static_cast<long long>(entries));
  std::printf("  errors     %lld", static_cast<long long>(errors));
  for (const auto& [status, n] : statuses) {
    if (status != 201)
      std::printf("  [%s: %lld]", status == 0 ? "connection" : std::to_string(status).c_str(),
                  static_cast<long long>(n));
  }
  std::printf("\n");
  if (!first_error.empty()) std::printf("  first error: %s\n", first_error.c_str());
  std::printf("  entries/s  %.1f\n", rate);
  std::printf("  latency ms p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n", PercentileMs(all, 50), PercentileMs(all, 90),
              PercentileMs(all, 99), all.empty() ? 0.0 : static_cast<double>(all.back()) / 1000.0);
  std::printf("  client CPU %.2f s (%.3f ms per request)\n", client_cpu,
              all.empty() ? 0.0 : 1000.0 * client_cpu / static_cast<double>(all.size()));
  std::printf(
      "RESULT clients=%d seconds=%.2f requests=%zu entries=%lld errors=%lld entries_per_s=%.1f p50_ms=%.2f"
      " p90_ms=%.2f p99_ms=%.2f max_ms=%.2f ran_out=%d\n",
      clients, elapsed, all.size(), static_cast<long long>(entries), static_cast<long long>(errors), rate,
      PercentileMs(all, 50), PercentileMs(all, 90), PercentileMs(all, 99),
      all.empty() ? 0.0 : static_cast<double>(all.back()) / 1000.0, ran_out ? 1 : 0);
  return errors == 0 ? 0 : 1;
}

// --- prepare --------------------------------------------------------------------------------

// The test ids of a registration's response body, in the order of its "tests" array.
std::vector<int64_t> TestIds(const std::string& body) {
  std::vector<int64_t> ids;
  Poco::JSON::Parser parser;
  Poco::JSON::Object::Ptr sample = parser.parse(body).extract<Poco::JSON::Object::Ptr>();
  Poco::JSON::Array::Ptr tests = sample->getArray("tests");
  if (tests.isNull()) return ids;
  for (unsigned i = 0; i < tests->size(); ++i) {
    ids.push_back(std::stoll(tests->getObject(i)->getValue<std::string>("id")));
  }
  return ids;
}

int Prepare(int argc, char** argv) {
  if (argc < 7) {
    std::fprintf(stderr,
                 "usage: result_entry_bench prepare URL TOKEN EXPORTER_ID TESTS IDS_FILE [CLIENTS=16]"
                 " [REQUIREMENTS]\n");
    return 2;
  }
  const Target target = ParseTarget(argv[2]);
  const std::string token = argv[3];
  const std::string exporter = argv[4];
  const int64_t wanted = std::atoll(argv[5]);
  const std::string out_path = argv[6];
  const int clients = ArgInt(argc, argv, 7, 16);
  const std::vector<std::string> requirements = Split(
      argc > 8 ? argv[8]
               : "REACH-XVII-47-CRVI-LEATHER,REACH-XVII-61-DMFU,REACH-XVII-43-BENZIDINE-LEATHER,REACH-XVII-50-BAP",
      ',');
  if (wanted < 1 || clients < 1 || requirements.empty()) {
    std::fprintf(stderr, "result_entry_bench prepare: need TESTS >= 1, CLIENTS >= 1 and requirements\n");
    return 2;
  }
  std::string list;
  for (const std::string& r : requirements) list += (list.empty() ? "\"" : ",\"") + r + "\"";
  const std::string body = R"({"exporter":")" + exporter +
                           R"(","product":"Bench safety boot","quantity":1,"quantity_unit":"pairs",)"
                           R"("destination":"DE","requirements":[)" +
                           list + "]}";

  std::atomic<int64_t> made{0};
  std::atomic<bool> failed{false};
  std::mutex mu;
  std::vector<std::vector<int64_t>> samples;  // the test ids of each registered sample
  std::string error;
  const SteadyClock::time_point start = SteadyClock::now();
  std::vector<std::thread> threads;
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&] {
      Client client(target, token);
      while (!failed && made.load() < wanted) {
        const Reply reply = client.Post("/api/v1/samples", body, "");
        if (reply.status != 201) {
          std::lock_guard lock(mu);
          if (error.empty()) error = std::to_string(reply.status) + " " + reply.body.substr(0, 500);
          failed = true;
          break;
        }
        std::vector<int64_t> ids;
        try {
          ids = TestIds(reply.body);
        } catch (const Poco::Exception& e) {
          std::lock_guard lock(mu);
          error = "unreadable registration response: " + e.displayText();
          failed = true;
          break;
        }
        made += static_cast<int64_t>(ids.size());
        std::lock_guard lock(mu);
        samples.push_back(std::move(ids));
      }
    });
  }
  for (std::thread& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  if (failed) {
    std::fprintf(stderr, "result_entry_bench prepare: registration failed: %s\n", error.c_str());
    return 1;
  }
  std::ofstream out(out_path);
  size_t most = 0;
  for (const auto& s : samples) most = std::max(most, s.size());
  int64_t written = 0;
  for (size_t k = 0; k < most; ++k) {
    for (const auto& s : samples) {
      if (k < s.size()) {
        out << s[k] << "\n";
        ++written;
      }
    }
  }
  out.close();
  if (!out) {
    std::fprintf(stderr, "result_entry_bench prepare: cannot write %s\n", out_path.c_str());
    return 1;
  }
  std::printf("prepared %lld pending tests in %zu samples (%zu requirements each) in %.1f s: %.1f samples/s\n",
              static_cast<long long>(written), samples.size(), requirements.size(), elapsed,
              static_cast<double>(samples.size()) / elapsed);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::string(argv[1]) == "prepare") return Prepare(argc, argv);
  return Run(argc, argv);
}
