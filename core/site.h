// Sites: which URLs a page may speak for. A page names the key of its record
// (<link rel=canonical>, og:url) and, on an episode page, the show it belongs
// to; storage then writes the shows and episodes under those URLs. Were any
// URL accepted, a page on one host could rename, re-rate or add snapshots to a
// show of another site. So a named URL counts only within the fetched page's
// own site: the same registrable domain (Public Suffix List, via libpsl:
// "www.bbc.co.uk" and "news.bbc.co.uk" are one site, "a.co.uk" and "b.co.uk"
// are two), or the site of a host the request was redirected through.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/record.h"

namespace core {

// Returns `host` lowercased, without IPv6 brackets ("[::1]" -> "::1") or
// trailing dots, so two spellings of one host compare equal. Thread-safe.
std::string CanonicalHost(std::string_view host);

// Returns the registrable domain of `host` ("podcasts.example.co.uk" ->
// "example.co.uk"), lowercased, without IPv6 brackets or a trailing dot. An IP
// address, a public suffix itself ("github.io") and a name the list does not
// split further are returned whole. Thread-safe.
std::string RegistrableDomain(std::string_view host);

// Returns true when the absolute URLs `a` and `b` have hosts of the same
// registrable domain (false when either has no host). Thread-safe.
bool SameSite(std::string_view a, std::string_view b);

// Returns nullopt when the page fetched from `page_url` may name `claimed` as
// one of its record's keys: `claimed` is of the same site as `page_url`, or
// as `requested_url` (the URL asked for, which redirected to `page_url`; may
// be empty). Else returns why not, e.g. "another site than example.com".
std::optional<std::string> ForeignSiteReason(std::string_view claimed,
                                             std::string_view page_url,
                                             std::string_view requested_url);

// Applies ForeignSiteReason to the record of a page: a canonical_url or
// show_url of another site is cleared (with its source), and the record's
// errors say so ("canonical https://b.example/x refused: another site than
// a.example"), so record->url is the key instead. `record->url` is where the
// page was fetched from; `requested_url` what was asked for (may be empty).
// Does nothing when record->url has no host (a saved page parsed without a
// URL).
void ConfineToSite(Record* record, std::string_view requested_url);

}  // namespace core
