// ParseUtmCurveFile: reads a universal-testing-machine curve export ("utm-curve-csv/1", specified
// in docs/instruments/utm-curve-csv.md) and derives one value per specimen:
//   - sole-bond-strength (EN ISO 20344 5.2): mean force over a plateau window / specimen width, N/mm;
//   - upper-tear-strength: peak force, N.
//
// Streaming: the file is read line by line through TextInput and every curve is folded into a few
// running aggregates, so memory does not grow with the file or with a curve's length (only with the
// number of specimen values kept, bounded by ParseLimits::max_results).
//
// Failure: a file that is not this format, is badly encoded, truncated (no specimen block, a block
// or the file cut short) or beyond the limits is a Status (kInvalidArgument "line N: ..."). A
// specimen block that is wrong on its own (a bad row, no plateau, a bad width) is a FileError naming
// its line, and the other specimens still parse. Never throws. Thread-compatible: no shared state.
#ifndef LIMS_INSTRUMENTS_UTM_CURVE_H_
#define LIMS_INSTRUMENTS_UTM_CURVE_H_

#include <istream>
#include <string_view>

#include "instruments/result_file.h"
#include "lims/core/status.h"

namespace lims::instruments {

inline constexpr std::string_view kUtmCurveFormat = "utm-curve-csv/1";

// Catalog property keys this parser produces (catalog/en-iso-20345-2022.json).
inline constexpr std::string_view kSoleBondStrength = "sole-bond-strength";
inline constexpr std::string_view kUpperTearStrength = "upper-tear-strength";

// Borrows `in` for the call; reads it to the end, or to the first file-level error.
Result<ParsedFile> ParseUtmCurveFile(std::istream& in, const ParseLimits& limits = {});

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_UTM_CURVE_H_
