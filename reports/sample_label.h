// Sample labels: the 50 × 25 mm sticker a lab puts on a sample (or on one portion of it) at intake.
//
// A label carries the sample or portion code twice over, as a Code 128 barcode for the lab's
// scanners and as a QR code (usually a link to the sample's page) for phones, with the code, the
// exporter and the date of receipt in print. It comes in two forms: a PDF for any printer, and ZPL
// II for a 203 dpi Zebra label printer.
//
// Both renderers are pure functions of their inputs (and, for the PDF, the font files): identical
// data gives identical bytes. Thread-safe: no shared state; each PDF render owns its libharu document
// and libzint symbols.
#ifndef LIMS_REPORTS_SAMPLE_LABEL_H_
#define LIMS_REPORTS_SAMPLE_LABEL_H_

#include <string>

#include "lims/core/status.h"
#include "reports/sample_report.h"

namespace lims::reports {

// What one label shows. All text is UTF-8.
struct LabelData {
  std::string code;            // what the barcodes encode: "AGR-2026-000123" or a portion "AGR-2026-000123-P2"
  std::string title;           // printed large; usually the same as code (empty: code is printed)
  std::string exporter_short;  // "Sikandra Footwear"; cut with an ellipsis when too long for the label
  std::string received_date;   // "2026-11-26", printed as "Received 2026-11-26" (empty: line left out)
  std::string qr_url;          // the QR code's content, e.g. "http://localhost:8080/s/AGR-2026-000123";
                               // empty: the QR code encodes `code`
};

// A one-page PDF of 50 × 25 mm (MediaBox 141.73 × 70.87 pt). Left: the title in bold, the exporter and
// "Received <date>", with a Code 128 barcode of `code` under them across the column; right: the QR
// code. Barcodes are vector rectangles, one per run of dark modules, with their quiet zones (10
// modules either side of the Code 128, 4 around the QR code) kept clear. Text that does not fit is
// shrunk (the title) or cut with an ellipsis. No creation date and no /ID, so output is reproducible.
//
// Errors: InvalidArgument when `code` is empty; Internal when libzint refuses the data (its message
// is included: Code 128 takes ISO 8859-1 characters only, and both symbologies have a length limit),
// the barcode is too long to fit the label, a font file is missing, or libharu fails.
lims::Result<std::string> RenderLabelPdf(const LabelData& d, const FontSet& fonts);

// The same label in ZPL II for a 203 dpi Zebra printer (400 × 200 dots): ^XA, ^CI28 (UTF-8 field
// data), ^PW400, ^LL200, text fields in font 0, a ^BC Code 128 of `code` (module width 2 dots when
// it fits beside the QR code, else 1), a ^BQN,2,3 QR code, ^XZ. Every field is sent with ^FH, and
// the characters ZPL would read as commands (^ and ~), the hex indicator (_) and control characters
// are written as _XX escapes, so no data can end a field or start a command. Text is cut to an
// estimated width; the printer's font metrics are not known here.
std::string RenderLabelZpl(const LabelData& d);

}  // namespace lims::reports

#endif  // LIMS_REPORTS_SAMPLE_LABEL_H_
