// JSON views of the workflow's records (samples, tests, results, reviews, custody, worklist items,
// organisations), shared by the routes that return them. The field names are the API contract's.
#ifndef LIMS_HTTP_SAMPLE_JSON_H_
#define LIMS_HTTP_SAMPLE_JSON_H_

#include <optional>
#include <string>

#include "lims/core/organization.h"
#include "lims/core/sample.h"
#include "lims/core/sample_store.h"
#include "lims/http/json_io.h"
#include "lims/http/message.h"

namespace lims::http {

JsonObject ResultJson(const ResultRecord& r);
JsonObject ReviewJson(const ReviewRecord& r);
JsonObject TestJson(const TestRecord& t);
JsonObject CustodyJson(const CustodyEvent& e);
JsonObject SampleSummaryJson(const SampleRecord& s);
JsonObject SampleJson(const SampleRecord& s);  // with tests, results, custody, portions and verdict
JsonObject WorkItemJson(const WorkItem& w);
JsonObject OrganizationJson(const Organization& o);

// ETag of a record version: "\"7\"". ParseIfMatch reads it back from If-Match ("\"7\"", W/"7" or
// 7): nullopt when the header is absent; kInvalidArgument when it is not a version.
std::string ETagOf(int version);
Result<std::optional<int>> ParseIfMatch(const Request& req);
// A JSON response with the record's ETag header.
Response JsonWithETag(int status, const JsonObject& body, int version);

}  // namespace lims::http

#endif  // LIMS_HTTP_SAMPLE_JSON_H_
