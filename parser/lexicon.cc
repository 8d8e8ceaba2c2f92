#include "parser/lexicon.h"

#include <algorithm>
#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "parser/text_util.h"

namespace parser::lexicon {
namespace {

using Words = std::initializer_list<std::string_view>;

// Letters and digits, and every byte of a multi-byte UTF-8 character.
bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return u >= 0x80 || (u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') ||
         (u >= '0' && u <= '9');
}

// True when one of the words occurs in `lower` at the start of a word (a word
// that starts with punctuation anywhere) or, with `whole`, as a whole word.
bool ContainsAt(std::string_view lower, Words words, bool whole) {
  for (std::string_view w : words) {
    for (size_t p = lower.find(w); p != std::string_view::npos;
         p = lower.find(w, p + 1)) {
      const size_t end = p + w.size();
      const bool starts =
          p == 0 || !IsWordByte(lower[p - 1]) || (!whole && !IsWordByte(w[0]));
      const bool ends = !whole || end == lower.size() ||
                        !IsWordByte(lower[end]) || !IsWordByte(w.back());
      if (starts && ends) return true;
    }
  }
  return false;
}

// True when one of the words occurs in `lower` at the start of a word
// ("comments" holds "comment"; "uncomment" does not).
bool ContainsAny(std::string_view lower, Words words) {
  return ContainsAt(lower, words, /*whole=*/false);
}

// True when one of the words occurs in `lower` as a whole word or phrase
// ("author" in "the author:", not in "authority").
bool ContainsWord(std::string_view lower, Words words) {
  return ContainsAt(lower, words, /*whole=*/true);
}

// True when `lower` ends with one of the words as a whole word.
bool EndsWithWord(std::string_view lower, Words words) {
  return std::ranges::any_of(words, [&](std::string_view w) {
    if (lower.size() < w.size() || lower.substr(lower.size() - w.size()) != w)
      return false;
    return lower.size() == w.size() ||
           lower[lower.size() - w.size() - 1] == ' ';
  });
}

bool EqualsAny(std::string_view lower, Words words) {
  return std::ranges::any_of(words,
                             [&](std::string_view w) { return lower == w; });
}

bool StartsWithAny(std::string_view lower, Words words) {
  return std::ranges::any_of(
      words, [&](std::string_view w) { return lower.rfind(w, 0) == 0; });
}

// Lowercases ASCII letters and the Latin-1 capitals (À-Þ, as UTF-8), so that
// "Émission" and "Über" match "émission" and "über".
std::string Lower(std::string_view s) {
  std::string out = AsciiLower(s);
  for (size_t i = 0; i + 1 < out.size(); ++i) {
    const auto lead = static_cast<unsigned char>(out[i]);
    const auto next = static_cast<unsigned char>(out[i + 1]);
    if (lead == 0xC3 && next >= 0x80 && next <= 0x9E && next != 0x97) {
      out[i + 1] = static_cast<char>(next + 0x20);
      ++i;
    }
  }
  return out;
}

// Lowercased, whitespace collapsed, trailing colons and dashes dropped.
std::string Norm(std::string_view s) {
  std::string l = Lower(CollapseWhitespace(s));
  while (!l.empty() && (l.back() == ':' || l.back() == ' ' || l.back() == '-'))
    l.pop_back();
  return l;
}

}  // namespace

const std::string_view kRatingWords =
    "ratings|rating|votes|vote|reviews|review|avis|évaluations|évaluation|"
    "notes|valoraciones|valoración|reseñas|bewertungen|bewertung|"
    "calificaciones|avaliações|avaliação|valutazioni|recensioni|voti|"
    "beoordelingen|recensies|stemmen|betyg|omdömen|recensioner";

const std::string_view kListenerWords =
    "listeners|listener|auditeurs|auditeur|oyentes|oyente|ouvintes|ouvinte|"
    "ascoltatori|hörer|hörerinnen|luisteraars|lyssnare|followers|follower|"
    "subscribers|abonnés|abonnenten|suscriptores|seguidores|iscritti|"
    "volgers|prenumeranter|följare";

bool IsByWord(std::string_view word) {
  return EqualsAny(Norm(word), {"by", "par", "von", "de", "from", "di", "da",
                                "door", "av", "por", "från"});
}

bool IntroducesPlatform(std::string_view text_before) {
  const std::string l = Norm(text_before);
  return EndsWithWord(l, {"powered by",
                          "hosted on",
                          "hosted with",
                          "player by",
                          "player von",
                          "bereitgestellt von",
                          "gehostet von",
                          "gehostet bei",
                          "propulsé par",
                          "hébergé par",
                          "hébergé sur",
                          "con la tecnología de",
                          "alojado en",
                          "alojado por",
                          "ospitato da",
                          "ospitato su",
                          "hospedado por",
                          "hospedado em",
                          "mogelijk gemaakt door",
                          "gehost door",
                          "drivs av",
                          "publicerad med",
                          "podcast by",
                          "podcast von",
                          "made with",
                          "built with",
                          "published with",
                          "distributed by",
                          "embed from",
                          "listen on",
                          "subscribe on"});
}

bool IntroducesPerson(std::string_view text_before) {
  const std::string l = Norm(text_before);
  return ContainsWord(l, {"assistance from",
                          "reporting from",
                          "reporting by",
                          "written by",
                          "produced by",
                          "edited by",
                          "hosted by",
                          "interview by",
                          "photo by",
                          "photos by",
                          "image by",
                          "illustration by",
                          "gespräch von",
                          "interview von",
                          "moderiert von",
                          "moderation:",
                          "autor",
                          "author",
                          "auteur",
                          "réalisé par",
                          "documentaire de",
                          "un film de",
                          "entretien avec",
                          "présenté par",
                          "presentado por",
                          "entrevista a",
                          "escrito por",
                          "condotto da",
                          "a cura di",
                          "apresentado por",
                          "gepresenteerd door",
                          "presenteras av"}) ||
         EndsWithWord(l, {"with", "mit", "avec", "con", "com", "met", "med"});
}

bool IsRelatedHeading(std::string_view text) {
  if (text.empty() || text.size() > 80) return false;
  const std::string l = Lower(text);
  if (ContainsAny(
          l, {"more from", "more episodes", "other episodes", "autres épisodes",
              "top podcasts", "top charts", "episodes of", "latest episodes",
              "recent episodes", "weitere folgen", "andere folgen",
              "más episodios", "otros episodios", "altri episodi",
              "outros episódios", "meer afleveringen", "fler avsnitt",
              "mehr von", "plus de"})) {
    return false;
  }
  return ContainsAny(l, {"also like",
                         "might like",
                         "may like",
                         "also enjoy",
                         "might enjoy",
                         "related podcasts",
                         "related shows",
                         "similar podcasts",
                         "similar shows",
                         "also follow",
                         "listeners also",
                         "fans also",
                         "people also",
                         "recommended podcasts",
                         "recommended shows",
                         "more like this",
                         "you'll like",
                         "podcasts similaires",
                         "émissions similaires",
                         "podcasts similares",
                         "programas similares",
                         "podcasts relacionados",
                         "ähnliche podcasts",
                         "ähnliche sendungen",
                         "te puede gustar",
                         "te podría gustar",
                         "vous aimerez",
                         "aussi aimer",
                         "gefällt dir vielleicht",
                         "gefallen dir vielleicht",
                         "könnte dir auch gefallen",
                         "könnten dir auch gefallen",
                         "potrebbero piacerti",
                         "potrebbe piacerti",
                         "ti potrebbe",
                         "você também pode gostar",
                         "você pode gostar",
                         "pode gostar",
                         "misschien ook leuk",
                         "vind je misschien",
                         "du kanske också gillar",
                         "du kanske gillar",
                         "liknande poddar",
                         "liknande podcasts",
                         "vergelijkbare podcasts",
                         "podcast simili",
                         "programmi simili"});
}

// Returns, for each of `leads` that `text` (whitespace collapsed) starts with,
// case-insensitively, in their order, what follows it: trimmed, without
// trailing characters of `strip`. None for a text over 160 bytes (a
// paragraph, not a label).
std::vector<std::string> TextsAfterLeads(std::string_view text, Words leads,
                                         std::string_view strip) {
  std::vector<std::string> out;
  if (text.size() > 160) return out;
  const std::string collapsed = CollapseWhitespace(text);
  const std::string_view view = collapsed;
  const std::string l = Lower(collapsed);
  for (std::string_view lead : leads) {
    if (l.rfind(lead, 0) != 0) continue;
    std::string rest(Trim(view.substr(lead.size())));
    while (!rest.empty() && strip.find(rest.back()) != std::string_view::npos)
      rest.pop_back();
    out.push_back(std::move(rest));
  }
  return out;
}

std::optional<std::string> MoreEpisodesFrom(std::string_view text) {
  for (std::string& rest : TextsAfterLeads(text,
                                           {"more episodes from ",
                                            "more episodes of ",
                                            "all episodes of ",
                                            "all episodes from ",
                                            "more from ",
                                            "weitere folgen von ",
                                            "alle folgen von ",
                                            "mehr von ",
                                            "plus d'épisodes de ",
                                            "plus d’épisodes de ",
                                            "tous les épisodes de ",
                                            "más episodios de ",
                                            "todos los episodios de ",
                                            "altri episodi di ",
                                            "tutti gli episodi di ",
                                            "mais episódios de ",
                                            "todos os episódios de ",
                                            "meer afleveringen van ",
                                            "alle afleveringen van ",
                                            "fler avsnitt av ",
                                            "alla avsnitt av ",
                                            "fler avsnitt från "},
                                           ":.")) {
    // "Mehr von uns", "More from us": a pronoun, not a name.
    const bool one_lower_word = rest.find(' ') == std::string::npos &&
                                !rest.empty() && rest[0] >= 'a' &&
                                rest[0] <= 'z';
    if (rest.size() >= 2 && !one_lower_word) return std::move(rest);
  }
  return std::nullopt;
}

std::optional<std::string> SubscribeTo(std::string_view text) {
  if (text.size() > 160) return std::nullopt;
  const std::vector<std::string> rests = TextsAfterLeads(
      text,
      {"subscribe to the ", "subscribe to ", "follow the podcast ",
       "abonniere den podcast ", "s'abonner à ", "s’abonner à ",
       "abonnez-vous à ", "suscríbete a ", "suscribirse a ", "iscriviti a ",
       "assine o ", "abonneer op ", "prenumerera på "},
      ":.!");
  if (!rests.empty()) {
    const std::string& rest = rests.front();
    const std::string lower = Lower(rest);
    if (rest.size() < 2 || lower == "our podcast" || lower == "the podcast" ||
        lower == "podcast" || lower == "our newsletter" ||
        lower.find("newsletter") != std::string::npos ||
        lower.find("updates") != std::string::npos ||
        lower.find("channel") != std::string::npos) {
      return std::nullopt;
    }
    return rest;
  }
  // "SHOW abonnieren" (German, Dutch): the name before the verb.
  const std::string collapsed = CollapseWhitespace(text);
  const std::string_view view = collapsed;
  const std::string l = Lower(collapsed);
  for (std::string_view tail : {" abonnieren", " abonneren"}) {
    if (l.size() <= tail.size() + 1 ||
        l.compare(l.size() - tail.size(), tail.size(), tail) != 0)
      continue;
    std::string name(Trim(view.substr(0, l.size() - tail.size())));
    const std::string lower = Lower(name);
    if (name.size() < 2 || lower == "podcast" || lower == "jetzt" ||
        lower.find("newsletter") != std::string::npos) {
      return std::nullopt;
    }
    return name;
  }
  return std::nullopt;
}

bool IsShowLabel(std::string_view label) {
  return EqualsAny(Norm(label), {"podcast",
                                 "show",
                                 "programa",
                                 "programme",
                                 "program",
                                 "programm",
                                 "sendung",
                                 "sendereihe",
                                 "émission",
                                 "emission",
                                 "série",
                                 "serie",
                                 "série de podcasts",
                                 "programma",
                                 "trasmissione",
                                 "programa de rádio",
                                 "podcastserie",
                                 "reeks",
                                 "radioprogram",
                                 "canal",
                                 "from the podcast",
                                 "aus dem podcast",
                                 "du podcast",
                                 "del podcast",
                                 "do podcast",
                                 "uit de podcast",
                                 "från podden",
                                 "podd"});
}

bool AnnouncesDescription(std::string_view heading) {
  const std::string l = Norm(heading);
  if (l.size() > 200) return false;
  // "Descripción de <the episode's title>": the word leads a long heading.
  for (std::string_view lead :
       {"description of ", "descripción de ", "description de ",
        "beschreibung von ", "descrizione di ", "descrição de ",
        "beschrijving van ", "beskrivning av ", "about "}) {
    if (l.rfind(lead, 0) == 0) return true;
  }
  if (l.size() > 80) return false;
  return ContainsAny(l, {"about this episode",
                         "about the episode",
                         "episode description",
                         "episode notes",
                         "show notes",
                         "shownotes",
                         "description",
                         "summary",
                         "synopsis",
                         "beschreibung",
                         "zusammenfassung",
                         "über diese folge",
                         "zur folge",
                         "à propos de cet épisode",
                         "résumé",
                         "descripción",
                         "resumen",
                         "sobre este episodio",
                         "descrizione",
                         "sommario",
                         "riassunto",
                         "descrição",
                         "resumo",
                         "sobre este episódio",
                         "beschrijving",
                         "samenvatting",
                         "over deze aflevering",
                         "beskrivning",
                         "sammanfattning",
                         "om avsnittet",
                         "episode details",
                         "in this episode",
                         "in dieser folge",
                         "dans cet épisode",
                         "en este episodio"});
}

bool EndsDescription(std::string_view heading) {
  const std::string l = Norm(heading);
  return ContainsAny(l, {"transcript",
                         "transkript",
                         "transcription",
                         "transcripción",
                         "trascrizione",
                         "transcrição",
                         "transcriptie",
                         "comment",
                         "kommentar",
                         "commentaire",
                         "comentario",
                         "commento",
                         "comentário",
                         "reactie",
                         "leave a reply",
                         "antworten",
                         "répondre",
                         "download",
                         "herunterladen",
                         "télécharger",
                         "descargar",
                         "scarica",
                         "baixar",
                         "listen now",
                         "escute agora",
                         "jetzt anhören",
                         "écouter",
                         "escuchar",
                         "ascolta",
                         "ouvir",
                         "luister",
                         "lyssna",
                         "subscribe",
                         "abonnieren",
                         "s'abonner",
                         "suscríbete",
                         "contact",
                         "kontakt",
                         "contato",
                         "contacto",
                         "contatti",
                         "share",
                         "teilen",
                         "partager",
                         "compartir",
                         "condividi",
                         "compartilhar",
                         "delen",
                         "dela",
                         "tags",
                         "related",
                         "credits",
                         "music:",
                         "musik:",
                         "how to listen",
                         "where to listen",
                         "so hörst du",
                         "lee el episodio",
                         "leer el episodio",
                         "read the episode",
                         "read the transcript"});
}

bool IsPlayerLine(std::string_view text) {
  const std::string l = Norm(text);
  if (l.empty()) return true;
  if (l.size() > 120) return false;
  // A bare address on its own line (an audio file, an embed's fallback).
  if ((l.rfind("http://", 0) == 0 || l.rfind("https://", 0) == 0) &&
      l.find(' ') == std::string::npos) {
    return true;
  }
  for (std::string_view lead :
       {"listen:", "download:", "hören:", "anhören:", "écouter :", "écouter:",
        "télécharger :", "escuchar:", "descargar:", "ascolta:", "scarica:",
        "ouvir:", "baixar:", "luister:", "lyssna:"}) {
    if (l.rfind(lead, 0) == 0) return true;
  }
  // A player's or a download's line is a few words; prose that mentions a
  // download is not one.
  if (std::count(l.begin(), l.end(), ' ') >= 8) return false;
  if (ContainsAny(l, {"play in new window",
                      "download",
                      "herunterladen",
                      "descarga",
                      "preparando audio",
                      "télécharger",
                      "descargar",
                      "scarica",
                      "baixar",
                      "subscribe:",
                      "abonnieren:",
                      "s'abonner",
                      "apple podcasts |",
                      "| rss",
                      "| android",
                      "listen now",
                      "jetzt anhören",
                      "écouter maintenant",
                      "escuchar ahora",
                      "ascolta ora",
                      "ouça agora",
                      "embed",
                      "right click",
                      "rechtsklick",
                      "mp3",
                      "podcast: play",
                      "listen:",
                      "hören:",
                      "écouter :",
                      "escuchar:",
                      "ascolta:",
                      "ouvir:",
                      "luister:",
                      "lyssna:"})) {
    return true;
  }
  return EqualsAny(l, {"play", "pause", "listen", "anhören", "écouter",
                       "escuchar", "ascolta", "ouvir", "luister", "lyssna",
                       "share", "teilen", "partager", "compartir"});
}

bool IsPostMetaLine(std::string_view text) {
  const std::string l = Lower(CollapseWhitespace(text.substr(0, 80)));
  return StartsWithAny(l, {"tags:",         "tags :",           "tag:",
                           "tagged",        "filed under",      "categories:",
                           "category:",     "posted in",        "schlagwörter",
                           "schlagworte",   "kategorie:",       "kategorien:",
                           "étiquettes",    "catégories",       "catégorie :",
                           "mots-clés",     "etiquetas",        "categorías",
                           "categoría:",    "categorie:",       "categorieën",
                           "kategorier",    "etiketter",        "share this",
                           "teilen mit",    "partager :",       "compartir:",
                           "related posts", "ähnliche beiträge"});
}

bool IsSeeAll(std::string_view text) {
  const std::string l = Norm(text);
  return EqualsAny(l, {"see all", "view all", "show all", "more", "see more",
                       "all", "alle anzeigen", "mehr", "voir tout", "tout voir",
                       "ver todo", "ver todos", "vedi tutti", "ver tudo",
                       "alles bekijken", "visa alla"}) ||
         l.rfind("see all", 0) == 0 || l.rfind("view all", 0) == 0;
}

bool IsGenericName(std::string_view text) {
  const std::string l = Norm(text);
  return EqualsAny(
      l,
      {"podcast",    "podcasts",        "episode", "episodes", "home",
       "startseite", "accueil",         "inicio",  "blog",     "blog archive",
       "archive",    "archiv",          "news",    "audio",    "radio",
       "listen",     "podcast episode", "folge",   "épisode",  "episodio",
       "episódio",   "aflevering",      "avsnitt", "menu",     "search",
       "suche"});
}

}  // namespace parser::lexicon
