#include "base/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

namespace ecsguard {
namespace {

Error IoError(const std::string& path, std::string_view what, int err) {
  return Error(ErrorCode::kIo, fmt::format("cannot write: {}{}", what, std::strerror(err)),
               SourceLocation{path, 0, 0});
}

// Writes all of `contents` to `fd`, retrying short writes and EINTR; 0 or errno.
int WriteAll(int fd, std::string_view contents) {
  while (!contents.empty()) {
    ssize_t n = ::write(fd, contents.data(), contents.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    contents.remove_prefix(static_cast<size_t>(n));
  }
  return 0;
}

// Opens a new temporary file beside `path`; never an existing file, never through a link.
int OpenTemporary(const std::filesystem::path& path, mode_t mode, std::string* temp_path) {
  std::random_device seed;
  std::mt19937_64 random(seed());
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::string name =
        fmt::format(".{}.tmp-{:012x}", path.filename().string(), random() & 0xffffffffffffULL);
    *temp_path = (path.parent_path() / name).string();
    int fd = ::open(temp_path->c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd >= 0 || errno != EEXIST) return fd;
  }
  errno = EEXIST;
  return -1;
}

}  // namespace

Result<void> WriteFileAtomically(const std::string& path_text, std::string_view contents,
                                 FileMode mode) {
  std::filesystem::path path(path_text);
  if (path.filename().empty() || path.filename() == "." || path.filename() == "..") {
    return Error(ErrorCode::kInvalidArgument, "cannot write: not a file name",
                 SourceLocation{path_text, 0, 0});
  }
  struct stat st;
  if (::lstat(path_text.c_str(), &st) == 0) {
    if (S_ISLNK(st.st_mode)) {
      return Error(ErrorCode::kIo,
                   "refusing to write: the name is a symbolic link (remove it or choose another "
                   "folder)",
                   SourceLocation{path_text, 0, 0});
    }
    if (!S_ISREG(st.st_mode)) {
      return Error(ErrorCode::kIo, "refusing to write: the name exists and is not a regular file",
                   SourceLocation{path_text, 0, 0});
    }
  }
  mode_t bits = 0644;
  if (mode == FileMode::kPrivate) bits = 0600;
  if (mode == FileMode::kPrivateExecutable) bits = 0700;
  std::string temp;
  int fd = OpenTemporary(path.parent_path().empty() ? std::filesystem::path(".") / path : path,
                         bits, &temp);
  if (fd < 0) return IoError(path_text, "cannot create a temporary file: ", errno);
  // The umask may have taken bits away; a private file must not have more than 0600 either way.
  int err = ::fchmod(fd, bits) == 0 ? 0 : errno;
  if (err == 0) err = WriteAll(fd, contents);
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err == 0 && ::rename(temp.c_str(), path_text.c_str()) != 0) err = errno;
  if (err != 0) {
    ::unlink(temp.c_str());
    return IoError(path_text, "", err);
  }
  // Make the rename itself durable; a folder that cannot be opened or synced is not an error
  // worth failing a finished write for.
  std::string folder = path.parent_path().empty() ? "." : path.parent_path().string();
  int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
  return Ok{};
}

}  // namespace ecsguard
