#include "ingest/snapshot/line_batches.h"

#include <algorithm>
#include <cstring>
#include <exception>

#include "ingest/snapshot/chunk_reader.h"
#include "ingest/snapshot/json_scan.h"

namespace ecsguard::ingest::snapshot_internal {
namespace {

constexpr size_t kBatchBytes = size_t{1} << 20;
constexpr size_t kBatchLines = 1024;

// A reader thread's sink: keeps task definitions as the deferring builder would, and marks the
// document for reading again at the first record of any other kind.
class KeepingSink final : public RecordSink {
 public:
  bool again = false;
  std::vector<DeferredRevision>* revisions = nullptr;

  void BeginDocument(std::string_view, uint64_t, uint32_t, uint32_t, int32_t) override {}
  void AddTaskDefinition(const TaskDefinitionRecord& r) override {
    if (auto revision = GraphBuilder::DeferralOf(*r.arn)) revisions->push_back(*revision);
  }
  void AddTask(const TaskRecord&) override { again = true; }
  void AddService(const ServiceRecord&) override { again = true; }
  void AddCluster(const ClusterRecord&) override { again = true; }
  void AddContainerInstance(const ContainerInstanceRecord&) override { again = true; }
  void AddTaskSet(const TaskSetRecord&) override { again = true; }
  void AddCapacityProvider(const CapacityProviderRecord&) override { again = true; }
  void AddReservation(const ReservationRecord&) override { again = true; }
  void AddSecurityGroup(const SecurityGroupRecord&) override { again = true; }
  void AddLoadBalancer(const LoadBalancerRecord&) override { again = true; }
  void AddTargetGroup(const TargetGroupRecord&) override { again = true; }
  void AddTagDescription(const TagDescriptionRecord&) override { again = true; }
  void AddFailure(std::string_view, const FailureRecord&) override { again = true; }
  void AddUnreadable(std::string_view, std::string_view, std::string) override { again = true; }
  void NoteTaskList() override { again = true; }
};

}  // namespace

LineBatches::LineBatches(unsigned jobs, SnapshotOptions::Environment environment,
                         DocumentReader* documents, GraphBuilder* builder)
    : environment_(environment),
      documents_(documents),
      builder_(builder),
      max_in_flight_(2 * size_t{jobs}) {
  threads_.reserve(jobs);
  for (unsigned i = 0; i < jobs; ++i) threads_.emplace_back([this] { Work(); });
}

LineBatches::~LineBatches() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  work_.notify_all();
  for (std::thread& t : threads_) t.join();
}

char* LineBatches::Buffer::Grow(size_t n) {
  // Room for simdjson's padding after the last document too.
  if (size_ + n + ChunkReader::kPadding > capacity_) {
    size_t capacity = std::max(size_ + n + ChunkReader::kPadding, 2 * capacity_);
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }
  char* out = data_.get() + size_;
  size_ += n;
  return out;
}

void LineBatches::Buffer::Pad() {
  if (!data_) Grow(0);  // Grow leaves room for the padding; Resize and Clear only shrink
  std::memset(data_.get() + size_, ' ', ChunkReader::kPadding);
}

std::unique_ptr<LineBatches::Batch> LineBatches::NewBatch() {
  if (free_.empty()) return std::make_unique<Batch>();
  std::unique_ptr<Batch> b = std::move(free_.back());
  free_.pop_back();
  b->text.Clear();
  b->lines.clear();
  b->revisions.clear();
  b->block = b->failed = false;
  b->newlines = b->documents = 0;
  b->done = false;
  return b;
}

void LineBatches::Add(std::string_view text, uint32_t line, uint32_t column, uint64_t offset) {
  if (!current_) current_ = NewBatch();
  Batch& b = *current_;
  b.lines.push_back(Line{static_cast<uint32_t>(b.text.size()), static_cast<uint32_t>(text.size()),
                         line, column, offset});
  b.text.Append(text);
  b.text.Append("\n");
  if (b.text.size() >= kBatchBytes || b.lines.size() >= kBatchLines) Submit();
}

void LineBatches::BeginBlocks(uint32_t first_line, uint64_t offset, size_t* document_count) {
  Drain();
  blocks_ = true;
  block_line_ = first_line;
  block_offset_ = offset;
  document_count_ = document_count;
  current_ = NewBatch();
}

void LineBatches::SubmitBlock(size_t size) {
  Batch& b = *current_;
  std::unique_ptr<Batch> next = NewBatch();
  std::string_view rest = b.text.view().substr(size);
  next->text.Append(rest);
  b.text.Resize(size);
  b.block = true;
  b.offset = block_offset_;
  block_offset_ += size;
  if (size > 0) Submit();
  current_ = std::move(next);
}

void LineBatches::EndBlocks() {
  blocks_ = false;
  current_.reset();
}

void LineBatches::Submit() {
  if (!current_ || (!current_->block && current_->lines.empty())) return;
  current_->text.Pad();  // simdjson reads past a document's end
  Batch* batch = current_.get();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    in_flight_.push_back(std::move(current_));
    queue_.push_back(batch);
  }
  work_.notify_one();
  while (in_flight_.size() > max_in_flight_) {
    std::unique_ptr<Batch> oldest;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      done_.wait(lock, [&] { return in_flight_.front()->done; });
      oldest = std::move(in_flight_.front());
      in_flight_.pop_front();
    }
    Commit(*oldest);
    free_.push_back(std::move(oldest));
  }
}

void LineBatches::Drain() {
  if (!blocks_) Submit();
  for (;;) {
    std::unique_ptr<Batch> oldest;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (in_flight_.empty()) return;
      done_.wait(lock, [&] { return in_flight_.front()->done; });
      oldest = std::move(in_flight_.front());
      in_flight_.pop_front();
    }
    Commit(*oldest);
    free_.push_back(std::move(oldest));
  }
}

void LineBatches::Commit(Batch& batch) {
  if (batch.failed) {
    if (batch.block) {
      batch.lines.clear();
      batch.newlines = batch.documents = 0;
      Frame(batch);
    }
    batch.again.assign(batch.lines.size(), 1);
    batch.revisions.clear();
    batch.revisions_end.assign(batch.lines.size(), 0);
  }
  // A block's lines are numbered from its first.
  const uint32_t line_base = batch.block ? block_line_ : 0;
  uint32_t first = 0;
  for (size_t i = 0; i < batch.lines.size(); ++i) {
    const Line& l = batch.lines[i];
    std::string_view text(batch.text.view().data() + l.begin, l.size);
    if (batch.again[i]) {
      documents_->Read(text, line_base + l.line, l.column, l.offset);
      first = batch.revisions_end[i];
      continue;
    }
    ++lines_kept_;
    if (first < batch.revisions_end[i]) {
      builder_->BeginDocument(text, l.offset, line_base + l.line, l.column, -1);
      for (uint32_t k = first; k < batch.revisions_end[i]; ++k) builder_->Defer(batch.revisions[k]);
    }
    first = batch.revisions_end[i];
  }
  if (batch.block) {
    block_line_ += batch.newlines;
    *document_count_ += batch.documents;
    lines_framed_ += batch.documents;
  }
}

void LineBatches::Work() {
  for (;;) {
    Batch* batch;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      work_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping
      batch = queue_.front();
      queue_.pop_front();
    }
    Parse(*batch, environment_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      batch->done = true;
    }
    done_.notify_all();
  }
}

// The lines of a block as FileReader::ReadEveryLine frames them: blank lines are skipped, a
// line's leading white space and a "\r" before its "\n" are not part of its document.
void LineBatches::Frame(Batch& batch) {
  std::string_view text = batch.text.view();
  size_t pos = 0;
  uint32_t index = 0;
  while (pos < text.size()) {
    const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos);
    size_t end = nl ? static_cast<size_t>(static_cast<const char*>(nl) - text.data()) : text.size();
    std::string_view line = text.substr(pos, end - pos);
    size_t start = 0;
    while (start < line.size() && IsJsonSpace(line[start])) ++start;
    if (start < line.size()) {
      if (line.ends_with('\r')) line.remove_suffix(1);
      batch.lines.push_back(Line{static_cast<uint32_t>(pos + start),
                                 static_cast<uint32_t>(line.size() - start), index,
                                 static_cast<uint32_t>(start + 1), batch.offset + pos + start});
      ++batch.documents;
    }
    if (!nl) break;
    ++batch.newlines;
    ++index;
    pos = end + 1;
  }
}

void LineBatches::Parse(Batch& batch, SnapshotOptions::Environment environment) {
  try {
    if (batch.block) Frame(batch);
    size_t n = batch.lines.size();
    std::vector<Error> problems;
    ProblemSink sink(&problems, 1);
    KeepingSink keep;
    keep.revisions = &batch.revisions;
    DocumentReader reader(&keep, &sink, environment);
    batch.again.assign(n, 0);
    batch.revisions_end.assign(n, 0);
    for (size_t i = 0; i < n; ++i) {
      const Line& l = batch.lines[i];
      size_t before = batch.revisions.size();
      keep.again = false;
      reader.Read(std::string_view(batch.text.view().data() + l.begin, l.size), l.line, l.column,
                  l.offset);
      if (keep.again || !problems.empty()) {
        // Read again in order: a problem's place in the per-file limit, and every record but a
        // task definition, depend on what came before.
        batch.again[i] = 1;
        batch.revisions.resize(before);
        problems.clear();
        sink.BeginFile("");
      }
      batch.revisions_end[i] = static_cast<uint32_t>(batch.revisions.size());
    }
  } catch (const std::exception&) {
    // Out of memory, most likely: the calling thread reads the whole batch again (Commit).
    batch.failed = true;
  }
}

}  // namespace ecsguard::ingest::snapshot_internal
