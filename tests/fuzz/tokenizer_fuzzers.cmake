switchyard_add_fuzzer(tokenizer_json_fuzz SOURCE tokenizer_json_fuzz.cc LIBS switchyard_engine)
switchyard_add_fuzzer(tokenizer_encode_fuzz SOURCE tokenizer_encode_fuzz.cc LIBS switchyard_engine)
target_compile_definitions(tokenizer_encode_fuzz PRIVATE
  SWITCHYARD_SHARED_DIR="${SWITCHYARD_SHARED_DIR}" SWITCHYARD_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
