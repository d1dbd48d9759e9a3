#include "lims/server/drop_folder.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "lims/http/instrument_import.h"
#include "lims/http/problem.h"
#include "lims/store/mysql_user_store.h"
#include "lims/store/unit_of_work.h"

namespace lims::server {
namespace fs = std::filesystem;
namespace {

constexpr std::uintmax_t kMaxFileBytes = 32u << 20;  // as the upload route

bool Ignored(const fs::path& file) {
  const std::string name = file.filename().string();
  auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return name.empty() || name[0] == '.' || ends_with(".tmp") || ends_with(".part") || ends_with(".report.json");
}

std::optional<int64_t> InstrumentIdOf(const fs::path& dir) {
  const std::string name = dir.filename().string();
  if (name.empty() || name.size() > 18 || name.find_first_not_of("0123456789") != std::string::npos) return {};
  return std::stoll(name);
}

// "20261126T165412Z-": files keep their names, in the order they were taken.
std::string Stamp(Timestamp t) {
  std::string s = FormatRfc3339(t);
  std::string out;
  for (char c : s) {
    if (c != '-' && c != ':') out += c;
  }
  return out + "-";
}

// Moves `file` into `dir` under a stamped name and writes the answer beside it.
void File(const fs::path& file, const fs::path& dir, const std::string& stamp, const http::Response& answer) {
  fs::create_directories(dir);
  const fs::path target = dir / (stamp + file.filename().string());
  fs::rename(file, target);
  std::ofstream(target.string() + ".report.json") << answer.body << "\n";
}

}  // namespace

DropFolder::DropFolder(http::AppContext& ctx, log::Log& log, fs::path root, std::string username,
                       std::chrono::milliseconds poll)
    : ctx_(ctx), log_(log), root_(std::move(root)), username_(std::move(username)), poll_(poll) {}

bool DropFolder::ResolveUser() {
  if (user_) return true;
  Result<store::ConnectionPool::Lease> lease = ctx_.pool.Acquire();
  if (!lease.ok()) return false;
  store::MysqlUserStore users(lease->connection());
  Result<User> user = users.FindUserByName(username_);
  const bool allowed = user.ok() && !user->disabled &&
                       std::find(user->roles.begin(), user->roles.end(), Role::kTechnician) != user->roles.end();
  if (!allowed) {
    if (!warned_)
      log_.Warn("drop folder waits: instruments.drop_user is not an enabled technician", {{"user", username_}});
    warned_ = true;
    return false;
  }
  user_ = ActingUser{user->id, user->username};
  return true;
}

DropFolder::~DropFolder() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DropFolder::Start() {
  thread_ = std::thread([this] { Run(); });
}

void DropFolder::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    try {
      Poll();
    } catch (const std::exception& e) {  // a vanished folder, a permission: log and go on
      log_.Warn("drop folder poll failed", {{"error", e.what()}});
    }
    lock.lock();
    wake_.wait_for(lock, poll_, [this] { return stop_; });
  }
}

bool DropFolder::Stable(const fs::path& file) {
  const Seen now{fs::file_size(file), fs::last_write_time(file)};
  auto [it, fresh] = seen_.try_emplace(file.string(), now);
  if (fresh) return false;
  const bool same = it->second.size == now.size && it->second.mtime == now.mtime;
  it->second = now;
  return same;
}

void DropFolder::Poll() {
  if (!fs::is_directory(root_) || !ResolveUser()) return;
  for (const fs::directory_entry& dir : fs::directory_iterator(root_)) {
    const std::optional<int64_t> id = dir.is_directory() ? InstrumentIdOf(dir.path()) : std::nullopt;
    if (!id) continue;
    for (const fs::directory_entry& entry : fs::directory_iterator(dir.path())) {
      if (!entry.is_regular_file() || Ignored(entry.path()) || !Stable(entry.path())) continue;
      ImportOne(*id, entry.path());
      seen_.erase(entry.path().string());
    }
  }
}

void DropFolder::ImportOne(int64_t instrument_id, const fs::path& file) {
  const std::string stamp = Stamp(ctx_.clock.Now());
  const fs::path dir = file.parent_path();
  if (fs::file_size(file) > kMaxFileBytes) {
    File(
        file, dir / "rejected", stamp,
        http::Problem(413, "Payload too large", "the file is larger than " + std::to_string(kMaxFileBytes) + " bytes"));
    log_.Warn("drop folder: file too large", {{"file", file.string()}});
    return;
  }
  http::ImportUpload upload;
  upload.instrument_id = instrument_id;
  upload.file_name = file.filename().string();
  upload.source = "drop_folder";
  upload.mode = "all";
  {
    std::ifstream in(file, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    upload.bytes = bytes.str();
  }
  Result<store::ConnectionPool::Lease> lease = ctx_.pool.Acquire();
  if (!lease.ok()) return;  // the database is away: try again at the next poll
  http::Response answer;
  Status committed;
  {
    store::UnitOfWork work(lease->connection(), store::Actor{user_->id, user_->username, "technician"},
                           ctx_.clock.Now());
    answer = http::RunImport(ctx_, work, *user_, upload);
    if (answer.status >= 200 && answer.status < 300) committed = work.Commit(std::nullopt, nullptr);
  }
  if (answer.status >= 500 || !committed.ok()) {
    lease->MarkBroken();
    log_.Warn("drop folder: import failed, will retry",
              {{"file", file.string()}, {"status", std::to_string(answer.status)}});
    return;
  }
  const bool kept = answer.status < 300;
  File(file, dir / (kept ? "imported" : "rejected"), stamp, answer);
  log_.Info(kept ? "drop folder: imported" : "drop folder: refused",
            {{"file", file.string()}, {"status", std::to_string(answer.status)}});
}

}  // namespace lims::server
