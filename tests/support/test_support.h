#pragma once
// Helpers shared by the test suites: temporary folders, the real data folder,
// running the seglab binary and Python references.
#include <string>
#include <vector>

namespace seglab::test {

// A fresh folder under /tmp, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// Paths of this build, fixed at configure time. They are compiled into
// test_support.cpp alone, so every other test object is the same in any
// checkout and a clone elsewhere (CI's) finds it in ccache.
const char* seglab_binary();     // the seglab executable of this build
const char* source_dir();        // the checkout's root
const char* python();            // Debian's Python, which has the reference packages
const char* shared_data_root();  // ../shared/data beside the checkout

// ../shared/data/<relative>; the test fails (does not skip) when it is missing.
std::string shared_data(const std::string& relative);

// The PH2 images `ids` and their masks in the folder adapter's layout
// (root/images/<id>.bmp, root/masks/<id>_lesion.bmp, so mask_suffix =
// _lesion), as links into the shared data so a run reads only these; the ids
// in `copied` are copied instead, for a test that changes them. Returns `root`.
std::string ph2_subset(const std::string& root, const std::vector<std::string>& ids,
                       const std::vector<std::string>& copied = {});

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};
// Runs a shell command line and captures its output.
CommandResult run_command(const std::string& command_line);
// Runs the seglab binary with the given arguments.
CommandResult run_seglab(const std::string& arguments);

void write_text_file(const std::string& path, const std::string& text);
std::string read_text_file(const std::string& path);

}  // namespace seglab::test

#include "core/tensor.h"

namespace seglab::test {

// Tensors as NumPy .npy files (float32, C order), one file per name, so the
// Python references can read them with numpy.load.
void write_npy(const std::string& path, const Tensor& tensor);
Tensor read_npy(const std::string& path);
void write_npy_dir(const std::string& dir, const NamedTensors& tensors);
NamedTensors read_npy_dir(const std::string& dir);

// Largest |a - b| / (|b| + 1e-6) over matching tensors; fails the test when
// names or shapes differ.
double max_relative_difference(const NamedTensors& a, const NamedTensors& b);

}  // namespace seglab::test
