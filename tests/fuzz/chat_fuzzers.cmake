# Fuzz targets for workers/engine/chat (issue #3).
