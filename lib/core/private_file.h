#pragma once

#include <string>

namespace podmon {

// Files that hold crash logs (the SQLite store, INDEX_FILE) are created readable by their owner
// only: crash logs of the whole cluster are no business of other users of the host. open(2) with
// mode 0600 is masked by the umask, so the mode is set again with fchmod(2) once the file exists.

// Creates `path` with mode 0600 when it does not exist yet and returns true; returns false (and
// leaves the file and its mode alone) when it exists. Throws std::system_error naming the path
// when it cannot be created (missing folder, no permission).
bool createPrivateFile(const std::string& path);

// The permission bits of `path` (e.g. 0644), or -1 when it cannot be stat'ed. Throws nothing.
int filePermissions(const std::string& path);

}  // namespace podmon
