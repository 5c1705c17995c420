#include "ingest/snapshot/snapshot.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/strings.h"
#include "ingest/snapshot/chunk_reader.h"
#include "ingest/snapshot/document_reader.h"
#include "ingest/snapshot/graph_builder.h"
#include "ingest/snapshot/json_scan.h"
#include "ingest/snapshot/line_batches.h"
#include "ingest/snapshot/problem_sink.h"

namespace ecsguard::ingest {
namespace snapshot_internal {

void ProblemSink::EndFile() {
  if (dropped_ == 0) return;
  out_->emplace_back(ErrorCode::kValidation,
                     fmt::format("{} more problems in this file were not listed", dropped_),
                     SourceLocation{file_, 0, 0});
}

Error ProblemSink::Report(ErrorCode code, uint32_t line, uint32_t column, std::string message) {
  Error error(code, std::move(message), SourceLocation{file_, line, column});
  if (listed_ < limit_) {
    ++listed_;
    out_->push_back(error);
  } else {
    ++dropped_;
  }
  return error;
}

namespace {

// Reads one file: decides between JSON Lines and whole documents from the content, frames each
// document, and hands it to the DocumentReader. Keeps the line and column of the read position.
class FileReader {
 public:
  // `batches`: where the lines of a JSON Lines file go, or null to read them here.
  FileReader(ByteSource* source, const SnapshotOptions& options, DocumentReader* documents,
             LineBatches* batches, ProblemSink* problems, size_t* document_count,
             std::string_view name, uint64_t size)
      : in_(source, options.read_chunk_bytes),
        source_(source),
        chunk_(std::max<size_t>(options.read_chunk_bytes, 64)),
        progress_(options.progress ? &options.progress : nullptr),
        name_(name),
        size_(size),
        max_document_(std::max<size_t>(options.max_document_bytes, 1)),
        documents_(documents),
        batches_(batches),
        problems_(problems),
        document_count_(document_count) {}

  void Run() {
    ReadFile();
    if (progress_) (*progress_)(name_, std::max<uint64_t>(in_.offset(), size_), size_);
  }

 private:
  static constexpr uint64_t kProgressStep = uint64_t{16} << 20;

  // SnapshotOptions::progress, every kProgressStep bytes.
  void Progress() { Progress(in_.offset()); }
  void Progress(uint64_t offset) {
    if (!progress_ || offset < next_progress_) return;
    (*progress_)(name_, offset, size_);
    next_progress_ = offset + kProgressStep;
  }

  void ReadFile() {
    if (!Fill(4)) return;
    std::string_view w = in_.window();
    if (w.empty()) {
      Problem(ErrorCode::kParse, "the file is empty: expected JSON");
      return;
    }
    if (w.starts_with("\xEF\xBB\xBF")) Advance(3);  // a UTF-8 byte order mark
    if (w.starts_with("\xFF\xFE") || w.starts_with("\xFE\xFF")) {
      Problem(ErrorCode::kParse,
              "UTF-16 text (a PowerShell redirect?): convert it to UTF-8, e.g. iconv -f UTF-16");
      return;
    }
    if (!SkipSpace()) return;
    if (in_.window().empty()) {
      Problem(ErrorCode::kParse, "the file holds only white space: expected JSON");
      return;
    }
    bool lines = IsJsonLines();
    if (in_.failed()) return;
    if (lines) {
      ReadLines();
    } else {
      ReadDocuments();
    }
  }

  // Makes the window hold at least `n` bytes, or everything up to end of file. False on a read
  // error (reported).
  bool Fill(size_t n) {
    while (in_.window().size() < n && in_.ReadMore(max_document_ + n)) {
    }
    return !ReadFailed();
  }

  // Reports a read error once; true when reading failed.
  bool ReadFailed() {
    if (!in_.failed()) return false;
    if (!read_error_reported_) {
      // After the problems of the lines before it, which reader threads may still hold.
      if (batches_) batches_->Drain();
      Problem(ErrorCode::kIo, fmt::format("read error: {}; the rest of the file was not read",
                                          in_.source().error()));
      read_error_reported_ = true;
    }
    return true;
  }

  // One more read into the window; false at end of file, on a read error (reported) or when the
  // window is larger than a document may be.
  bool More() {
    if (in_.window().size() > max_document_) return false;
    if (in_.ReadMore(max_document_ + 1)) return true;
    ReadFailed();
    return false;
  }

  uint32_t column() const { return static_cast<uint32_t>(in_.offset() - line_start_ + 1); }

  void Problem(ErrorCode code, std::string message) {
    problems_->Report(code, line_, column(), std::move(message));
  }

  // A problem `offset` bytes into the window.
  void ProblemAt(size_t offset, ErrorCode code, std::string message) {
    LineColumn lc = LineColumnAt(in_.window(), offset);
    problems_->Report(code, line_ + lc.line - 1,
                      lc.line == 1 ? column() + lc.column - 1 : lc.column, std::move(message));
  }

  // Consumes `n` bytes of the window, keeping track of lines.
  void Advance(size_t n) {
    std::string_view consumed = in_.window().substr(0, n);
    size_t pos = 0;
    while (true) {
      const void* nl = std::memchr(consumed.data() + pos, '\n', consumed.size() - pos);
      if (!nl) break;
      pos = static_cast<size_t>(static_cast<const char*>(nl) - consumed.data()) + 1;
      ++line_;
      line_start_ = in_.offset() + pos;
    }
    in_.Consume(n);
  }

  // Skips white space; false on a read error.
  bool SkipSpace() {
    for (;;) {
      std::string_view w = in_.window();
      size_t i = 0;
      while (i < w.size() && IsJsonSpace(w[i])) ++i;
      Advance(i);
      if (i < w.size()) return true;
      if (!in_.ReadMore(max_document_ + 1)) return !ReadFailed();
    }
  }

  // The window from the cursor up to the end of its line ("\n" excluded), reading as needed.
  // Stops early when the line is longer than a document may be (then `*complete` is false).
  std::string_view Line(bool* complete) { return LineFrom(0, complete); }

  // The same for the line that starts `start` bytes into the window.
  std::string_view LineFrom(size_t start, bool* complete) {
    start = std::min(start, in_.window().size());
    size_t searched = start;
    for (;;) {
      std::string_view w = in_.window();
      const void* nl = std::memchr(w.data() + searched, '\n', w.size() - searched);
      if (nl) {
        *complete = true;
        return w.substr(start,
                        static_cast<size_t>(static_cast<const char*>(nl) - w.data()) - start);
      }
      searched = w.size();
      if (w.size() - start > max_document_ || !More()) {
        *complete = in_.eof();
        return in_.window().substr(start);
      }
    }
  }

  // JSON Lines when the first line holds one whole value. When it holds a broken one, the file
  // is still JSON Lines if the next non-blank line holds a whole object or array: one bad line
  // must not cost the rest. Anything else (pretty-printed JSON, binary, prose) is read as
  // documents.
  bool IsJsonLines() {
    bool complete;
    std::string_view first = Line(&complete);
    if (!complete) return first.size() > max_document_;  // one huge line
    ValueScanner scanner;
    ValueScanner::Step step = scanner.Feed(first);
    if (step.status == ValueScanner::Status::kDone) return true;
    if (step.status == ValueScanner::Status::kNeedMore) {
      // A scalar ends with its line; a container or string goes on: a multi-line document.
      return scanner.Finish() == ValueScanner::Status::kDone;
    }
    if (first.size() == in_.window().size()) return false;  // no second line
    size_t start = first.size() + 1;
    for (;;) {
      std::string_view line = LineFrom(start, &complete);
      if (in_.failed()) return false;
      size_t value = line.find_first_not_of(" \t\r");
      if (value == std::string_view::npos) {
        if (!complete || start + line.size() >= in_.window().size()) return false;  // the end
        start += line.size() + 1;
        continue;
      }
      if (!complete || (line[value] != '{' && line[value] != '[')) return false;
      ValueScanner next;
      return next.Feed(line.substr(value)).status == ValueScanner::Status::kDone;
    }
  }

  void ReadLines() {
    ReadEveryLine();
    if (batches_) batches_->Drain();
  }

  void ReadEveryLine() {
    for (;;) {
      // From a line's start on, reader threads frame the lines (ReadBlocks); back here for a
      // line longer than a document may be. What is read already starts the first block, so it
      // may not hold such a line either.
      if (batches_ && in_.offset() == line_start_ && in_.window().size() <= max_document_ + 1 &&
          ReadBlocks()) {
        return;
      }
      Progress();
      bool complete;
      std::string_view line = Line(&complete);
      if (in_.failed()) return;
      if (!complete || line.size() > max_document_) {
        // Longer than a document may be: read the value in it item by item.
        ++*document_count_;
        if (batches_) batches_->Drain();
        if (!ReadLargeDocument()) return;
        line = Line(&complete);
        std::string_view rest = line;
        while (!rest.empty() && IsJsonSpace(rest.front())) rest.remove_prefix(1);
        if (!rest.empty()) {
          ProblemAt(line.size() - rest.size(), ErrorCode::kParse,
                    "invalid JSON: unexpected content after the JSON value");
        }
        if (!complete) {
          // What follows the value is itself longer than a document may be: the lines after
          // it are still read (whether its end is in the window depends on the reads).
          if (!SkipRestOfLine()) return;
          continue;
        }
      } else {
        size_t start = 0;
        while (start < line.size() && IsJsonSpace(line[start])) ++start;
        if (start < line.size()) {
          ++*document_count_;
          std::string_view text = line;
          if (text.ends_with('\r')) text.remove_suffix(1);
          if (batches_) {
            batches_->Add(text.substr(start), line_, column() + static_cast<uint32_t>(start),
                          in_.offset() + start);
          } else {
            documents_->Read(text.substr(start), line_, column() + static_cast<uint32_t>(start),
                             in_.offset() + start);
          }
        }
      }
      if (line.size() == in_.window().size()) return;  // the last line, without "\n"
      in_.Consume(line.size() + 1);
      ++line_;
      line_start_ = in_.offset();
    }
  }

  // Drops the rest of the current line, however long, reading on. False at the end of the file
  // or on a read error (reported).
  bool SkipRestOfLine() {
    for (;;) {
      std::string_view w = in_.window();
      if (const void* nl = std::memchr(w.data(), '\n', w.size())) {
        in_.Consume(static_cast<size_t>(static_cast<const char*>(nl) - w.data()) + 1);
        ++line_;
        line_start_ = in_.offset();
        return true;
      }
      in_.Consume(w.size());
      if (!in_.ReadMore(max_document_ + 1)) {
        ReadFailed();
        return false;
      }
    }
  }

  // The rest of a JSON Lines file from the start of a line, read a block at a time straight
  // into the reader threads' batches, which frame its lines as ReadEveryLine does. True when the
  // file is done (its end, or a read error, reported); false at a line longer than a document
  // may be, left at the start of the window for ReadEveryLine.
  bool ReadBlocks() {
    batches_->BeginBlocks(line_, in_.offset(), document_count_);
    batches_->Block().Append(in_.window());
    bool eof = in_.eof();
    // A line that ends inside a block is never longer than a document may be.
    const size_t limit = max_document_ + 1;
    const size_t target = std::min(limit, chunk_);
    size_t fill_to = target;
    for (;;) {
      LineBatches::Buffer& block = batches_->Block();
      bool failed = false;
      while (!eof && block.size() < fill_to) {
        size_t want = fill_to - block.size();
        char* at = block.Grow(want);
        ptrdiff_t got = source_->Read(at, want);
        block.Resize(block.size() - want + static_cast<size_t>(std::max<ptrdiff_t>(got, 0)));
        if (got < 0) {
          failed = true;
          break;
        }
        if (got == 0) eof = true;
      }
      std::string_view text = block.view();
      const void* nl = memrchr(text.data(), '\n', text.size());
      size_t whole = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) + 1 : 0;
      if (failed) {
        if (whole > 0) batches_->SubmitBlock(whole);
        LeaveBlocks(/*eof=*/false);
        Problem(ErrorCode::kIo,
                fmt::format("read error: {}; the rest of the file was not read", source_->error()));
        read_error_reported_ = true;
        return true;
      }
      // At the end of the file its last line needs no "\n".
      if (eof && text.size() - whole <= max_document_) whole = text.size();
      if (whole > 0) {
        batches_->SubmitBlock(whole);
        fill_to = target;
        Progress(batches_->block_offset());
        continue;
      }
      if (eof && text.empty()) {
        LeaveBlocks(/*eof=*/true);
        return true;
      }
      if (text.size() >= limit) {
        LeaveBlocks(eof);
        return false;
      }
      fill_to = std::min(limit, text.size() + chunk_);  // a line longer than a block: read on
    }
  }

  // Back from ReadBlocks: everything handed over is committed, and what is left of the current
  // block becomes the window.
  void LeaveBlocks(bool eof) {
    batches_->Drain();
    line_ = batches_->next_line();
    line_start_ = batches_->block_offset();
    in_.Restart(batches_->Block().view(), line_start_, eof);
    batches_->EndBlocks();
  }

  void ReadDocuments() {
    for (;;) {
      Progress();
      if (!SkipSpace()) return;
      if (in_.window().empty()) return;
      ValueScanner scanner;
      for (;;) {
        std::string_view w = in_.window();
        ValueScanner::Step step = scanner.Feed(w.substr(scanner.size()));
        if (step.status == ValueScanner::Status::kDone) {
          ++*document_count_;
          size_t size = static_cast<size_t>(scanner.size());
          if (size > max_document_) {
            if (!ReadLargeDocument()) return;
            break;
          }
          std::string_view document = w.substr(0, size);
          if (std::memchr(document.data(), '\0', size)) {
            // Brackets balanced by chance in binary data (JSON text never holds a NUL byte).
            auto error = FindSyntaxError(document);
            FramingError(error ? error->offset : 0, "", /*binary=*/true);
            return;
          }
          documents_->Read(document, line_, column(), in_.offset());
          Advance(size);
          break;
        }
        if (step.status == ValueScanner::Status::kError) {
          FramingError(static_cast<size_t>(scanner.size()), scanner.error());
          return;
        }
        if (More()) continue;
        if (in_.failed()) return;
        if (in_.eof()) {
          ++*document_count_;
          if (scanner.Finish() == ValueScanner::Status::kDone) {
            documents_->Read(in_.window(), line_, column(), in_.offset());
            Advance(in_.window().size());
          } else {
            Truncated();
          }
          return;
        }
        ++*document_count_;
        if (!ReadLargeDocument()) return;
        break;
      }
    }
  }

  // A document that cannot be framed (or is binary): report it and give up on the file.
  void FramingError(size_t offset, const char* message, bool binary = false) {
    unsigned char c = static_cast<unsigned char>(in_.window()[offset]);
    binary = binary || (c < 0x20 && !IsJsonSpace(static_cast<char>(c))) || c >= 0x80;
    ProblemAt(offset, ErrorCode::kParse,
              fmt::format("{}; the rest of the file was not read",
                          binary ? "not JSON text (binary data or not UTF-8)"
                                 : fmt::format("invalid JSON: {}", message)));
  }

  // The file ends inside a document: say where the JSON goes wrong (usually at the end).
  void Truncated() {
    std::string_view w = in_.window();
    auto error = FindSyntaxError(w);
    ProblemAt(error ? error->offset : w.size(), ErrorCode::kParse,
              fmt::format("invalid JSON: {}", error ? error->message : "unexpected end of file"));
  }

  // ---- Documents too large to parse whole -------------------------------------------------

  int Peek() {
    if (in_.window().empty() && !More()) return -1;
    return static_cast<unsigned char>(in_.window()[0]);
  }

  // Skips white space inside a large document (where the window may be empty).
  int PeekAfterSpace() {
    if (!SkipSpace()) return -1;
    return Peek();
  }

  bool SkeletonError(const char* message) {
    // An empty window is the end of the file only if nothing more can be read: what was
    // consumed last (a value too large to keep) may have ended just where a read did.
    if (in_.window().empty() && !in_.failed()) More();
    if (in_.failed()) return false;
    Problem(ErrorCode::kParse,
            fmt::format("invalid JSON: {}; the rest of the file was not read",
                        in_.window().empty() ? "unexpected end of file" : message));
    return false;
  }

  enum class Framed : uint8_t { kValue, kTooLarge, kError };

  // Frames the value at the cursor. kValue: it is the first `*size` bytes of the window.
  // kTooLarge: larger than a document may be; it has been consumed, the caller reports it if it
  // matters. kError: a syntax error or the end of the file, reported here.
  Framed FrameValue(size_t* size) {
    ValueScanner scanner;
    for (;;) {
      std::string_view w = in_.window();
      ValueScanner::Step step = scanner.Feed(w.substr(scanner.size()));
      if (step.status == ValueScanner::Status::kDone) {
        *size = static_cast<size_t>(scanner.size());
        if (*size <= max_document_) return Framed::kValue;
        Advance(*size);
        return Framed::kTooLarge;
      }
      if (step.status == ValueScanner::Status::kError) {
        FramingError(static_cast<size_t>(scanner.size()), scanner.error());
        return Framed::kError;
      }
      if (More()) continue;
      if (in_.failed()) return Framed::kError;
      if (in_.eof()) {
        if (scanner.Finish() == ValueScanner::Status::kDone) {
          *size = in_.window().size();
          return Framed::kValue;
        }
        Truncated();
        return Framed::kError;
      }
      break;
    }
    // Too large to hold: scan on, dropping what has been seen.
    Advance(static_cast<size_t>(scanner.size()));
    for (;;) {
      ValueScanner::Step step = scanner.Feed(in_.window());
      if (step.status == ValueScanner::Status::kError) {
        FramingError(step.consumed, scanner.error());
        return Framed::kError;
      }
      Advance(step.consumed);
      if (step.status == ValueScanner::Status::kDone) return Framed::kTooLarge;
      if (!in_.ReadMore(max_document_ + 1)) {
        if (ReadFailed()) return Framed::kError;
        if (scanner.Finish() == ValueScanner::Status::kDone) return Framed::kTooLarge;
        Problem(ErrorCode::kParse, "invalid JSON: unexpected end of file inside a value");
        return Framed::kError;
      }
    }
  }

  // Frames and skips the value at the cursor (a member the graph does not need).
  bool SkipValue() {
    size_t size;
    Framed framed = FrameValue(&size);
    if (framed == Framed::kValue) Advance(size);
    return framed != Framed::kError;
  }

  // A document larger than max_document_bytes: awscli's paginated output is an object of arrays
  // (or an array of objects), so read those arrays item by item. False when the rest of the
  // file cannot be read (the document's own brackets and commas are broken).
  bool ReadLargeDocument() {
    uint32_t start_line = line_, start_column = column();
    int c = Peek();
    if (c == '[') {
      Advance(1);
      return ReadItems([&](size_t, std::string_view text, uint32_t line, uint32_t column) {
        documents_->Read(text, line, column, in_.offset());
      });
    }
    if (c != '{') {
      if (!SkipValue()) return false;
      problems_->Report(ErrorCode::kValidation, start_line, start_column,
                        fmt::format("a JSON value of more than {} bytes that is not an object: "
                                    "not an AWS CLI output",
                                    max_document_));
      return true;
    }
    Advance(1);
    bool known = false;
    std::string_view failure_type;
    if (PeekAfterSpace() == '}') {
      Advance(1);
    } else {
      for (;;) {
        if (PeekAfterSpace() != '"')
          return SkeletonError("expected a member name in double quotes");
        size_t size;
        Framed framed = FrameValue(&size);
        if (framed == Framed::kTooLarge) return SkeletonError("a member name too long to read");
        if (framed == Framed::kError) return false;
        std::string key(in_.window().substr(1, size - 2));
        Advance(size);
        if (PeekAfterSpace() != ':') return SkeletonError("expected ':' after a member name");
        Advance(1);
        if (PeekAfterSpace() < 0) return SkeletonError("unexpected end of file");
        ArrayKey array_key;
        TopKey kind = ClassifyTopKey(key, &array_key);
        known |= kind != TopKey::kOther;
        if (kind == TopKey::kArray && Peek() == '[') {
          if (array_key != ArrayKey::kFailures) failure_type = AssetTypeOf(array_key);
          Advance(1);
          if (!ReadItems([&](size_t index, std::string_view text, uint32_t line, uint32_t column) {
                documents_->ReadItem(array_key, index, failure_type, text, line, column,
                                     in_.offset());
              })) {
            return false;
          }
        } else {
          if (kind == TopKey::kArray) {
            Problem(ErrorCode::kValidation, fmt::format("{}: expected an array", key));
          }
          if (!SkipValue()) return false;
        }
        int d = PeekAfterSpace();
        if (d == ',') {
          Advance(1);
          continue;
        }
        if (d == '}') {
          Advance(1);
          break;
        }
        return SkeletonError("expected ',' or '}' after an object member");
      }
    }
    if (!known) {
      problems_->Report(ErrorCode::kValidation, start_line, start_column,
                        "not a recognised AWS CLI output: a document too large to parse whole "
                        "is read through its top-level arrays, and this one has none known");
    }
    return true;
  }

  // Reads the items of an array whose "[" was consumed, through its "]".
  template <typename Fn>
  bool ReadItems(Fn&& read) {
    if (PeekAfterSpace() == ']') {
      Advance(1);
      return true;
    }
    for (size_t index = 0;; ++index) {
      if (PeekAfterSpace() < 0) return SkeletonError("unexpected end of file");
      uint32_t line = line_, col = column();
      size_t size;
      Framed framed = FrameValue(&size);
      if (framed == Framed::kError) return false;
      if (framed == Framed::kValue) {
        read(index, in_.window().substr(0, size), line, col);
        Advance(size);
      } else {
        problems_->Report(
            ErrorCode::kValidation, line, col,
            fmt::format("an array item of more than {} bytes was not read", max_document_));
      }
      int d = PeekAfterSpace();
      if (d == ',') {
        Advance(1);
        continue;
      }
      if (d == ']') {
        Advance(1);
        return true;
      }
      return SkeletonError("expected ',' or ']' after an array element");
    }
  }

  ChunkReader in_;
  ByteSource* source_;  // in_'s, read directly by ReadBlocks
  size_t chunk_;        // bytes per read
  const std::function<void(std::string_view, uint64_t, uint64_t)>* progress_;
  std::string_view name_;
  uint64_t size_;
  uint64_t next_progress_ = kProgressStep;
  size_t max_document_;
  DocumentReader* documents_;
  LineBatches* batches_;
  ProblemSink* problems_;
  size_t* document_count_;
  uint32_t line_ = 1;
  uint64_t line_start_ = 0;  // file offset of the first byte of the current line
  bool read_error_reported_ = false;
};

class Loader {
 public:
  Loader(const SnapshotOptions& options, SnapshotResult* result)
      : options_(options),
        result_(result),
        problems_(&result->problems, std::max<size_t>(options.max_problems_per_file, 1)),
        builder_(options.graph_names, options.revisions),
        documents_(&builder_, &problems_, options.environment) {
    if (options.jobs > 1 && builder_.defers()) {
      batches_ =
          std::make_unique<LineBatches>(options.jobs, options.environment, &documents_, &builder_);
    }
  }

  void AddPath(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      bool missing = !ec || ec == std::errc::no_such_file_or_directory;
      result_->problems.emplace_back(missing ? ErrorCode::kNotFound : ErrorCode::kIo,
                                     missing ? std::string("no such file or directory")
                                             : fmt::format("cannot read: {}", ec.message()),
                                     SourceLocation{path, 0, 0});
      return;
    }
    if (fs::is_directory(status)) {
      size_t files_before = result_->stats.files, problems_before = result_->problems.size();
      Walk(path);
      // An empty folder is a snapshot that was not taken, not an estate without assets.
      if (result_->stats.files == files_before && result_->problems.size() == problems_before) {
        result_->problems.emplace_back(ErrorCode::kNotFound,
                                       "no files to read in this folder (hidden entries are "
                                       "skipped)",
                                       SourceLocation{path, 0, 0});
      }
    } else {
      ReadFile(path);
    }
  }

  void AddText(std::string_view text, std::string_view name) {
    MemorySource source(text);
    inputs_.push_back(Input{std::string(), text});
    Read(&source, name, /*rereadable=*/true, text.size());
  }

  void Finish() {
    if (builder_.defers()) BuildReferencedRevisions();
    builder_.Finish(result_, options_.require_task_list);
    if (batches_) {
      result_->stats.documents_on_threads = batches_->lines_kept();
      result_->stats.documents_framed_on_threads = batches_->lines_framed();
    }
  }

 private:
  // Folders: every regular file, recursively, in name order; hidden entries (".git", ".DS_Store")
  // skipped; symbolic links followed to files but not into folders (no cycles).
  void Walk(const std::string& dir) {
    namespace fs = std::filesystem;
    std::error_code ec;
    std::vector<std::pair<std::string, bool>> entries;  // name, is folder
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      std::error_code entry_ec;
      bool link = it->is_symlink(entry_ec);
      bool folder = it->is_directory(entry_ec);
      bool file = it->is_regular_file(entry_ec);
      if (folder && !link) entries.emplace_back(name, true);
      if (file) entries.emplace_back(name, false);
    }
    if (ec) {
      result_->problems.emplace_back(ErrorCode::kIo, fmt::format("cannot list: {}", ec.message()),
                                     SourceLocation{dir, 0, 0});
      return;
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& [name, folder] : entries) {
      std::string path = dir.ends_with('/') ? dir + name : dir + "/" + name;
      if (folder) {
        Walk(path);
      } else {
        ReadFile(path);
      }
    }
  }

  void ReadFile(const std::string& path) {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      result_->problems.emplace_back(ErrorCode::kIo,
                                     fmt::format("cannot open: {}", std::strerror(errno)),
                                     SourceLocation{path, 0, 0});
      return;
    }
    struct stat st {};
    bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    inputs_.push_back(Input{path, std::nullopt});
    FdSource source(fd);
    Read(&source, path, regular, regular ? static_cast<uint64_t>(st.st_size) : 0);
    ::close(fd);
  }

  // The task definitions something refers to, read again where the first read found them
  // (SnapshotOptions::Revisions::kReferenced). Problems were reported the first time.
  void BuildReferencedRevisions() {
    std::vector<DocumentPlace> places = builder_.PlacesToBuild(options_.require_task_list);
    std::vector<Error> reported;
    ProblemSink quiet(&reported, 0);
    DocumentReader reader(&builder_, &quiet, options_.environment);
    std::string buffer;
    uint32_t open_file = ~uint32_t{0};
    int fd = -1;
    for (const DocumentPlace& place : places) {
      buffer.assign(place.size + ChunkReader::kPadding, '\0');
      const Input& input = inputs_[place.file];
      bool read = true;
      if (place.saved >= 0) {
        std::string_view saved = builder_.SavedText(place.saved);
        std::memcpy(buffer.data(), saved.data(), saved.size());
      } else if (input.text) {
        read = place.offset + place.size <= input.text->size();
        if (read) std::memcpy(buffer.data(), input.text->data() + place.offset, place.size);
      } else {
        if (open_file != place.file) {
          if (fd >= 0) ::close(fd);
          fd = ::open(input.path.c_str(), O_RDONLY | O_CLOEXEC);
          open_file = place.file;
        }
        read = fd >= 0 && ReadAt(fd, place.offset, buffer.data(), place.size);
      }
      if (!read) continue;  // not found again: EndReread says so
      std::string_view text(buffer.data(), place.size);
      builder_.BeginReread(place.file);
      if (place.item >= 0) {
        reader.ReadItem(ArrayKey::kTaskDefinitions, static_cast<size_t>(place.item), "", text,
                        place.line, place.column, place.offset);
      } else {
        reader.Read(text, place.line, place.column, place.offset);
      }
    }
    if (fd >= 0) ::close(fd);
    builder_.EndReread(&result_->problems);
  }

  static bool ReadAt(int fd, uint64_t offset, char* out, size_t size) {
    while (size > 0) {
      ssize_t got = ::pread(fd, out, size, static_cast<off_t>(offset));
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) return false;
      out += got;
      size -= static_cast<size_t>(got);
      offset += static_cast<uint64_t>(got);
    }
    return true;
  }

  void Read(ByteSource* source, std::string_view name, bool rereadable, uint64_t size) {
    ++result_->stats.files;
    builder_.BeginFile(name, rereadable);
    problems_.BeginFile(name);
    FileReader reader(source, options_, &documents_, batches_.get(), &problems_,
                      &result_->stats.documents, name, size);
    reader.Run();
    problems_.EndFile();
  }

  const SnapshotOptions& options_;
  SnapshotResult* result_;
  ProblemSink problems_;
  GraphBuilder builder_;
  DocumentReader documents_;
  // What each file read was, in the builder's file order, to read a document of it again.
  struct Input {
    std::string path;
    std::optional<std::string_view> text;  // LoadSnapshotText's
  };
  std::vector<Input> inputs_;
  std::unique_ptr<LineBatches> batches_;  // with jobs > 1, when the builder defers
};

template <typename Fn>
SnapshotResult Load(const SnapshotOptions& options, Fn&& add) {
  SnapshotResult result;
  try {
    Loader loader(options, &result);
    add(loader);
    loader.Finish();
  } catch (const std::exception& e) {
    // Out of memory, most likely. What was read cannot be trusted to be complete: say so.
    result.problems.emplace_back(ErrorCode::kInternal,
                                 fmt::format("the snapshot could not be loaded: {}", e.what()));
    result.graph = graph::Graph();
    result.graph.Freeze();
  }
  return result;
}

}  // namespace
}  // namespace snapshot_internal

SnapshotOptions::Environment EnvironmentRead(const std::vector<std::string>& graph_names) {
  using Environment = SnapshotOptions::Environment;
  auto reads = [&](std::string_view name) {
    return std::binary_search(graph_names.begin(), graph_names.end(), name);
  };
  if (!reads(snapshot_internal::kHasEnvEntry) && !reads(snapshot_internal::kEnvEntry)) {
    return Environment::kNone;
  }
  return reads("value") ? Environment::kNamesAndValues : Environment::kNames;
}

SnapshotResult LoadSnapshot(const std::vector<std::string>& paths, const SnapshotOptions& options) {
  return snapshot_internal::Load(options, [&](snapshot_internal::Loader& loader) {
    for (const std::string& path : paths) loader.AddPath(path);
  });
}

SnapshotResult LoadSnapshotText(std::string_view text, std::string_view name,
                                const SnapshotOptions& options) {
  return snapshot_internal::Load(
      options, [&](snapshot_internal::Loader& loader) { loader.AddText(text, name); });
}

}  // namespace ecsguard::ingest
