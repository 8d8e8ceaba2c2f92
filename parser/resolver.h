// The resolver: decides every field of the record from all candidates, by the
// rules written down here and nowhere else (DESIGN.md "How extraction works").
//
// Weights: a guess (a word pattern) counts 1, a page signal (meta tag, title
// segment, heading, link) 2, typed structured data 4, a site profile 8.
//
// - kind: the kinds that candidates name, weighed; a page's player or audio
//   file says "episode"; with no podcast signal at all, "unknown".
// - show_name: candidates with the same name (compared by NameKey, a leading
//   "The" aside) form a group. Each independent signal adds its weight once
//   (+1 when its evidence says the name is the show's); the site's own name
//   adds half; evidence that the name is a person's, a platform's, a
//   network's or publisher's, another show's or the episode's subtracts. A name
//   that says "podcast" gets +1. The highest group above zero wins; on a page
//   of kind unknown only a podcast-specific signal (data, a profile, a label, a
//   "more episodes from" heading) can name a show, never the site's name or
//   title alone.
// - episode_title: the same grouping; only on episode pages.
// - description: a site profile's text first. Then the texts the metadata
//   marks as the description that the page shows (a visible copy starts like
//   them, and is either as long or visibly clamped), with their visible
//   copies: the longest full copy. Otherwise the episode's own visible text: a
//   block a heading announces, then the main text after the title, then a
//   block named like a description. Only then the metadata's text, longest
//   full copy first. The show's description (marked as the show's, or equal
//   to it) never describes an episode page.
// - rating: exact counts from structured data first, then a profile, then
//   text; the first of the strongest. When another strategy's count is not a
//   rounding of the winner's (core::CountsAgree), errors says so.
// - related_shows: a profile's list, then the list under a related heading
//   (an empty list when that section holds no show), then page state; rounded
//   visible counts are replaced by exact counts from page state within 6%;
//   an exact count further off, and not a rounding, is noted in errors.
// - podcast_guid, apple_id, spotify_id: the one value that the strongest
//   candidates (other shows' aside) agree on; none when they name two, since
//   a wrong identifier merges two shows in show_identity.
// - everything else: the strongest candidate, the first of equals.
#pragma once

#include <string>
#include <vector>

#include "core/record.h"
#include "parser/candidate.h"

namespace parser {

// One candidate as the resolver saw it, for `parse --explain`.
struct ScoredCandidate {
  int index = -1;    // in Candidates::items()
  double score = 0;  // the group's or the candidate's score
  std::string note;  // why it scored so, or why it was set aside
};

struct Decision {
  Field field = Field::kKind;
  std::vector<ScoredCandidate> candidates;
  int winner = -1;     // index in Candidates::items(), -1 when none won
  std::string reason;  // why the winner won (or why the field is empty)
};

// Decides every field of `record` (url and links are left alone; errors only
// gains the disagreements above) from `candidates`, and sets
// record->sources. When `decisions` is not null, it
// receives one Decision per field, in Field order.
void Resolve(const Candidates& candidates, core::Record* record,
             std::vector<Decision>* decisions = nullptr);

}  // namespace parser
