// A linear pre-pass over the UTF-8 page, run before Gumbo, that removes the
// bytes podcrawl never reads: the bodies of <script> elements that hold code,
// of <style> elements, and of <svg> icons. About half of a real podcast page
// is such bodies, and Gumbo would tokenise them character by character
// (issue 3, issue 4) and build a node for every path of every icon.
//
// The start and end tags stay, so the tree keeps its shape: only the single
// text child of each emptied element goes. Scripts that the strategies read
// (JSON-LD, application/json blobs, __NEXT_DATA__ ...) and every script whose
// type is not a JavaScript type are kept byte for byte.
//
// The scan follows the HTML tokenizer where it matters for finding elements:
// comments, bogus comments, doctype, tags with quoted attribute values, the
// raw text elements (style, xmp, iframe, noembed, noframes), RCDATA (title,
// textarea), plaintext, and the end of script data including its escaped
// states. When in doubt it keeps bytes: a script whose body contains "<!--",
// an unterminated script or style, and anything inside <svg>/<math> (foreign
// content, tokenised as markup) are left untouched, but for the body of an
// outermost <svg> that only draws: drawing elements (path, g, circle, use,
// gradients ...), comments and whitespace, no text and no other element (a
// <title> or <text> is read, an HTML tag would end the SVG in the tree). Its
// start and end tags stay, with their attributes (aria-label, class).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace parser {

struct PrefilterStats {
  size_t attributes_dropped = 0;  // with Thinning
  size_t whitespace_runs = 0;     // with Thinning: runs cut to one character
  size_t scripts_emptied = 0;
  size_t scripts_taken = 0;  // data scripts moved to PrefilterOutput
  size_t styles_emptied = 0;
  size_t svgs_emptied = 0;
  size_t bytes_removed = 0;
};

// The marker a data script's body is replaced with when DropUnreadBodies takes
// it out (kScriptMarker + its index in `scripts` + kScriptMarker):
// HtmlDocument reads the body from there. A page that holds the marker text
// itself has no body taken out.
inline constexpr std::string_view kScriptMarker = "~podcrawl-script-body~";

// What else the pre-pass may leave out (issue 14): on real pages a third of
// what Gumbo still tokenises after the bodies are gone is attributes no rule
// reads (data-* payloads, srcset, event handlers, widths...) and indentation.
// - Attributes of start tags in HTML content (not inside <svg>/<math>) that
//   are neither IsReadAttribute nor in `also_read` are removed with the
//   whitespace before them (not after a '/', which would make the tag
//   self-closing).
// - Runs of two or more ASCII whitespace characters in text (HTML content,
//   not raw text, not right after <pre> or <listing>, whose first newline
//   Gumbo drops) become one: '\n' when the run holds a line break, ' '
//   otherwise. The reader text collapses every run to one separator anyway.
// Neither changes the shape of Gumbo's tree: no element, no text node appears
// or goes (tests/unit/parser/prefilter_test.cc checks the corpus).
struct Thinning {
  // Attributes read besides IsReadAttribute's, lowercase: the ones site
  // profiles name in their selectors and rules.
  std::vector<std::string> also_read;
};

// True for the attributes (lowercase names) that a strategy, HtmlDocument or
// Gumbo's tree construction reads. A strategy that reads another attribute
// adds it here: HtmlDocument::Attr asserts it (debug builds).
bool IsReadAttribute(std::string_view lower_name);

// Empties, in place, the bodies of code <script>, of <style> and of <svg>
// icon elements. With `scripts`, the bodies of the data scripts that are
// kept (JSON-LD, application/json, __NEXT_DATA__ ...) and longer than a few
// bytes are moved there instead of being left for Gumbo to tokenise character
// by character: each is replaced in `html` by a marker (kScriptMarker), and
// the body is stored as Gumbo would have read it (CR LF and CR as LF, NUL as
// U+FFFD).
// With `thinning`, unread attributes and whitespace runs go as well (above).
PrefilterStats DropUnreadBodies(std::string* html,
                                std::vector<std::string>* scripts = nullptr,
                                const Thinning* thinning = nullptr);

}  // namespace parser
