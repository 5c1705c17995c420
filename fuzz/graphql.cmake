# GraphQL stored-check queries: parser, validator, compiler and evaluator (src/query).
ecsguard_fuzz(fuzz_graphql ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_graphql.cpp ecsguard::query)
target_compile_definitions(fuzz_graphql PRIVATE
  ECSGUARD_SCHEMA_PATH="${PROJECT_SOURCE_DIR}/schemas/aws.graphql")
# Coverage feedback needs the code under test instrumented, not only the harness: the query
# engine and the GraphQL lexer it uses.
foreach(lib ecsguard_query ecsguard_graph)
  target_compile_options(${lib} PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
endforeach()
