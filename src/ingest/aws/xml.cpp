#include "ingest/aws/xml.h"

#include <expat.h>

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"

namespace ecsguard::ingest::aws {
namespace {

struct ParseState {
  XML_Parser parser;
  const XmlLimits& limits;
  XmlElement root;
  bool have_root = false;
  std::vector<XmlElement*> open;
  std::string error;  // set when a handler stopped the parser
};

void Stop(ParseState* state, std::string why) {
  if (state->error.empty()) state->error = std::move(why);
  XML_StopParser(state->parser, XML_FALSE);
}

std::string LocalName(const XML_Char* name) {
  std::string_view n(name);
  size_t colon = n.rfind(':');
  return std::string(colon == std::string_view::npos ? n : n.substr(colon + 1));
}

void XMLCALL OnStart(void* data, const XML_Char* name, const XML_Char** /*attributes*/) {
  auto* state = static_cast<ParseState*>(data);
  if (state->open.size() >= state->limits.max_depth) {
    return Stop(state, fmt::format("nesting deeper than {}", state->limits.max_depth));
  }
  XmlElement* element;
  if (state->open.empty()) {
    state->root.name = LocalName(name);
    state->have_root = true;
    element = &state->root;
  } else {
    XmlElement& parent = *state->open.back();
    parent.children.push_back(XmlElement{LocalName(name), {}, {}});
    element = &parent.children.back();
  }
  state->open.push_back(element);
}

void XMLCALL OnEnd(void* data, const XML_Char* /*name*/) {
  auto* state = static_cast<ParseState*>(data);
  if (state->open.empty()) return;
  XmlElement* element = state->open.back();
  if (!element->children.empty()) element->text = std::string(Trim(element->text));
  state->open.pop_back();
}

void XMLCALL OnText(void* data, const XML_Char* text, int length) {
  auto* state = static_cast<ParseState*>(data);
  if (!state->open.empty()) state->open.back()->text.append(text, static_cast<size_t>(length));
}

void XMLCALL OnDoctype(void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
  Stop(static_cast<ParseState*>(data), "DOCTYPE is not allowed");
}

void XMLCALL OnEntityDecl(void* data, const XML_Char*, int, const XML_Char*, int, const XML_Char*,
                          const XML_Char*, const XML_Char*, const XML_Char*) {
  Stop(static_cast<ParseState*>(data), "entity declarations are not allowed");
}

}  // namespace

const XmlElement* XmlElement::Child(std::string_view child_name) const {
  for (const XmlElement& child : children) {
    if (child.name == child_name) return &child;
  }
  return nullptr;
}

std::vector<const XmlElement*> XmlElement::Children(std::string_view child_name) const {
  std::vector<const XmlElement*> out;
  for (const XmlElement& child : children) {
    if (child.name == child_name) out.push_back(&child);
  }
  return out;
}

std::string_view XmlElement::ChildText(std::string_view child_name) const {
  const XmlElement* child = Child(child_name);
  return child ? std::string_view(child->text) : std::string_view();
}

const XmlElement* XmlElement::Find(std::string_view path) const {
  const XmlElement* at = this;
  for (std::string_view step : Split(path, '/')) {
    if (step.empty()) continue;
    at = at->Child(step);
    if (!at) return nullptr;
  }
  return at;
}

Result<XmlElement> ParseXml(std::string_view text, const XmlLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error(ErrorCode::kParse,
                 fmt::format("XML document of {} bytes exceeds the {} byte limit", text.size(),
                             limits.max_bytes));
  }
  XML_Parser parser = XML_ParserCreate(nullptr);
  if (!parser) return Error(ErrorCode::kInternal, "cannot create an XML parser");
  ParseState state{parser, limits, {}, false, {}, {}};
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(parser, OnStart, OnEnd);
  XML_SetCharacterDataHandler(parser, OnText);
  XML_SetStartDoctypeDeclHandler(parser, OnDoctype);
  XML_SetEntityDeclHandler(parser, OnEntityDecl);
  XML_SetParamEntityParsing(parser, XML_PARAM_ENTITY_PARSING_NEVER);

  // XML_Parse takes an int length; feed large documents in pieces.
  constexpr size_t kChunk = size_t{1} << 30;
  XML_Status status = XML_STATUS_OK;
  size_t offset = 0;
  do {
    size_t n = std::min(kChunk, text.size() - offset);
    bool last = offset + n == text.size();
    status =
        XML_Parse(parser, text.data() + offset, static_cast<int>(n), last ? XML_TRUE : XML_FALSE);
    offset += n;
  } while (status == XML_STATUS_OK && offset < text.size());

  Result<XmlElement> result = Error(ErrorCode::kInternal, "unset");
  if (status != XML_STATUS_OK || !state.error.empty()) {
    SourceLocation where{"", static_cast<uint32_t>(XML_GetCurrentLineNumber(parser)),
                         static_cast<uint32_t>(XML_GetCurrentColumnNumber(parser)) + 1};
    std::string why =
        !state.error.empty() ? state.error : XML_ErrorString(XML_GetErrorCode(parser));
    result = Error(ErrorCode::kParse, "XML: " + why, where);
  } else if (!state.have_root) {
    result = Error(ErrorCode::kParse, "XML: no root element");
  } else {
    result = std::move(state.root);
  }
  XML_ParserFree(parser);
  return result;
}

}  // namespace ecsguard::ingest::aws
