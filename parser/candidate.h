// Candidates: what the strategies propose and the resolver decides
// (DESIGN.md "How extraction works"). Every strategy reads the page and adds
// candidate values for record fields, each with its evidence: which strategy
// and which part of the page it came from, whether a reader sees it, what it
// belongs to (the episode, its show, the site, a person, a platform, another
// show) and whether it is complete. No strategy sets a record field; the
// resolver (parser/resolver.h) picks each field's winner from all candidates.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"

namespace parser {

enum class Field : uint8_t {
  kKind,
  kShowName,
  kShowUrl,
  kEpisodeTitle,
  kDescription,
  kRating,
  kRelatedShows,
  kCanonicalUrl,
  kFeedUrl,
  kAudioUrl,
  kPublished,
  kDurationS,
  kLanguage,
  kPodcastGuid,
  kAppleId,
  kSpotifyId,
};
inline constexpr int kFieldCount = 16;

// Returns the record's JSON name of the field ("show_name", ...).
std::string_view FieldName(Field field);

// What a candidate's value belongs to, as far as its evidence says.
enum class Owner : uint8_t {
  kUnknown,    // the evidence says nothing
  kEpisode,    // this page's episode
  kShow,       // the podcast this page is about
  kSite,       // the site's own name (a show's own site, or a network's)
  kNetwork,    // a network, broadcaster or publisher of many shows
  kPerson,     // a host, guest, author or reporter
  kPlatform,   // a hosting platform or player vendor ("powered by")
  kOtherShow,  // another show (a related list, a card)
};

// Returns "unknown", "episode", "show", "site", "network", "person",
// "platform" or "other show".
std::string_view OwnerName(Owner owner);

// How much one signal counts by the kind of evidence behind it.
enum class Strength : uint8_t {
  kGuess = 1,       // a word pattern or a class name on the page
  kPage = 2,        // a meta tag, a title segment, a heading, a link
  kStructured = 3,  // typed schema.org data, embedded page state
  kProfile = 4,     // a site profile (the user's or a built-in one)
};

struct Candidate {
  Field field = Field::kShowName;
  // The value: text for string and URL fields (already cleaned; URLs
  // absolute), the kind's name for kKind.
  std::string text;
  std::optional<int64_t> number;           // kDurationS
  core::Rating rating;                     // kRating
  std::vector<core::RelatedShow> related;  // kRelatedShows

  // Evidence.
  std::string source;  // what the record's `sources` says if it wins
  std::string where;   // the place on the page, for --explain ("og:site_name")
  // Candidates of one signal do not reinforce each other (og:title and
  // <title> are one "title" signal); distinct signals that agree do.
  std::string signal;
  Strength strength = Strength::kPage;
  Owner owner = Owner::kUnknown;
  bool visible = false;    // a reader sees this value on the page
  bool truncated = false;  // cut short ("…", "Read more")
  bool exact = false;      // a count from data, not a rounded display
  // For a visible copy of a metadata text: the index (in Candidates::items())
  // of the candidate it copies; -1 otherwise.
  int copy_of = -1;
};

// The candidates of one page, in the order the strategies proposed them.
class Candidates {
 public:
  // Adds `c` and returns it (for the caller to refine).
  Candidate& Add(Candidate c) {
    items_.push_back(std::move(c));
    return items_.back();
  }
  // Adds a text candidate; empty text is ignored (returns nullptr).
  Candidate* AddText(Field field, std::string text, std::string source,
                     std::string where, std::string signal, Strength strength,
                     Owner owner = Owner::kUnknown, bool visible = false);

  const std::vector<Candidate>& items() const { return items_; }
  // Returns the index of `c`, which must be one of items().
  int IndexOf(const Candidate* c) const {
    return static_cast<int>(c - items_.data());
  }
  // Returns the candidates of `field`, in proposal order.
  std::vector<const Candidate*> Of(Field field) const;
  // Returns the first candidate of `field` from a strategy at least as strong
  // as `strength`, or nullptr.
  const Candidate* First(Field field,
                         Strength strength = Strength::kGuess) const;

 private:
  std::vector<Candidate> items_;
};

// Returns the key names are compared by: ASCII letters lowercased, runs of
// whitespace as one space, quotes and punctuation at either end dropped.
std::string NameKey(std::string_view name);

// Proposes a description from metadata or data (`raw` may hold markup or
// entities): cleaned, with a "Listen to this episode from SHOW on SITE."
// prefix removed (and SHOW proposed as the show's name), and marked truncated
// when it ends in an ellipsis. Texts under two characters are ignored.
void ProposeDescription(Candidates& out, std::optional<std::string> raw,
                        const std::string& source, const std::string& where,
                        Owner owner, Strength strength = Strength::kStructured,
                        bool visible = false);

// Proposes a rating; out-of-range members are dropped, and nothing is proposed
// when neither remains.
void ProposeRating(Candidates& out, std::optional<double> value,
                   std::optional<int64_t> count, const std::string& source,
                   const std::string& where, Strength strength, bool exact);

}  // namespace parser
