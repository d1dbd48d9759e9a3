// GET /api/v1/rejections/report: the signed PDF summary of the rejection history for a period and
// a district (issue 8), for auditors and administrators. Gathers the figures through the rejection
// store (on the read pool), renders them with reports/rejection_report.h and signs the PDF with the
// lab's key, as certificates are signed (PAdES B-B), so the copy an auditor hands on can be shown
// to come from the lab unaltered.
#ifndef LIMS_HTTP_REJECTION_REPORT_H_
#define LIMS_HTTP_REJECTION_REPORT_H_

#include "lims/http/app_context.h"
#include "lims/http/message.h"

namespace lims::http {

Response RejectionReportPdf(AppContext& ctx, const Request& req);

}  // namespace lims::http

#endif  // LIMS_HTTP_REJECTION_REPORT_H_
