// The words the extraction rules rely on, in one place, in English, German,
// French, Spanish, Italian, Portuguese, Dutch and Swedish (and a few more where
// sites use them): rating and listener labels, "by", "you may also like",
// "more episodes from", "powered by", "summary", "show notes", player and
// download lines. Matching is case-insensitive on ASCII letters; the lists
// hold accented forms as written.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace parser::lexicon {

// '|'-separated words after a count (text_util.h FindCountBefore): "2,345
// ratings", "1.2K Listeners", "27 votes", "12 Bewertungen".
extern const std::string_view kRatingWords;
extern const std::string_view kListenerWords;

// True when `word` (the last word before a link or a name) introduces an
// author or owner: "by", "von", "par", "de", "di", "door", "av", "por", ...
bool IsByWord(std::string_view word);

// True when the text just before a link says that what follows is a platform
// or vendor ("Podcast powered by", "hosted on", "Player von").
bool IntroducesPlatform(std::string_view text_before);

// True when the text just before a link or name says a person follows
// ("reporting assistance from", "ein Gespräch von", "un documentaire de",
// "hosted by", "written by", "produced by").
bool IntroducesPerson(std::string_view text_before);

// True for a heading or label over a list of shows related to this one ("You
// may also like", "Listeners also follow", "Das gefällt dir vielleicht auch",
// "Vous aimerez aussi"); false for lists of the same show's episodes ("More
// from", "Other episodes").
bool IsRelatedHeading(std::string_view text);

// "More episodes from SHOW", "Weitere Folgen von SHOW", "Plus d'épisodes de
// SHOW": returns SHOW.
std::optional<std::string> MoreEpisodesFrom(std::string_view text);

// "Subscribe to SHOW", "SHOW abonnieren", "S'abonner à SHOW", "Suscríbete a
// SHOW": returns SHOW.
std::optional<std::string> SubscribeTo(std::string_view text);

// A label in front of the show's name: "Podcast:", "Show:", "Programa:",
// "Sendung:", "Émission:". `label` is the text before the name, with or
// without the colon.
bool IsShowLabel(std::string_view label);

// True when a heading announces the episode's description ("About this
// episode", "Show notes", "Summary", "Beschreibung", "Descripción de ...",
// "Résumé", "Sommario").
bool AnnouncesDescription(std::string_view heading);

// True when a heading starts a part that is not the description: a
// transcript, comments, credits, downloads, "listen now", contact.
bool EndsDescription(std::string_view heading);

// True for the text of a player, download or subscribe control or line ("Play
// in new window", "Download", "MP3-DOWNLOAD (01:00 h)", "Subscribe: Apple
// Podcasts | RSS", "Listen now", "Escuchar").
bool IsPlayerLine(std::string_view text);

// True for a line of a post's metadata that ends its text: "Tags: ...",
// "Filed under ...", "Kategorie: ...", "Étiquettes : ...".
bool IsPostMetaLine(std::string_view text);

// True for a "see all" / "show more" link or button text.
bool IsSeeAll(std::string_view text);

// True for words that name a kind of page rather than a show ("Podcast",
// "Podcasts", "Episode", "Home", "Startseite").
bool IsGenericName(std::string_view text);

}  // namespace parser::lexicon
