# HCL native syntax: parser, hcl2json view, static evaluator, JSON decoder (src/ingest/iac/hcl).
# iac.cmake instruments ecsguard_ingest_iac, which holds the HCL code.
ecsguard_fuzz(fuzz_hcl ${CMAKE_CURRENT_LIST_DIR}/fuzz_hcl.cpp CORPUS hcl LIBS ecsguard::ingest_iac)
