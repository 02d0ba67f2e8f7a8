# Request classifier: the model-file parser, and classification of arbitrary bytes.
switchyard_add_fuzzer(classifier_model_fuzz SOURCE classifier_fuzz.cc LIBS switchyard_classifier)
target_compile_definitions(classifier_model_fuzz PRIVATE CLASSIFIER_FUZZ_MODEL)
switchyard_add_fuzzer(classifier_text_fuzz SOURCE classifier_fuzz.cc LIBS switchyard_classifier)
target_compile_definitions(classifier_text_fuzz PRIVATE SWITCHYARD_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
