// Site profiles: per-site rules from the user's config, then the built-in
// ones (parser/builtin_profiles.h). A profile whose host pattern matches the
// page proposes each field its rules find, as the strongest kind of evidence.
#include <algorithm>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/ascii.h"
#include "core/regex.h"
#include "parser/builtin_profiles.h"
#include "parser/lexicon.h"
#include "parser/selector.h"
#include "parser/strategies.h"
#include "parser/text_util.h"

namespace parser {
namespace {

bool HostMatches(const std::string& host, std::string pattern) {
  pattern = AsciiLower(pattern);
  if (pattern.rfind("*.", 0) == 0) {
    const std::string suffix = pattern.substr(1);
    return host.size() > suffix.size() &&
           host.compare(host.size() - suffix.size(), suffix.size(), suffix) ==
               0;
  }
  if (host == pattern) return true;
  const std::string suffix = "." + pattern;
  return host.size() > suffix.size() &&
         host.compare(host.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Profiles are the same on every page: their selectors and regexes are
// compiled once per thread. nullptr when invalid.
const Selector* CachedSelector(const std::string& text) {
  thread_local std::unordered_map<std::string, std::optional<Selector>> cache;
  auto it = cache.find(text);
  if (it == cache.end()) {
    if (cache.size() > 4096) cache.clear();
    it = cache.emplace(text, Selector::Parse(text)).first;
  }
  return it->second ? &*it->second : nullptr;
}

// User regexes run on RE2 (core::Regex): linear in the text, over the whole
// value.
const core::Regex* CachedRegex(const std::string& text) {
  thread_local std::unordered_map<std::string, std::optional<core::Regex>>
      cache;
  auto it = cache.find(text);
  if (it == cache.end()) {
    if (cache.size() > 4096) cache.clear();
    core::Result<core::Regex> re = core::Regex::Compile(text);
    std::optional<core::Regex> compiled;
    if (re) compiled = std::move(re).value();
    it = cache.emplace(text, std::move(compiled)).first;
  }
  return it->second ? &*it->second : nullptr;
}

std::string FirstLine(std::string_view s) {
  s = Trim(s);
  const size_t nl = s.find('\n');
  return std::string(Trim(s.substr(0, nl)));
}

class ProfileRun {
 public:
  ProfileRun(const PageContext& ctx, const core::SiteProfile& p,
             Candidates& out)
      : ctx_(ctx),
        doc_(ctx.doc()),
        p_(p),
        out_(out),
        src_("profile:" + p.name) {}

  void Run() {
    Kind();
    Text(Field::kShowName, "show_name", Owner::kShow);
    Url(Field::kShowUrl, "show_url");
    Text(Field::kEpisodeTitle, "episode_title", Owner::kEpisode);
    if (const auto* f = Rule("description")) {
      ProposeDescription(out_, Value(*f), src_, "profile description",
                         Owner::kUnknown, Strength::kProfile, true);
    }
    Rating();
    Related();
  }

 private:
  const core::FieldRule* Rule(const char* name) const {
    auto it = p_.fields.find(name);
    return it == p_.fields.end() ? nullptr : &it->second;
  }

  // The rule's value inside `scope`: the first match whose (attribute or
  // text) value passes the regex.
  std::optional<std::string> Value(const core::FieldRule& rule,
                                   int scope = -1) const {
    const Selector* sel = CachedSelector(rule.selector);
    if (sel == nullptr) return std::nullopt;
    const core::Regex* re = nullptr;
    if (rule.regex) {
      re = CachedRegex(*rule.regex);
      if (re == nullptr) return std::nullopt;
    }
    for (int i : sel->SelectAll(doc_, scope)) {
      if (doc_.element(i).hidden && !rule.attribute) continue;
      std::string value;
      if (rule.attribute) {
        const char* a = doc_.Attr(i, rule.attribute->c_str());
        if (a == nullptr) continue;
        value = a;
      } else {
        value = std::string(doc_.Text(i));
      }
      if (re) {
        const std::optional<core::Regex::Groups> m = re->Find(value);
        if (!m) continue;
        value = std::string(m->size() > 1 && (*m)[1] ? *(*m)[1] : *(*m)[0]);
      }
      if (!Trim(value).empty()) return std::string(Trim(value));
    }
    return std::nullopt;
  }

  std::optional<std::string> Href(const core::FieldRule& rule,
                                  int scope = -1) const {
    core::FieldRule with_href = rule;
    if (!with_href.attribute) with_href.attribute = "href";
    return Value(with_href, scope);
  }

  void Kind() {
    const core::Regex* episode_re =
        p_.episode_url_pattern ? CachedRegex(*p_.episode_url_pattern) : nullptr;
    const core::Regex* show_re =
        p_.show_url_pattern ? CachedRegex(*p_.show_url_pattern) : nullptr;
    const std::string& path = ctx_.path();
    if (episode_re && episode_re->Search(path)) {
      out_.AddText(Field::kKind, "episode", src_, "episode_url_pattern",
                   "profile", Strength::kProfile);
    } else if (show_re && show_re->Search(path)) {
      out_.AddText(Field::kKind, "show", src_, "show_url_pattern", "profile",
                   Strength::kProfile);
    }
  }

  void Text(Field field, const char* name, Owner owner) {
    if (const auto* f = Rule(name)) {
      out_.AddText(field, Value(*f).value_or(""), src_, f->selector, "profile",
                   Strength::kProfile, owner, true);
    }
  }

  void Url(Field field, const char* name) {
    if (const auto* f = Rule(name)) {
      if (auto href = Href(*f)) {
        if (auto abs = ctx_.Resolve(*href)) {
          out_.AddText(field, *abs, src_, f->selector, "profile",
                       Strength::kProfile, Owner::kShow, true);
        }
      }
    }
  }

  void Rating() {
    std::optional<double> value;
    std::optional<int64_t> count;
    if (const auto* f = Rule("rating_value")) {
      if (auto v = Value(*f)) value = ParseRatingValue(*v);
    }
    if (const auto* f = Rule("rating_count")) {
      if (auto v = Value(*f)) {
        count = ParseCount(*v);
        if (!count) {
          if (auto m = FindCountBefore(*v, lexicon::kRatingWords))
            count = m->value;
        }
      }
    }
    ProposeRating(out_, value, count, src_, "rating_value/rating_count",
                  Strength::kProfile, /*exact=*/false);
  }

  void Related() {
    const auto* f = Rule("related_item");
    if (f == nullptr) return;
    const Selector* sel = CachedSelector(f->selector);
    if (sel == nullptr) return;
    Candidate c;
    c.field = Field::kRelatedShows;
    c.source = src_;
    c.where = f->selector;
    c.signal = "profile";
    c.strength = Strength::kProfile;
    c.visible = true;
    for (int item : sel->SelectAll(doc_)) {
      core::RelatedShow s;
      if (const auto* nf = Rule("related_name"))
        s.name = Value(*nf, item).value_or("");
      if (s.name.empty()) s.name = FirstLine(doc_.Text(item));
      std::optional<std::string> href;
      if (const auto* uf = Rule("related_url")) {
        href = Href(*uf, item);
      } else if (doc_.Attr(item, "href")) {
        href = doc_.Attr(item, "href");
      } else if (int a = ctx_.FirstLink(item); a >= 0) {
        href = doc_.Attr(a, "href");
      }
      if (href) s.url = ctx_.Resolve(*href);
      if (const auto* lf = Rule("related_listeners")) {
        if (auto v = Value(*lf, item)) {
          if (auto m = FindCountBefore(*v, lexicon::kListenerWords)) {
            s.listeners = m->value;
          } else {
            s.listeners = ParseCount(*v);
          }
        }
      }
      s.name = CollapseWhitespace(s.name);
      if (!s.name.empty()) c.related.push_back(std::move(s));
    }
    if (!c.related.empty()) out_.Add(std::move(c));
  }

  const PageContext& ctx_;
  const HtmlDocument& doc_;
  const core::SiteProfile& p_;
  Candidates& out_;
  std::string src_;
};

// Adds the attributes `profiles` read to `names` (once each).
void AddAttributesRead(const std::vector<core::SiteProfile>& profiles,
                       std::vector<std::string>* names) {
  const auto add = [names](std::string name) {
    if (std::ranges::find(*names, name) == names->end())
      names->push_back(std::move(name));
  };
  for (const core::SiteProfile& p : profiles) {
    for (const auto& [field, rule] : p.fields) {
      if (rule.attribute) add(core::AsciiLower(*rule.attribute));
      if (const Selector* sel = CachedSelector(rule.selector)) {
        for (std::string& name : sel->AttributeNames()) add(std::move(name));
      }
    }
  }
}

}  // namespace

std::vector<std::string> AttributesProfilesRead(
    const std::vector<core::SiteProfile>& user) {
  static const std::vector<std::string> builtin = [] {
    std::vector<std::string> names;
    AddAttributesRead(BuiltinProfiles(), &names);
    return names;
  }();
  std::vector<std::string> names = builtin;
  AddAttributesRead(user, &names);
  return names;
}

void ProposeProfiles(PageContext& ctx, Candidates& out) {
  if (ctx.host().empty()) return;
  for (const auto* list : {&ctx.options().profiles, &BuiltinProfiles()}) {
    for (const auto& p : *list) {
      if (!HostMatches(ctx.host(), p.host)) continue;
      const bool bad_pattern =
          (p.episode_url_pattern &&
           CachedRegex(*p.episode_url_pattern) == nullptr) ||
          (p.show_url_pattern && CachedRegex(*p.show_url_pattern) == nullptr);
      if (bad_pattern)
        ctx.AddError("profile " + p.name + ": invalid URL pattern");
      ProfileRun(ctx, p, out).Run();
    }
  }
}

}  // namespace parser
