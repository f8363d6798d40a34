#ifndef CARESCORE_COMMON_PAGING_H_
#define CARESCORE_COMMON_PAGING_H_

// The services' side of paged List calls (AIP-158), in one place: the page
// size a request gets, and page tokens bound to the request that asked.
//
// A token is opaque to callers: web-safe base64 of a format version, the
// fingerprint of the request it answers (every field but page_size and
// page_token), the resume key (the last item sent) and a checksum. A token
// that is corrupted, that this code did not make, or that was issued for a
// request with other filters (or another method) is refused with
// InvalidArgument, ErrorInfo reason INVALID_PAGE_TOKEN, metadata
// {"field": "page_token"}. Tokens hold no secret and no time: the same
// request gets the same token in any process or replica.
//
// Lists kept in memory page with PageByKey; lists a store pages (a query
// "after key, limit n") use EncodePageToken/DecodePageToken directly.
// Pure functions, thread-safe.

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "google/protobuf/repeated_field.h"

namespace carescore {

// `requested`, or `default_size` for 0, at most `max_size`;
// InvalidArgument for a negative size.
absl::StatusOr<int> PageSize(int requested, int default_size, int max_size);

// A stable 64-bit fingerprint (FNV-1a) of `request`'s type and its
// deterministic serialization with page_size and page_token cleared: the
// same filters give the same number in every process.
uint64_t RequestFingerprint(const google::protobuf::Message& request);

// The token that resumes `request` after the item whose key is
// `resume_key` (not empty).
std::string EncodePageToken(const google::protobuf::Message& request, absl::string_view resume_key);
// The resume key inside `token`, which must have been issued for a request
// with the same fingerprint as `request`; "" for an empty token (the first
// page). InvalidArgument / INVALID_PAGE_TOKEN otherwise.
absl::StatusOr<std::string> DecodePageToken(const google::protobuf::Message& request,
                                            absl::string_view token);

// Order-preserving key parts: a key built of parts compares (as bytes) as
// the tuple of its parts does, so one string orders by several fields.
void AppendKeyPart(std::string& key, absl::string_view part);
void AppendKeyPart(std::string& key, int64_t number);
// A part that orders greatest first ("2025" before "2024").
void AppendDescendingKeyPart(std::string& key, absl::string_view part);

// One page of `items`, for `request` (which has page_size and page_token):
// the items are put in the order of `key(item)` (a std::string unique per
// item, see AppendKeyPart), those after the token's resume key are taken,
// at most the page size of them, into `page`; `next_page_token` is set
// when more follow and cleared otherwise. InvalidArgument for a negative
// page_size or a bad token (nothing written to `page`).
template <typename Request, typename Item, typename KeyFn>
absl::Status PageByKey(const Request& request, int default_size, int max_size,
                       std::vector<Item> items, KeyFn key,
                       google::protobuf::RepeatedPtrField<Item>* page,
                       std::string* next_page_token) {
  absl::StatusOr<int> size = PageSize(request.page_size(), default_size, max_size);
  if (!size.ok()) return size.status();
  absl::StatusOr<std::string> after = DecodePageToken(request, request.page_token());
  if (!after.ok()) return after.status();
  std::vector<std::pair<std::string, size_t>> order;
  order.reserve(items.size());
  for (size_t i = 0; i < items.size(); ++i) order.emplace_back(key(std::as_const(items[i])), i);
  std::sort(order.begin(), order.end());
  auto it = after->empty() ? order.begin()
                           : std::upper_bound(order.begin(), order.end(),
                                              std::pair<std::string, size_t>(*after, SIZE_MAX));
  next_page_token->clear();
  for (; it != order.end(); ++it) {
    if (page->size() == *size) {
      *next_page_token = EncodePageToken(request, std::prev(it)->first);
      break;
    }
    *page->Add() = std::move(items[it->second]);
  }
  return absl::OkStatus();
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_PAGING_H_
