// RFC 7807 problem responses: the single place where a Status becomes an HTTP error.
//
//   {"type": "https://pramaan.dev/problems/validation", "title": "Invalid request", "status": 400,
//    "detail": "...", "errors": [{"field": "values[1]", "reason": "not a decimal number"}]}
//
// kInternal details are logged by the dispatcher, never sent: the client gets a generic 500.
#ifndef LIMS_HTTP_PROBLEM_H_
#define LIMS_HTTP_PROBLEM_H_

#include <string>
#include <vector>

#include "lims/core/status.h"
#include "lims/http/message.h"

namespace lims::http {

int HttpStatusFor(Status::Code code);
Response Problem(int status, const std::string& title, const std::string& detail,
                 const std::vector<FieldError>& errors = {});
Response ProblemFromStatus(const Status& status);

}  // namespace lims::http

// Returns the problem response for `expr` (a Status) from a handler when it is not OK.
#define LIMS_RETURN_IF_ERROR_RESPONSE(expr)                                         \
  do {                                                                              \
    const ::lims::Status lims_problem_ = (expr);                                    \
    if (!lims_problem_.ok()) return ::lims::http::ProblemFromStatus(lims_problem_); \
  } while (0)

#endif  // LIMS_HTTP_PROBLEM_H_
