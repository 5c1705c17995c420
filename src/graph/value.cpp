#include "graph/value.h"

namespace ecsguard::graph {

Tri CypherEquals(const Value& a, const Value& b) {
  if (a.is_null() || b.is_null()) return Tri::kNull;
  if (a.is_number() && b.is_number()) {
    if (a.kind() == Value::Kind::kInt && b.kind() == Value::Kind::kInt) {
      return a.as_int() == b.as_int() ? Tri::kTrue : Tri::kFalse;
    }
    return a.as_number() == b.as_number() ? Tri::kTrue : Tri::kFalse;
  }
  if (a.kind() != b.kind()) return Tri::kFalse;
  switch (a.kind()) {
    case Value::Kind::kBool:
      return a.as_bool() == b.as_bool() ? Tri::kTrue : Tri::kFalse;
    case Value::Kind::kString:
      return a.as_string() == b.as_string() ? Tri::kTrue : Tri::kFalse;
    case Value::Kind::kList: {
      auto x = a.as_list(), y = b.as_list();
      if (x.size() != y.size()) return Tri::kFalse;
      Tri result = Tri::kTrue;
      for (size_t i = 0; i < x.size(); ++i) {
        Tri t = CypherEquals(x[i], y[i]);
        if (t == Tri::kFalse) return Tri::kFalse;
        if (t == Tri::kNull) result = Tri::kNull;
      }
      return result;
    }
    default:
      return Tri::kFalse;
  }
}

}  // namespace ecsguard::graph
