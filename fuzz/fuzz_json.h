// JSON helpers of the libFuzzer targets that link Poco::JSON.
#ifndef LIMS_FUZZ_FUZZ_JSON_H_
#define LIMS_FUZZ_FUZZ_JSON_H_

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include <string>

namespace lims::fuzz {

// True when `text` is one well-formed JSON value (what every JSON response body must be).
inline bool IsJson(const std::string& text) {
  try {
    Poco::JSON::Parser().parse(text);
    return true;
  } catch (const Poco::Exception&) {
    return false;
  }
}

}  // namespace lims::fuzz

#endif  // LIMS_FUZZ_FUZZ_JSON_H_
