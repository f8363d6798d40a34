#ifndef CARESCORE_COMMON_TESTING_PAGE_THROUGH_H_
#define CARESCORE_COMMON_TESTING_PAGE_THROUGH_H_

// Test helpers for paged List methods (common/paging.h), whatever carries
// the call: `list` is any callable Request -> absl::StatusOr<Response>
// (a service method, or a stub call wrapped to return one).

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "common/error_info.h"
#include "gtest/gtest.h"

namespace carescore::testing {

// Every item of every page of `request` read `page_size` at a time,
// following next_page_token; each page is checked to hold at most
// `page_size` items. `items(response)` gives the page's repeated field.
template <typename Request, typename List, typename Items>
auto PageThrough(List&& list, Request request, int page_size, Items&& items) {
  using Response = typename std::decay_t<decltype(list(request))>::value_type;
  using Item = typename std::decay_t<decltype(items(std::declval<const Response&>()))>::value_type;
  std::vector<Item> out;
  request.set_page_size(page_size);
  request.clear_page_token();
  for (int pages = 0; pages < 100000; ++pages) {
    absl::StatusOr<Response> page = list(request);
    EXPECT_TRUE(page.ok()) << page.status();
    if (!page.ok()) break;
    EXPECT_LE(items(*page).size(), page_size);
    for (const Item& item : items(*page)) out.push_back(item);
    if (page->next_page_token().empty()) break;
    request.set_page_token(page->next_page_token());
  }
  return out;
}

// `list` refuses with InvalidArgument, reason INVALID_PAGE_TOKEN, a token
// of `request` (its first page's, at page_size 1: there must be a second
// page) that is corrupted ("garbage", or one character changed) or, when
// `other` filters are given, sent with them. The token itself still works
// with another page_size.
template <typename Request, typename List>
void ExpectBadTokensRefused(List&& list, Request request,
                            const std::type_identity_t<Request>* other = nullptr) {
  request.set_page_size(1);
  request.clear_page_token();
  auto first = list(request);
  ASSERT_TRUE(first.ok()) << first.status();
  const std::string token = first->next_page_token();
  ASSERT_FALSE(token.empty()) << "the request needs two items or more";
  auto expect_refused = [&](Request r, const std::string& t, const std::string& what) {
    r.set_page_size(1);
    r.set_page_token(t);
    auto got = list(r);
    EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument) << what;
    EXPECT_EQ(ErrorReason(got.status()), "INVALID_PAGE_TOKEN") << what << ": " << got.status();
  };
  if (other != nullptr) expect_refused(*other, token, "token reused with other filters");
  expect_refused(request, "garbage", "\"garbage\"");
  for (size_t at : {size_t{0}, token.size() / 2, token.size() - 1}) {
    std::string changed = token;
    changed[at] = changed[at] == 'A' ? 'B' : 'A';
    expect_refused(request, changed, "one character changed at " + std::to_string(at));
  }
  request.set_page_size(1000);
  request.set_page_token(token);
  auto rest = list(request);
  EXPECT_TRUE(rest.ok()) << rest.status();
}

template <typename Request, typename List>
void ExpectTokensBoundToFilters(List&& list, const Request& request, const Request& other) {
  ExpectBadTokensRefused(list, request, &other);
}

}  // namespace carescore::testing

#endif  // CARESCORE_COMMON_TESTING_PAGE_THROUGH_H_
