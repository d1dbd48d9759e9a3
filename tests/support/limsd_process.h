// LimsdProcess: a real limsd started on an ephemeral loopback port for end-to-end tests, and a small
// HTTP client for talking to it. The process gets its configuration only through LIMS_* variables
// (as production may), is asked to stop with SIGTERM in the destructor, and is killed if it hangs.
#ifndef LIMS_TESTS_SUPPORT_LIMSD_PROCESS_H_
#define LIMS_TESTS_SUPPORT_LIMSD_PROCESS_H_

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

#include "lims/store/db_config.h"

namespace lims::testing {

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;  // names as sent by the server
};

// limsd's db.url for `db` (its password goes separately).
std::string DbUrlOf(const store::DbConfig& db);

class LimsdProcess {
 public:
  // Starts limsd against `db` (its user, password and socket) and waits until it serves.
  // `extra_env` adds or overrides LIMS_* variables ("LIMS_HTTP_MAX_BODY_BYTES=1024").
  explicit LimsdProcess(const store::DbConfig& db, const std::vector<std::string>& extra_env = {});
  ~LimsdProcess();
  LimsdProcess(const LimsdProcess&) = delete;
  LimsdProcess& operator=(const LimsdProcess&) = delete;

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& log_path() const { return log_path_; }
  bool running() const;
  // Kills the process with SIGKILL (a crash, as far as the database can tell) and reaps it. The
  // destructor then expects nothing more of it, so a killed process does not fail the test.
  void Kill9();

  // Plain calls are made as the staff user (admin, technician, reviewer, signatory) that the
  // harness creates through the API after `limsd --create-admin`.
  static constexpr const char* kAdminUser = "e2e-admin";
  static constexpr const char* kAdminPassword = "e2e admin pass phrase 7781";
  static constexpr const char* kStaffUser = "e2e-staff";
  static constexpr const char* kStaffPassword = "e2e staff pass phrase 4417";

  HttpReply Get(const std::string& path) const { return Call("GET", path, ""); }
  HttpReply Post(const std::string& path, const std::string& json) const { return Call("POST", path, json); }
  HttpReply Call(const std::string& method, const std::string& path, const std::string& body,
                 const std::map<std::string, std::string>& headers = {}) const;
  // With another user's token; "" sends no credentials at all.
  HttpReply CallAs(const std::string& token, const std::string& method, const std::string& path,
                   const std::string& body, const std::map<std::string, std::string>& headers = {}) const;
  // Signs in and returns the bearer token (throws on failure).
  std::string Login(const std::string& username, const std::string& password) const;
  const std::string& admin_token() const { return admin_token_; }
  const std::string& staff_token() const { return staff_token_; }

  // Runs limsd with `args` and the same environment to completion; returns its exit code and
  // fills `output` with stdout+stderr. For --migrate and the edited-migration refusal.
  static int RunOnce(const store::DbConfig& db, const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env, std::string* output, const std::string& input = "");

 private:
  void CreateAdmin(const store::DbConfig& db, const std::vector<std::string>& extra_env);
  void SignInStaff();

  std::string admin_token_;
  std::string staff_token_;
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
  std::string log_path_;
};

std::string LimsdPath();

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_LIMSD_PROCESS_H_
