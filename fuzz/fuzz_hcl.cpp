// Fuzzes the HCL parser, the hcl2json view and the static evaluator on arbitrary bytes: none may
// crash, hang or overflow the stack, whatever the input.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ingest/iac/hcl/hcl.h"

using namespace ecsguard::ingest::hcl;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  File file = Parse(text, "fuzz.tf");
  (void)ToHcl2JsonView(file);

  MapScope scope;
  scope.Set("var", Value::Object({{"a", Value::Tuple({Value::Number("1"), Value::String("x")})},
                                  {"u", Value::Unknown("unknown")}}));
  MemoryFileReader files;
  files.Add("t.tpl", text);
  EvalContext context{&scope, &files, "fuzz.tf"};
  for (const Attribute& attr : file.body.attributes) (void)Evaluate(*attr.expr, context);

  ParsedExpression tmpl = ParseTemplate(text, "fuzz.tpl");
  if (tmpl.expr) (void)Evaluate(*tmpl.expr, context);
  (void)DecodeJson(text);
  return 0;
}
