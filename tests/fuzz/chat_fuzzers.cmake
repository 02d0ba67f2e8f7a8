# Fuzz targets for workers/engine/chat (issue #3).
switchyard_add_fuzzer(output_parser_fuzz SOURCE output_parser_fuzz.cc LIBS switchyard_engine)
switchyard_add_fuzzer(chat_messages_fuzz SOURCE chat_messages_fuzz.cc LIBS switchyard_engine)
