// JSON-LD: every <script type="application/ld+json"> block, read as one
// schema.org graph (parser/schema_org.h).
#include "parser/schema_org.h"
#include "parser/strategies.h"

namespace parser {

void ProposeJsonLd(PageContext& ctx, Candidates& out) {
  std::vector<Json> blocks;
  for (const Script& s : ctx.doc().scripts()) {
    if (s.type.find("ld+json") == std::string::npos) continue;
    Json j = Json::parse(StripJsonWrappers(s.text), nullptr, false);
    if (j.is_discarded()) {
      ctx.AddError("unreadable JSON-LD block skipped");
      continue;
    }
    blocks.push_back(std::move(j));
  }
  if (blocks.empty()) return;
  SchemaGraph graph;
  for (const Json& j : blocks) FlattenSchema(j, &graph);
  ProposeSchema(graph, "json-ld", ctx, out);
}

}  // namespace parser
