#include "tests/support/test_support.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace seglab::test {

TempDir::TempDir() {
  std::string pattern = (fs::temp_directory_path() / "seglab-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

const char* seglab_binary() { return SEGLAB_BINARY; }
const char* source_dir() { return SEGLAB_SOURCE_DIR; }
const char* python() { return SEGLAB_PYTHON; }
const char* shared_data_root() { return SEGLAB_SHARED_DATA; }

std::string shared_data(const std::string& relative) {
  const std::string path = std::string(shared_data_root()) + "/" + relative;
  if (!fs::exists(path))
    ADD_FAILURE() << "real test data missing: " << path << " (the checkout needs ../shared/data beside it)";
  return path;
}

std::string ph2_subset(const std::string& root, const std::vector<std::string>& ids,
                       const std::vector<std::string>& copied) {
  const std::string source = shared_data("skin-lesions");
  fs::create_directories(root + "/images");
  fs::create_directories(root + "/masks");
  for (const auto& id : ids) {
    const std::string image = "/images/" + id + ".bmp", mask = "/masks/" + id + "_lesion.bmp";
    if (std::find(copied.begin(), copied.end(), id) != copied.end()) fs::copy_file(source + image, root + image);
    else fs::create_symlink(source + image, root + image);
    fs::create_symlink(source + mask, root + mask);
  }
  return root;
}

CommandResult run_command(const std::string& command_line) {
  CommandResult result;
  FILE* pipe = popen((command_line + " 2>&1").c_str(), "r");
  if (!pipe) return result;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0) result.output.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  // Under the sanitize preset a report in the child exits it non-zero, which a
  // test that expects a refusal would take for one: a report fails the test.
  for (const char* report : {"ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "SUMMARY: UndefinedBehaviorSanitizer"})
    if (result.output.find(report) != std::string::npos)
      ADD_FAILURE() << "sanitizer report (" << report << ") from: " << command_line << "\n" << result.output;
  return result;
}

CommandResult run_seglab(const std::string& arguments) { return run_command(std::string(seglab_binary()) + " " + arguments); }

void write_text_file(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace seglab::test

#include <cmath>
#include <cstring>

namespace seglab::test {

void write_npy(const std::string& path, const Tensor& tensor) {
  std::string shape = "(";
  for (size_t i = 0; i < tensor.shape().size(); ++i) shape += std::to_string(tensor.shape()[i]) + ",";
  if (tensor.shape().size() > 1) shape.pop_back();
  shape += ")";
  std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(path, std::ios::binary);
  out.write("\x93NUMPY\x01\x00", 8);
  const uint16_t length = static_cast<uint16_t>(header.size());
  out.write(reinterpret_cast<const char*>(&length), 2);
  out << header;
  out.write(reinterpret_cast<const char*>(tensor.data()), static_cast<std::streamsize>(sizeof(float) * tensor.numel()));
}

Tensor read_npy(const std::string& path) {
  const std::string bytes = read_text_file(path);
  if (bytes.size() < 10 || bytes.compare(1, 5, "NUMPY") != 0) throw std::runtime_error("not an npy file: " + path);
  uint16_t length;
  std::memcpy(&length, bytes.data() + 8, 2);
  const std::string header = bytes.substr(10, length);
  if (header.find("'<f4'") == std::string::npos) throw std::runtime_error("npy is not float32: " + path);
  const size_t open = header.find("'shape': (") + 10, close = header.find(')', open);
  Shape shape;
  std::stringstream dims(header.substr(open, close - open));
  std::string dim;
  while (std::getline(dims, dim, ','))
    if (dim.find_first_not_of(' ') != std::string::npos) shape.push_back(std::stoll(dim));
  Tensor t(shape);
  std::memcpy(t.data(), bytes.data() + 10 + length, sizeof(float) * t.numel());
  return t;
}

void write_npy_dir(const std::string& dir, const NamedTensors& tensors) {
  fs::create_directories(dir);
  for (const auto& [name, tensor] : tensors) write_npy(dir + "/" + name + ".npy", tensor);
}

NamedTensors read_npy_dir(const std::string& dir) {
  NamedTensors out;
  for (const auto& entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".npy") out[entry.path().stem().string()] = read_npy(entry.path().string());
  return out;
}

double max_relative_difference(const NamedTensors& a, const NamedTensors& b) {
  double worst = 0;
  EXPECT_EQ(a.size(), b.size());
  for (const auto& [name, x] : a) {
    auto it = b.find(name);
    if (it == b.end()) {
      ADD_FAILURE() << "missing " << name;
      continue;
    }
    const Tensor& y = it->second;
    if (x.shape() != y.shape()) {
      ADD_FAILURE() << name << " shapes differ";
      continue;
    }
    for (int64_t i = 0; i < x.numel(); ++i)
      worst = std::max(worst, std::fabs(double(x[i]) - double(y[i])) / (std::fabs(double(y[i])) + 1e-6));
  }
  return worst;
}

}  // namespace seglab::test
