// ParseAnalyticalTable: reads a result table exported by a chemistry instrument's software (UV-Vis
// for Cr(VI) by EN ISO 17075-1, LC-MS/GC-MS for azo amines, PAHs and DMFu, ICP-OES for Pb, Cd, Ni,
// As) into ImportedResults keyed by (sample, analyte).
//
// The format ("analytical-table/1", docs/instruments/analytical-table.md) is a header block of
// "Key: value" lines (instrument, serial, method, analyst, date, sequence) followed by a delimited
// table (',', ';' or tab, detected from the column header line) with columns Sample ID, Analyte,
// Concentration, Unit and LOQ, and optionally Specimen ID, CAS, Dilution factor and Flag. Replicate
// rows of one sample and analyte become the values of one ImportedResult. The concentration is
// taken as already corrected for dilution (the dilution factor only goes into the remarks); one
// below its LOQ, or flagged "<LOQ"/"ND"/"n.d.", becomes "<LOQ" (e.g. "<0.5") with the remark
// "not detected (< LOQ 0.5 mg/kg)". Units are kept as written except "ppm", "µg/g" and "ug/g",
// which are "mg/kg".
//
// Failure modes: a file that is not this format, cannot be decoded or exceeds the limits is a
// Status whose message starts "line N: ". A bad row (negative or non-numeric concentration, missing
// LOQ, ...) becomes a FileError naming the line and the field, and parsing goes on. Never throws;
// stateless and thread-safe; reads `in` to its end at most once.
#ifndef LIMS_INSTRUMENTS_ANALYTICAL_TABLE_H_
#define LIMS_INSTRUMENTS_ANALYTICAL_TABLE_H_

#include <istream>

#include "instruments/result_file.h"
#include "lims/core/status.h"

namespace lims::instruments {

inline constexpr char kAnalyticalTableFormat[] = "analytical-table/1";

Result<ParsedFile> ParseAnalyticalTable(std::istream& in, const ParseLimits& limits = {});

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_ANALYTICAL_TABLE_H_
