#pragma once
// The tiny experiment the CLI tests train through the seglab binary: generated
// 32x32 lesion images and a 2-level U-Net with 4 channels, so a run takes
// seconds. Each test picks what it needs to differ (name, size, epochs, ...).
#include <string>

namespace seglab::test {

struct TinyExperiment {
  std::string name = "tiny";
  int seed = 3;
  int samples = 20;  // generated images, a quarter of them for validation
  int epochs = 2;
  int batch_size = 5;
  std::string lr = "0.01";
  std::string extra;  // more sections or keys, appended as they are

  std::string ini() const;
};

// The id that `seglab train` printed for the run named `name` ("run <id> "name"");
// fails the test and returns "" when there is none.
std::string trained_run_id(const std::string& train_output, const std::string& name);

}  // namespace seglab::test
