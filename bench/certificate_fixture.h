// The typical certificate the benches render: 15 rows, Latin Extended names, µ and ² symbols.
#ifndef LIMS_BENCH_CERTIFICATE_FIXTURE_H_
#define LIMS_BENCH_CERTIFICATE_FIXTURE_H_

#include <string>

#include "reports/certificate.h"

namespace lims::bench {

inline reports::CertificateData TypicalCertificate() {
  using reports::CertificateData;
  using reports::CertificateRow;
  CertificateData data;
  data.number = "AGR-C-2026-000001";
  data.lab_name = "Pramaan Test Laboratory";
  data.lab_address = "Plot 12, Industrial Estate, Kanpur 208012, India";
  data.lab_accreditation = "Accredited to ISO/IEC 17025:2017, certificate TC-1234";
  data.test_location = "Permanent laboratory, Kanpur";
  data.customer_name = "Łódź Šoe Exports";
  data.customer_address = "14 Leather Market, Agra 282002, India";
  data.customer_iec = "0599001234";
  data.sample_number = "AGR-2026-000123";
  data.sample_description = "Safety boots, leather upper, PU sole";
  data.article = "ART-7";
  data.lot = "L-2026-11";
  data.sizes = "42, 44";
  data.condition = "Sealed bag, intact";
  data.received_at = "2026-11-23";
  data.testing_from = "2026-11-24";
  data.testing_to = "2026-11-27";
  data.issued_at = "2026-11-28T09:30:00Z";
  data.markings_claimed = "EN ISO 20345:2022 S3 SRC";
  data.decision_rule = "Simple acceptance, w = 0 (ILAC-G8:09/2019 4.2.1)";
  data.overall_verdict = "Conforms";
  data.signatory_name = "Dr. A. Sharma";
  data.signatory_role = "Technical Manager";
  data.verification_url = "https://lims.example.org/v/AGR-C-2026-000001";
  for (int i = 1; i <= 15; ++i) {
    const std::string n = std::to_string(i);
    data.rows.push_back(CertificateRow{"EN ISO 20345:2022 5.3." + n, "Nickel release", "EN 1811",
                                       "0." + n + "; 0.1" + n, "µg/cm²/week", "± 0.05", "≤ 0.5 µg/cm²/week", "pass",
                                       i % 3 == 0 ? "Both replicates are within the limit." : ""});
  }
  return data;
}

}  // namespace lims::bench

#endif  // LIMS_BENCH_CERTIFICATE_FIXTURE_H_
