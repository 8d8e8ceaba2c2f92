#include "parser/resolver.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include "core/counts.h"
#include "parser/text_util.h"

namespace parser {
namespace {

double Weight(Strength s) {
  switch (s) {
    case Strength::kGuess:
      return 1;
    case Strength::kPage:
      return 2;
    case Strength::kStructured:
      return 4;
    case Strength::kProfile:
      return 8;
  }
  return 0;
}

std::string Fmt(double v) {
  std::array<char, 32> buf;
  std::snprintf(buf.data(), buf.size(), "%g", v);
  return buf.data();
}

// The signals that say a page is about a podcast, not only how a site names
// itself.
bool PodcastSignal(const Candidate& c) {
  if (c.strength >= Strength::kStructured) return true;
  return std::ranges::any_of(
      std::initializer_list<std::string_view>{"meta-show", "label", "more-from",
                                              "subscribe-to", "listen-prefix",
                                              "show-link"},
      [&](std::string_view s) { return c.signal == s; });
}

bool SaysPodcast(const std::string& name) {
  const std::string l = AsciiLower(name);
  return std::ranges::any_of(
      std::initializer_list<std::string_view>{"podcast", "podd", "pódcast"},
      [&](std::string_view w) { return l.find(w) != std::string::npos; });
}

std::string GroupKey(const std::string& text) {
  std::string key = NameKey(text);
  if (key.rfind("the ", 0) == 0) key.erase(0, 4);
  return key;
}

struct Group {
  std::string key;
  std::vector<int> members;
  std::map<std::string, double> positive;  // per signal: the largest share
  std::map<std::string, double> negative;
  double score = 0;
  int best = -1;  // the member that names the group
  double best_share = -1;
  bool podcast_signal = false;
  bool site_only = true;  // every positive share calls the name the site's
};

class Resolver {
 public:
  Resolver(const Candidates& candidates, core::Record* record,
           std::vector<Decision>* decisions)
      : all_(candidates.items()), record_(*record), decisions_(decisions) {}

  void Run() {
    Kind();
    ShowName();
    EpisodeTitle();
    Description();
    Rating();
    Related();
    Simple(Field::kShowUrl, &record_.show_url);
    Simple(Field::kCanonicalUrl, &record_.canonical_url);
    Simple(Field::kFeedUrl, &record_.feed_url);
    Simple(Field::kAudioUrl, &record_.audio_url);
    Simple(Field::kPublished, &record_.published);
    Duration();
    Simple(Field::kLanguage, &record_.language);
    Identifier(Field::kPodcastGuid, &record_.podcast_guid);
    Identifier(Field::kAppleId, &record_.apple_id);
    Identifier(Field::kSpotifyId, &record_.spotify_id);
    if (record_.kind == core::PageKind::kShow) {
      Clear(Field::kEpisodeTitle, &record_.episode_title, "a show page");
      Clear(Field::kShowUrl, &record_.show_url, "a show page");
    }
    if (decisions_ != nullptr) {
      std::sort(decisions_->begin(), decisions_->end(),
                [](const Decision& a, const Decision& b) {
                  return a.field < b.field;
                });
    }
  }

 private:
  const Candidate& at(int i) const { return all_[static_cast<size_t>(i)]; }

  std::vector<int> Of(Field field) const {
    std::vector<int> out;
    for (size_t i = 0; i < all_.size(); ++i) {
      if (all_[i].field == field) out.push_back(static_cast<int>(i));
    }
    return out;
  }

  Decision& Begin(Field field) {
    if (decisions_ == nullptr) {
      scratch_ = Decision{};
      scratch_.field = field;
      return scratch_;
    }
    decisions_->push_back(Decision{});
    decisions_->back().field = field;
    return decisions_->back();
  }

  void Won(Decision& d, int winner, std::string reason) {
    d.winner = winner;
    d.reason = std::move(reason);
    if (winner >= 0)
      record_.sources[std::string(FieldName(d.field))] = at(winner).source;
  }

  void Clear(Field field, std::optional<std::string>* value, const char* why) {
    if (!value->has_value()) return;
    value->reset();
    record_.sources.erase(std::string(FieldName(field)));
    if (decisions_ == nullptr) return;
    for (Decision& d : *decisions_) {
      if (d.field != field) continue;
      d.winner = -1;
      d.reason = std::string("cleared: ") + why;
    }
  }

  // ---- kind -------------------------------------------------------------
  void Kind() {
    Decision& d = Begin(Field::kKind);
    double episode = 0;
    double show = 0;
    int episode_best = -1;
    int show_best = -1;
    std::unordered_set<std::string> seen;
    for (int i : Of(Field::kKind)) {
      const Candidate& c = at(i);
      const double w = Weight(c.strength);
      d.candidates.push_back({i, w, ""});
      if (!seen.insert(c.text + "|" + c.signal).second) continue;
      if (c.text == "episode") {
        episode += w;
        if (episode_best < 0 || w > Weight(at(episode_best).strength))
          episode_best = i;
      } else if (c.text == "show") {
        show += w;
        if (show_best < 0 || w > Weight(at(show_best).strength)) show_best = i;
      }
    }
    // A player or an audio file of its own: an episode's page.
    int audio = -1;
    for (int i : Of(Field::kAudioUrl)) {
      audio = i;
      break;
    }
    if (episode == 0 && show == 0 && audio >= 0) {
      record_.kind = core::PageKind::kEpisode;
      d.reason =
          "no kind is named; the page has audio (" + at(audio).where + ")";
      record_.sources["kind"] = at(audio).source;
      return;
    }
    if (episode == 0 && show == 0) {
      d.reason = "no podcast signal names a kind";
      return;
    }
    if (episode >= show) {
      record_.kind = core::PageKind::kEpisode;
      Won(d, episode_best,
          "episode " + Fmt(episode) + " against show " + Fmt(show));
    } else {
      record_.kind = core::PageKind::kShow;
      Won(d, show_best,
          "show " + Fmt(show) + " against episode " + Fmt(episode));
    }
  }

  // ---- names ---------------------------------------------------------------
  // Groups the candidates of `field` by name and scores them (see resolver.h).
  std::vector<Group> Groups(Field field, Owner own) const {
    std::vector<Group> groups;
    std::unordered_map<std::string, size_t> by_key;
    for (int i : Of(field)) {
      const Candidate& c = at(i);
      const std::string key = GroupKey(c.text);
      if (key.empty()) continue;
      auto [it, fresh] = by_key.emplace(key, groups.size());
      if (fresh) {
        groups.push_back(Group{});
        groups.back().key = key;
      }
      Group& g = groups[it->second];
      g.members.push_back(i);
      const double w = Weight(c.strength);
      double share = 0;
      if (c.owner == own) {
        share = w + 1;
      } else if (c.owner == Owner::kUnknown) {
        share = w;
      } else if (c.owner == Owner::kSite && own == Owner::kShow) {
        share = w / 2;
      } else {
        g.negative[c.signal] = std::max(g.negative[c.signal], w);
        continue;
      }
      g.positive[c.signal] = std::max(g.positive[c.signal], share);
      g.site_only &= c.owner == Owner::kSite;
      g.podcast_signal |=
          (PodcastSignal(c) || SaysPodcast(c.text)) && c.owner != Owner::kSite;
      if (share > g.best_share) {
        g.best_share = share;
        g.best = i;
      }
    }
    for (Group& g : groups) {
      for (const auto& [signal, v] : g.positive) g.score += v;
      for (const auto& [signal, v] : g.negative) g.score -= v;
      if (g.best < 0) g.best = g.members.front();
      if (own == Owner::kShow && g.score > 0 && SaysPodcast(at(g.best).text))
        g.score += 1;
    }
    return groups;
  }

  // Picks the best group; returns its index or -1. The site's own name (a
  // group whose every positive signal calls it the site) is the show only
  // when no other group has a podcast-specific signal.
  static int Best(const std::vector<Group>& groups, bool need_podcast) {
    bool other_show = false;
    for (const Group& g : groups) other_show |= g.score > 0 && g.podcast_signal;
    int best = -1;
    for (size_t i = 0; i < groups.size(); ++i) {
      const Group& g = groups[i];
      if (g.score <= 0 || (need_podcast && !g.podcast_signal)) continue;
      if (g.site_only && other_show) continue;
      if (best < 0 || g.score > groups[static_cast<size_t>(best)].score)
        best = static_cast<int>(i);
    }
    return best;
  }

  static std::string Describe(const Group& g) {
    std::string out;
    for (const auto& [signal, v] : g.positive) {
      if (!out.empty()) out += " + ";
      out += signal + " " + Fmt(v);
    }
    for (const auto& [signal, v] : g.negative)
      out += " - " + signal + " " + Fmt(v);
    return out;
  }

  void NameField(Field field, Owner own, std::optional<std::string>* value,
                 bool need_podcast) {
    Decision& d = Begin(field);
    const std::vector<Group> groups = Groups(field, own);
    for (const Group& g : groups) {
      for (int m : g.members)
        d.candidates.push_back(
            {m, g.score, "group \"" + g.key + "\": " + Describe(g)});
    }
    const int best = Best(groups, need_podcast);
    if (best < 0) {
      d.reason = groups.empty() ? "no candidate"
                 : need_podcast
                     ? "no group above 0 with a podcast-specific signal (the "
                       "page names no kind)"
                     : "no group scores above 0";
      return;
    }
    const Group& g = groups[static_cast<size_t>(best)];
    *value = at(g.best).text;
    Won(d, g.best,
        "highest score " + Fmt(g.score) + " (" + Describe(g) + ") of " +
            std::to_string(groups.size()) + " names");
  }

  void ShowName() {
    const bool unknown = record_.kind == core::PageKind::kUnknown;
    NameField(Field::kShowName, Owner::kShow, &record_.show_name, unknown);
    if (!unknown || !record_.show_name) return;
    // No kind was named, but a podcast-specific signal names the show: an
    // article about one of its episodes, or the show's own page.
    bool article = false;
    for (int i : Of(Field::kKind)) article |= at(i).text == "article";
    record_.kind = article ? core::PageKind::kEpisode : core::PageKind::kShow;
    record_.sources["kind"] = record_.sources["show_name"];
    if (decisions_ != nullptr) {
      for (Decision& d : *decisions_) {
        if (d.field != Field::kKind) continue;
        d.reason += article ? "; an article page that names a show: episode"
                            : "; a page that names a show: show";
      }
    }
  }

  void EpisodeTitle() {
    if (record_.kind == core::PageKind::kShow) {
      Decision& d = Begin(Field::kEpisodeTitle);
      d.reason = "a show page has no episode title";
      return;
    }
    NameField(Field::kEpisodeTitle, Owner::kEpisode, &record_.episode_title,
              false);
  }

  // ---- description ---------------------------------------------------------
  // The length of candidate i's text with whitespace collapsed (computed
  // once: descriptions are long and compared often).
  size_t Len(int i) const {
    if (lengths_.empty()) lengths_.assign(all_.size(), SIZE_MAX);
    size_t& len = lengths_[static_cast<size_t>(i)];
    if (len == SIZE_MAX) len = CollapseWhitespace(at(i).text).size();
    return len;
  }

  // The longest full copy among `ids` (a truncated one only when all are).
  int Longest(const std::vector<int>& ids) const {
    int best = -1;
    for (int i : ids) {
      if (best < 0) {
        best = i;
        continue;
      }
      const Candidate& b = at(best);
      const Candidate& c = at(i);
      if ((b.truncated && !c.truncated) ||
          (b.truncated == c.truncated && Len(i) > Len(best))) {
        best = i;
      }
    }
    return best;
  }

  // The description candidates by kind; those set aside are noted in `d`.
  struct DescriptionKinds {
    std::vector<int> profile;
    std::vector<int> metadata;
    std::vector<int> copies;
    std::vector<int> blocks;
  };

  // The show's own description and its copies, as collapsed texts.
  std::unordered_set<std::string> ShowTexts(const std::vector<int>& ids) const {
    std::unordered_set<std::string> show_texts;
    for (int i : ids) {
      if (at(i).owner == Owner::kShow && at(i).copy_of < 0)
        show_texts.insert(CollapseWhitespace(StripEllipsis(at(i).text)));
    }
    return show_texts;
  }

  // Sorts the candidates `ids` into kinds and scores them in `d`. On an
  // episode page the show's description and its copies are set aside; on a
  // show page an episode's.
  DescriptionKinds SortDescriptions(const std::vector<int>& ids,
                                    bool episode_page, Decision& d) const {
    std::unordered_set<std::string> show_texts;
    if (episode_page) show_texts = ShowTexts(ids);
    DescriptionKinds k;
    for (int i : ids) {
      const Candidate& c = at(i);
      const std::string text = CollapseWhitespace(StripEllipsis(c.text));
      ScoredCandidate sc{i, static_cast<double>(Len(i)), ""};
      if (episode_page &&
          (c.owner == Owner::kShow || show_texts.contains(text))) {
        sc.note = "the show's description, set aside on an episode page";
      } else if (!episode_page && c.owner == Owner::kEpisode && c.copy_of < 0 &&
                 c.signal != "main-text") {
        sc.note = "an episode's description, set aside on a show page";
      } else if (c.strength == Strength::kProfile) {
        k.profile.push_back(i);
      } else if (c.copy_of >= 0) {
        k.copies.push_back(i);
      } else if (!c.visible) {
        k.metadata.push_back(i);
      } else {
        k.blocks.push_back(i);
      }
      d.candidates.push_back(std::move(sc));
    }
    return k;
  }

  // Notes `text` on candidate `i` in `d` unless it has a note already.
  static void Note(Decision& d, int i, const std::string& text) {
    for (ScoredCandidate& sc : d.candidates) {
      if (sc.index == i && sc.note.empty()) sc.note = text;
    }
  }

  // The marked texts that the page shows, and their visible copies. Texts
  // shown: a visible copy of a metadata text starts like it and is as long,
  // or visibly clamped. Equal metadata texts share the answer.
  std::vector<int> MarkedTexts(const DescriptionKinds& k, Decision& d) const {
    std::unordered_set<std::string> shown_texts;
    for (int v : k.copies) {
      const int m = at(v).copy_of;
      if (at(v).truncated || Len(v) + 3 >= Len(m))
        shown_texts.insert(CollapseWhitespace(at(m).text));
    }
    std::vector<int> shown;
    for (int m : k.metadata) {
      const bool is_shown =
          shown_texts.contains(CollapseWhitespace(at(m).text));
      if (is_shown) {
        shown.push_back(m);
        Note(d, m, "shown on the page");
      } else {
        Note(d, m, "not shown in full on the page");
      }
    }
    std::vector<int> marked = shown;
    marked.insert(marked.end(), k.copies.begin(), k.copies.end());
    return marked;
  }

  // (a) The longest of the `marked` texts, when it is not cut short, or the
  // post body it is an excerpt of. False when there is none.
  bool WonByFullMarkedText(Decision& d, const std::vector<int>& marked,
                           const std::vector<int>& blocks) {
    if (marked.empty()) return false;
    const int w = Longest(marked);
    if (at(w).truncated) return false;
    // A marked text that is only the start of a longer visible block is an
    // excerpt of the post body: the body, as the main text has it, is its
    // longest full copy.
    const int body = BodyStartingWith(w, blocks);
    if (body >= 0) {
      record_.description = std::string(Trim(at(body).text));
      Won(d, body,
          "the metadata's text is an excerpt of the post body, which the "
          "page shows in full");
      return true;
    }
    record_.description = std::string(Trim(at(w).text));
    Won(d, w,
        "the longest full copy of a text the metadata marks as the "
        "description and the page shows");
    return true;
  }

  // (b) The episode's own visible text. Where the metadata has a text the
  // page does not show, a block found by position alone (the main text) must
  // share words with it: otherwise it is the site's boilerplate. False when
  // there is none.
  bool WonByVisibleBlock(Decision& d, const DescriptionKinds& k) {
    for (const char* signal : {"announced-block", "main-text", "class-named"}) {
      for (int b : k.blocks) {
        if (at(b).signal != signal) continue;
        if (std::string_view(signal) != "announced-block" &&
            !k.metadata.empty() && !SharesWords(at(b).text, k.metadata)) {
          Note(d, b, "shares no words with the metadata's text");
          continue;
        }
        record_.description = std::string(Trim(at(b).text));
        Won(d, b,
            std::string("the page shows no full copy of the metadata's text; "
                        "the visible text: ") +
                at(b).where);
        return true;
      }
    }
    return false;
  }

  void Description() {
    Decision& d = Begin(Field::kDescription);
    const bool episode_page = record_.kind != core::PageKind::kShow;
    const DescriptionKinds k =
        SortDescriptions(Of(Field::kDescription), episode_page, d);
    if (!k.profile.empty()) {
      const int w = Longest(k.profile);
      record_.description = std::string(Trim(at(w).text));
      Won(d, w, "a site profile's text");
      return;
    }
    const std::vector<int> marked = MarkedTexts(k, d);
    if (WonByFullMarkedText(d, marked, k.blocks)) return;
    if (WonByVisibleBlock(d, k)) return;
    // The longest copy, cut short as the page itself shows it.
    if (!marked.empty()) {
      const int w = Longest(marked);
      record_.description = std::string(Trim(at(w).text));
      Won(d, w,
          "every copy of the marked text is cut short; the longest one the "
          "page shows");
      return;
    }
    // (c) The metadata's text.
    std::vector<int> rest = k.metadata;
    rest.insert(rest.end(), marked.begin(), marked.end());
    if (!rest.empty()) {
      const int w = Longest(rest);
      record_.description = std::string(Trim(at(w).text));
      Won(d, w,
          "the page shows no text of its own; the metadata's longest copy");
      return;
    }
    d.reason = "no candidate";
  }

  // The main-text block that starts with the visible copy `w` of a marked
  // text and goes on, when `w` is itself longer than what it copies (the
  // marked text is the first words of a longer block); -1 otherwise.
  int BodyStartingWith(int w, const std::vector<int>& blocks) const {
    const Candidate& copy = at(w);
    if (copy.copy_of < 0) return -1;
    const size_t marked = Len(copy.copy_of);
    if (Len(w) * 5 < marked * 6) return -1;
    std::string head = CollapseWhitespace(copy.text).substr(0, 48);
    for (int b : blocks) {
      if (at(b).signal != "main-text") continue;
      const std::string body = CollapseWhitespace(at(b).text);
      if (body.size() > Len(w) && body.compare(0, head.size(), head) == 0)
        return b;
    }
    return -1;
  }

  // True when `text` has at least a fifth of the distinct long words (five
  // letters or more) of one of the `others`.
  bool SharesWords(const std::string& text,
                   const std::vector<int>& others) const {
    auto words = [](const std::string& s) {
      std::unordered_set<std::string> out;
      std::string w;
      for (char ch : AsciiLower(s) + " ") {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x80 || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
          w.push_back(ch);
        } else {
          if (w.size() >= 5) out.insert(w);
          w.clear();
        }
      }
      return out;
    };
    const std::unordered_set<std::string> mine = words(text);
    for (int o : others) {
      const std::unordered_set<std::string> theirs = words(at(o).text);
      if (theirs.empty()) continue;
      size_t common = 0;
      for (const auto& w : theirs) common += mine.count(w);
      if (common * 5 >= theirs.size()) return true;
    }
    return false;
  }

  // ---- rating --------------------------------------------------------------
  void Rating() {
    Decision& d = Begin(Field::kRating);
    int best = -1;
    auto rank = [&](const Candidate& c) {
      if (c.exact && c.strength >= Strength::kStructured) return 10.0;
      return Weight(c.strength);
    };
    for (int i : Of(Field::kRating)) {
      const double r = rank(at(i));
      d.candidates.push_back({i, r, at(i).exact ? "exact count" : ""});
      if (best < 0 || r > rank(at(best))) best = i;
    }
    if (best < 0) {
      d.reason = "no candidate";
      return;
    }
    record_.rating = at(best).rating;
    Won(d, best, "strongest evidence (exact data, then a profile, then text)");
    NoteRatingDisagreement(best);
  }

  // Adds an error when another strategy gives a rating count that no
  // rounding of the winner's explains (core::CountsAgree): one of the two
  // reads something else, or the page contradicts itself.
  void NoteRatingDisagreement(int best) {
    const Candidate& winner = at(best);
    if (!winner.rating.count) return;
    for (int i : Of(Field::kRating)) {
      const Candidate& c = at(i);
      if (i == best || c.source == winner.source || !c.rating.count) continue;
      if (core::CountsAgree(*c.rating.count, *winner.rating.count)) continue;
      record_.errors.push_back(
          "rating count disagrees: " + std::to_string(*winner.rating.count) +
          " from " + winner.source + ", " + std::to_string(*c.rating.count) +
          " from " + c.source + " (kept " + winner.source + ")");
      return;  // one line is enough to flag the page
    }
  }

  // ---- related shows -------------------------------------------------------
  void Related() {
    Decision& d = Begin(Field::kRelatedShows);
    int best = -1;
    const Candidate* counts = nullptr;
    auto rank = [&](const Candidate& c) {
      if (c.strength == Strength::kProfile) return 3;
      if (c.signal == "related-heading") return 2;
      return 1;
    };
    for (int i : Of(Field::kRelatedShows)) {
      const Candidate& c = at(i);
      if (c.signal == "state-counts") {
        counts = &c;
        d.candidates.push_back({i, 0, "exact counts, used to refine"});
        continue;
      }
      d.candidates.push_back({i, static_cast<double>(rank(c)),
                              std::to_string(c.related.size()) + " shows"});
      if (best < 0 || rank(c) > rank(at(best))) best = i;
    }
    if (best < 0) {
      d.reason = "no related-shows list on the page";
      return;
    }
    std::vector<core::RelatedShow> shows = at(best).related;
    bool refined = false;
    if (counts != nullptr) {
      std::unordered_map<std::string, int64_t> exact;
      for (const auto& s : counts->related) {
        if (s.listeners) exact.emplace(NameKey(s.name), *s.listeners);
      }
      for (auto& s : shows) {
        auto it = exact.find(NameKey(s.name));
        if (it == exact.end() || !s.listeners) continue;
        const auto shown = static_cast<double>(*s.listeners);
        const double tolerance = std::max(1.0, shown * 0.06);
        if (std::fabs(static_cast<double>(it->second) - shown) <= tolerance) {
          refined |= it->second != *s.listeners;
          s.listeners = it->second;
        } else if (!core::CountsAgree(it->second, *s.listeners)) {
          record_.errors.push_back("listeners of " + s.name + " disagree: " +
                                   std::to_string(*s.listeners) + " shown, " +
                                   std::to_string(it->second) + " from " +
                                   counts->source + " (kept the shown count)");
        }
      }
    }
    record_.related_shows = std::move(shows);
    Won(d, best,
        at(best).where + (refined ? "; rounded counts replaced by exact ones "
                                    "from page state"
                                  : ""));
    if (refined && at(best).source == "text")
      record_.sources["related_shows"] = "state-json";
  }

  // ---- the rest ------------------------------------------------------------
  int Strongest(Field field, Decision& d) const {
    int best = -1;
    for (int i : Of(field)) {
      const Candidate& c = at(i);
      const bool usable = c.owner != Owner::kPerson &&
                          c.owner != Owner::kPlatform &&
                          c.owner != Owner::kOtherShow;
      d.candidates.push_back({i, Weight(c.strength),
                              usable ? "" : "belongs to a person or platform"});
      if (!usable) continue;
      if (best < 0 || c.strength > at(best).strength) best = i;
    }
    return best;
  }

  void Simple(Field field, std::optional<std::string>* value) {
    Decision& d = Begin(field);
    const int best = Strongest(field, d);
    if (best < 0) {
      d.reason = "no candidate";
      return;
    }
    *value = at(best).text;
    Won(d, best, "the strongest candidate, the first of equals");
  }

  // An identifier of the show beyond the site: a wrong one merges two shows
  // in show_identity, so it is taken only when the candidates of the
  // strongest strength present (other shows' aside) all name one value.
  void Identifier(Field field, std::optional<std::string>* value) {
    Decision& d = Begin(field);
    int winner = -1;
    bool conflict = false;
    for (int i : Of(field)) {
      const Candidate& c = at(i);
      const bool usable = c.owner != Owner::kOtherShow;
      d.candidates.push_back(
          {i, Weight(c.strength), usable ? "" : "belongs to another show"});
      if (!usable) continue;
      if (winner < 0 || c.strength > at(winner).strength) {
        winner = i;
        conflict = false;
      } else if (c.strength == at(winner).strength &&
                 c.text != at(winner).text) {
        conflict = true;
      }
    }
    if (winner < 0) {
      d.reason = "no candidate";
      return;
    }
    if (conflict) {
      d.reason = "the strongest candidates name different values: none taken";
      return;
    }
    *value = at(winner).text;
    Won(d, winner, "the one value of the strongest candidates");
  }

  void Duration() {
    Decision& d = Begin(Field::kDurationS);
    const int best = Strongest(Field::kDurationS, d);
    if (best < 0) {
      d.reason = "no candidate";
      return;
    }
    record_.duration_s = at(best).number;
    Won(d, best, "the strongest candidate, the first of equals");
  }

  const std::vector<Candidate>& all_;
  core::Record& record_;
  std::vector<Decision>* decisions_;
  Decision scratch_;
  mutable std::vector<size_t> lengths_;
};

}  // namespace

void Resolve(const Candidates& candidates, core::Record* record,
             std::vector<Decision>* decisions) {
  Resolver(candidates, record, decisions).Run();
}

}  // namespace parser
