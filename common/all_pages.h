#ifndef CARESCORE_COMMON_ALL_PAGES_H_
#define CARESCORE_COMMON_ALL_PAGES_H_

// Reads every page of a paged List call (AIP-158 style: page_token in,
// next_page_token out, empty when done) into one vector: the one paging loop
// the services' readers share, whatever carries the call.
//
//   AllPages<v1::Value>(request, [&](const v1::ListValuesRequest& r) { return stub.List(r); },
//                       [](v1::ListValuesResponse& r) { return r.mutable_values(); });

#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace carescore {

// `fetch(request)` returns absl::StatusOr<Response>; `items(response)`
// returns the page's RepeatedPtrField<Item>*, whose items are moved out.
// The first error ends the read and is returned.
template <typename Item, typename Request, typename Fetch, typename Items>
absl::StatusOr<std::vector<Item>> AllPages(Request request, Fetch fetch, Items items) {
  std::vector<Item> out;
  request.clear_page_token();
  do {
    auto page = fetch(request);
    if (!page.ok()) return page.status();
    auto* field = items(*page);
    out.reserve(out.size() + static_cast<size_t>(field->size()));
    for (Item& item : *field) out.push_back(std::move(item));
    request.set_page_token(page->next_page_token());
  } while (!request.page_token().empty());
  return out;
}

}  // namespace carescore

#endif  // CARESCORE_COMMON_ALL_PAGES_H_
