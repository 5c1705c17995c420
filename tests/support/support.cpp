#include "support.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <stdexcept>

#include "base/strings.h"

namespace ecsguard::testing {

std::string SourcePath(const std::string& relative) {
  std::string path = ECSGUARD_SOURCE_DIR;
  path += '/';
  path += relative;
  return path;
}

std::string BinaryPath(const std::string& relative) {
  return std::string(ECSGUARD_BINARY_DIR) + "/" + relative;
}

std::string SharedPath(const std::string& relative) {
  std::string base = std::getenv("ECSGUARD_SHARED_DIR") ? std::getenv("ECSGUARD_SHARED_DIR")
                                                        : SourcePath("../shared");
  std::string path = base + "/" + relative;
  return std::filesystem::exists(path) ? path : "";
}

std::string FixturePath(const std::string& relative) {
  return SourcePath("tests/data/" + relative);
}

std::string ReadFileOrDie(const std::string& path) {
  std::string out;
  if (!ReadFileToString(path, &out)) throw std::runtime_error("cannot read " + path);
  return out;
}

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "ecsguard-test-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(const std::string& name, const std::string& content) const {
  std::filesystem::path file = std::filesystem::path(path_) / name;
  std::filesystem::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << content;
  return file.string();
}

nlohmann::json ProjectGraphJson(const nlohmann::json& fixture,
                                const std::vector<std::string>& names) {
  auto named = [&](const std::string& name) {
    return std::binary_search(names.begin(), names.end(), name);
  };
  nlohmann::json out = fixture;
  std::set<std::string> kept;
  out["nodes"] = nlohmann::json::array();
  for (const nlohmann::json& node : fixture["nodes"]) {
    if (!named(node["label"].get<std::string>())) continue;
    nlohmann::json n = node;
    n["props"] = nlohmann::json::object();
    const nlohmann::json props = node.value("props", nlohmann::json::object());
    for (const auto& [key, value] : props.items()) {
      if (named(key)) n["props"][key] = value;
    }
    kept.insert(node["id"].get<std::string>());
    out["nodes"].push_back(std::move(n));
  }
  out["relationships"] = nlohmann::json::array();
  for (const nlohmann::json& rel : fixture["relationships"]) {
    if (named(rel["type"].get<std::string>()) && kept.contains(rel["from"].get<std::string>()) &&
        kept.contains(rel["to"].get<std::string>())) {
      out["relationships"].push_back(rel);
    }
  }
  return out;
}

}  // namespace ecsguard::testing
