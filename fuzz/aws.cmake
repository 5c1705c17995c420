# libFuzzer targets for the AWS layer's parsers. The library itself is instrumented as well, so
# the fuzzer is guided by coverage of the code under test, not just of the target.
if(TARGET ecsguard_ingest_aws)
  target_compile_options(ecsguard_ingest_aws PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  ecsguard_fuzz(fuzz_aws_xml ${CMAKE_CURRENT_LIST_DIR}/fuzz_aws_xml.cpp ecsguard::ingest_aws)
  ecsguard_fuzz(fuzz_aws_config ${CMAKE_CURRENT_LIST_DIR}/fuzz_aws_config.cpp ecsguard::ingest_aws)
endif()
