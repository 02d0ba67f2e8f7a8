// Document: one document attached to a request (a contract, a paper), searched by
// search_documents. Text is UTF-8; offsets into it are byte offsets.
#ifndef SWITCHYARD_TOOLS_DOCUMENT_H_
#define SWITCHYARD_TOOLS_DOCUMENT_H_

#include <string>

namespace switchyard::tools {

struct Document {
  std::string name;
  std::string text;
};

}  // namespace switchyard::tools

#endif  // SWITCHYARD_TOOLS_DOCUMENT_H_
