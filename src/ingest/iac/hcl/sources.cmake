# HCL native syntax: parser, static evaluator, hcl2json view (public header hcl/hcl.h).
target_sources(ecsguard_ingest_iac PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/eval.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions_collection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions_encoding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions_network_time.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions_string.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/json_view.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lexer.cpp
  ${CMAKE_CURRENT_LIST_DIR}/number.cpp
  ${CMAKE_CURRENT_LIST_DIR}/parser.cpp
  ${CMAKE_CURRENT_LIST_DIR}/types.cpp
  ${CMAKE_CURRENT_LIST_DIR}/unicode.cpp
  ${CMAKE_CURRENT_LIST_DIR}/value.cpp
)
# RE2 for regex() and replace() (Terraform's regular expressions are RE2's), OpenSSL for the
# hash functions.
find_package(OpenSSL REQUIRED)
target_link_libraries(ecsguard_ingest_iac PRIVATE fmt::fmt nlohmann_json::nlohmann_json
                                                  OpenSSL::Crypto PkgConfig::RE2)
# The built-in functions are many small functions named after Terraform's (File, Join, Split...),
# which would collide with the parser's types in a unity batch: compiled on their own.
set_source_files_properties(
  ${CMAKE_CURRENT_LIST_DIR}/functions.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions_collection.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions_encoding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions_network_time.cpp
  ${CMAKE_CURRENT_LIST_DIR}/functions_string.cpp
  PROPERTIES SKIP_UNITY_BUILD_INCLUSION ON)
