#include "clients/cli/output.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_replace.h"
#include "common/measure.h"
#include "common/spreadsheet_cell.h"

namespace carescore::cli {
namespace {

std::string CellText(const nlohmann::json& cell) {
  if (cell.is_null()) return "";
  if (cell.is_string()) return cell.get<std::string>();
  if (cell.is_number_integer()) return std::to_string(cell.get<int64_t>());
  if (cell.is_number()) return NumberText(cell.get<double>());
  if (cell.is_boolean()) return cell.get<bool>() ? "yes" : "no";
  return cell.dump();
}

// Display width in characters, counting UTF-8 continuation bytes as nothing.
size_t Width(const std::string& s) {
  size_t w = 0;
  for (char c : s) w += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return w;
}

}  // namespace

absl::StatusOr<Format> ParseFormat(absl::string_view word) {
  if (word == "table") return Format::kTable;
  if (word == "csv") return Format::kCsv;
  if (word == "json") return Format::kJson;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown format \"", word, "\": expected table, csv or json"));
}

std::string NumberText(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return absl::StrFormat("%.0f", v);
  std::string text = absl::StrFormat("%.10f", v);
  text.erase(text.find_last_not_of('0') + 1);
  if (!text.empty() && text.back() == '.') text.pop_back();
  return text;
}

std::string CsvField(absl::string_view text) { return carescore::CsvField(text); }

void Table::SetPlaces(const std::string& column, int places) {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (columns_[i] == column) places_[i] = places;
  }
}

std::string Table::Text(size_t column, const nlohmann::json& cell) const {
  if (cell.is_number() && places_[column] >= 0) {
    return FormatFigure(cell.get<double>(), places_[column]);
  }
  return CellText(cell);
}

void Table::Print(Format format, std::ostream& out) const {
  switch (format) {
    case Format::kJson: {
      nlohmann::json array = nlohmann::json::array();
      for (const auto& row : rows_) {
        nlohmann::json object = nlohmann::json::object();
        for (size_t i = 0; i < columns_.size(); ++i) object[columns_[i]] = row[i];
        array.push_back(std::move(object));
      }
      out << array.dump(2) << "\n";
      return;
    }
    case Format::kCsv: {
      for (size_t i = 0; i < columns_.size(); ++i) {
        out << (i > 0 ? "," : "") << CsvField(columns_[i]);
      }
      out << "\n";
      for (const auto& row : rows_) {
        for (size_t i = 0; i < row.size(); ++i) {
          out << (i > 0 ? "," : "") << CsvField(Text(i, row[i]));
        }
        out << "\n";
      }
      return;
    }
    case Format::kTable: {
      std::vector<size_t> widths;
      for (const std::string& c : columns_) widths.push_back(Width(c));
      std::vector<std::vector<std::string>> texts;
      for (const auto& row : rows_) {
        std::vector<std::string> line;
        for (size_t i = 0; i < row.size(); ++i) {
          std::string text = Text(i, row[i]);
          std::replace(text.begin(), text.end(), '\n', ' ');
          widths[i] = std::max(widths[i], Width(text));
          line.push_back(std::move(text));
        }
        texts.push_back(std::move(line));
      }
      auto print_line = [&](const std::vector<std::string>& cells) {
        std::string line;
        for (size_t i = 0; i < cells.size(); ++i) {
          line += cells[i];
          if (i + 1 < cells.size()) line += std::string(widths[i] - Width(cells[i]) + 2, ' ');
        }
        out << line << "\n";
      };
      print_line(columns_);
      std::vector<std::string> rule;
      rule.reserve(widths.size());
      for (size_t w : widths) rule.emplace_back(w, '-');
      print_line(rule);
      for (const auto& line : texts) print_line(line);
      return;
    }
  }
}

}  // namespace carescore::cli
