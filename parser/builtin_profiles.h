// The site profiles that ship with podcrawl (Goodpods, Apple Podcasts, Spotify,
// Podchaser). They use the same core::SiteProfile shape as the user's config
// profiles (see selector.h for the selector language); the config's profiles
// are tried first.
#pragma once

#include <vector>

#include "core/site_profile.h"

namespace parser {

// Returns the built-in profiles (built once; thread-safe).
const std::vector<core::SiteProfile>& BuiltinProfiles();

}  // namespace parser
