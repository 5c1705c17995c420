#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ingest/snapshot/records.h"

namespace ecsguard::ingest::snapshot_internal {

// Where DocumentReader hands what it read: GraphBuilder, or, on a reader thread, a sink that
// keeps what can be kept for the builder and says when a document must be read again in order
// (line_batches.h). Records are valid only during the call.
class RecordSink {
 public:
  virtual ~RecordSink() = default;

  // Records that follow come from this document (`text`, valid during the records' calls),
  // `offset` bytes into the file; `item` as in DocumentPlace (graph_builder.h).
  virtual void BeginDocument(std::string_view text, uint64_t offset, uint32_t line, uint32_t column,
                             int32_t item) = 0;
  virtual void AddTaskDefinition(const TaskDefinitionRecord& r) = 0;
  virtual void AddTask(const TaskRecord& r) = 0;
  virtual void AddService(const ServiceRecord& r) = 0;
  virtual void AddCluster(const ClusterRecord& r) = 0;
  virtual void AddContainerInstance(const ContainerInstanceRecord& r) = 0;
  virtual void AddTaskSet(const TaskSetRecord& r) = 0;
  virtual void AddCapacityProvider(const CapacityProviderRecord& r) = 0;
  virtual void AddReservation(const ReservationRecord& r) = 0;
  virtual void AddSecurityGroup(const SecurityGroupRecord& r) = 0;
  virtual void AddLoadBalancer(const LoadBalancerRecord& r) = 0;
  virtual void AddTargetGroup(const TargetGroupRecord& r) = 0;
  virtual void AddTagDescription(const TagDescriptionRecord& r) = 0;
  // A describe-* `failures` entry; `asset_type` is used when the ARN does not tell.
  virtual void AddFailure(std::string_view asset_type, const FailureRecord& r) = 0;
  // An asset that was found but could not be read. A gap unless some file describes it.
  virtual void AddUnreadable(std::string_view asset_type, std::string_view id,
                             std::string reason) = 0;
  // A list of tasks was read (describe-tasks output, even an empty one, or a bare task): which
  // revisions are in use is known.
  virtual void NoteTaskList() = 0;
};

}  // namespace ecsguard::ingest::snapshot_internal
