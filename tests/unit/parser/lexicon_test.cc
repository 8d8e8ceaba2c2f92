// The lexicon (parser/lexicon.h): each word list in the languages its header
// names: English, German, French, Spanish, Italian, Portuguese, Dutch and
// Swedish.
#include "parser/lexicon.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "parser/text_util.h"

namespace parser::lexicon {
namespace {

TEST(LexiconByWordTest, ByInEveryLanguage) {
  for (const char* w : {"by", "By", "von", "par", "de", "di", "da", "por",
                        "door", "av", "från", "from"}) {
    EXPECT_TRUE(IsByWord(w)) << w;
  }
  for (const char* w : {"the", "with", "bye", "durch"}) {
    EXPECT_FALSE(IsByWord(w)) << w;
  }
}

// lexicon.h: "Podcast powered by", "hosted on", "Player von".
TEST(LexiconPlatformTest, IntroducesPlatform) {
  for (const char* t :
       {"Podcast powered by", "Hosted on", "hosted with", "Player von",
        "Bereitgestellt von", "Propulsé par", "Hébergé sur",
        "Con la tecnología de", "Alojado en", "Ospitato da", "Hospedado por",
        "Mogelijk gemaakt door", "Drivs av", "Listen on"}) {
    EXPECT_TRUE(IntroducesPlatform(t)) << t;
  }
  for (const char* t : {"Written by", "A show by", "Overpowered by",
                        "powered by the community, for", ""}) {
    EXPECT_FALSE(IntroducesPlatform(t)) << t;
  }
}

// lexicon.h: "reporting assistance from", "ein Gespräch von", "un
// documentaire de", "hosted by", "written by", "produced by".
TEST(LexiconPersonTest, IntroducesPerson) {
  for (const char* t :
       {"Additional reporting assistance from", "Ein Gespräch von",
        "Un documentaire de", "hosted by", "Written by", "Produced by",
        "Moderiert von", "Présenté par", "Presentado por", "Entrevista con",
        "A cura di", "Apresentado por", "Gepresenteerd door", "Presenteras av",
        "A conversation with"}) {
    EXPECT_TRUE(IntroducesPerson(t)) << t;
  }
  // Word boundaries: "falcon" does not end with "con", nor "Mitmet" with
  // "met".
  for (const char* t :
       {"Falcon", "The Falcon", "Mitmet", "Listen to", "More episodes from"}) {
    EXPECT_FALSE(IntroducesPerson(t)) << t;
  }
}

// The inner words of IntroducesPerson are matched inside longer words:
// "authority" holds "author".
TEST(LexiconPersonTest, WordsInsideLongerWordsDoNotCount) {
  EXPECT_FALSE(IntroducesPerson("Ask the authority on tides:"));
}

// lexicon.h: related headings; lists of the same show's episodes are not.
TEST(LexiconRelatedHeadingTest, RelatedInEveryLanguage) {
  for (const char* t :
       {"You may also like", "Listeners also follow", "Similar podcasts",
        "Das gefällt dir vielleicht auch", "Könnte dir auch gefallen",
        "Vous aimerez aussi", "Podcasts similaires", "También te puede gustar",
        "Podcasts relacionados", "Potrebbero piacerti anche", "Podcast simili",
        "Você também pode gostar", "Misschien ook leuk",
        "Vergelijkbare podcasts", "Du kanske också gillar",
        "Liknande poddar"}) {
    EXPECT_TRUE(IsRelatedHeading(t)) << t;
  }
}

TEST(LexiconRelatedHeadingTest, EpisodeListsAreNotRelated) {
  for (const char* t :
       {"More from The Daily", "More episodes", "Weitere Folgen",
        "Mehr von uns", "Autres épisodes", "Más episodios", "Altri episodi",
        "Outros episódios", "Meer afleveringen", "Fler avsnitt",
        "Latest episodes", "", "Episodes"}) {
    EXPECT_FALSE(IsRelatedHeading(t)) << t;
  }
  EXPECT_FALSE(IsRelatedHeading(std::string(81, 'a') + " you may also like"));
}

// lexicon.h: "More episodes from SHOW", "Weitere Folgen von SHOW", "Plus
// d'épisodes de SHOW": returns SHOW.
TEST(LexiconMoreEpisodesFromTest, ReturnsTheShow) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"More episodes from The Daily", "The Daily"},
      {"More from  Night Owls:", "Night Owls"},
      {"Weitere Folgen von Lage der Nation", "Lage der Nation"},
      {"Plus d'épisodes de Transfert", "Transfert"},
      {"Plus d\u2019épisodes de Transfert.", "Transfert"},
      {"Más episodios de Nadie Sabe Nada", "Nadie Sabe Nada"},
      {"Altri episodi di Il Mondo", "Il Mondo"},
      {"Mais episódios de Café da Manhã", "Café da Manhã"},
      {"Meer afleveringen van De Dag", "De Dag"},
      {"Fler avsnitt av Ekot", "Ekot"},
  };
  for (const auto& [text, show] : cases) {
    EXPECT_EQ(MoreEpisodesFrom(text), show) << text;
  }
}

TEST(LexiconMoreEpisodesFromTest, PronounsAndOtherTextsAreNoShow) {
  for (const char* t :
       {"More from us", "Mehr von uns", "More episodes from",
        "Episodes from The Daily", "You may also like", "More from X"}) {
    EXPECT_EQ(MoreEpisodesFrom(t), std::nullopt) << t;
  }
  EXPECT_EQ(MoreEpisodesFrom("More from " + std::string(200, 'A')),
            std::nullopt);
}

// lexicon.h: "Subscribe to SHOW", "SHOW abonnieren", "S'abonner à SHOW",
// "Suscríbete a SHOW": returns SHOW.
TEST(LexiconSubscribeToTest, ReturnsTheShow) {
  const std::vector<std::pair<const char*, const char*>> cases = {
      {"Subscribe to Night Owls!", "Night Owls"},
      {"Subscribe to the Night Owls", "Night Owls"},
      {"Abonniere den Podcast Lage der Nation", "Lage der Nation"},
      {"S'abonner à Transfert", "Transfert"},
      {"Abonnez-vous à Transfert", "Transfert"},
      {"Suscríbete a Nadie Sabe Nada", "Nadie Sabe Nada"},
      {"Iscriviti a Il Mondo", "Il Mondo"},
      {"Assine o Café da Manhã", "Café da Manhã"},
      {"Abonneer op De Dag", "De Dag"},
      {"Prenumerera på Ekot", "Ekot"},
  };
  for (const auto& [text, show] : cases) {
    EXPECT_EQ(SubscribeTo(text), show) << text;
  }
}

TEST(LexiconSubscribeToTest, NewslettersAndThePodcastAreNoShow) {
  for (const char* t :
       {"Subscribe to our newsletter", "Subscribe to the podcast",
        "Subscribe to our podcast", "Subscribe to updates",
        "Subscribe to our YouTube channel", "Subscribe", "Follow us"}) {
    EXPECT_EQ(SubscribeTo(t), std::nullopt) << t;
  }
}

// lexicon.h names "SHOW abonnieren" (the German word order) as a form.
TEST(LexiconSubscribeToTest, GermanShowAbonnieren) {
  EXPECT_EQ(SubscribeTo("Lage der Nation abonnieren"), "Lage der Nation");
}

// lexicon.h: "Podcast:", "Show:", "Programa:", "Sendung:", "Émission:".
TEST(LexiconShowLabelTest, LabelsWithAndWithoutColon) {
  for (const char* t :
       {"Podcast:", "Podcast", "Show:", "show", "Sendung:", "Sendereihe",
        "Emission :", "émission:", "Programa:", "Programma:", "Trasmissione",
        "Programa de rádio", "Uit de podcast", "Reeks:", "Från podden",
        "Podd:", "From the podcast", "Aus dem Podcast"}) {
    EXPECT_TRUE(IsShowLabel(t)) << t;
  }
  for (const char* t : {"By", "Host:", "Episode:", "Podcast powered by"}) {
    EXPECT_FALSE(IsShowLabel(t)) << t;
  }
}

// lexicon.h: matching is case-insensitive on ASCII letters only; a word that
// starts with an accented capital ("Émission", "Über", "À propos",
// "Ähnliche", "Étiquettes", "Écouter") is written capitalised on pages.
TEST(LexiconAccentTest, AccentedCapitalsMatchLikeTheirLowercase) {
  const std::vector<std::pair<const char*, bool>> cases = {
      {"IsShowLabel(\"Émission:\")", IsShowLabel("Émission:")},
      {"AnnouncesDescription(\"Über diese Folge\")",
       AnnouncesDescription("Über diese Folge")},
      {"AnnouncesDescription(\"À propos de cet épisode\")",
       AnnouncesDescription("À propos de cet épisode")},
      {"IsRelatedHeading(\"Ähnliche Podcasts\")",
       IsRelatedHeading("Ähnliche Podcasts")},
      {"IsPostMetaLine(\"Étiquettes : pain\")",
       IsPostMetaLine("Étiquettes : pain")},
      {"IsPlayerLine(\"Écouter maintenant\")",
       IsPlayerLine("Écouter maintenant")},
      {"IsGenericName(\"Épisode\")", IsGenericName("Épisode")},
  };
  for (const auto& [call, result] : cases) EXPECT_TRUE(result) << call;
}

// lexicon.h: "About this episode", "Show notes", "Summary", "Beschreibung",
// "Descripción de ...", "Résumé", "Sommario".
TEST(LexiconDescriptionHeadingTest, AnnouncesDescription) {
  for (const char* t : {"About this episode",
                        "Show notes",
                        "Summary",
                        "Episode description",
                        "Beschreibung",
                        "Zusammenfassung",
                        "Zur Folge",
                        "Résumé",
                        "Dans cet épisode",
                        "Descripción de El día que todo cambió",
                        "Resumen",
                        "Sommario",
                        "Descrizione",
                        "Resumo",
                        "Sobre este episódio",
                        "Beschrijving",
                        "Over deze aflevering",
                        "Beskrivning",
                        "Om avsnittet",
                        "About Night Owls"}) {
    EXPECT_TRUE(AnnouncesDescription(t)) << t;
  }
  for (const char* t : {"Transcript", "Comments", "Related episodes",
                        "Listen now", "Guests", "Episodes"}) {
    EXPECT_FALSE(AnnouncesDescription(t)) << t;
  }
}

// lexicon.h: a transcript, comments, credits, downloads, "listen now",
// contact.
TEST(LexiconDescriptionHeadingTest, EndsDescription) {
  for (const char* t : {"Transcript",    "Read the transcript",
                        "Comments",      "Leave a Reply",
                        "Credits",       "Download",
                        "Listen now",    "How to listen",
                        "Contact",       "Transkript",
                        "Kommentare",    "Herunterladen",
                        "Jetzt anhören", "Transcription",
                        "Commentaires",  "Télécharger",
                        "Transcripción", "Comentarios",
                        "Descargar",     "Trascrizione",
                        "Commenti",      "Scarica",
                        "Transcrição",   "Comentários",
                        "Baixar",        "Transcriptie",
                        "Reacties",      "Luister",
                        "Lyssna",        "Kommentarer"}) {
    EXPECT_TRUE(EndsDescription(t)) << t;
  }
  for (const char* t : {"Show notes", "About this episode", "Guests",
                        "Beschreibung", "Résumé"}) {
    EXPECT_FALSE(EndsDescription(t)) << t;
  }
}

// lexicon.h: "Play in new window", "Download", "MP3-DOWNLOAD (01:00 h)",
// "Subscribe: Apple Podcasts | RSS", "Listen now", "Escuchar".
TEST(LexiconPlayerLineTest, PlayerAndDownloadLines) {
  for (const char* t :
       {"Play in new window | Download", "MP3-DOWNLOAD (01:00 h)",
        "Subscribe: Apple Podcasts | RSS", "Listen now", "Play", "Escuchar",
        "Jetzt anhören", "Anhören", "Hören: Spotify", "Ascolta ora",
        "Ouça agora", "Luister:", "Lyssna: Spotify", "Teilen",
        "https://cdn.example/ep7.mp3", "", "   "}) {
    EXPECT_TRUE(IsPlayerLine(t)) << "\"" << t << "\"";
  }
  for (const char* t :
       {"Owls hunt at night; we follow one for a week.",
        "Ein Gespräch über Eulen.", "https://example.com and more words",
        "Playing the long game"}) {
    EXPECT_FALSE(IsPlayerLine(t)) << t;
  }
  EXPECT_FALSE(IsPlayerLine("Download " + std::string(130, 'x')));
}

// A sentence of prose that mentions a download or an embed is the
// description's text, not a player's line.
TEST(LexiconPlayerLineTest, ProseMentioningADownloadIsNotAPlayerLine) {
  const char* prose = "We talk about why people download so many podcasts.";
  EXPECT_FALSE(IsPlayerLine(prose));
}

// lexicon.h: "Tags: ...", "Filed under ...", "Kategorie: ...".
TEST(LexiconPostMetaTest, PostMetaLines) {
  for (const char* t :
       {"Tags: owls, night", "Filed under Nature", "Posted in Episodes",
        "Categories: Nature", "Schlagwörter: Eulen", "Kategorie: Natur",
        "Catégories : Nature", "Mots-clés : hiboux", "Etiquetas: búhos",
        "Categorías: Naturaleza", "Categorie: natura", "Categorieën: natuur",
        "Kategorier: natur", "Etiketter: ugglor", "Share this:"}) {
    EXPECT_TRUE(IsPostMetaLine(t)) << t;
  }
  for (const char* t : {"Owls hunt at night.", "Our tagline is short.",
                        "In this episode: owls"}) {
    EXPECT_FALSE(IsPostMetaLine(t)) << t;
  }
}

// German "Tag" is "day": a paragraph starting "Tag 3 ..." is prose.
TEST(LexiconPostMetaTest, GermanTagIsADay) {
  EXPECT_FALSE(IsPostMetaLine("Tag 3 unserer Reise beginnt in Rom."));
}

TEST(LexiconSeeAllTest, SeeAllInEveryLanguage) {
  for (const char* t :
       {"See all", "View all episodes", "Show all", "More", "Alle anzeigen",
        "Mehr", "Voir tout", "Ver todos", "Vedi tutti", "Ver tudo",
        "Alles bekijken", "Visa alla"}) {
    EXPECT_TRUE(IsSeeAll(t)) << t;
  }
  for (const char* t : {"The Daily", "More Perfect", "See you soon"}) {
    EXPECT_FALSE(IsSeeAll(t)) << t;
  }
}

// lexicon.h: "Podcast", "Podcasts", "Episode", "Home", "Startseite".
TEST(LexiconGenericNameTest, GenericNames) {
  for (const char* t : {"Podcast", "Podcasts", "Episode", "Home", "Startseite",
                        "Folge", "Accueil", "épisode", "Inicio", "Episodio",
                        "Episódio", "Aflevering", "Avsnitt", "Blog", "Menu"}) {
    EXPECT_TRUE(IsGenericName(t)) << t;
  }
  for (const char* t :
       {"The Daily", "Podcast Addict", "Home Cooking", "Episodes of Life"}) {
    EXPECT_FALSE(IsGenericName(t)) << t;
  }
}

// lexicon.h: the words after a count, through text_util.h's FindCountBefore.
TEST(LexiconCountWordsTest, RatingWords) {
  const std::vector<std::pair<const char*, int64_t>> cases = {
      {"4.6 (2,345 ratings)", 2345},
      {"12 Bewertungen", 12},
      {"27 votes", 27},
      {"1 234 évaluations", 1234},
      {"87 avis", 87},
      {"310 valoraciones", 310},
      {"45 reseñas", 45},
      {"19 valutazioni", 19},
      {"8 recensioni", 8},
      {"1.024 avaliações", 1024},
      {"56 beoordelingen", 56},
      {"33 recensies", 33},
      {"14 betyg", 14},
      {"6 omdömen", 6},
  };
  for (const auto& [text, count] : cases) {
    auto m = FindCountBefore(text, kRatingWords);
    ASSERT_TRUE(m) << text;
    EXPECT_EQ(m->value, count) << text;
  }
  EXPECT_FALSE(FindCountBefore("12 episodes", kRatingWords));
  EXPECT_FALSE(FindCountBefore("2,345 listeners", kRatingWords));
}

TEST(LexiconCountWordsTest, ListenerWords) {
  const std::vector<std::pair<const char*, int64_t>> cases = {
      {"1.2K Listeners", 1200}, {"1,2 k auditeurs", 1200},
      {"3.400 Hörer", 3400},    {"980 oyentes", 980},
      {"250 ouvintes", 250},    {"2,5K ascoltatori", 2500},
      {"700 luisteraars", 700}, {"12 lyssnare", 12},
      {"4 500 abonnés", 4500},  {"10K Follower", 10000},
      {"88 seguidores", 88},    {"31 volgers", 31},
      {"9 följare", 9},
  };
  for (const auto& [text, count] : cases) {
    auto m = FindCountBefore(text, kListenerWords);
    ASSERT_TRUE(m) << text;
    EXPECT_EQ(m->value, count) << text;
  }
  EXPECT_FALSE(FindCountBefore("12 ratings", kListenerWords));
}

}  // namespace
}  // namespace parser::lexicon
