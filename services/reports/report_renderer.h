#ifndef CARESCORE_SERVICES_REPORTS_REPORT_RENDERER_H_
#define CARESCORE_SERVICES_REPORTS_REPORT_RENDERER_H_

// Turns a report document into the files councils circulate: HTML (one
// self-contained page with a print stylesheet and inline SVG charts), PDF
// (that HTML printed by headless Chromium), XLSX (a summary sheet and one
// sheet per section), CSV (the summary table) and JSON. Every text that
// came from users (commentary, titles) is escaped. Thread-safe. One .cc per
// format (render_html.cc, render_pdf.cc, render_xlsx.cc, render_csv.cc,
// render_json.cc); the CSV's columns are scorecard_csv.h's.

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "carescore/v1/reports.pb.h"
#include "common/call_scope.h"

namespace carescore::reports {

std::string RenderHtml(const v1::ReportDocument& doc);
std::string RenderCsv(const v1::ReportDocument& doc);
absl::StatusOr<std::string> RenderJson(const v1::ReportDocument& doc);
// Internal if libxlsxwriter fails (e.g. no writable temp folder).
absl::StatusOr<std::string> RenderXlsx(const v1::ReportDocument& doc);
// Runs `chromium` (a path or a name on PATH) headless to print `html`.
// Unavailable if it cannot be run or fails; DeadlineExceeded after `timeout`
// or once `scope`'s deadline passes, Cancelled once its caller has gone
// (checked every 20 ms): then Chromium and every process it started are
// killed (its own process group, and the helpers that leave it) and reaped
// before this returns (one still dying after 5 s is reaped by a later call).
// Makes this process a child subreaper (PR_SET_CHILD_SUBREAPER) on first
// use, to reap those helpers.
absl::StatusOr<std::string> RenderPdf(const std::string& html, const std::string& chromium,
                                      const CallScope& scope = CallScope(),
                                      absl::Duration timeout = absl::Seconds(90));

// &, <, >, " and ' as entities.
std::string HtmlEscape(absl::string_view text);

}  // namespace carescore::reports

#endif  // CARESCORE_SERVICES_REPORTS_REPORT_RENDERER_H_
