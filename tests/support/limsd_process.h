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

class LimsdProcess {
 public:
  // Starts limsd against `db` (its user, password and socket) and waits until it serves.
  // `extra_env` adds or overrides LIMS_* variables ("LIMS_HTTP_MAX_BODY_BYTES=1024").
  explicit LimsdProcess(const store::DbConfig& db, const std::vector<std::string>& extra_env = {});
  ~LimsdProcess();
  LimsdProcess(const LimsdProcess&) = delete;
  LimsdProcess& operator=(const LimsdProcess&) = delete;

  int port() const { return port_; }
  const std::string& log_path() const { return log_path_; }
  bool running() const;

  HttpReply Get(const std::string& path) const { return Call("GET", path, ""); }
  HttpReply Post(const std::string& path, const std::string& json) const { return Call("POST", path, json); }
  HttpReply Call(const std::string& method, const std::string& path, const std::string& body,
                 const std::map<std::string, std::string>& headers = {}) const;

  // Runs limsd with `args` and the same environment to completion; returns its exit code and
  // fills `output` with stdout+stderr. For --migrate and the edited-migration refusal.
  static int RunOnce(const store::DbConfig& db, const std::vector<std::string>& args,
                     const std::vector<std::string>& extra_env, std::string* output);

 private:
  pid_t pid_ = -1;
  int port_ = 0;
  std::string dir_;
  std::string log_path_;
};

std::string LimsdPath();

}  // namespace lims::testing

#endif  // LIMS_TESTS_SUPPORT_LIMSD_PROCESS_H_
