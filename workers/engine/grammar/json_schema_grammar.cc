// CompileJsonSchema and CompileToolCallGrammar: schema/ parses, SchemaGrammarBuilder turns the
// conjunction graph into grammar nodes; AnyJsonObjectGrammar beside them.
#include "workers/engine/grammar/json_schema_grammar.h"

#include <algorithm>
#include <exception>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "nlohmann/json.hpp"
#include "schema/conjunction_graph.h"
#include "schema/parser.h"
#include "workers/engine/chat/py_text.h"
#include "workers/engine/chat/py_value.h"

namespace switchyard {
namespace {

using schema::Branch;
using schema::ConjunctionGraph;
using schema::TypeSet;

// json.dumps(v, ensure_ascii=False) of a schema value, object members in declared order.
void AppendCanonical(const nlohmann::ordered_json& v, std::string* out) {
  switch (v.type()) {
    case nlohmann::ordered_json::value_t::null:
      out->append("null");
      return;
    case nlohmann::ordered_json::value_t::boolean:
      out->append(v.get<bool>() ? "true" : "false");
      return;
    case nlohmann::ordered_json::value_t::number_integer:
      absl::StrAppend(out, v.get<int64_t>());
      return;
    case nlohmann::ordered_json::value_t::number_unsigned:
      absl::StrAppend(out, v.get<uint64_t>());
      return;
    case nlohmann::ordered_json::value_t::number_float:
      out->append(PythonFloatRepr(v.get<double>()));
      return;
    case nlohmann::ordered_json::value_t::string:
      AppendJsonString(v.get_ref<const std::string&>(), out);
      return;
    case nlohmann::ordered_json::value_t::array: {
      out->push_back('[');
      for (size_t i = 0; i < v.size(); ++i) {
        if (i > 0) out->append(", ");
        AppendCanonical(v[i], out);
      }
      out->push_back(']');
      return;
    }
    case nlohmann::ordered_json::value_t::object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [key, value] : v.items()) {
        if (!first) out->append(", ");
        first = false;
        AppendJsonString(key, out);
        out->append(": ");
        AppendCanonical(value, out);
      }
      out->push_back('}');
      return;
    }
    default:
      out->append("null");  // binary and discarded values never come from parsed JSON
      return;
  }
}

struct AnyJson {
  int32_t value;   // any JSON value
  int32_t object;  // any JSON object
};

// Scalars, and objects and arrays of them nested at most `max_depth` levels: depth by
// unrolling, since the grammar has no recursion.
AnyJson AddAnyJson(Grammar& g, int max_depth) {
  GrammarNode str;
  str.kind = GrammarNode::Kind::kString;
  const int32_t string = g.Add(str);
  GrammarNode num;
  num.kind = GrammarNode::Kind::kNumber;
  const int32_t number = g.Add(num);
  const std::vector<int32_t> scalars = {string, number, g.Literal("true"), g.Literal("false"), g.Literal("null")};
  // Each level's values may be the previous level's objects and arrays.
  int32_t value = g.Alt(scalars);
  int32_t object = -1;
  for (int depth = 1; depth <= std::max(max_depth, 1); ++depth) {
    GrammarNode members;
    members.kind = GrammarNode::Kind::kRepeat;
    members.children = {g.Seq({string, g.Literal(": "), value}), g.Seq({g.Literal(", "), string, g.Literal(": "), value})};
    object = g.Seq({g.Literal("{"), g.Add(std::move(members)), g.Literal("}")});
    GrammarNode items;
    items.kind = GrammarNode::Kind::kRepeat;
    items.children = {value, g.Seq({g.Literal(", "), value})};
    const int32_t array = g.Seq({g.Literal("["), g.Add(std::move(items)), g.Literal("]")});
    std::vector<int32_t> alts = scalars;
    alts.push_back(object);
    alts.push_back(array);
    value = g.Alt(std::move(alts));
  }
  return {value, object};
}

// Grammar nodes for the values of one parsed schema, conjunction by conjunction. A result of
// nullopt means no value (at the depth left): the caller drops that alternative.
class SchemaGrammarBuilder {
 public:
  SchemaGrammarBuilder(const ConjunctionGraph& graph, Grammar* g) : graph_(graph), g_(*g) {}

  std::optional<int32_t> Root() { return Value(ConjunctionGraph::kRoot, FreshBudget(ConjunctionGraph::kRoot)); }

 private:
  // `budget`: how many more levels a recursive conjunction may unroll within its component.
  std::optional<int32_t> Value(int id, int budget) {
    const std::pair<int, int> key(id, budget);
    if (auto it = memo_.find(key); it != memo_.end()) return it->second;
    std::vector<int32_t> alts;
    std::set<std::string> literals;  // enum values listed under several branches come once
    for (const Branch& b : graph_.entry(id).branches) {
      if (b.has_values) {
        for (const nlohmann::ordered_json& v : b.values) {
          std::string text;
          AppendCanonical(v, &text);
          if (literals.insert(text).second) alts.push_back(g_.Literal(std::move(text)));
        }
        continue;
      }
      if (!b.typed && b.implied == 0) {  // nothing constrains the value
        alts.push_back(AnyValue());
        continue;
      }
      std::vector<int32_t> typed = OfTypes(b, id, budget, b.typed ? b.types : b.implied);
      if (typed.empty() && !b.typed) typed = OfTypes(b, id, budget, schema::kAllTypes & ~b.implied);
      alts.insert(alts.end(), typed.begin(), typed.end());
    }
    std::optional<int32_t> out;
    if (!alts.empty()) out = g_.Alt(std::move(alts));
    memo_.emplace(key, out);
    return out;
  }

  // The value of child conjunction `to` inside a value of `from`.
  std::optional<int32_t> Child(int from, int to, int budget) {
    const ConjunctionGraph::Entry& child = graph_.entry(to);
    if (!child.finite) return std::nullopt;
    if (child.recursive && child.scc == graph_.entry(from).scc) {
      if (budget == 0) return std::nullopt;  // the bound: only branches that end here remain
      return Value(to, budget - 1);
    }
    return Value(to, FreshBudget(to));  // a new component (or none) starts its own count
  }

  // The unrolling a component gets from where it is entered: kMaxUnrolledDepth, or more when
  // its shortest value nests deeper, so that a schema with a finite value never compiles to
  // an empty grammar. Outside recursion the budget is never spent.
  int FreshBudget(int id) const { return std::max(kMaxUnrolledDepth, graph_.entry(id).min_depth); }

  std::vector<int32_t> OfTypes(const Branch& b, int id, int budget, TypeSet types) {
    std::vector<int32_t> out;
    if (types & schema::kTypeNull) out.push_back(g_.Literal("null"));
    if (types & schema::kTypeBoolean) out.push_back(g_.Alt({g_.Literal("true"), g_.Literal("false")}));
    if (types & (schema::kTypeNumber | schema::kTypeInteger)) {
      GrammarNode n;
      n.kind = GrammarNode::Kind::kNumber;
      n.integer = !(types & schema::kTypeNumber);
      out.push_back(g_.Add(std::move(n)));
    }
    if ((types & schema::kTypeString) && (!b.max_length || b.min_length <= *b.max_length)) {
      GrammarNode n;
      n.kind = GrammarNode::Kind::kString;
      n.min = static_cast<int32_t>(b.min_length);  // counts are at most schema::kMaxCount
      n.max = b.max_length ? static_cast<int32_t>(*b.max_length) : -1;
      out.push_back(g_.Add(std::move(n)));
    }
    if (types & schema::kTypeArray) {
      if (std::optional<int32_t> a = Array(b, id, budget)) out.push_back(*a);
    }
    if (types & schema::kTypeObject) {
      if (std::optional<int32_t> o = Object(b, id, budget)) out.push_back(*o);
    }
    return out;
  }

  std::optional<int32_t> Array(const Branch& b, int id, int budget) {
    if (b.max_items && *b.max_items < b.min_items) return std::nullopt;
    std::optional<int32_t> item = Child(id, b.items_id, budget);
    if (!item) {
      if (b.min_items > 0) return std::nullopt;
      return g_.Literal("[]");
    }
    GrammarNode r;
    r.kind = GrammarNode::Kind::kRepeat;
    r.children = {*item, g_.Seq({g_.Literal(", "), *item})};
    r.min = static_cast<int32_t>(b.min_items);
    r.max = b.max_items ? static_cast<int32_t>(*b.max_items) : -1;
    return g_.Seq({g_.Literal("["), g_.Add(std::move(r)), g_.Literal("]")});
  }

  std::optional<int32_t> Object(const Branch& b, int id, int budget) {
    if (!b.object_possible) return std::nullopt;
    GrammarNode o;
    o.kind = GrammarNode::Kind::kObject;
    for (const schema::Member& m : b.members) {
      std::optional<int32_t> value = Child(id, m.value_id, budget);
      if (!value) {
        if (m.required) return std::nullopt;
        continue;  // an optional member with no value left is never written
      }
      std::string key;
      AppendJsonString(m.name, &key);
      key += ": ";
      o.children.push_back(g_.Seq({g_.Literal(key), *value}));
      o.children.push_back(g_.Seq({g_.Literal(", " + key), *value}));
      o.required.push_back(m.required);
    }
    return g_.Seq({g_.Literal("{"), g_.Add(std::move(o)), g_.Literal("}")});
  }

  int32_t AnyValue() {
    if (!any_) any_ = AddAnyJson(g_, kMaxUnrolledDepth).value;
    return *any_;
  }

  const ConjunctionGraph& graph_;
  Grammar& g_;
  absl::flat_hash_map<std::pair<int, int>, std::optional<int32_t>> memo_;  // (conjunction, budget)
  std::optional<int32_t> any_;
};

// Parses `schema_json` and adds its values' grammar to `g`; returns the node.
absl::StatusOr<int32_t> AddSchema(absl::string_view schema_json, absl::string_view where, Grammar* g) {
  try {
    absl::StatusOr<schema::Schema> parsed = schema::ParseSchema(schema_json, where);
    if (!parsed.ok()) return parsed.status();
    absl::StatusOr<ConjunctionGraph> graph = ConjunctionGraph::Build(*parsed, where);
    if (!graph.ok()) return graph.status();
    std::optional<int32_t> root = SchemaGrammarBuilder(*graph, g).Root();
    // The parser refused schemas without a finite value, and every budget covers the depth of
    // the shortest one: an empty grammar here would be a bug, not the schema's fault.
    if (!root) return absl::InternalError(absl::StrCat(where, ": the grammar of an accepted schema is empty"));
    return *root;
  } catch (const std::exception& e) {  // nlohmann throws; nothing leaves the engine as an exception
    return absl::InternalError(absl::StrCat(where, ": ", e.what()));
  }
}

}  // namespace

absl::StatusOr<Grammar> CompileJsonSchema(absl::string_view schema_json, absl::string_view where) {
  Grammar g;
  absl::StatusOr<int32_t> root = AddSchema(schema_json, where, &g);
  if (!root.ok()) return root.status();
  g.set_root(*root);
  return g;
}

absl::StatusOr<Grammar> CompileToolCallGrammar(absl::Span<const ToolSchema> tools) {
  if (tools.empty()) return absl::InvalidArgumentError("tools: constrained tool calls need at least one tool");
  Grammar g;
  std::set<std::string> names;
  std::vector<int32_t> calls;
  for (size_t i = 0; i < tools.size(); ++i) {
    const ToolSchema& t = tools[i];
    if (!names.insert(t.name).second) {
      return absl::InvalidArgumentError(absl::StrCat("tools[", i, "]: duplicate tool name \"", t.name, "\""));
    }
    int32_t args;
    if (t.parameters.empty()) {
      args = g.Literal("{}");
    } else {
      absl::StatusOr<int32_t> root = AddSchema(t.parameters, absl::StrCat("tools[", i, "].function.parameters"), &g);
      if (!root.ok()) return root.status();
      args = *root;
    }
    std::string name;
    AppendJsonString(t.name, &name);
    calls.push_back(g.Seq({g.Literal(name + ", \"arguments\": "), args}));
  }
  g.set_root(g.Seq({g.Literal("<tool_call>\n{\"name\": "), g.Alt(std::move(calls)), g.Literal("}\n</tool_call>")}));
  return g;
}

Grammar AnyJsonObjectGrammar(int max_depth) {
  Grammar g;
  g.set_root(AddAnyJson(g, max_depth).object);
  return g;
}

}  // namespace switchyard
