// PageContext: what every strategy reads about one page besides its candidates
// (parser-internal): the document, its address and base URL, the meta and link
// tags of its head, its language, and the sections that a strategy has marked
// (related lists, which text patterns must not read as this page's data).
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "parser/html_document.h"
#include "parser/page_parser.h"

namespace parser {

// True when the element's class or id contains one of the words (lowercase
// ASCII), ignoring ASCII case.
bool ClassHas(const Element& e, std::initializer_list<std::string_view> words);
// The element's class and id, lowercased, in a buffer of the calling thread
// that the next call reuses; with HasAnyWord, several word lists are tested
// for one lowercasing.
std::string_view LowerClasses(const Element& e);
bool HasAnyWord(std::string_view names,
                std::initializer_list<std::string_view> words);

class PageContext {
 public:
  PageContext(const HtmlDocument& doc, std::string url,
              const ParseOptions& options);

  const HtmlDocument& doc() const { return doc_; }
  const ParseOptions& options() const { return options_; }
  // The page's address (the --url given or the fetched URL; with neither, the
  // page's own absolute canonical link or og:url) and its lowercase host.
  const std::string& url() const { return url_; }
  const std::string& host() const { return host_; }
  // The path and query of url() ("/podcasts/x?i=1"), "/" when empty.
  const std::string& path() const { return path_; }

  // Returns `ref` resolved against the page's base URL (<base href> or url());
  // nullopt for fragments, javascript:, mailto:, tel:, data: and unparsable
  // references. Cached: pages repeat the same hrefs.
  std::optional<std::string> Resolve(std::string_view ref) const;

  // Meta tags: (lowercased name/property, content), document order.
  const std::vector<std::pair<std::string, std::string>>& meta() const {
    return meta_;
  }
  std::vector<std::string> MetaAll(std::string_view key) const;
  std::optional<std::string> MetaFirst(std::string_view key) const;
  const std::optional<std::string>& canonical_link() const {
    return canonical_link_;
  }
  const std::optional<std::string>& feed_link() const { return feed_link_; }
  const std::optional<std::string>& html_lang() const { return html_lang_; }
  // The <title> text, or "" when the page has none.
  const std::string& title() const { return title_; }

  // True when `name` is the site's own brand ("Goodpods" on goodpods.com,
  // "Apple Podcasts" on podcasts.apple.com) rather than a show.
  bool IsBrand(std::string_view name) const;

  // Related-show sections found by the related strategy: text patterns skip
  // what lies inside them.
  void AddRelatedSection(int element) { related_sections_.push_back(element); }
  bool InRelated(int element) const;

  // Problems met while reading the page, for the record's `errors`.
  void AddError(std::string error) { errors_.push_back(std::move(error)); }
  const std::vector<std::string>& errors() const { return errors_; }

  // Element helpers shared by strategies.
  bool IsHeading(int i) const;
  bool InsideLink(int i) const;
  int FirstLink(int scope) const;
  // True when `i` sits inside page chrome that is never the page's own
  // content: nav, footer, aside, header menus, comment sections, forms.
  bool InChrome(int i) const;

 private:
  bool SelfChrome(int i) const;
  // With no URL given: the page's own absolute canonical link or og:url
  // becomes its address; otherwise an error says the page has none.
  void AdoptOwnAddress();

  const HtmlDocument& doc_;
  std::string url_;
  std::string host_;
  std::string path_;
  std::string base_;
  const ParseOptions& options_;
  mutable std::unordered_map<std::string, std::optional<std::string>> resolved_;
  std::vector<std::pair<std::string, std::string>> meta_;
  std::optional<std::string> canonical_link_;
  std::optional<std::string> feed_link_;
  std::optional<std::string> html_lang_;
  std::string title_;
  std::vector<int> related_sections_;
  std::vector<std::string> errors_;
  mutable std::vector<signed char> chrome_;  // per element: -1 unknown, 0, 1
};

}  // namespace parser
