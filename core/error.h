#pragma once
// The one exception family of seglab. Every error says what failed, on which
// input (a file, a config key, a run id) and what the user can do about it; the
// CLI prints it in one or two lines and exits non-zero.
#include <stdexcept>
#include <string>

namespace seglab {

class Error : public std::runtime_error {
 public:
  // `input` names the thing at fault ("experiments/x.ini:12", "train.lr");
  // `remedy` is a short instruction ("use one of: sgd, adam, adamw").
  Error(const std::string& what, std::string input = {}, std::string remedy = {});

  const std::string& input() const { return input_; }
  const std::string& remedy() const { return remedy_; }
  const std::string& reason() const { return reason_; }

  // "input: what" on the first line, the remedy (if any) on the second.
  std::string describe() const;

 private:
  std::string reason_;
  std::string input_;
  std::string remedy_;
};

// A config file, a --set override or a registry name is wrong.
class ConfigError : public Error { using Error::Error; };
// A dataset file or folder is missing, unreadable or inconsistent.
class DataError : public Error { using Error::Error; };
// A model graph cannot be built (bad options, shape mismatch).
class ModelError : public Error { using Error::Error; };
// A backend cannot compile or run a graph (unsupported op, device, precision).
class BackendError : public Error { using Error::Error; };
// The run store (catalog, run files) cannot be read or written.
class StoreError : public Error { using Error::Error; };
// The command line is wrong.
class UsageError : public Error { using Error::Error; };
// The user asked to stop (Ctrl-C, SIGTERM); not a failure of the run.
class InterruptedError : public Error { using Error::Error; };

}  // namespace seglab
