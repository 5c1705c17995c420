# libFuzzer targets for the IaC front ends: CloudFormation YAML/JSON templates and
# `terraform show -json` output. Seeds: fuzz/corpus/cfn, fuzz/corpus/tfplan. The library is
# instrumented too, so coverage of the readers guides the fuzzer.
if(TARGET ecsguard_ingest_iac)
  target_compile_options(ecsguard_ingest_iac PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  ecsguard_fuzz(fuzz_cfn ${CMAKE_CURRENT_LIST_DIR}/fuzz_cfn.cpp ecsguard::ingest_iac)
  ecsguard_fuzz(fuzz_tfplan ${CMAKE_CURRENT_LIST_DIR}/fuzz_tfplan.cpp ecsguard::ingest_iac)
endif()
