# Snapshot ingest (src/ingest/snapshot): awscli JSON and JSON Lines into the asset graph.
# Seeds: fuzz/corpus/snapshot. The adapter is instrumented too, so coverage guides the fuzzer.
if(TARGET ecsguard_ingest_snapshot)
  target_compile_options(ecsguard_ingest_snapshot PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  ecsguard_fuzz(fuzz_snapshot ${CMAKE_CURRENT_LIST_DIR}/fuzz_snapshot.cpp ecsguard::ingest_snapshot)
endif()
