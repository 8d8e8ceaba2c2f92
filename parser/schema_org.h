// schema.org helpers shared by the JSON-LD, microdata and page-state
// strategies (parser-internal): JSON accessors that never throw, the flattened
// graph of typed nodes with @id references, and the interpretation of a graph
// as candidates (the page's episode or series, its show, rating, media and
// dates), so that JSON-LD and microdata read schema.org the same way.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "parser/candidate.h"
#include "parser/page_context.h"

namespace parser {

using Json = nlohmann::json;

// Returns o[key] when o is an object and the member is there and not null.
const Json* JsonGet(const Json& o, const char* key);
// A trimmed, non-empty string from a string, integer, first array element or
// {"@value": ...}.
std::optional<std::string> JsonStr(const Json* j);
// A number from a number or a string as people write it ("1.2K", "4,6").
std::optional<double> JsonNum(const Json* j);
std::optional<int64_t> JsonInt(const Json* j);
// The node's @type values, lowercased, without a schema.org prefix.
std::vector<std::string> SchemaTypes(const Json& node);
bool HasSchemaType(const Json& node, std::initializer_list<const char*> names);

// Text from a string that may hold markup or entities ("&amp;#128591;").
std::string CleanText(const std::string& s);
// ISO 8601 duration ("PT1H15M30S"), "h:mm:ss" or plain seconds to seconds.
std::optional<int64_t> ParseDuration(const std::string& s);
// Keeps dates that are ISO 8601 already ("2024-10-04", "2025-11-17T05:00Z").
std::optional<std::string> IsoDate(const std::string& s);
// Drops <!-- -->, CDATA and similar wrappers around a script's JSON.
std::string StripJsonWrappers(std::string_view s);

// Every typed object of one or more JSON documents, with @id references.
struct SchemaGraph {
  std::vector<const Json*> nodes;      // every object with @type, in order
  std::vector<const Json*> top_level;  // roots and @graph / mainEntity members
  std::unordered_map<std::string, const Json*> by_id;
};
// Adds the typed nodes of `root` to `graph` (bounded work on any input).
void FlattenSchema(const Json& root, SchemaGraph* graph);
// Follows {"@id": ...} references; returns `v` itself otherwise.
const Json* SchemaDeref(const SchemaGraph& graph, const Json* v);

// Proposes what a schema.org graph says about the page: its kind, episode
// title, show (name, URL, feed), descriptions (the episode's and the show's,
// each with its owner), rating, audio, date, duration, language, and the names
// of the people and organisations behind it (as people and sites, so that the
// same name elsewhere on the page is not taken for the show). `source` is
// "json-ld" or "microdata".
void ProposeSchema(const SchemaGraph& graph, const std::string& source,
                   const PageContext& ctx, Candidates& out);

}  // namespace parser
