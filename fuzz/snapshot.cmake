# Snapshot ingest (src/ingest/snapshot): awscli JSON and JSON Lines into the asset graph.
ecsguard_fuzz_instrument(ecsguard_ingest_snapshot)
ecsguard_fuzz(fuzz_snapshot ${CMAKE_CURRENT_LIST_DIR}/fuzz_snapshot.cpp CORPUS snapshot
              LIBS ecsguard::ingest_snapshot)
