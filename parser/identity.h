// Identifiers of a show beyond the site of the page (parser-internal; README
// "The same show across sites"): its podcast:guid (Podcasting 2.0 namespace,
// https://podcastindex.org/namespace/1.0#guid: a UUIDv5 of the feed URL),
// Apple Podcasts' numeric id and Spotify's show id. A wrong identifier merges
// two shows in the show_identity view, so these readers only accept values
// whose form and place say what they are: a UUID under a key or meta name
// that means the podcast's guid, an Apple id from a podcast URL of Apple
// Podcasts or iTunes (not an app's), a Spotify id from a show URL. The
// resolver then takes a value only when the strongest evidence names one.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "parser/candidate.h"
#include "parser/schema_org.h"

namespace parser {

// Returns Apple Podcasts' numeric show id of a podcast URL on
// podcasts.apple.com or itunes.apple.com ("/us/podcast/slug/id1587654321",
// "/podcast/id1587654321", with "?i=..." on an episode's URL); nullopt for
// anything else (apps.apple.com, music, a path without "/podcast/").
std::optional<std::string> AppleShowId(std::string_view url);

// Returns Spotify's show id of "open.spotify.com/show/ID" (ID: 22 base-62
// characters, an "/intl-xx" segment allowed) or "spotify:show:ID"; nullopt for
// episodes, playlists, users and anything else.
std::optional<std::string> SpotifyShowId(std::string_view url);

// Returns `text` as a lowercase UUID when it is one (8-4-4-4-12 hex digits,
// with or without a "urn:uuid:" prefix); nullopt otherwise.
std::optional<std::string> PodcastGuidOf(std::string_view text);

// Proposes the identifiers that a schema.org series node states as its own:
// the Apple Podcasts and Spotify URLs of its sameAs, and an identifier
// (a PropertyValue whose propertyID is "podcast:guid"). Owner kShow,
// strength kStructured, `source` "json-ld" or "microdata".
void ProposeSeriesIdentifiers(const Json& series, const std::string& source,
                              Candidates& out);

}  // namespace parser
