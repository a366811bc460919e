#include "reports/web/store_files.h"

#include <filesystem>

#include "reports/web/http_error.h"

namespace fs = std::filesystem;

namespace seglab {

std::string file_inside(const std::string& folder, const std::string& relative) {
  // Segments are checked before the file system is touched, so neither a plain
  // nor a percent-encoded "../" (httplib decodes the path first) gets further.
  if (relative.empty() || relative.find('\\') != std::string::npos || relative.find('\0') != std::string::npos)
    throw HttpError(400, "bad file path", relative, "ask for a file inside the run's folder");
  size_t start = 0;
  while (start <= relative.size()) {
    const size_t end = std::min(relative.find('/', start), relative.size());
    const std::string segment = relative.substr(start, end - start);
    if (segment.empty() || segment[0] == '.')
      throw HttpError(400, "bad file path: '..', '.', empty and hidden segments are refused", relative,
                      "ask for a file inside the run's folder");
    start = end + 1;
  }
  std::error_code ec;
  const fs::path root = fs::canonical(folder, ec);
  if (ec) throw HttpError(404, "no such folder in the store", folder);
  const fs::path file = fs::weakly_canonical(root / relative, ec);
  if (ec) throw HttpError(404, "no such file", relative);
  const std::string root_text = root.string() + "/";
  if (file.string().compare(0, root_text.size(), root_text) != 0)
    throw HttpError(403, "the path leaves the run's folder", relative, "ask for a file inside the run's folder");
  if (!fs::is_regular_file(file, ec)) throw HttpError(404, "no such file", relative);
  return file.string();
}

}  // namespace seglab
