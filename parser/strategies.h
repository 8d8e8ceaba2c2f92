// The extraction strategies (DESIGN.md "How extraction works"): each reads the
// page through its PageContext and proposes candidates; none decides a field.
// ParsePage runs them in the order of kStrategies: later strategies may read
// earlier candidates as evidence (the visible copies of a description are
// looked for from the metadata's copies), never overwrite them.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "parser/candidate.h"
#include "parser/page_context.h"

namespace parser {

using Strategy = void (*)(PageContext& ctx, Candidates& out);

// JSON-LD blocks (schema.org, with @graph and @id references).
void ProposeJsonLd(PageContext& ctx, Candidates& out);
// Microdata items, read as schema.org like JSON-LD.
void ProposeMicrodata(PageContext& ctx, Candidates& out);
// Embedded page state: __NEXT_DATA__, __NUXT_DATA__, application/json blobs.
void ProposeStateJson(PageContext& ctx, Candidates& out);
// Site profiles of the user's config, then the built-in ones.
void ProposeProfiles(PageContext& ctx, Candidates& out);
// The attributes the site profiles (the user's, `user`, and the built-in ones)
// read, lowercase: the prefilter keeps them (Thinning::also_read).
std::vector<std::string> AttributesProfilesRead(
    const std::vector<core::SiteProfile>& user);
// Meta and link tags: OpenGraph, description, canonical, feed, audio, dates.
void ProposeMeta(PageContext& ctx, Candidates& out);
// The page's player or audio link (evidence that the page is an episode's).
void ProposeMedia(PageContext& ctx, Candidates& out);
// Related-show lists under a heading; marks their sections in `ctx`.
void ProposeRelated(PageContext& ctx, Candidates& out);
// The title's segments, the page's headings, links to the show's page,
// breadcrumbs and categories, "More episodes from SHOW".
void ProposeTitleAndHeadings(PageContext& ctx, Candidates& out);
// Text patterns: "By SHOW", "Podcast: SHOW", ratings and counts, the player.
void ProposeTextPatterns(PageContext& ctx, Candidates& out);
// Description text a reader sees: the visible copies of the metadata's texts,
// the blocks that headings announce, the episode's main text block.
void ProposeVisibleDescriptions(PageContext& ctx, Candidates& out);
// The show's identifiers beyond the site (parser/identity.h): podcast:guid
// meta tags and page data, links to the show on Apple Podcasts and Spotify
// outside the related lists that ProposeRelated marked.
void ProposeIdentity(PageContext& ctx, Candidates& out);

inline constexpr std::array<Strategy, 11> kStrategies = {
    ProposeJsonLd,       ProposeMicrodata,
    ProposeStateJson,    ProposeProfiles,
    ProposeMeta,         ProposeMedia,
    ProposeRelated,      ProposeTitleAndHeadings,
    ProposeTextPatterns, ProposeVisibleDescriptions,
    ProposeIdentity};

}  // namespace parser
