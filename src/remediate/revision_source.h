#pragma once

// Where the original task-definition documents come from. The asset graph keeps only the
// fields the controls read, and a fix must carry every other field over exactly, so the full
// describe-task-definition answer is fetched again by ARN: from the snapshot files a scan read,
// or live from ECS.

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "ingest/aws/aws.h"
#include "remediate/fix.h"

namespace ecsguard::remediate {

class RevisionSource {
 public:
  virtual ~RevisionSource() = default;
  // The document of revision `arn`. Errors: kNotFound when the source does not have it; an
  // the AWS layer's error (ingest/aws/error.h) for a live source that failed.
  virtual Result<RevisionDocument> Get(std::string_view arn) = 0;
};

// ECS clients by account and region. Implementations own the clients they hand out.
class EcsClients {
 public:
  virtual ~EcsClients() = default;
  virtual Result<ingest::aws::Client*> For(std::string_view account_id,
                                           std::string_view region) = 0;
};

// Reads awscli-shaped snapshot files (the same inputs `scan snapshot` takes: files or folders,
// JSON, JSON Lines, concatenated documents) and indexes every describe-task-definition answer
// and bare task-definition object by ARN. A file that does not parse is skipped and named in
// problems(); the rest is still indexed. Thread-compatible.
class SnapshotRevisionSource final : public RevisionSource {
 public:
  static SnapshotRevisionSource Load(const std::vector<std::string>& paths);
  // Indexes `text` as if it were the content of a file called `name`.
  void AddText(std::string_view text, std::string_view name);

  Result<RevisionDocument> Get(std::string_view arn) override;
  const std::vector<Error>& problems() const { return problems_; }
  size_t size() const { return documents_.size(); }

 private:
  void Index(const nlohmann::ordered_json& value, std::string_view name);

  std::map<std::string, RevisionDocument, std::less<>> documents_;
  std::vector<Error> problems_;
};

// DescribeTaskDefinition (include TAGS) through the client of the ARN's account and region.
class LiveRevisionSource final : public RevisionSource {
 public:
  explicit LiveRevisionSource(EcsClients* clients) : clients_(clients) {}
  Result<RevisionDocument> Get(std::string_view arn) override;

 private:
  EcsClients* clients_;
};

// Parses a DescribeTaskDefinition answer. Errors: kParse.
Result<RevisionDocument> ParseDescribeTaskDefinition(std::string_view body);

}  // namespace ecsguard::remediate
