#include "tests/support/time_limits.h"

namespace seglab::test {

int time_limit_scale() { return SEGLAB_TEST_TIMEOUT_SCALE; }

}  // namespace seglab::test
