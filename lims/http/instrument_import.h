// RunImport: one instrument result file imported inside a unit of work, shared by the upload
// route (POST /api/v1/instruments/{id}/imports) and the drop-folder watcher of limsd.
//
// The same bytes on the same instrument a second time add nothing: the first import's report is
// answered again (200, "duplicate": true). Otherwise the file goes through instruments::
// ImportResultFile; an import that keeps results is recorded with its raw bytes, report and links
// to the results, and audited ("instrument.import"); the caller commits on a 2xx answer only, so a
// refused file (422) leaves nothing behind. Internal to lims/http and lims/server.
#ifndef LIMS_HTTP_INSTRUMENT_IMPORT_H_
#define LIMS_HTTP_INSTRUMENT_IMPORT_H_

#include <cstdint>
#include <string>

#include "lims/core/sample_service.h"
#include "lims/http/app_context.h"
#include "lims/http/message.h"
#include "lims/store/unit_of_work.h"

namespace lims::http {

struct ImportUpload {
  int64_t instrument_id = 0;
  std::string bytes;
  std::string file_name;
  std::string format;  // "" = the instrument type's default
  std::string mode = "all";
  std::string source = "upload";  // or "drop_folder"
};

// 201 with the report (results imported), 200 with the first report (a duplicate), or a problem:
// 404 unknown instrument, 400 bad format/mode or unreadable file, 422 rows refused (each named by
// its line in "errors").
Response RunImport(AppContext& ctx, store::UnitOfWork& work, const ActingUser& user, const ImportUpload& upload);

}  // namespace lims::http

#endif  // LIMS_HTTP_INSTRUMENT_IMPORT_H_
