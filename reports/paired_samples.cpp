#include "reports/paired_samples.h"

#include <cmath>
#include <string>

#include "core/error.h"

namespace seglab {

PairedDifferences paired_differences(const std::vector<double>& a, const std::vector<double>& b, const char* what) {
  if (a.size() != b.size())
    throw DataError("paired samples differ in length: " + std::to_string(a.size()) + " and " +
                        std::to_string(b.size()) + " values",
                    what, "compare variants scored on the same images");
  PairedDifferences out;
  for (size_t i = 0; i < a.size(); ++i) {
    if (std::isnan(a[i]) || std::isnan(b[i])) {
      ++out.n_nan_pairs;
      continue;
    }
    if (std::isinf(a[i]) || std::isinf(b[i]))
      throw DataError("pair " + std::to_string(i) + " has an infinite value", what, "check the metric that produced it");
    out.d.push_back(a[i] - b[i]);
  }
  return out;
}

}  // namespace seglab
