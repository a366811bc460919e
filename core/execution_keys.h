#pragma once
// Config keys that set how a run executes, not what it computes: loader
// workers, the sample cache and the CPU thread count. Two runs that differ
// only in these are the same experiment: a report groups them as one variant
// and a sweep's test part ignores them. (The thread count can still move the
// last bits of a float reduction, which is why `seglab reproduce` compares
// the recorded threads.*; it is no choice of method.)
#include <string>

namespace seglab {

bool execution_only_key(const std::string& key);

}  // namespace seglab
