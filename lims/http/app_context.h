// AppContext: what the route handlers borrow from the composition root (limsd's ServerApplication):
// the connection pool, the clock, the lab's identity and the report fonts. Handlers never reach for
// globals such as Application::instance(). Everything here outlives the HTTP server.
#ifndef LIMS_HTTP_APP_CONTEXT_H_
#define LIMS_HTTP_APP_CONTEXT_H_

#include <string>

#include "lims/core/catalog.h"
#include "lims/core/clock.h"
#include "lims/core/lab.h"
#include "lims/store/connection_pool.h"
#include "reports/sample_report.h"

namespace lims::http {

struct AppContext {
  store::ConnectionPool& pool;
  const Clock& clock;
  const Catalog& catalog;
  Lab lab;
  reports::FontSet fonts;
  std::string version;
  std::string git_revision;
  std::string web_dir;  // static files of the browser UI
};

}  // namespace lims::http

#endif  // LIMS_HTTP_APP_CONTEXT_H_
