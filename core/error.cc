#include "core/error.h"

namespace core {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kNetwork:
      return "network";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kHttpStatus:
      return "http_status";
    case ErrorCode::kTooLarge:
      return "too_large";
    case ErrorCode::kTooManyRedirects:
      return "too_many_redirects";
    case ErrorCode::kUnsupported:
      return "unsupported";
    case ErrorCode::kRobotsDisallowed:
      return "robots_disallowed";
    case ErrorCode::kInvalidArgument:
      return "invalid_argument";
    case ErrorCode::kParse:
      return "parse";
    case ErrorCode::kIo:
      return "io";
    case ErrorCode::kStorage:
      return "storage";
    case ErrorCode::kConfig:
      return "config";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kLocked:
      return "locked";
    case ErrorCode::kInternal:
      return "internal";
  }
  return "internal";
}

bool IsRetryable(const Error& error) {
  switch (error.code) {
    case ErrorCode::kNetwork:
    case ErrorCode::kTimeout:
      return true;
    case ErrorCode::kHttpStatus:
      return error.http_status == 408 || error.http_status == 425 ||
             error.http_status == 429 || error.http_status >= 500;
    default:
      return false;
  }
}

}  // namespace core
