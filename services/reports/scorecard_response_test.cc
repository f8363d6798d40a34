#include "services/reports/scorecard_response.h"

#include <map>
#include <string>
#include <vector>

#include "carescore/v1/reports.pb.h"
#include "google/protobuf/unknown_field_set.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"

namespace carescore::reports {
namespace {

v1::Scorecard Card() {
  v1::Scorecard card;
  card.set_la_code("372");
  card.set_la_name("Rotherham");
  card.set_month("2018-10");
  card.set_data_version(7);
  for (const char* code : {"6.1", "6.2", "8.2"}) {
    v1::ScorecardLine* l = card.add_lines();
    l->set_code(code);
    l->set_value(12.1);
    l->add_months()->set_month("2018-10");
  }
  return card;
}

std::string Flatten(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(buffer.Dump(&slices).ok());
  std::string out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

// How often each top-level field number occurs on the wire.
std::map<int, int> FieldCounts(const std::string& wire) {
  google::protobuf::UnknownFieldSet fields;
  EXPECT_TRUE(fields.ParseFromString(wire));
  std::map<int, int> counts;
  for (int i = 0; i < fields.field_count(); ++i) ++counts[fields.field(i).number()];
  return counts;
}

TEST(ScorecardResponseTest, EachFieldOnceAndParsesToTheCardAndTheWord) {
  const v1::Scorecard card = Card();
  for (const char* word : {"hit", "miss", "uncached"}) {
    const std::string wire = Flatten(ScorecardResponseBuffer({card.SerializeAsString(), word}));
    EXPECT_EQ(FieldCounts(wire), (std::map<int, int>{{1, 1}, {2, 1}})) << word;
    v1::GetScorecardResponse parsed;
    ASSERT_TRUE(parsed.ParseFromString(wire));
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed.scorecard(), card));
    EXPECT_EQ(parsed.cache(), word);
    // The very bytes protobuf itself writes for that message.
    v1::GetScorecardResponse expected;
    *expected.mutable_scorecard() = card;
    expected.set_cache(word);
    EXPECT_EQ(wire, expected.SerializeAsString()) << word;
  }
}

TEST(ScorecardResponseTest, LongScorecardsGetMultiByteLengths) {
  v1::Scorecard card = Card();
  card.set_la_name(std::string(300000, 'x'));  // a three-byte varint length
  const std::string bytes = card.SerializeAsString();
  const std::string head = ScorecardResponseHead(bytes.size());
  EXPECT_EQ(head.size(), 1u + 3u);
  const std::string wire = head + bytes + ScorecardResponseTail("hit");
  v1::GetScorecardResponse parsed;
  ASSERT_TRUE(parsed.ParseFromString(wire));
  EXPECT_EQ(parsed.scorecard().la_name().size(), 300000u);
  EXPECT_EQ(parsed.cache(), "hit");
}

}  // namespace
}  // namespace carescore::reports
