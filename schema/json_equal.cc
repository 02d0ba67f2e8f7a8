#include "schema/json_equal.h"

#include <cstdint>

namespace switchyard::schema {
namespace {

template <typename A, typename B>
bool NumbersEqual(const A& a, const B& b) {
  if (a.is_number_float() || b.is_number_float()) return a.template get<double>() == b.template get<double>();
  // Both integers: compare exactly, whatever their signedness.
  const bool a_neg = a.is_number_integer() && !a.is_number_unsigned() && a.template get<int64_t>() < 0;
  const bool b_neg = b.is_number_integer() && !b.is_number_unsigned() && b.template get<int64_t>() < 0;
  if (a_neg != b_neg) return false;
  if (a_neg) return a.template get<int64_t>() == b.template get<int64_t>();
  return a.template get<uint64_t>() == b.template get<uint64_t>();
}

}  // namespace

bool JsonEqual(const nlohmann::json& a, const nlohmann::ordered_json& b) {
  if (a.is_number() && b.is_number()) return NumbersEqual(a, b);
  if (a.type() != b.type()) return false;
  switch (a.type()) {
    case nlohmann::json::value_t::null:
      return true;
    case nlohmann::json::value_t::boolean:
      return a.get<bool>() == b.get<bool>();
    case nlohmann::json::value_t::string:
      return a.get_ref<const std::string&>() == b.get_ref<const std::string&>();
    case nlohmann::json::value_t::array: {
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        if (!JsonEqual(a[i], b[i])) return false;
      }
      return true;
    }
    case nlohmann::json::value_t::object: {
      if (a.size() != b.size()) return false;
      for (const auto& [key, value] : b.items()) {
        auto it = a.find(key);
        if (it == a.end() || !JsonEqual(*it, value)) return false;
      }
      return true;
    }
    default:
      return false;  // binary and discarded values never come from parsed JSON
  }
}

}  // namespace switchyard::schema
