#pragma once
// Fault injection for the crash-safety tests. `crash_point("run_file.partial")`
// does nothing unless the environment variable SEGLAB_CRASH_AT names that
// point ("run_file.partial", or "train.step#7" for its 7th passage); then the
// process kills itself with SIGKILL right there, exactly as `kill -9` or a
// power cut would ("train.step#7:TERM" sends SIGTERM instead, as a user's
// Ctrl-C or a scheduler would). The variable is read once, so an unarmed point costs one
// comparison of a cached pointer.
namespace seglab {

void crash_point(const char* name);

}  // namespace seglab
