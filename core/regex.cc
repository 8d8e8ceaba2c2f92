#include "core/regex.h"

#include <re2/re2.h>

#include <utility>

namespace core {

struct Regex::Impl {
  explicit Impl(std::string_view pattern, const RE2::Options& options)
      : re(re2::StringPiece(pattern.data(), pattern.size()), options) {}
  RE2 re;
};

Regex::Regex(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

Result<Regex> Regex::Compile(std::string_view pattern) {
  RE2::Options options;
  options.set_log_errors(false);  // the error is returned, not logged
  auto impl = std::make_shared<const Impl>(pattern, options);
  if (!impl->re.ok()) return Error(ErrorCode::kConfig, impl->re.error());
  return Regex(std::move(impl));
}

bool Regex::Search(std::string_view text) const {
  return RE2::PartialMatch(re2::StringPiece(text.data(), text.size()),
                           impl_->re);
}

std::optional<Regex::Groups> Regex::Find(std::string_view text) const {
  // A null data pointer would make an empty match look like no group at all.
  if (text.data() == nullptr) text = "";
  const int n = impl_->re.NumberOfCapturingGroups() + 1;
  std::vector<re2::StringPiece> pieces(static_cast<size_t>(n));
  if (!impl_->re.Match(re2::StringPiece(text.data(), text.size()), 0,
                       text.size(), RE2::UNANCHORED, pieces.data(), n)) {
    return std::nullopt;
  }
  Groups groups;
  groups.reserve(pieces.size());
  for (const re2::StringPiece& piece : pieces) {
    if (piece.data() == nullptr) {
      groups.emplace_back(std::nullopt);
    } else {
      groups.emplace_back(std::string_view(piece.data(), piece.size()));
    }
  }
  return groups;
}

int Regex::group_count() const { return impl_->re.NumberOfCapturingGroups(); }

const std::string& Regex::pattern() const { return impl_->re.pattern(); }

}  // namespace core
