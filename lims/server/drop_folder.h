// DropFolder: imports the result files instruments write into a watched folder, so that a result
// goes from the instrument PC to the LIMS without anyone retyping it.
//
// Layout: <root>/<instrument id>/<file>. Each poll takes the files that have not changed since the
// previous poll (an instrument still writing one is left alone, as are names starting with '.' or
// ending in .tmp/.part), imports each exactly as an upload would (RunImport, one unit of work,
// recorded as `user`), and moves it with its report beside it:
//   <root>/<id>/imported/<time>-<file> (+ .report.json)   results kept (or a duplicate: nothing new)
//   <root>/<id>/rejected/<time>-<file> (+ .report.json)   refused with a 4xx: the report says why
// A file that failed for a passing reason (the database is away: 503) stays for the next poll.
#ifndef LIMS_SERVER_DROP_FOLDER_H_
#define LIMS_SERVER_DROP_FOLDER_H_

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "lims/core/sample_service.h"
#include "lims/http/app_context.h"
#include "lims/log/log.h"

namespace lims::server {

class DropFolder {
 public:
  // `username`: the account imports are recorded as; it must be an enabled technician (entries
  // then still need a reviewer). It is looked up at each poll until found, so it may be created
  // after limsd starts; while it is missing or not allowed, files wait.
  DropFolder(http::AppContext& ctx, log::Log& log, std::filesystem::path root, std::string username,
             std::chrono::milliseconds poll);
  ~DropFolder();  // stops and joins
  DropFolder(const DropFolder&) = delete;
  DropFolder& operator=(const DropFolder&) = delete;

  void Start();
  // One pass over every instrument's folder (the thread calls it; tests may too).
  void Poll();

 private:
  struct Seen {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
  };
  void Run();
  bool ResolveUser();
  bool Stable(const std::filesystem::path& file);
  void ImportOne(int64_t instrument_id, const std::filesystem::path& file);

  http::AppContext& ctx_;
  log::Log& log_;
  std::filesystem::path root_;
  std::string username_;
  std::optional<ActingUser> user_;
  bool warned_ = false;
  std::chrono::milliseconds poll_;
  std::map<std::string, Seen> seen_;  // file → size and mtime at the previous poll
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace lims::server

#endif  // LIMS_SERVER_DROP_FOLDER_H_
