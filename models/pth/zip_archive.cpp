#include "models/pth/zip_archive.h"

#include <zip.h>

#include <algorithm>
#include <fstream>

#include "models/pth/weights_error.h"

namespace seglab {

ZipArchive::ZipArchive(const std::string& path) : path_(path) {
  int code = 0;
  archive_ = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (!archive_) {
    zip_error_t error;
    zip_error_init_with_code(&error, code);
    const std::string reason = zip_error_strerror(&error);
    zip_error_fini(&error);
    // A zip's directory is at its end: a cut-short file starts like a zip but
    // has none, which libzip calls "Not a zip archive".
    if (code == ZIP_ER_NOZIP || code == ZIP_ER_INCONS)
      throw WeightsError("the checkpoint is truncated or damaged (a zip archive without a readable directory: " +
                             reason + ")",
                         path, "copy or download the file again");
    throw WeightsError("cannot open as a zip archive: " + reason, path);
  }
  const zip_int64_t count = zip_get_num_entries(archive_, 0);
  for (zip_int64_t i = 0; i < count; ++i) {
    const char* name = zip_get_name(archive_, static_cast<zip_uint64_t>(i), ZIP_FL_ENC_RAW);
    if (name) names_.emplace_back(name);
  }
}

ZipArchive::~ZipArchive() {
  if (archive_) zip_discard(archive_);
}

bool ZipArchive::contains(const std::string& name) const {
  return std::find(names_.begin(), names_.end(), name) != names_.end();
}

std::string ZipArchive::read(const std::string& name) const {
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_stat(archive_, name.c_str(), ZIP_FL_ENC_RAW, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE))
    throw WeightsError("the archive has no entry '" + name + "'", path_, "the file is truncated or not a PyTorch checkpoint");
  zip_file_t* file = zip_fopen(archive_, name.c_str(), ZIP_FL_ENC_RAW);
  if (!file) throw WeightsError("cannot open entry '" + name + "': " + zip_strerror(archive_), path_);
  std::string bytes(static_cast<size_t>(stat.size), '\0');
  zip_uint64_t done = 0;
  while (done < stat.size) {
    const zip_int64_t got = zip_fread(file, bytes.data() + done, stat.size - done);
    if (got <= 0) {
      const std::string reason = zip_file_strerror(file);
      zip_fclose(file);
      throw WeightsError("cannot read entry '" + name + "': " + reason, path_, "the file is truncated or damaged");
    }
    done += static_cast<zip_uint64_t>(got);
  }
  zip_fclose(file);
  return bytes;
}

bool looks_like_zip(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  char magic[4] = {};
  in.read(magic, 4);
  return in.gcount() == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}

}  // namespace seglab
