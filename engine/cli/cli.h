#pragma once
// The seglab command line: `seglab <verb> [arguments]`. Errors are printed in
// one or two lines and give a non-zero exit status: 1 for failures, 2 for
// usage errors, 130 for an interrupted run.
namespace seglab {

int run_cli(int argc, char** argv);

}  // namespace seglab
