// limsd: Pramaan's service. The ServerApplication subclass is the one composition root: it reads
// the configuration, builds the log, the connection pool and the route table, and hands them to the
// HTTP server by reference. Nothing below it calls Application::instance().
//
//   limsd [--config=FILE]     migrate (unless migrate.on_start=false) and serve
//   limsd --migrate           apply pending migrations and exit
//   limsd --load-demo         migrate, load the demo lab's data and exit
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "lims/auth/password.h"
#include "lims/catalog/catalog_loader.h"
#include "lims/catalog/districts.h"
#include "lims/http/app_context.h"
#include "lims/http/dispatcher.h"
#include "lims/http/routes.h"
#include "lims/server/drop_folder.h"
#include "lims/server/settings.h"
#include "lims/store/catalog_store.h"
#include "lims/store/demo_data.h"
#include "lims/store/migrator.h"
#include "lims/store/mysql_sample_store.h"
#include "lims/store/mysql_user_store.h"
#include "lims/store/unit_of_work.h"

namespace lims::server {

using Poco::Util::Option;
using Poco::Util::OptionSet;

class Limsd final : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Option("help", "h", "print this help and exit"));
    options.addOption(
        Option("config", "c", "properties file (default: ./lims.properties if present)").argument("FILE"));
    options.addOption(Option("migrate", "", "apply pending schema migrations and exit"));
    options.addOption(Option("load-demo", "", "migrate, load the demo lab's data and exit"));
    options.addOption(Option("verify-audit", "", "recompute the audit trail's hash chain; exit 1 at a broken link"));
    options.addOption(
        Option("create-admin", "", "create an administrator; password from stdin (or generated)").argument("NAME"));
  }

  void handleOption(const std::string& name, const std::string& value) override {
    ServerApplication::handleOption(name, value);
    if (name == "help") help_ = true;
    if (name == "config") config_file_ = value;
    if (name == "migrate") command_ = Command::kMigrate;
    if (name == "load-demo") command_ = Command::kLoadDemo;
    if (name == "verify-audit") command_ = Command::kVerifyAudit;
    if (name == "create-admin") {
      command_ = Command::kCreateAdmin;
      admin_name_ = value;
    }
    if (help_) stopOptionsProcessing();
  }

  void initialize(Poco::Util::Application& self) override {
    if (!config_file_.empty()) {
      loadConfiguration(config_file_);
    } else if (std::filesystem::exists("lims.properties")) {
      loadConfiguration("lims.properties");
    }
    // Environment variables win over the file (lower priority numbers are consulted first).
    config().add(EnvironmentLayer(ProcessEnvironment()), -100, false);
    ServerApplication::initialize(self);
  }

  int main(const ArgVec&) override {
    if (help_) return Help();
    Result<Settings> settings = ReadSettings(config());
    if (!settings.ok()) {
      std::cerr << "limsd: " << settings.status().message() << "\n";
      return EXIT_CONFIG;
    }
    log::Log log(settings->log);
    // The catalog is checked before anything else: bad data must stop the service, not a request.
    Result<Catalog> catalog = catalog::LoadCatalog(settings->catalog_dir);
    if (!catalog.ok()) {
      std::cerr << "limsd: refusing to start: catalog: " << catalog.status().message() << "\n";
      log.Error("catalog refused", {{"error", catalog.status().message()}});
      return EXIT_CONFIG;
    }
    store::ConnectionPool pool(settings->db);
    if (int rc = PrepareDatabase(*settings, *catalog, pool, log); rc != EXIT_OK) return rc;
    if (command_ == Command::kMigrate) return EXIT_OK;
    if (command_ == Command::kLoadDemo) return LoadDemo(*settings, *catalog, pool, log);
    if (command_ == Command::kCreateAdmin) return CreateAdmin(*settings, pool);
    if (command_ == Command::kVerifyAudit) return VerifyAudit(pool);
    return Serve(*settings, *catalog, pool, log);
  }

 private:
  enum class Command { kServe, kMigrate, kLoadDemo, kCreateAdmin, kVerifyAudit };

  // Prints the verdict on the audit trail: exit 0 when every hash recomputes, 1 at the first
  // broken link (named), EXIT_UNAVAILABLE when the database cannot be read.
  static int VerifyAudit(store::ConnectionPool& pool) {
    Result<store::ConnectionPool::Lease> lease = pool.Acquire();
    if (!lease.ok()) return Fail(lease.status().message(), EXIT_UNAVAILABLE);
    Result<store::AuditVerification> v = store::VerifyAuditTrail(lease->connection());
    if (!v.ok()) return Fail(v.status().message(), EXIT_UNAVAILABLE);
    if (v->broken) {
      std::cout << "audit trail BROKEN at event " << v->broken->seq << " (stripe " << v->broken->stripe << " #"
                << v->broken->stripe_seq << "): " << v->broken->reason << "\n";
      return 1;
    }
    std::cout << "audit trail intact: " << v->events << " events in " << v->heads.size() << " chains\n";
    for (const auto& [stripe, head] : v->heads) {
      std::cout << "  chain " << stripe << ": " << head.first << " events, head " << head.second << "\n";
    }
    return EXIT_OK;
  }

  int Help() {
    Poco::Util::HelpFormatter formatter(options());
    formatter.setCommand(commandName());
    formatter.setUsage("[options]");
    formatter.setHeader("Pramaan LIMS service. Configuration: lims.properties, overridden by LIMS_* variables.");
    formatter.format(std::cout);
    return EXIT_OK;
  }

  // Waits for the database (it may still be starting), then migrates and records the lab.
  int PrepareDatabase(const Settings& s, const Catalog& catalog, store::ConnectionPool& pool, log::Log& log) {
    Result<store::ConnectionPool::Lease> lease = WaitForDatabase(s, pool, log);
    if (!lease.ok()) {
      log.Error("database unreachable", {{"db", s.db.Describe()}, {"error", lease.status().message()}});
      return EXIT_UNAVAILABLE;
    }
    if (s.migrate_on_start || command_ != Command::kServe) {
      if (int rc = Migrate(s, lease->connection(), log); rc != EXIT_OK) return rc;
    }
    Result<store::CatalogRecordReport> recorded = store::RecordCatalog(lease->connection(), catalog);
    if (!recorded.ok()) {
      log.Error("cannot record the catalog", {{"error", recorded.status().message()}});
      return EXIT_SOFTWARE;
    }
    log.Info("catalog loaded", {{"editions", std::to_string(catalog.standards().size())},
                                {"new_editions", std::to_string(recorded->standards_added)},
                                {"new_requirements", std::to_string(recorded->requirements_added)}});
    store::MysqlSampleStore store(lease->connection());
    const Status lab = store.EnsureLab(s.lab);
    if (!lab.ok()) {
      log.Error("cannot record the lab", {{"error", lab.message()}});
      return EXIT_SOFTWARE;
    }
    return EXIT_OK;
  }

  Result<store::ConnectionPool::Lease> WaitForDatabase(const Settings& s, store::ConnectionPool& pool, log::Log& log) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(s.db_start_wait_s);
    for (int attempt = 0;; ++attempt) {
      Result<store::ConnectionPool::Lease> lease = pool.Acquire();
      if (lease.ok() || std::chrono::steady_clock::now() >= deadline) return lease;
      if (attempt == 0) log.Warn("waiting for the database", {{"db", s.db.Describe()}});
      std::this_thread::sleep_for(std::chrono::milliseconds(250));
    }
  }

  int Migrate(const Settings& s, sql::Connection& connection, log::Log& log) {
    Result<std::vector<store::MigrationFile>> files = store::ReadMigrations(s.schema_dir);
    Result<store::MigrationReport> report =
        files.ok() ? store::Migrate(connection, *files) : Result<store::MigrationReport>(files.status());
    if (!report.ok()) {
      // Printed as well as logged: this is the message an operator must not miss.
      std::cerr << "limsd: refusing to start: " << report.status().message() << "\n";
      log.Error("migration refused", {{"error", report.status().message()}});
      return EXIT_CONFIG;
    }
    for (const std::string& name : report->applied) log.Info("migration applied", {{"file", name}});
    log.Info("schema up to date", {{"applied", std::to_string(report->applied.size())},
                                   {"already_applied", std::to_string(report->already_applied)}});
    return EXIT_OK;
  }

  int LoadDemo(const Settings& s, const Catalog& catalog, store::ConnectionPool& pool, log::Log& log) {
    Result<store::ConnectionPool::Lease> lease = pool.Acquire();
    SystemClock clock;
    const Status status =
        lease.ok() ? store::LoadDemoData(lease->connection(), s.lab, clock, &catalog) : lease.status();
    if (!status.ok()) {
      log.Error("demo data not loaded", {{"error", status.ToString()}});
      return EXIT_SOFTWARE;
    }
    log.Info("demo data loaded", {{"lab", s.lab.code}});
    return EXIT_OK;
  }

  // The first administrator. The password comes from standard input (asked twice on a terminal);
  // empty input makes one up and prints it once. There is no default password anywhere.
  int CreateAdmin(const Settings& s, store::ConnectionPool& pool) {
    Result<auth::CommonPasswords> common = auth::CommonPasswords::Load(s.common_passwords);
    if (!common.ok()) return Fail(common.status().message(), EXIT_CONFIG);
    Result<std::string> password = ReadNewPassword();
    if (!password.ok()) return Fail(password.status().message(), EXIT_DATAERR);
    const bool generated = password->empty();
    if (generated) *password = auth::GeneratePassword();
    const Status policy = auth::CheckNewPassword(*password, admin_name_, *common);
    if (!policy.ok()) return Fail(policy.ToString(), EXIT_DATAERR);
    Result<std::string> hash = auth::HashPassword(*password, s.argon2);
    if (!hash.ok()) return Fail(hash.status().message(), EXIT_SOFTWARE);
    Result<store::ConnectionPool::Lease> lease = pool.Acquire();
    if (!lease.ok()) return Fail(lease.status().message(), EXIT_UNAVAILABLE);
    store::MysqlUserStore users(lease->connection());
    SystemClock clock;
    store::UnitOfWork work(lease->connection(), store::Actor{}, clock.Now());
    Result<User> user = users.CreateUser(NewUser{admin_name_, admin_name_, {Role::kAdmin}, std::nullopt, *hash});
    if (!user.ok()) return Fail("cannot create " + admin_name_ + ": " + user.status().message(), EXIT_CANTCREAT);
    work.Record(UserCreatedChange(*user));
    if (Status committed = work.Commit(std::nullopt, nullptr); !committed.ok()) {
      return Fail("cannot create " + admin_name_ + ": " + committed.message(), EXIT_CANTCREAT);
    }
    if (generated) std::cout << "password for " << admin_name_ << ": " << *password << "\n";
    std::cerr << "limsd: administrator " << admin_name_ << " created\n";
    return EXIT_OK;
  }

  static int Fail(const std::string& message, int code) {
    std::cerr << "limsd: " << message << "\n";
    return code;
  }

  static Result<std::string> ReadNewPassword() {
    if (!isatty(STDIN_FILENO)) {
      std::string line;
      std::getline(std::cin, line);
      return line;
    }
    const std::string first = ReadHidden("New administrator password: ");
    const std::string second = ReadHidden("Repeat it: ");
    if (first != second) return Status::InvalidArgument("the two passwords differ");
    return first;
  }

  static std::string ReadHidden(const char* prompt) {
    std::cerr << prompt;
    termios old{};
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    std::string line;
    std::getline(std::cin, line);
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::cerr << "\n";
    return line;
  }

  static Poco::Net::ServerSocket Listen(const Settings& s) {
    const Poco::Net::SocketAddress address(s.http_host, static_cast<Poco::UInt16>(s.http_port));
    if (s.tls_cert.empty()) return Poco::Net::ServerSocket(address);
    Poco::Net::initializeSSL();
    Poco::Net::Context::Ptr context = new Poco::Net::Context(Poco::Net::Context::TLS_SERVER_USE, s.tls_key, s.tls_cert,
                                                             "", Poco::Net::Context::VERIFY_NONE);
    context->disableProtocols(Poco::Net::Context::PROTO_SSLV2 | Poco::Net::Context::PROTO_SSLV3 |
                              Poco::Net::Context::PROTO_TLSV1 | Poco::Net::Context::PROTO_TLSV1_1);
    return Poco::Net::SecureServerSocket(address, 64, context);
  }

  // The signing keys, when configured: a production PEM key and certificate, or the demo lab's
  // (made on first start in signing.demo_dir). Neither configured: certificates answer 503.
  struct Keys {
    std::optional<reports::SigningKey> pdf;
    std::optional<auth::CredentialSigner> credential;
  };
  static Result<Keys> LoadKeys(const Settings& s, log::Log& log) {
    Keys keys;
    std::string key = s.signing_key, cert = s.signing_cert;
    if (key.empty() && !s.signing_demo_dir.empty()) {
      LIMS_RETURN_IF_ERROR(reports::CreateDemoLabKeys(s.signing_demo_dir, reports::KeyType::kEcdsaP256));
      key = s.signing_demo_dir + "/signing-key.pem";
      cert = s.signing_demo_dir + "/signing-cert.pem";
      log.Warn("signing with the demo lab key", {{"dir", s.signing_demo_dir}});
    }
    if (key.empty()) return keys;
    Result<reports::SigningKey> pdf = reports::SigningKey::LoadPem(key, cert, s.signing_chain);
    if (!pdf.ok()) return pdf.status();
    keys.pdf.emplace(std::move(pdf).value());
    Result<auth::CredentialSigner> credential = auth::CredentialSigner::FromPemFile(key);
    if (!credential.ok()) return credential.status();
    keys.credential.emplace(std::move(credential).value());
    return keys;
  }

  int Serve(const Settings& s, const Catalog& catalog, store::ConnectionPool& pool, log::Log& log) {
    Result<Keys> keys = LoadKeys(s, log);
    if (!keys.ok()) return Fail("signing key: " + keys.status().message(), EXIT_CONFIG);
    SystemClock clock;
    Result<auth::CommonPasswords> common = auth::CommonPasswords::Load(s.common_passwords);
    if (!common.ok()) return Fail(common.status().message(), EXIT_CONFIG);
    Result<std::string> dummy = auth::HashPassword(auth::GeneratePassword(), s.argon2);
    if (!dummy.ok()) return Fail(dummy.status().message(), EXIT_SOFTWARE);
    Result<std::vector<District>> districts = catalog::LoadDistricts(s.catalog_dir + "/districts/districts.json");
    if (!districts.ok()) return Fail("catalog: " + districts.status().message(), EXIT_CONFIG);
    http::SessionAuthenticator authenticator(pool, clock);
    // The replica is never migrated or waited for: it receives the schema by replication, and while
    // it is down only the auditor routes that read it fail (503), not the lab's work.
    std::unique_ptr<store::ConnectionPool> read_pool;
    if (s.read_db) {
      read_pool = std::make_unique<store::ConnectionPool>(*s.read_db);
      log.Info("auditor reads use a replica", {{"read_db", s.read_db->Describe()}});
    }
    RateLimiter verify_limiter(static_cast<size_t>(s.verify_rate_per_minute), std::chrono::seconds(60));
    http::AppContext context{.pool = pool,
                             .clock = clock,
                             .catalog = catalog,
                             .authenticator = authenticator,
                             .common_passwords = *common,
                             .lab = s.lab,
                             .fonts = s.fonts,
                             .version = LIMS_VERSION,
                             .git_revision = LIMS_GIT_REVISION,
                             .web_dir = s.web_dir,
                             .argon2 = s.argon2,
                             .dummy_password_hash = *dummy,
                             .session_ttl = std::chrono::seconds(s.session_ttl_s),
                             .tls = !s.tls_cert.empty(),
                             .districts = std::move(districts).value(),
                             .public_base_url = s.public_base_url,
                             .signing_key = keys->pdf ? &*keys->pdf : nullptr,
                             .credential_signer = keys->credential ? &*keys->credential : nullptr,
                             .verify_limiter = &verify_limiter,
                             .read_pool = read_pool.get()};
    http::Router router;
    http::AddAuthRoutes(router, context);
    http::AddSystemRoutes(router, context);
    http::AddSampleRoutes(router, context);
    http::AddWorkflowRoutes(router, context);
    http::AddOrganizationRoutes(router, context);
    http::AddAuditRoutes(router, context);
    http::AddRejectionRoutes(router, context);
    http::AddCertificateRoutes(router, context);
    http::AddCatalogRoutes(router, context);
    http::AddInstrumentRoutes(router, context);
    http::AddInstrumentImportRoutes(router, context);
    http::AddWebRoutes(router, context);

    Poco::Net::ServerSocket socket = Listen(s);
    // Verification URLs are printed on signed certificates: without a configured public URL they
    // name the port actually bound (never port 0) and the scheme actually served.
    if (s.public_base_url.empty()) {
      context.public_base_url = std::string(s.tls_cert.empty() ? "http" : "https") +
                                "://localhost:" + std::to_string(socket.address().port());
    }
    auto params = new Poco::Net::HTTPServerParams;  // owned by the server (Poco's AutoPtr)
    params->setMaxThreads(s.http_threads);
    params->setMaxQueued(256);
    params->setKeepAlive(true);
    params->setTimeout(Poco::Timespan(30, 0));
    // A thread pool owned here, not Poco's static default pool: its threads (and their per-thread
    // database client state) must be gone before the connection pool and the driver are destroyed.
    Poco::ThreadPool threads(2, s.http_threads);
    Poco::Net::HTTPServer server(new http::DispatcherFactory(router, log, authenticator, {s.max_body_bytes}), threads,
                                 socket, params);
    server.start();
    const int port = socket.address().port();
    WritePortFile(s.port_file, port);
    log.Info("limsd serving", {{"address", s.http_host + ":" + std::to_string(port)},
                               {"db", s.db.Describe()},
                               {"lab", s.lab.code},
                               {"version", LIMS_VERSION}});
    Result<std::unique_ptr<DropFolder>> drop = StartDropFolder(s, context, log);
    if (!drop.ok()) {
      server.stopAll(true);
      threads.stopAll();
      return Fail("drop folder: " + drop.status().message(), EXIT_CONFIG);
    }
    waitForTerminationRequest();
    log.Info("limsd stopping");
    drop->reset();  // joins its thread before the server and the pool go
    server.stopAll(true);
    threads.stopAll();  // joins the worker threads
    return EXIT_OK;
  }

  // The instrument drop folder, when configured.
  static Result<std::unique_ptr<DropFolder>> StartDropFolder(const Settings& s, http::AppContext& ctx, log::Log& log) {
    if (s.drop_dir.empty()) return std::unique_ptr<DropFolder>();
    if (s.drop_user.empty()) return Status::InvalidArgument("instruments.drop_user must name a technician");
    std::error_code error;
    std::filesystem::create_directories(s.drop_dir, error);
    if (error) return Status::InvalidArgument("instruments.drop_dir " + s.drop_dir + ": " + error.message());
    auto drop =
        std::make_unique<DropFolder>(ctx, log, s.drop_dir, s.drop_user, std::chrono::milliseconds(s.drop_poll_ms));
    drop->Start();
    log.Info("watching the instrument drop folder", {{"dir", s.drop_dir}, {"user", s.drop_user}});
    return drop;
  }

  static void WritePortFile(const std::string& path, int port) {
    if (path.empty()) return;
    const std::string tmp = path + ".tmp";
    std::ofstream(tmp) << port << "\n";
    std::filesystem::rename(tmp, path);  // atomic: a reader never sees a half-written file
  }

  std::string admin_name_;
  bool help_ = false;
  std::string config_file_;
  Command command_ = Command::kServe;
};

}  // namespace lims::server

POCO_SERVER_MAIN(lims::server::Limsd)
