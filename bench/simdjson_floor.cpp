// The floor for `ecsguard scan snapshot` on JSON Lines: how fast a bare simdjson on-demand
// pass can go over the same file. No graph, no query, no report: load the file, walk every
// document, read what the seed control needs, and nothing else.
//
//   simdjson_floor FILE          touch networkMode of each task definition and count tasks
//   simdjson_floor --seed FILE   compute the seed control's result by hand (in-use revisions in
//                                host mode with a privileged container or a user containing
//                                "root") and print the ARNs, one per line, in file order
//
// A summary goes to stderr. Exit status 0 on success, 1 on a read or parse error, 3 on usage.
// This is a benchmark baseline, not product code: it stops at the first malformed document.
#include <simdjson.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace {

namespace od = simdjson::ondemand;

struct Counts {
  size_t documents = 0;
  size_t task_definitions = 0;
  size_t host = 0;
  size_t tasks = 0;
  size_t in_use_tasks = 0;
};

bool IsInUse(std::string_view desired, std::string_view last) {
  return desired == "RUNNING" &&
         (last == "PROVISIONING" || last == "PENDING" || last == "ACTIVATING" || last == "RUNNING");
}

// Floor mode: the least a reader must do per document.
simdjson::error_code Touch(od::document_reference doc, Counts& counts) {
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return e;
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key == "taskDefinition") {
      ++counts.task_definitions;
      od::object td;
      if (auto e = field.value().get_object().get(td)) return e;
      std::string_view mode;
      if (td["networkMode"].get_string().get(mode) == simdjson::SUCCESS && mode == "host") {
        ++counts.host;
      }
    } else if (key == "tasks") {
      od::array tasks;
      if (auto e = field.value().get_array().get(tasks)) return e;
      for (auto task : tasks) {
        if (task.error()) return task.error();
        ++counts.tasks;
      }
    }
  }
  return simdjson::SUCCESS;
}

struct Seed {
  std::unordered_set<std::string> in_use;
  std::vector<std::string> hits;
};

simdjson::error_code SeedTaskDefinition(od::object td, Counts& counts, Seed& seed) {
  std::string arn;
  bool bad = false;
  bool host = false;
  for (auto field : td) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key == "taskDefinitionArn") {
      std::string_view v;
      if (auto e = field.value().get_string().get(v)) return e;
      arn = v;
    } else if (key == "networkMode") {
      std::string_view v;
      if (auto e = field.value().get_string().get(v)) return e;
      host = v == "host";
    } else if (key == "containerDefinitions") {
      od::array containers;
      if (auto e = field.value().get_array().get(containers)) return e;
      for (auto c : containers) {
        od::object container;
        if (auto e = c.get_object().get(container)) return e;
        for (auto cf : container) {
          std::string_view ck;
          if (auto e = cf.unescaped_key().get(ck)) return e;
          if (ck == "privileged") {
            bool p = false;
            if (cf.value().get_bool().get(p) == simdjson::SUCCESS && p) bad = true;
          } else if (ck == "user") {
            std::string_view u;
            if (cf.value().get_string().get(u) == simdjson::SUCCESS &&
                u.find("root") != std::string_view::npos) {
              bad = true;
            }
          }
        }
      }
    }
  }
  counts.host += host;
  if (host && bad) seed.hits.push_back(std::move(arn));
  return simdjson::SUCCESS;
}

simdjson::error_code SeedTask(od::object task, Counts& counts, Seed& seed) {
  std::string_view desired, last, arn;
  std::string arn_copy;
  for (auto field : task) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    // Strings from get_string() stay valid until the parser is reused; copy the ARN only.
    if (key == "desiredStatus") {
      if (auto e = field.value().get_string().get(desired)) return e;
    } else if (key == "lastStatus") {
      if (auto e = field.value().get_string().get(last)) return e;
    } else if (key == "taskDefinitionArn") {
      if (auto e = field.value().get_string().get(arn)) return e;
    }
  }
  ++counts.tasks;
  if (IsInUse(desired, last)) {
    ++counts.in_use_tasks;
    seed.in_use.emplace(arn);
  }
  return simdjson::SUCCESS;
}

simdjson::error_code SeedDocument(od::document_reference doc, Counts& counts, Seed& seed) {
  od::object obj;
  if (auto e = doc.get_object().get(obj)) return e;
  for (auto field : obj) {
    std::string_view key;
    if (auto e = field.unescaped_key().get(key)) return e;
    if (key == "taskDefinition") {
      ++counts.task_definitions;
      od::object td;
      if (auto e = field.value().get_object().get(td)) return e;
      if (auto e = SeedTaskDefinition(td, counts, seed)) return e;
    } else if (key == "tasks") {
      od::array tasks;
      if (auto e = field.value().get_array().get(tasks)) return e;
      for (auto t : tasks) {
        od::object task;
        if (auto e = t.get_object().get(task)) return e;
        if (auto e = SeedTask(task, counts, seed)) return e;
      }
    }
  }
  return simdjson::SUCCESS;
}

}  // namespace

int main(int argc, char** argv) {
  bool seed_mode = false;
  const char* path = nullptr;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seed") == 0) {
      seed_mode = true;
    } else if (!path) {
      path = argv[i];
    } else {
      path = nullptr;
      break;
    }
  }
  if (!path) {
    std::fprintf(stderr, "usage: simdjson_floor [--seed] FILE.jsonl\n");
    return 3;
  }

  const auto start = std::chrono::steady_clock::now();
  simdjson::padded_string json;
  if (auto e = simdjson::padded_string::load(path).get(json)) {
    std::fprintf(stderr, "simdjson_floor: %s: %s\n", path, simdjson::error_message(e));
    return 1;
  }
  od::parser parser;
  od::document_stream stream;
  // The batch must hold the largest line; a describe-tasks page of 100 tasks is ~150 KB.
  if (auto e = parser.iterate_many(json, 4 << 20).get(stream)) {
    std::fprintf(stderr, "simdjson_floor: %s: %s\n", path, simdjson::error_message(e));
    return 1;
  }
  Counts counts;
  Seed seed;
  for (auto it = stream.begin(); it != stream.end(); ++it) {
    auto doc = *it;
    simdjson::error_code e = doc.error();
    if (!e)
      e = seed_mode ? SeedDocument(doc.value_unsafe(), counts, seed)
                    : Touch(doc.value_unsafe(), counts);
    if (e) {
      std::fprintf(stderr, "simdjson_floor: %s: document %zu at byte %zu: %s\n", path,
                   counts.documents + 1, it.current_index(), simdjson::error_message(e));
      return 1;
    }
    ++counts.documents;
  }
  if (stream.truncated_bytes() != 0) {
    std::fprintf(stderr, "simdjson_floor: %s: %zu trailing bytes are not a complete document\n",
                 path, stream.truncated_bytes());
    return 1;
  }
  size_t violations = 0;
  if (seed_mode) {
    for (const auto& arn : seed.hits) {
      if (seed.in_use.count(arn)) {
        std::printf("%s\n", arn.c_str());
        ++violations;
      }
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "simdjson_floor%s: %zu documents, %zu task definitions (%zu host), %zu tasks",
               seed_mode ? " --seed" : "", counts.documents, counts.task_definitions, counts.host,
               counts.tasks);
  if (seed_mode) {
    std::fprintf(stderr, " (%zu in use on %zu revisions), %zu violations", counts.in_use_tasks,
                 seed.in_use.size(), violations);
  }
  std::fprintf(stderr, "; %.1f MB in %.3f s (%.2f GB/s, %s)\n", json.size() / 1e6, secs,
               json.size() / 1e9 / secs, simdjson::get_active_implementation()->name().c_str());
  return 0;
}
