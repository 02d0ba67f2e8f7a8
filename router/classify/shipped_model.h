// Where the classifier model shipped in the repository is found at run time.
//
// Candidates, first existing wins: $SWITCHYARD_CLASSIFIER_MODEL; <exe>/../../router/classify/
// model/classifier.bin (an executable in build/bin of a checkout); the checkout this binary was
// built from (compiled in). When none exists the last candidate is returned, so that the load
// error names a real place to look.
//
// Thread safety: reads the environment and the file system only.
// Failure modes: none; a missing file shows up when the path is loaded.
#ifndef SWITCHYARD_ROUTER_CLASSIFY_SHIPPED_MODEL_H_
#define SWITCHYARD_ROUTER_CLASSIFY_SHIPPED_MODEL_H_

#include <string>

namespace switchyard::classify {

// Path of the model relative to the repository root.
inline constexpr char kShippedModelRelativePath[] = "router/classify/model/classifier.bin";

std::string ShippedModelPath();

}  // namespace switchyard::classify

#endif  // SWITCHYARD_ROUTER_CLASSIFY_SHIPPED_MODEL_H_
