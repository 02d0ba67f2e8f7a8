// SandboxPolicy: what to run and under which limits. The program file is copied (as bytes) into
// the sandbox's fresh /work, so the caller's own directories never need to be visible inside.
#ifndef SWITCHYARD_SANDBOX_SANDBOX_POLICY_H_
#define SWITCHYARD_SANDBOX_SANDBOX_POLICY_H_

#include <string>
#include <vector>

#include "sandbox/sandbox_limits.h"

namespace switchyard::sandbox {

struct SandboxPolicy {
  // argv[0] must be an absolute path that exists inside the sandbox (e.g. /usr/bin/python3);
  // the files under /usr, /bin, /lib and /lib64 are visible read-only.
  std::vector<std::string> argv;
  // Written to /work/<program_name> before the program starts (skipped if program_name is empty).
  std::string program_name;
  std::string program_bytes;
  // The environment, "NAME=value"; nothing is inherited from the caller.
  std::vector<std::string> env = {"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/work", "LANG=C.UTF-8",
                                  "PYTHONDONTWRITEBYTECODE=1"};
  SandboxLimits limits;
};

}  // namespace switchyard::sandbox

#endif  // SWITCHYARD_SANDBOX_SANDBOX_POLICY_H_
