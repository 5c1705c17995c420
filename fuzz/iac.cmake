# The IaC front ends: CloudFormation YAML/JSON templates, Terraform JSON syntax and
# `terraform show -json` output.
ecsguard_fuzz_instrument(ecsguard_ingest_iac)
ecsguard_fuzz(fuzz_cfn ${CMAKE_CURRENT_LIST_DIR}/fuzz_cfn.cpp CORPUS cfn LIBS ecsguard::ingest_iac)
ecsguard_fuzz(fuzz_tfplan ${CMAKE_CURRENT_LIST_DIR}/fuzz_tfplan.cpp CORPUS tfplan
              LIBS ecsguard::ingest_iac)
ecsguard_fuzz(fuzz_tfjson ${CMAKE_CURRENT_LIST_DIR}/fuzz_tfjson.cpp CORPUS tfjson
              LIBS ecsguard::ingest_iac)
