#include "parser/page_context.h"

#include <algorithm>

#include "core/url.h"
#include "parser/text_util.h"

namespace parser {
namespace {

// The page's path and query; "" for a page with no address.
std::string PathOf(const std::string& url) {
  return url.empty() ? std::string() : core::UrlPathAndQuery(url);
}

// Class or id words of page chrome: navigation, footers, sidebars, comments,
// sharing bars, cookie banners.
bool ChromeName(std::string_view names) {
  const std::string l = AsciiLower(names);
  return std::ranges::any_of(
      std::initializer_list<std::string_view>{
          "comment",     "footer",       "sidebar",   "widget",     "share",
          "social",      "menu",         "navbar",    "navigation", "cookie",
          "newsletter",  "breadcrumb",   "subscribe", "banner",     "masthead",
          "site-header", "related",      "respond",   "skip-link",  "toolbar",
          "contentinfo", "complementary"},
      [&](std::string_view w) { return l.find(w) != std::string::npos; });
}

// The page's base URL: the first <base href>, resolved against `url`, else
// `url` itself.
std::string BaseUrl(const HtmlDocument& doc, const std::string& url) {
  for (int i : doc.ByTag(GUMBO_TAG_BASE)) {
    if (const char* href = doc.Attr(i, "href")) {
      if (auto b = core::ResolveUrl(url, href)) return *b;
      break;
    }
  }
  return url;
}

// The <meta> tags' (lowercased key, content) pairs; the key is the property,
// name or http-equiv attribute (not http-equiv on an itemprop element).
std::vector<std::pair<std::string, std::string>> MetaPairs(
    const HtmlDocument& doc) {
  std::vector<std::pair<std::string, std::string>> meta;
  for (int i : doc.ByTag(GUMBO_TAG_META)) {
    const char* key = doc.Attr(i, "property");
    if (key == nullptr) key = doc.Attr(i, "name");
    if (key == nullptr)
      key = doc.Attr(i, "itemprop") ? nullptr : doc.Attr(i, "http-equiv");
    const char* content = doc.Attr(i, "content");
    if (key == nullptr || content == nullptr) continue;
    meta.emplace_back(AsciiLower(key), content);
  }
  return meta;
}

// The first canonical link and the first RSS or Atom alternate link.
void ReadLinks(const HtmlDocument& doc, std::optional<std::string>* canonical,
               std::optional<std::string>* feed) {
  for (int i : doc.ByTag(GUMBO_TAG_LINK)) {
    const char* rel = doc.Attr(i, "rel");
    const char* href = doc.Attr(i, "href");
    if (rel == nullptr || href == nullptr) continue;
    const std::string r = AsciiLower(rel);
    if (r.find("canonical") != std::string::npos && !*canonical)
      *canonical = href;
    if (r.find("alternate") != std::string::npos && !*feed) {
      const char* type_attr = doc.Attr(i, "type");
      const std::string type = AsciiLower(type_attr ? type_attr : "");
      if (type.find("rss") != std::string::npos ||
          type.find("atom") != std::string::npos) {
        *feed = href;
      }
    }
  }
}

// The last non-empty lang attribute of an <html> element.
std::optional<std::string> HtmlLang(const HtmlDocument& doc) {
  std::optional<std::string> lang_found;
  for (int i : doc.ByTag(GUMBO_TAG_HTML)) {
    if (const char* lang = doc.Attr(i, "lang")) {
      if (*lang != '\0') lang_found = lang;
    }
  }
  return lang_found;
}

// The first <title>'s text, whitespace collapsed; "" without one.
std::string PageTitle(const HtmlDocument& doc) {
  for (int t : doc.ByTag(GUMBO_TAG_TITLE)) {
    const GumboNode* node = doc.element(t).node;
    if (node->v.element.children.length > 0) {
      const auto* c =
          static_cast<const GumboNode*>(node->v.element.children.data[0]);
      if (c->type == GUMBO_NODE_TEXT) return CollapseWhitespace(c->v.text.text);
    }
    break;
  }
  return "";
}

}  // namespace

PageContext::PageContext(const HtmlDocument& doc, std::string url,
                         const ParseOptions& options)
    : doc_(doc),
      url_(std::move(url)),
      host_(AsciiLower(core::UrlHost(url_))),
      path_(PathOf(url_)),
      base_(url_),
      options_(options),
      chrome_(static_cast<size_t>(doc.size()), -1) {
  base_ = BaseUrl(doc_, url_);
  meta_ = MetaPairs(doc_);
  ReadLinks(doc_, &canonical_link_, &feed_link_);
  if (url_.empty()) AdoptOwnAddress();
  html_lang_ = HtmlLang(doc_);
  title_ = PageTitle(doc_);
}

void PageContext::AdoptOwnAddress() {
  for (const std::optional<std::string>& own :
       {canonical_link_, MetaFirst("og:url")}) {
    if (!own) continue;
    auto abs = core::ResolveUrl(*own, "");
    if (!abs || abs->rfind("http", 0) != 0) continue;
    url_ = *abs;
    host_ = AsciiLower(core::UrlHost(url_));
    path_ = PathOf(url_);
    base_ = BaseUrl(doc_, url_);
    return;
  }
  AddError(
      "the page has no address: no URL was given and it has no absolute "
      "canonical link or og:url, so relative links are not resolved and no "
      "site profile applies");
}

std::optional<std::string> PageContext::Resolve(std::string_view ref) const {
  ref = Trim(ref);
  if (ref.empty() || ref.front() == '#') return std::nullopt;
  const std::string lower = AsciiLower(ref.substr(0, 11));
  if (lower.rfind("javascript:", 0) == 0 || lower.rfind("mailto:", 0) == 0 ||
      lower.rfind("tel:", 0) == 0 || lower.rfind("data:", 0) == 0) {
    return std::nullopt;
  }
  std::string key(ref);
  auto it = resolved_.find(key);
  if (it != resolved_.end()) return it->second;
  auto abs = core::ResolveUrl(base_, ref);
  resolved_.emplace(std::move(key), abs);
  return abs;
}

std::vector<std::string> PageContext::MetaAll(std::string_view key) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : meta_) {
    if (k == key) out.push_back(v);
  }
  return out;
}

std::optional<std::string> PageContext::MetaFirst(std::string_view key) const {
  for (const auto& [k, v] : meta_) {
    if (k == key && !Trim(v).empty()) return std::string(Trim(v));
  }
  return std::nullopt;
}

bool PageContext::IsBrand(std::string_view name) const {
  const std::string lower = AsciiLower(name);
  std::string joined;
  std::vector<std::string> words;
  std::string cur;
  for (char c : lower) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      cur.push_back(c);
      joined.push_back(c);
    } else if (!cur.empty()) {
      words.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) words.push_back(cur);
  if (joined.empty()) {
    // No ASCII letters (a name in another script): never a brand of the host.
    return Trim(name).empty();
  }
  std::string host_alnum;
  for (char c : host_) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
      host_alnum.push_back(c);
  }
  if (host_alnum.empty()) return false;
  if (host_alnum.find(joined) != std::string::npos) return true;
  bool any = false;
  for (const auto& w : words) {
    if (w == "the" || w == "la" || w == "le" || w == "el" || w == "die" ||
        w == "der" || w == "das")
      continue;
    if (host_.find(w) == std::string::npos) return false;
    any = true;
  }
  return any;
}

bool PageContext::InRelated(int element) const {
  return std::ranges::any_of(related_sections_,
                             [&](int s) { return doc_.Contains(s, element); });
}

bool PageContext::IsHeading(int i) const {
  const Element& e = doc_.element(i);
  switch (e.tag) {
    case GUMBO_TAG_H1:
    case GUMBO_TAG_H2:
    case GUMBO_TAG_H3:
    case GUMBO_TAG_H4:
    case GUMBO_TAG_H5:
    case GUMBO_TAG_H6:
      return true;
    default:
      break;
  }
  const char* role = doc_.Attr(i, "role");
  return role != nullptr && std::string_view(role) == "heading";
}

bool PageContext::InsideLink(int i) const {
  for (int a = doc_.element(i).parent; a >= 0; a = doc_.element(a).parent) {
    if (doc_.element(a).tag == GUMBO_TAG_A) return true;
  }
  return false;
}

int PageContext::FirstLink(int scope) const {
  for (int i = scope + 1; i < doc_.element(scope).subtree_end; ++i) {
    if (doc_.element(i).tag == GUMBO_TAG_A && doc_.Attr(i, "href")) return i;
  }
  return -1;
}

bool PageContext::SelfChrome(int i) const {
  const Element& e = doc_.element(i);
  switch (e.tag) {
    case GUMBO_TAG_NAV:
    case GUMBO_TAG_FOOTER:
    case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_FORM:
      return true;
    default:
      break;
  }
  std::string names;
  if (e.cls != nullptr) names += e.cls;
  if (e.id != nullptr) (names += ' ') += e.id;
  if (const char* role = doc_.Attr(i, "role")) (names += ' ') += role;
  return !names.empty() && ChromeName(names);
}

bool PageContext::InChrome(int i) const {
  // Walks up to the first element whose answer is known (iteratively: pages
  // nest deeply), then records the answer for the whole path.
  std::vector<int> path;
  bool chrome = false;
  for (int a = i; a >= 0; a = doc_.element(a).parent) {
    const signed char memo = chrome_[static_cast<size_t>(a)];
    if (memo >= 0) {
      chrome = memo == 1;
      break;
    }
    path.push_back(a);
    if (SelfChrome(a)) {
      chrome = true;
      break;
    }
  }
  for (int p : path) chrome_[static_cast<size_t>(p)] = chrome ? 1 : 0;
  return chrome;
}

std::string_view LowerClasses(const Element& e) {
  thread_local std::string names;
  names.clear();
  for (const char* s : {e.cls, e.id}) {
    if (s == nullptr) continue;
    for (; *s != '\0'; ++s) {
      const char c = *s;
      names.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a')
                                           : c);
    }
    names.push_back(' ');
  }
  return names;
}

bool HasAnyWord(std::string_view names,
                std::initializer_list<std::string_view> words) {
  return std::ranges::any_of(words, [&](std::string_view w) {
    return names.find(w) != std::string_view::npos;
  });
}

bool ClassHas(const Element& e, std::initializer_list<std::string_view> words) {
  if (e.cls == nullptr && e.id == nullptr) return false;
  return HasAnyWord(LowerClasses(e), words);
}

}  // namespace parser
