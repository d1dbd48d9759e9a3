// Lab: the identity of the laboratory this limsd serves, printed on every report (ISO/IEC 17025
// 7.8.2.1 b). Comes from configuration; the store keeps a row per lab code.
#ifndef LIMS_CORE_LAB_H_
#define LIMS_CORE_LAB_H_

#include <string>

namespace lims {

struct Lab {
  std::string code;  // "AGR": prefix of sample numbers
  std::string name;
  std::string address;
  std::string accreditation;
};

}  // namespace lims

#endif  // LIMS_CORE_LAB_H_
