// The repository's own catalog (catalog/*.json), loaded once per fuzzer process: the request
// targets derive test plans against it, and fuzz_catalog checks fuzzed files against its vocabulary.
#ifndef LIMS_FUZZ_REAL_CATALOG_H_
#define LIMS_FUZZ_REAL_CATALOG_H_

#include <cstdio>
#include <cstdlib>

#include "lims/catalog/catalog_loader.h"
#include "lims/core/catalog.h"

namespace lims::fuzz {

inline const Catalog& RealCatalog() {
  static const Catalog* catalog = [] {
    Result<Catalog> loaded = catalog::LoadCatalog(LIMS_SOURCE_DIR "/catalog");
    if (!loaded.ok()) {
      std::fprintf(stderr, "cannot load %s/catalog: %s\n", LIMS_SOURCE_DIR, loaded.status().ToString().c_str());
      std::abort();
    }
    return new Catalog(std::move(loaded).value());  // lives as long as the process
  }();
  return *catalog;
}

}  // namespace lims::fuzz

#endif  // LIMS_FUZZ_REAL_CATALOG_H_
