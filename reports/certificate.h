// The signed document a lab issues at the end of testing: a certificate of conformity or a test
// report, laid out for ISO/IEC 17025:2017 7.8.2.1 (a to o) and 7.8.6 (statements of conformity).
//
// This header only renders the unsigned PDF; signing is a separate step over its bytes. Rendering
// is a pure function of its inputs (the data, the font files and the build's ICC profile): the same
// record always gives byte-identical output, because the creation date, the trailer /ID and every
// other varying field come from the data, never from the clock. Thread-safe: each call owns its
// libharu document and libzint symbol; the only shared state is a process-wide cache of the parsed
// font files and the compressed ICC profile, filled on first use and read-only afterwards (a font
// file replaced on disk is picked up at the next start).
//
// Speed (docs/certificates.md): the renderer embeds its fonts itself rather than through libharu's
// UTF-8 fonts, writes page content directly, compresses only what pays, and picks the QR data mask
// without libzint's slow mask evaluation; about 0.3 ms for a typical certificate.
#ifndef LIMS_REPORTS_CERTIFICATE_H_
#define LIMS_REPORTS_CERTIFICATE_H_

#include <string>
#include <vector>

#include "lims/core/status.h"
#include "reports/sample_report.h"  // FontSet

namespace lims::reports {

enum class CertificateKind {
  kConformity,  // "Certificate of conformity": every requirement is met
  kTestReport,  // "Test report": may list requirements not met
};

// One line of the results table. All text is UTF-8 and printed as given.
struct CertificateRow {
  std::string requirement;  // standard and clause: "EN ISO 20345:2022 5.3.1"
  std::string property;     // "Sole bond strength"
  std::string method;       // "EN ISO 17708"
  std::string values;       // replicate values or the mean as reported: "4.6; 4.8"
  std::string unit;         // "N/mm", "µg/cm²/week"
  std::string uncertainty;  // expanded uncertainty as printed ("± 0.3", k = 2); empty prints "—"
  std::string limit;        // "≥ 4.0 N/mm"
  std::string verdict;      // pass, fail, conditional_pass or conditional_fail (ILAC-G8 4.2.3)
  std::string statement;    // why the verdict follows from value, uncertainty and rule; may be empty
};

struct CertificateData {
  CertificateKind kind = CertificateKind::kConformity;
  std::string number;  // "AGR-C-2026-000001": letters, digits and - . / _ only; on every page
  std::string lab_name, lab_address, lab_accreditation;
  std::string test_location;  // where the tests were done (7.8.2.1 c)
  std::string customer_name, customer_address, customer_iec;
  std::string sample_number, sample_description, article, lot, sizes;
  std::string condition, condition_note;  // condition on receipt, and any remark on it
  std::string received_at;                // printed as given: "2026-11-23"
  std::string testing_from, testing_to;   // printed as given
  std::string issued_at;                  // RFC 3339; the date of issue and the PDF creation date
  std::string markings_claimed;           // "EN ISO 20345:2022 S3 SRC"
  std::string decision_rule;              // 7.8.6.2 c
  std::string overall_verdict;            // "Conforms", "Does not conform (2 requirements)"
  std::vector<CertificateRow> rows;
  std::string signatory_name, signatory_role;  // 7.8.2.1 o
  // 7.8.8: a new document that replaces an issued one names it and says why. Empty: not printed.
  std::string supersedes_number, supersedes_reason;
  std::string verification_url;  // encoded in the QR code on page 1 and printed under it
  std::string logo_png_path;     // optional lab logo (PNG without alpha); empty: a drawn mark
};

// Renders the certificate as an A4 portrait PDF/A-1b (best effort, see below) and returns its bytes.
//
// Page 1: lab block (logo, name, address, accreditation), the QR code of verification_url, the
// title with the number, any replacement note, the customer and item blocks, dates, markings,
// decision rule and overall verdict. Then the results table (requirement, property, method, values,
// unit, U, limit, verdict, and each row's statement beneath it) over as many pages as it needs,
// with the column headers repeated; failing rows are shaded. A test report then lists the
// requirements not met (value, limit, reason). The last page ends with the signatory and "End of
// document". Every page has a running header "<number> · Page x of y" and a footer with "The
// results relate only to the items tested."
//
// PDF/A-1b: XMP metadata with pdfaid part 1 / conformance B (libharu), a deterministic trailer
// /ID, and an /OutputIntents entry with an sRGB ICC profile (LIMS_ICC_PROFILE) as its
// /DestOutputProfile. Fonts are embedded as subsets (Type0, Identity-H, with /CIDSet and a
// ToUnicode map that gives back every character printed).
//
// Errors: InvalidArgument (with field errors) when number, issued_at, verification_url or
// signatory_name is missing or malformed, a verdict is unknown, or a certificate of conformity
// has a failing row; Internal when a font, the logo or the ICC profile cannot be read, libzint
// refuses the URL, or libharu fails (the message names the step).
lims::Result<std::string> RenderCertificate(const CertificateData& data, const FontSet& fonts);

// The title printed for a kind: "Certificate of conformity" or "Test report".
const char* CertificateTitle(CertificateKind kind);

}  // namespace lims::reports

#endif  // LIMS_REPORTS_CERTIFICATE_H_
