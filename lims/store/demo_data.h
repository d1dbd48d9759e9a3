// Demo data for `./run.sh`: a lab, two exporters from Agra and Kanpur and a few samples in
// different states, registered through the same service as real intake (so numbers are real), and
// the lab's instruments (demo_instruments.h; one of them overdue for calibration). Idempotent: adds
// no samples when the lab already has samples, and no instruments when it already has instruments.
#ifndef LIMS_STORE_DEMO_DATA_H_
#define LIMS_STORE_DEMO_DATA_H_

#include "lims/core/catalog.h"
#include "lims/core/clock.h"
#include "lims/core/lab.h"
#include "lims/core/status.h"

namespace sql {
class Connection;
}

namespace lims::store {

// `catalog` may be null; with it, one demo sample is registered through an S3 + REACH test plan.
Status LoadDemoData(sql::Connection& connection, const Lab& lab, const Clock& clock, const Catalog* catalog = nullptr);

}  // namespace lims::store

#endif  // LIMS_STORE_DEMO_DATA_H_
