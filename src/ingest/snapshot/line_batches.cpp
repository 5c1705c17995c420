#include "ingest/snapshot/line_batches.h"

#include <exception>

#include "ingest/snapshot/chunk_reader.h"

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

void LineBatches::Add(std::string_view text, uint32_t line, uint32_t column, uint64_t offset) {
  if (!current_) {
    if (free_.empty()) {
      current_ = std::make_unique<Batch>();
    } else {
      current_ = std::move(free_.back());
      free_.pop_back();
      current_->text.clear();
      current_->lines.clear();
      current_->revisions.clear();
      current_->done = false;
    }
  }
  Batch& b = *current_;
  if (b.text.empty()) b.text.reserve(kBatchBytes + text.size() + ChunkReader::kPadding + 1);
  b.lines.push_back(Line{static_cast<uint32_t>(b.text.size()), static_cast<uint32_t>(text.size()),
                         line, column, offset});
  b.text.append(text);
  b.text.push_back('\n');
  if (b.text.size() >= kBatchBytes || b.lines.size() >= kBatchLines) Submit();
}

void LineBatches::Submit() {
  if (!current_ || current_->lines.empty()) return;
  current_->text.append(ChunkReader::kPadding, ' ');  // simdjson reads past a document's end
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
  Submit();
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
  uint32_t first = 0;
  for (size_t i = 0; i < batch.lines.size(); ++i) {
    const Line& l = batch.lines[i];
    std::string_view text(batch.text.data() + l.begin, l.size);
    if (batch.again[i]) {
      documents_->Read(text, l.line, l.column, l.offset);
      first = batch.revisions_end[i];
      continue;
    }
    ++lines_kept_;
    if (first < batch.revisions_end[i]) {
      builder_->BeginDocument(text, l.offset, l.line, l.column, -1);
      for (uint32_t k = first; k < batch.revisions_end[i]; ++k) builder_->Defer(batch.revisions[k]);
    }
    first = batch.revisions_end[i];
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

void LineBatches::Parse(Batch& batch, SnapshotOptions::Environment environment) {
  size_t n = batch.lines.size();
  try {
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
      reader.Read(std::string_view(batch.text.data() + l.begin, l.size), l.line, l.column,
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
    // Out of memory, most likely: read every line of the batch again on the calling thread.
    batch.again.assign(n, 1);
    batch.revisions.clear();
    batch.revisions_end.assign(n, 0);
  }
}

}  // namespace ecsguard::ingest::snapshot_internal
