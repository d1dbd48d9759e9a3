// Reads the district list (catalog/districts/districts.json) that ValidateOrganization checks
// an exporter's district against.
//
// The file is {"source": "...", "districts": [{"name", "state", "odop_product"}, ...]}. It lives in
// its own directory because LoadCatalog reads every *.json directly in catalog/ as a standard.
// Problems are kInvalidArgument "FILE: districts[i]: reason", naming the entry and the field, so the
// lab can fix the data without reading code. Stateless; thread-safe.
#ifndef LIMS_CATALOG_DISTRICTS_H_
#define LIMS_CATALOG_DISTRICTS_H_

#include <string>
#include <vector>

#include "lims/core/organization.h"
#include "lims/core/status.h"

namespace lims::catalog {

// `file` names the text in messages. Names must be unique; "name" and "state" are required and
// non-empty, "odop_product" is a string and may be "" (unknown).
Result<std::vector<District>> ParseDistricts(const std::string& file, const std::string& text);
Result<std::vector<District>> LoadDistricts(const std::string& path);

}  // namespace lims::catalog

#endif  // LIMS_CATALOG_DISTRICTS_H_
