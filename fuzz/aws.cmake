# The AWS layer's parsers: Query/XML responses and the shared config/credentials files.
ecsguard_fuzz_instrument(ecsguard_ingest_aws)
ecsguard_fuzz(fuzz_aws_xml ${CMAKE_CURRENT_LIST_DIR}/fuzz_aws_xml.cpp CORPUS aws/xml
              LIBS ecsguard::ingest_aws)
ecsguard_fuzz(fuzz_aws_config ${CMAKE_CURRENT_LIST_DIR}/fuzz_aws_config.cpp CORPUS aws/config
              LIBS ecsguard::ingest_aws)
