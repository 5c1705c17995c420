# GraphQL stored-check queries: parser, validator, compiler and evaluator (src/query), and the
# GraphQL lexer they use (src/graph).
ecsguard_fuzz_instrument(ecsguard_query ecsguard_graph)
ecsguard_fuzz(fuzz_graphql ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_graphql.cpp CORPUS graphql
              LIBS ecsguard::query)
target_compile_definitions(fuzz_graphql PRIVATE
  ECSGUARD_SCHEMA_PATH="${PROJECT_SOURCE_DIR}/schemas/aws.graphql")
