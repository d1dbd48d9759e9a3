// ParseSlipResultFile: reads a slip-resistance tester's result file (EN ISO 13287, as required by
// EN ISO 20345 / EN ISO 20347) into ImportedResults keyed by catalog property.
//
// The format ("slip-result/1", docs/instruments/slip-result.md) is a header block of "Key: value"
// lines (instrument, serial, operator, date, method, specification, floor, contaminant, normal force,
// temperature, humidity) followed by a delimited table (',', ';' or tab, detected from the column
// header line) with one row per specimen (shoe) and test mode carrying that slip's CoF readings.
// Each row's (floor, contaminant, mode) and the specification's edition (2011 or 2022) choose the
// catalog property ("slip-ceramic-nals-heel-forward", "slip-srb-flat-forward", ...); the specimen's
// value is the mean of its readings to 2 decimals (half-even), unit "" (dimensionless). One
// ImportedResult per (sample, property) holds one value per specimen, in file order.
//
// Failure modes: a file that is not this format, cannot be decoded, exceeds the limits or has an
// unusable header (no specification edition, bad date, temperature or humidity) is a Status whose
// message starts "line N: ". A bad row (unknown mode, floor or contaminant, CoF outside 0..2, a
// non-number, a repeated specimen) becomes a FileError naming the line and the field, and parsing
// goes on. Never throws; stateless and thread-safe; reads `in` to its end at most once.
#ifndef LIMS_INSTRUMENTS_SLIP_RESULT_H_
#define LIMS_INSTRUMENTS_SLIP_RESULT_H_

#include <istream>

#include "instruments/result_file.h"
#include "lims/core/status.h"

namespace lims::instruments {

inline constexpr char kSlipResultFormat[] = "slip-result/1";

Result<ParsedFile> ParseSlipResultFile(std::istream& in, const ParseLimits& limits = {});

}  // namespace lims::instruments

#endif  // LIMS_INSTRUMENTS_SLIP_RESULT_H_
