#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/result.h"
#include "graph/property_graph.h"

namespace ecsguard::graph {

enum class ScalarType : uint8_t { kID, kString, kInt, kFloat, kBoolean, kBigInt, kDateTime, kEnum };

struct FieldDef {
  enum class Kind : uint8_t { kScalar, kRelationship, kObject };

  std::string name;
  std::string type_name;  // the named type: "String", "ECSTask", ...
  Kind kind = Kind::kScalar;
  ScalarType scalar = ScalarType::kString;  // for kScalar
  bool is_list = false;
  bool non_null = false;
  // For kRelationship: the edge type and which way it points from this type.
  std::string rel_type;
  Direction direction = Direction::kOut;
  // @sensitive: the value is kept for evaluation and never written to any output.
  bool sensitive = false;
  // @aws(field: "environment"): the key AWS's JSON (describe output, register input) uses for
  // this field, when it differs from the field name. graph::Redactor reads AWS documents by it.
  std::string aws_field;
  SourceLocation location;
};

struct TypeDef {
  std::string name;
  std::string label;  // node label: the type name unless @node(labels: [...]) says otherwise
  bool is_interface = false;
  std::vector<std::string> interfaces;
  std::vector<FieldDef> fields;

  const FieldDef* Field(std::string_view field_name) const;
  bool Implements(std::string_view interface_name) const;
};

// The asset schema: GraphQL SDL with @relationship(type:, direction:) as in the Neo4j GraphQL
// Library. Every object type gets a generated root list field, named as the library names it
// (RootFieldName). Immutable after Parse; safe to share between threads.
//
//   ASSIGN_OR_RETURN(Schema schema, Schema::Parse(sdl, "schemas/aws.graphql"));
//   const TypeDef* td = schema.RootType("ecsTaskDefinitions");
//   const FieldDef* specs = td->Field("containerSpecs");  // kRelationship, list, OUT
class Schema {
 public:
  static Result<Schema> Parse(std::string_view sdl, std::string_view file_name = "");

  const TypeDef* Type(std::string_view name) const;
  // The type whose generated list field is `root_field`, or null.
  const TypeDef* RootType(std::string_view root_field) const;
  const std::map<std::string, std::string, std::less<>>& roots() const { return roots_; }
  const std::vector<TypeDef>& types() const { return types_; }

 private:
  std::vector<TypeDef> types_;
  std::map<std::string, size_t, std::less<>> by_name_;
  std::map<std::string, std::string, std::less<>> roots_;  // root field -> type name
};

// pluralize(camelCase(TypeName)) as @neo4j/graphql generates it: leading acronyms lower-cased
// ("ECSTaskDefinition" -> "ecsTaskDefinitions", "VM" -> "vms"), words already plural unchanged.
std::string RootFieldName(std::string_view type_name);

}  // namespace ecsguard::graph
