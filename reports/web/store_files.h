#pragma once
// The one gate between a URL and the file system: a path asked for by a client
// is resolved inside a folder of the store, or refused.
#include <string>

namespace seglab {

// `relative` is the decoded URL path below `folder` ("eval/val-best/masks/a.png").
// Returns the file's canonical path. Throws HttpError 400 for "..", ".", empty
// or hidden segments, backslashes and NUL bytes, 403 when the resolved path
// (symbolic links followed) leaves `folder`, 404 when no such file exists.
std::string file_inside(const std::string& folder, const std::string& relative);

}  // namespace seglab
