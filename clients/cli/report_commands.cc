#include "clients/cli/report_commands.h"

#include <fstream>
#include <iostream>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/measure.h"
#include "common/words.h"
#include "services/reports/scorecard_text.h"

namespace carescore::cli {
namespace {

// Which comparators a scorecard row shows.
std::string ComparatorsWord(const v1::ComparatorFigures& c) {
  if (c.source() != v1::COMPARATOR_SOURCE_PUBLISHED &&
      c.source() != v1::COMPARATOR_SOURCE_COMPUTED) {
    return "";
  }
  return absl::StrCat(ComparatorSourceWord(c.source()), " ", c.financial_year());
}

}  // namespace

absl::StatusOr<v1::GetReportRequest> ReportRequest(const std::string& la, const std::string& month,
                                                   const std::string& format,
                                                   const std::string& as_of) {
  v1::GetReportRequest request;
  request.set_la_code(la);
  request.set_month(month);
  absl::StatusOr<v1::ReportFormat> parsed = ParseReportFormat(format);
  if (!parsed.ok()) return parsed.status();
  request.set_format(*parsed);
  if (!as_of.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> t = ParseRfc3339(as_of, "--as-of");
    if (!t.ok()) return t.status();
    *request.mutable_as_of() = *t;
  }
  return request;
}

Table ScorecardTable(const v1::Scorecard& card) {
  Table table({"section", "code", "title", "value", "numerator", "denominator", "previous_value",
               "dot", "rag", "ytd", "target_red", "target_green", "sn_average", "national_average",
               "flags", "comparators", "quartile", "rank"});
  for (const v1::ScorecardLine& l : card.lines()) {
    std::vector<std::string> flags;
    for (const v1::Flag& f : l.flags()) flags.push_back(f.message());
    const v1::Target& t = l.target();
    const v1::ComparatorFigures& c = reports::HeadlineOrNone(l);
    // Thresholds, or the range for range indicators.
    const bool range = t.kind() == v1::TARGET_KIND_RANGE;
    const int places = l.decimal_places();
    auto shown = [places](bool present, double v) {
      return present ? nlohmann::json(FormatFigure(v, places)) : nlohmann::json(nullptr);
    };
    const bool ranked = c.rank() > 0;
    table.AddRow({l.section(), l.code(), l.title(), shown(l.has_value(), l.value()),
                  Optional(l.has_numerator(), l.numerator()),
                  Optional(l.has_denominator(), l.denominator()),
                  shown(l.has_previous_value(), l.previous_value()), DirectionWord(l.dot()),
                  RagWord(l.rag()), shown(l.has_ytd(), l.ytd()),
                  range ? Optional(t.has_range_low(), t.range_low())
                        : Optional(t.has_red_threshold(), t.red_threshold()),
                  range ? Optional(t.has_range_high(), t.range_high())
                        : Optional(t.has_green_threshold(), t.green_threshold()),
                  Optional(c.has_sn_average(), c.sn_average()),
                  Optional(c.has_national_average(), c.national_average()),
                  absl::StrJoin(flags, "; "), ComparatorsWord(c),
                  ranked ? nlohmann::json(QuartileBandWord(c.quartile())) : nlohmann::json(nullptr),
                  ranked ? nlohmann::json(absl::StrCat(c.rank(), " of ", c.rank_of()))
                         : nlohmann::json(nullptr)});
  }
  return table;
}

ReportCommands::ReportCommands(CLI::App& app, Client& client, absl::Status& result)
    : client_(client), result_(result) {
  auto run = [this](absl::Status s) { result_ = std::move(s); };

  CLI::App* scorecard = app.add_subcommand("scorecard", "The monthly scorecard for an LA");
  scorecard->add_option("--la", la_, "LA code")->required();
  scorecard->add_option("--month", month_, "Month, YYYY-MM")->required();
  scorecard->add_option("--as-of", as_of_, "RFC 3339 time: as the data stood then");
  scorecard->callback([this, run] { run(Scorecard()); });

  CLI::App* report = app.add_subcommand("report", "The Corporate Parenting Performance Report");
  report->add_option("--la", la_, "LA code")->required();
  report->add_option("--month", month_, "Month, YYYY-MM")->required();
  report->add_option("--format", format_, "html, pdf, xlsx, csv or json")
      ->check(CLI::IsMember(ReportFormatWords()))
      ->capture_default_str();
  report->add_option("-o,--output", output_, "File to write (default: carescore-LA-MONTH.EXT)");
  report->add_option("--as-of", as_of_, "RFC 3339 time: as the data stood then");
  report->callback([this, run] { run(Report()); });

  CLI::App* highlights = app.add_subcommand("highlights", "Current issues and improvements");
  highlights->add_option("--la", la_, "LA code")->required();
  highlights->add_option("--month", month_, "Month, YYYY-MM")->required();
  highlights->callback([this, run] { run(Highlights()); });

  CLI::App* commentary = app.add_subcommand("commentary", "Heads of service's commentary");
  commentary->require_subcommand(1);
  CLI::App* set = commentary->add_subcommand("set", "Set a section's commentary");
  set->add_option("--la", la_, "LA code")->required();
  set->add_option("--month", month_, "Month, YYYY-MM")->required();
  set->add_option("--section", section_, "Section, e.g. Placements")->required();
  set->add_option("--text", text_, "The commentary")->required();
  set->add_option("--author", author_, "Author (default: --actor or $USER)");
  set->callback([this, run] { run(SetCommentary()); });
  CLI::App* get = commentary->add_subcommand("get", "A month's commentary");
  get->add_option("--la", la_, "LA code")->required();
  get->add_option("--month", month_, "Month, YYYY-MM")->required();
  get->callback([this, run] { run(GetCommentary()); });
}

absl::Status ReportCommands::Scorecard() {
  v1::GetScorecardRequest request;
  request.set_la_code(la_);
  request.set_month(month_);
  if (!as_of_.empty()) {
    absl::StatusOr<google::protobuf::Timestamp> t = ParseRfc3339(as_of_, "--as-of");
    if (!t.ok()) return t.status();
    *request.mutable_as_of() = *t;
  }
  v1::GetScorecardResponse response;
  absl::Status s = client_.Call(client_.reports(), &v1::ReportService::Stub::GetScorecard, request,
                                &response, "scorecard");
  if (!s.ok()) return s;
  return PrintTable(client_, ScorecardTable(response.scorecard()));
}

absl::Status ReportCommands::Report() {
  absl::StatusOr<v1::GetReportRequest> request = ReportRequest(la_, month_, format_, as_of_);
  if (!request.ok()) return request.status();
  v1::GetReportResponse response;
  grpc::ClientContext ctx;
  client_.Prepare(ctx, /*long_running=*/true);
  absl::Status s = Rpc(client_.reports().GetReport(&ctx, *request, &response), "report");
  if (!s.ok()) return s;
  const std::string path = output_.empty() ? response.filename() : output_;
  std::ofstream file(path, std::ios::binary);
  file << response.content();
  file.close();
  if (!file) return absl::UnavailableError(absl::StrCat("cannot write ", path));
  std::cout << "wrote " << path << " (" << response.content().size() << " bytes, "
            << response.content_type() << ")\n";
  return absl::OkStatus();
}

absl::Status ReportCommands::Highlights() {
  v1::GetHighlightsRequest request;
  request.set_la_code(la_);
  request.set_month(month_);
  v1::GetHighlightsResponse response;
  absl::Status s = client_.Call(client_.reports(), &v1::ReportService::Stub::GetHighlights, request,
                                &response, "highlights");
  if (!s.ok()) return s;
  Table table({"section", "kind", "code", "title", "rag", "dot", "text"});
  for (const v1::SectionHighlights& section : response.sections()) {
    for (const auto& [kind, list] : {std::pair{"current issue", &section.current_issues()},
                                     std::pair{"improvement", &section.improvements()}}) {
      for (const v1::Highlight& h : *list) {
        table.AddRow({section.section(), kind, h.code(), h.title(), RagWord(h.rag()),
                      DirectionWord(h.dot()), h.text()});
      }
    }
  }
  return PrintTable(client_, table);
}

absl::Status ReportCommands::SetCommentary() {
  v1::SetCommentaryRequest request;
  request.set_la_code(la_);
  request.set_month(month_);
  request.set_section(section_);
  request.set_text(text_);
  request.set_author(author_.empty() ? client_.Actor() : author_);
  v1::SetCommentaryResponse response;
  absl::Status s = client_.Call(client_.reports(), &v1::ReportService::Stub::SetCommentary, request,
                                &response, "commentary set");
  if (!s.ok()) return s;
  std::cout << "commentary for " << section_ << " saved\n";
  return absl::OkStatus();
}

absl::Status ReportCommands::GetCommentary() {
  v1::ListCommentaryRequest request;
  request.set_la_code(la_);
  request.set_month(month_);
  request.set_page_size(1000);
  Table table({"section", "author", "updated_at", "text"});
  do {
    v1::ListCommentaryResponse response;
    absl::Status s = client_.Call(client_.reports(), &v1::ReportService::Stub::ListCommentary,
                                  request, &response, "commentary get");
    if (!s.ok()) return s;
    for (const v1::Commentary& c : response.commentary()) {
      table.AddRow({c.section(), c.author(), Rfc3339(c.updated_at()), c.text()});
    }
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  return PrintTable(client_, table);
}

}  // namespace carescore::cli
