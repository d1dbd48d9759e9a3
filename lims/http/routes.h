// Route tables: which handler serves which path. Each function adds one area's routes.
#ifndef LIMS_HTTP_ROUTES_H_
#define LIMS_HTTP_ROUTES_H_

#include "lims/http/app_context.h"
#include "lims/http/router.h"

namespace lims::http {

// GET /health, GET /api/v1/version, GET /api/openapi.json
void AddSystemRoutes(Router& router, AppContext& context);
// Samples, their tests and results, the preliminary report, and the organisations list.
void AddSampleRoutes(Router& router, AppContext& context);
// Tests (results, review, retest, assignment), the worklist and chain-of-custody events.
void AddWorkflowRoutes(Router& router, AppContext& context);
// Exporter organisations and the districts they may name.
void AddOrganizationRoutes(Router& router, AppContext& context);
// The audit trail and its verification.
void AddAuditRoutes(Router& router, AppContext& context);
// Certificates: issue, read, download, revoke, amend; public verification and the lab's keys.
void AddCertificateRoutes(Router& router, AppContext& context);
// Instrument result files: upload (technician), list, report and raw file (staff).
void AddInstrumentImportRoutes(Router& router, AppContext& context);
// GET /api/v1/standards, GET /api/v1/standards/{id}/requirements, POST /api/v1/test-plans
void AddCatalogRoutes(Router& router, AppContext& context);
// Login, logout, the caller's account, users and API tokens.
void AddAuthRoutes(Router& router, AppContext& context);
// The instrument registry: instruments, their status, calibrations and intermediate checks.
void AddInstrumentRoutes(Router& router, AppContext& context);
// The rejection history for auditors: GET /api/v1/rejections and /api/v1/rejections/summary.
void AddRejectionRoutes(Router& router, AppContext& context);
// The browser UI: GET / (web/index.html) and GET /static/{file} from context.web_dir.
void AddWebRoutes(Router& router, AppContext& context);

}  // namespace lims::http

#endif  // LIMS_HTTP_ROUTES_H_
