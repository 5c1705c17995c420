#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "ingest/snapshot/graph_builder.h"
#include "ingest/snapshot/problem_sink.h"
#include "ingest/snapshot/record_sink.h"

namespace ecsguard::ingest::snapshot_internal {

// The top-level arrays of the describe-* outputs. Their items are independent, which is what
// lets a document too large to parse whole be read one item at a time.
enum class ArrayKey : uint8_t {
  kTaskDefinitions,
  kTasks,
  kServices,
  kClusters,
  kContainerInstances,
  kTaskSets,
  kCapacityProviders,
  kReservations,
  kSecurityGroups,
  kLoadBalancers,
  kTargetGroups,
  kTagDescriptions,
  kFailures,
};

enum class TopKey : uint8_t { kArray, kArnList, kOther };
// What a top-level key (raw, as written in the JSON) says about the document.
TopKey ClassifyTopKey(std::string_view key, ArrayKey* array_key);
// The asset type of the items of `key` ("ECSTask" for tasks), or "" when it has none.
std::string_view AssetTypeOf(ArrayKey key);

// Reads documents with simdjson On-Demand: recognises the shape of each one by its keys, checks
// and extracts the fields the graph needs into records, and hands them to the builder. Problems
// are reported with the line and column of the offending value; a document with a syntax error
// keeps what was read before the error.
class DocumentReader {
 public:
  DocumentReader(RecordSink* builder, ProblemSink* problems,
                 SnapshotOptions::Environment environment);
  ~DocumentReader();

  // `text` is one JSON document starting at `line`:`column` of the current file, `offset` bytes
  // into it, with white space around it allowed, followed by ChunkReader::kPadding readable bytes.
  void Read(std::string_view text, uint32_t line, uint32_t column, uint64_t offset);
  // Item `index` of the top-level array `key` of a document too large to parse whole.
  // `failure_type` names the asset type of `failures` items whose ARN does not tell.
  void ReadItem(ArrayKey key, size_t index, std::string_view failure_type, std::string_view text,
                uint32_t line, uint32_t column, uint64_t offset);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ecsguard::ingest::snapshot_internal
