// Microdata: itemscope/itemprop items become schema.org JSON objects and are
// read like JSON-LD (parser/schema_org.h).
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "parser/schema_org.h"
#include "parser/strategies.h"

namespace parser {
namespace {

// The value of an itemprop element (HTML's microdata rules: content, href,
// src, datetime, value, else the text).
std::string PropValue(const HtmlDocument& doc, int i) {
  const GumboTag tag = doc.element(i).tag;
  const char* attr = doc.Attr(i, "content");
  if (attr == nullptr) {
    if (tag == GUMBO_TAG_A || tag == GUMBO_TAG_LINK || tag == GUMBO_TAG_AREA) {
      attr = doc.Attr(i, "href");
    } else if (tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_AUDIO ||
               tag == GUMBO_TAG_SOURCE || tag == GUMBO_TAG_VIDEO ||
               tag == GUMBO_TAG_EMBED || tag == GUMBO_TAG_IFRAME) {
      attr = doc.Attr(i, "src");
    } else if (tag == GUMBO_TAG_TIME) {
      attr = doc.Attr(i, "datetime");
    } else if (tag == GUMBO_TAG_DATA || tag == GUMBO_TAG_METER) {
      attr = doc.Attr(i, "value");
    }
  }
  return attr ? std::string(attr) : std::string(doc.Text(i));
}

// A new item for the itemscope element `i`: its type is the last segment of
// its itemtype, "Thing" without one.
Json NewItem(const HtmlDocument& doc, int i) {
  Json obj = Json::object();
  if (const char* type = doc.Attr(i, "itemtype")) {
    std::string t = type;
    const size_t slash = t.find_last_of('/');
    obj["@type"] = slash == std::string::npos ? t : t.substr(slash + 1);
  } else {
    obj["@type"] = "Thing";
  }
  return obj;
}

// The nearest itemscope element at or above `i`, or -1.
int OwnerItem(const HtmlDocument& doc, int i) {
  int owner = i;
  while (owner >= 0 && !doc.element(owner).itemscope)
    owner = doc.element(owner).parent;
  return owner;
}

// Sets each of the space-separated property `names` that `item` has no value
// for yet to `value` ("itemprop='name headline'").
void SetUnsetProps(std::string_view names, const std::string& value,
                   Json* item) {
  size_t p = 0;
  while (p < names.size()) {
    while (p < names.size() && names[p] == ' ') ++p;
    size_t q = p;
    while (q < names.size() && names[q] != ' ') ++q;
    if (q > p) {
      Json& slot = (*item)[std::string(names.substr(p, q - p))];
      if (slot.is_null()) slot = value;
    }
    p = q;
  }
}

}  // namespace

void ProposeMicrodata(PageContext& ctx, Candidates& out) {
  const HtmlDocument& doc = ctx.doc();
  const int n = doc.size();
  bool any = false;
  for (int i = 0; i < n && !any; ++i) any = doc.element(i).itemscope;
  if (!any) return;
  // Objects in document order; nested items are stored inside their owner
  // afterwards.
  std::unordered_map<int, Json> objects;
  std::vector<int> item_order;
  std::vector<std::pair<int, int>> nested;  // (owner item, child item)
  std::unordered_map<int, std::string> prop_of;
  for (int i = 0; i < n; ++i) {
    const Element& e = doc.element(i);
    if (e.hidden && e.tag != GUMBO_TAG_META && e.tag != GUMBO_TAG_LINK)
      continue;
    if (e.itemscope) {
      objects.emplace(i, NewItem(doc, i));
      item_order.push_back(i);
    }
    const char* prop = e.itemprop ? doc.Attr(i, "itemprop") : nullptr;
    if (prop == nullptr) continue;
    const int owner = OwnerItem(doc, e.parent);
    if (owner < 0) continue;
    if (e.itemscope) {
      nested.emplace_back(owner, i);
      prop_of[i] = prop;
      continue;
    }
    const std::string value = PropValue(doc, i);
    // Several names may share one element ("itemprop='name headline'").
    auto item = objects.find(owner);
    if (item != objects.end()) SetUnsetProps(prop, value, &item->second);
  }
  // Attach nested items, innermost first (reverse document order).
  for (size_t k = nested.size(); k > 0; --k) {
    const auto& [owner_item, child_item] = nested[k - 1];
    auto owner = objects.find(owner_item);
    auto child = objects.find(child_item);
    if (owner == objects.end() || child == objects.end()) continue;
    Json& slot = owner->second[prop_of[child_item]];
    if (slot.is_null()) slot = child->second;
  }
  std::unordered_set<int> is_nested;
  for (const auto& [owner, child] : nested) is_nested.insert(child);
  Json roots = Json::array();
  for (int i : item_order) {
    if (!is_nested.contains(i)) roots.push_back(objects[i]);
  }
  SchemaGraph graph;
  FlattenSchema(roots, &graph);
  ProposeSchema(graph, "microdata", ctx, out);
}

}  // namespace parser
