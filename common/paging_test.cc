#include "common/paging.h"

#include <string>
#include <vector>

#include "carescore/v1/indicators.pb.h"
#include "common/error_info.h"
#include "gtest/gtest.h"

namespace carescore {
namespace {

v1::LocalAuthority La(const std::string& code) {
  v1::LocalAuthority la;
  la.set_la_code(code);
  return la;
}

std::string CodeKey(const v1::LocalAuthority& la) { return la.la_code(); }

// Every page of `request` over `items`, as la_codes in the order received.
std::vector<std::string> ReadAll(v1::ListLocalAuthoritiesRequest request,
                                 const std::vector<v1::LocalAuthority>& items) {
  std::vector<std::string> got;
  for (int pages = 0; pages < 100; ++pages) {
    v1::ListLocalAuthoritiesResponse page;
    absl::Status s = PageByKey(request, 100, 1000, items, CodeKey, page.mutable_local_authorities(),
                               page.mutable_next_page_token());
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) break;
    for (const v1::LocalAuthority& la : page.local_authorities()) got.push_back(la.la_code());
    if (page.next_page_token().empty()) break;
    request.set_page_token(page.next_page_token());
  }
  return got;
}

void ExpectBadToken(const absl::Status& status) {
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_EQ(ErrorReason(status), "INVALID_PAGE_TOKEN") << status;
}

TEST(PagingTest, SizeDefaultsAndIsCapped) {
  EXPECT_EQ(*PageSize(0, 100, 1000), 100);
  EXPECT_EQ(*PageSize(7, 100, 1000), 7);
  EXPECT_EQ(*PageSize(5000, 100, 1000), 1000);
  absl::StatusOr<int> negative = PageSize(-1, 100, 1000);
  EXPECT_EQ(negative.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(negative.status().message(), "page_size -1 is negative");
}

TEST(PagingTest, TokensRoundTripForTheSameFilters) {
  v1::ListLocalAuthoritiesRequest request;
  request.set_include_former(true);
  const std::string token = EncodePageToken(request, "372|6.8|2018-10");
  // page_size may change between pages; the token stays good.
  request.set_page_size(3);
  request.set_page_token("anything");
  EXPECT_EQ(*DecodePageToken(request, token), "372|6.8|2018-10");
  EXPECT_EQ(*DecodePageToken(request, ""), "");
}

TEST(PagingTest, FingerprintIsFixedAcrossProcesses) {
  // FNV-1a of the type name and the serialized filters (0x18 0x01:
  // include_former = true), worked out by hand: every replica computes
  // this same number, whatever its process or hash seed.
  v1::ListLocalAuthoritiesRequest request;
  request.set_include_former(true);
  const uint64_t fingerprint = RequestFingerprint(request);
  EXPECT_EQ(fingerprint, 0x54313c29a948de83u);
  request.set_page_size(9);
  request.set_page_token("x");
  EXPECT_EQ(RequestFingerprint(request), fingerprint);
  request.set_include_former(false);
  EXPECT_NE(RequestFingerprint(request), fingerprint);
  EXPECT_NE(RequestFingerprint(v1::ListIndicatorsRequest()),
            RequestFingerprint(v1::ListLocalAuthoritiesRequest()));
}

TEST(PagingTest, ForeignCorruptedAndOtherFilterTokensAreRefused) {
  v1::ListLocalAuthoritiesRequest request;
  const std::string token = EncodePageToken(request, "372");
  for (const std::string& bad :
       {std::string("garbage"), std::string("not base64!"), std::string("%%%"),
        token.substr(0, token.size() - 1), token + "A"}) {
    ExpectBadToken(DecodePageToken(request, bad).status());
  }
  // Every single-character change is caught.
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  for (size_t i = 0; i < token.size(); ++i) {
    for (char c : alphabet) {
      if (c == token[i]) continue;
      std::string changed = token;
      changed[i] = c;
      absl::StatusOr<std::string> decoded = DecodePageToken(request, changed);
      ASSERT_FALSE(decoded.ok()) << "position " << i << " -> " << c;
      ExpectBadToken(decoded.status());
    }
  }
  v1::ListLocalAuthoritiesRequest other;
  other.set_include_former(true);
  absl::Status refused = DecodePageToken(other, token).status();
  ExpectBadToken(refused);
  EXPECT_NE(refused.message().find("other filters"), absl::string_view::npos) << refused;
  // Not a token for another method either, even with the same field values.
  ExpectBadToken(DecodePageToken(v1::ListIndicatorsRequest(), token).status());
}

TEST(PagingTest, KeyPartsOrderAsTuples) {
  auto key = [](const std::string& a, int64_t n) {
    std::string k;
    AppendKeyPart(k, a);
    AppendKeyPart(k, n);
    return k;
  };
  EXPECT_LT(key("a", 5), key("ab", 1));
  EXPECT_LT(key("a", -3), key("a", 2));
  EXPECT_LT(key("a", 2), key("a", 10));
  EXPECT_LT(key(std::string("a\0", 2), 1), key("a\x01", 0));
  EXPECT_LT(key("b", -100), key("b", 0));
  auto descending = [](const std::string& a, int64_t n) {
    std::string k;
    AppendDescendingKeyPart(k, a);
    AppendKeyPart(k, n);
    return k;
  };
  EXPECT_LT(descending("2025", 9), descending("2024", 1));
  EXPECT_LT(descending("2025x", 9), descending("2025", 1));
  EXPECT_LT(descending("a", 1), descending("a", 2));
}

TEST(PagingTest, PageByKeyGivesEveryItemOnceInKeyOrder) {
  std::vector<v1::LocalAuthority> items;
  for (const char* code : {"372", "201", "999", "202", "305", "100", "800"}) {
    items.push_back(La(code));
  }
  const std::vector<std::string> sorted = {"100", "201", "202", "305", "372", "800", "999"};
  for (int size : {1, 2, 3, 6, 7, 8, 0}) {
    v1::ListLocalAuthoritiesRequest request;
    request.set_page_size(size);
    EXPECT_EQ(ReadAll(request, items), sorted) << "page_size " << size;
  }
}

TEST(PagingTest, PageByKeyResumesAfterTheKeyWhenItemsChange) {
  std::vector<v1::LocalAuthority> items = {La("100"), La("200"), La("300"), La("400")};
  v1::ListLocalAuthoritiesRequest request;
  request.set_page_size(2);
  v1::ListLocalAuthoritiesResponse first;
  ASSERT_TRUE(PageByKey(request, 100, 1000, items, CodeKey, first.mutable_local_authorities(),
                        first.mutable_next_page_token())
                  .ok());
  ASSERT_EQ(first.local_authorities_size(), 2);
  // "200" is deleted and "150" added before the next page: the resume key
  // is a key, not an offset, so nothing is skipped or sent twice.
  items = {La("100"), La("150"), La("300"), La("400")};
  request.set_page_token(first.next_page_token());
  v1::ListLocalAuthoritiesResponse second;
  ASSERT_TRUE(PageByKey(request, 100, 1000, items, CodeKey, second.mutable_local_authorities(),
                        second.mutable_next_page_token())
                  .ok());
  ASSERT_EQ(second.local_authorities_size(), 2);
  EXPECT_EQ(second.local_authorities(0).la_code(), "300");
  EXPECT_EQ(second.local_authorities(1).la_code(), "400");
  EXPECT_TRUE(second.next_page_token().empty());
}

TEST(PagingTest, PageByKeyRefusesBadInputAndWritesNothing) {
  std::vector<v1::LocalAuthority> items = {La("100"), La("200")};
  v1::ListLocalAuthoritiesRequest request;
  request.set_page_size(1);
  v1::ListLocalAuthoritiesResponse first;
  ASSERT_TRUE(PageByKey(request, 100, 1000, items, CodeKey, first.mutable_local_authorities(),
                        first.mutable_next_page_token())
                  .ok());
  request.set_include_former(true);  // Other filters, same token.
  request.set_page_token(first.next_page_token());
  v1::ListLocalAuthoritiesResponse page;
  ExpectBadToken(PageByKey(request, 100, 1000, items, CodeKey, page.mutable_local_authorities(),
                           page.mutable_next_page_token()));
  EXPECT_EQ(page.local_authorities_size(), 0);
  request.set_page_token("garbage");
  ExpectBadToken(PageByKey(request, 100, 1000, items, CodeKey, page.mutable_local_authorities(),
                           page.mutable_next_page_token()));
  request.clear_page_token();
  request.set_page_size(-1);
  EXPECT_EQ(PageByKey(request, 100, 1000, items, CodeKey, page.mutable_local_authorities(),
                      page.mutable_next_page_token())
                .code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(page.local_authorities_size(), 0);
}

}  // namespace
}  // namespace carescore
