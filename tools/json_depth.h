// JsonDepthExceeds for tools/ and its users (the registry bounds arguments with it); it lives
// in schema/json_depth.h beside the schema parser that needs it first.
#ifndef SWITCHYARD_TOOLS_JSON_DEPTH_H_
#define SWITCHYARD_TOOLS_JSON_DEPTH_H_

#include "schema/json_depth.h"

namespace switchyard::tools {

using schema::JsonDepthExceeds;

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_JSON_DEPTH_H_
