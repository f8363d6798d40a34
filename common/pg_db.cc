#include "common/pg_db.h"

#include <charconv>
#include <cstdlib>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace carescore {
namespace {

// libpq's messages end in a newline and may span lines; one line reads
// better in a status.
std::string OneLine(const char* message) {
  std::string s = message != nullptr ? message : "";
  for (char& c : s) {
    if (c == '\n') c = ' ';
  }
  return std::string(absl::StripAsciiWhitespace(s));
}

absl::Status StatusForSqlState(absl::string_view state, std::string message) {
  // SQLSTATE classes: 08 connection, 53 insufficient resources, 57 operator
  // intervention (shutdown, cancel), 58 system error: all may pass.
  if (absl::StartsWith(state, "08") || absl::StartsWith(state, "53") ||
      absl::StartsWith(state, "57") || absl::StartsWith(state, "58")) {
    return absl::UnavailableError(std::move(message));
  }
  if (state == "40001" || state == "40P01") return absl::AbortedError(std::move(message));
  if (absl::StartsWith(state, "23")) return absl::FailedPreconditionError(std::move(message));
  return absl::InternalError(std::move(message));
}

// "host:port/db" from a URL, for messages; libpq's parser, so every form
// libpq accepts is named the same way.
std::string WhereOf(const std::string& url) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(url.c_str(), &error);
  if (options == nullptr) {
    if (error != nullptr) PQfreemem(error);
    return "(unparsable database URL)";
  }
  std::string host = "localhost";
  std::string port = "5432";
  std::string db;
  for (PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (o->val == nullptr || *o->val == '\0') continue;
    const absl::string_view key = o->keyword;
    if (key == "host" || (key == "hostaddr" && host == "localhost")) host = o->val;
    if (key == "port") port = o->val;
    if (key == "dbname") db = o->val;
  }
  PQconninfoFree(options);
  return absl::StrCat(host, ":", port, "/", db);
}

}  // namespace

bool IsPostgresUrl(absl::string_view url) {
  return absl::StartsWith(url, "postgresql://") || absl::StartsWith(url, "postgres://");
}

std::string RedactedPgUrl(absl::string_view url) {
  // scheme://user:password@host...: hide what lies between ':' and '@'.
  const size_t scheme = url.find("://");
  if (scheme == absl::string_view::npos) return std::string(url);
  const size_t at = url.find('@', scheme + 3);
  if (at == absl::string_view::npos) return std::string(url);
  const size_t colon = url.substr(0, at).find(':', scheme + 3);
  if (colon == absl::string_view::npos) return std::string(url);
  return absl::StrCat(url.substr(0, colon + 1), "***", url.substr(at));
}

std::string PgDoubleText(double v) {
  char buf[64];
  // Shortest text that reads back as the same double.
  const std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), v);
  return std::string(buf, r.ptr);
}

PgParam PgParam::Int(int64_t v) { return PgParam(absl::StrCat(v), false); }
PgParam PgParam::Double(double v) { return PgParam(PgDoubleText(v), false); }

void PgCopyRow(std::string* data, const std::vector<std::optional<std::string>>& fields) {
  bool first = true;
  for (const std::optional<std::string>& f : fields) {
    if (!first) data->push_back('\t');
    first = false;
    if (!f.has_value()) {
      data->append("\\N");
      continue;
    }
    for (const char c : *f) {
      switch (c) {
        case '\\':
          data->append("\\\\");
          break;
        case '\t':
          data->append("\\t");
          break;
        case '\n':
          data->append("\\n");
          break;
        case '\r':
          data->append("\\r");
          break;
        default:
          data->push_back(c);
      }
    }
  }
  data->push_back('\n');
}

PgResult& PgResult::operator=(PgResult&& other) noexcept {
  if (this != &other) {
    if (res_ != nullptr) PQclear(res_);
    res_ = std::exchange(other.res_, nullptr);
  }
  return *this;
}

PgResult::~PgResult() {
  if (res_ != nullptr) PQclear(res_);
}

int PgResult::rows() const { return PQntuples(res_); }

int64_t PgResult::affected() const {
  int64_t n = 0;
  (void)absl::SimpleAtoi(PQcmdTuples(res_), &n);
  return n;
}

bool PgResult::IsNull(int row, int col) const { return PQgetisnull(res_, row, col) != 0; }

absl::string_view PgResult::Text(int row, int col) const {
  return absl::string_view(PQgetvalue(res_, row, col),
                           static_cast<size_t>(PQgetlength(res_, row, col)));
}

int64_t PgResult::Int(int row, int col) const {
  int64_t v = 0;
  (void)absl::SimpleAtoi(Text(row, col), &v);
  return v;
}

double PgResult::Double(int row, int col) const {
  const absl::string_view t = Text(row, col);
  double v = 0;
  std::from_chars(t.data(), t.data() + t.size(), v);
  return v;
}

std::optional<double> PgResult::OptionalDouble(int row, int col) const {
  if (IsNull(row, col)) return std::nullopt;
  return Double(row, col);
}

std::string PgResult::Bytes(int row, int col) const {
  size_t n = 0;
  unsigned char* raw =
      PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(res_, row, col)), &n);
  if (raw == nullptr) return {};
  std::string out(reinterpret_cast<const char*>(raw), n);
  PQfreemem(raw);
  return out;
}

absl::StatusOr<std::unique_ptr<PgConn>> PgConn::Connect(const std::string& url,
                                                        const std::string& schema) {
  std::string where = WhereOf(url);
  PGconn* conn = PQconnectdb(url.c_str());
  if (conn == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PostgreSQL at ", where, ": out of memory"));
  }
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string why = OneLine(PQerrorMessage(conn));
    PQfinish(conn);
    return absl::UnavailableError(
        absl::StrCat("cannot connect to PostgreSQL at ", where, ": ", why));
  }
  auto out = std::unique_ptr<PgConn>(new PgConn(conn, std::move(where)));
  // Quiet NOTICEs (CREATE ... IF NOT EXISTS) instead of libpq's stderr.
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  if (!schema.empty()) {
    char* quoted = PQescapeIdentifier(conn, schema.data(), schema.size());
    if (quoted == nullptr) return absl::InvalidArgumentError("bad schema name");
    absl::Status set = out->Run(absl::StrCat("SET search_path TO ", quoted));
    PQfreemem(quoted);
    if (!set.ok()) return set;
  }
  return out;
}

PgConn::~PgConn() {
  if (conn_ != nullptr) PQfinish(conn_);
}

bool PgConn::healthy() const { return PQstatus(conn_) == CONNECTION_OK; }

absl::Status PgConn::ResultError(PGresult* res, absl::string_view sql) {
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = OneLine(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
  if (message.empty()) message = OneLine(PQerrorMessage(conn_));
  // The statement's first words say which one failed, without its data.
  const absl::string_view head = sql.substr(0, std::min<size_t>(sql.size(), 60));
  std::string full = absl::StrCat("PostgreSQL at ", where_, ": ", message,
                                  " (in: ", absl::StripAsciiWhitespace(head), "...)");
  if (state == nullptr || !healthy()) return absl::UnavailableError(std::move(full));
  return StatusForSqlState(state, std::move(full));
}

absl::StatusOr<PgResult> PgConn::Exec(absl::string_view sql, const std::vector<PgParam>& params) {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  values.reserve(params.size());
  lengths.reserve(params.size());
  formats.reserve(params.size());
  for (const PgParam& p : params) {
    values.push_back(p.value().has_value() ? p.value()->data() : nullptr);
    lengths.push_back(p.value().has_value() ? static_cast<int>(p.value()->size()) : 0);
    formats.push_back(p.binary() ? 1 : 0);
  }
  const std::string text(sql);
  PGresult* res = PQexecParams(conn_, text.c_str(), static_cast<int>(params.size()), nullptr,
                               values.data(), lengths.data(), formats.data(), 0);
  const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    absl::Status error = ResultError(res, sql);
    if (res != nullptr) PQclear(res);
    return error;
  }
  return PgResult(res);
}

absl::Status PgConn::Run(absl::string_view sql) {
  const std::string text(sql);
  PGresult* res = PQexec(conn_, text.c_str());
  const ExecStatusType st = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  absl::Status out = absl::OkStatus();
  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) out = ResultError(res, sql);
  if (res != nullptr) PQclear(res);
  return out;
}

absl::Status PgConn::CopyIn(absl::string_view copy_sql, absl::string_view data) {
  const std::string text(copy_sql);
  PGresult* res = PQexec(conn_, text.c_str());
  if (res == nullptr || PQresultStatus(res) != PGRES_COPY_IN) {
    absl::Status error = ResultError(res, copy_sql);
    if (res != nullptr) PQclear(res);
    return error;
  }
  PQclear(res);
  // Sent in pieces: libpq buffers what it is given whole otherwise.
  constexpr size_t kChunk = 1 << 20;
  for (size_t at = 0; at < data.size(); at += kChunk) {
    const absl::string_view part = data.substr(at, kChunk);
    if (PQputCopyData(conn_, part.data(), static_cast<int>(part.size())) != 1) {
      return absl::UnavailableError(absl::StrCat(
          "PostgreSQL at ", where_, ": COPY failed: ", OneLine(PQerrorMessage(conn_))));
    }
  }
  if (PQputCopyEnd(conn_, nullptr) != 1) {
    return absl::UnavailableError(
        absl::StrCat("PostgreSQL at ", where_, ": COPY failed: ", OneLine(PQerrorMessage(conn_))));
  }
  absl::Status out = absl::OkStatus();
  while ((res = PQgetResult(conn_)) != nullptr) {
    if (out.ok() && PQresultStatus(res) != PGRES_COMMAND_OK) out = ResultError(res, copy_sql);
    PQclear(res);
  }
  return out;
}

PgLease::~PgLease() {
  if (conn_ != nullptr && pool_ != nullptr) pool_->GiveBack(std::move(conn_));
}

absl::StatusOr<std::unique_ptr<PgPool>> PgPool::Open(const std::string& url,
                                                     const std::string& schema, int size) {
  auto pool = std::unique_ptr<PgPool>(new PgPool(url, schema, size < 1 ? 1 : size));
  // The schema may not exist yet (migrations make it): check with none set.
  absl::StatusOr<std::unique_ptr<PgConn>> first = PgConn::Connect(url, "");
  if (!first.ok()) return first.status();
  return pool;
}

absl::StatusOr<PgLease> PgPool::Acquire() {
  std::unique_ptr<PgConn> conn;
  {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(
        +[](PgPool* p) ABSL_EXCLUSIVE_LOCKS_REQUIRED(p->mu_) {
          return !p->idle_.empty() || p->out_ < p->size_;
        },
        this));
    ++out_;
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (conn != nullptr && conn->healthy()) return PgLease(this, std::move(conn));
  // None kept, or the kept one broke (a server restart): connect again.
  conn.reset();
  absl::StatusOr<std::unique_ptr<PgConn>> fresh = PgConn::Connect(url_, schema_);
  if (!fresh.ok()) {
    absl::MutexLock lock(&mu_);
    --out_;
    return fresh.status();
  }
  return PgLease(this, *std::move(fresh));
}

absl::Status PgPool::InTransaction(absl::FunctionRef<absl::Status(PgConn&)> body) {
  absl::StatusOr<PgLease> conn = Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  absl::Status done = body(**conn);
  if (!done.ok()) return done;
  return tx.Commit();
}

void PgPool::GiveBack(std::unique_ptr<PgConn> conn) {
  absl::MutexLock lock(&mu_);
  --out_;
  // A connection left inside a transaction (a caller's error path) or
  // broken is not reused.
  if (conn->healthy() && PQtransactionStatus(conn->raw()) == PQTRANS_IDLE) {
    idle_.push_back(std::move(conn));
  }
}

PgTransaction::PgTransaction(PgConn& conn) : conn_(conn) { begin_status_ = conn_.Run("BEGIN"); }

PgTransaction::~PgTransaction() {
  if (!done_ && begin_status_.ok()) (void)conn_.Run("ROLLBACK");
}

absl::Status PgTransaction::Commit() {
  absl::Status s = conn_.Run("COMMIT");
  done_ = true;
  return s;
}

absl::Status MigratePgSchema(PgPool& pool, absl::string_view store,
                             const std::vector<absl::string_view>& migrations) {
  absl::StatusOr<PgLease> conn = pool.Acquire();
  if (!conn.ok()) return conn.status();
  PgTransaction tx(**conn);
  if (!tx.status().ok()) return tx.status();
  // One lock for every store's migrations: replicas starting together wait
  // here, and the second sees the first's work already done.
  absl::Status locked = (*conn)->Run("SELECT pg_advisory_xact_lock(7405734212)");
  if (!locked.ok()) return locked;
  char* quoted = PQescapeIdentifier((*conn)->raw(), pool.schema().data(), pool.schema().size());
  if (quoted == nullptr) return absl::InvalidArgumentError("bad schema name");
  const std::string schema = quoted;
  PQfreemem(quoted);
  absl::Status made = (*conn)->Run(absl::StrCat(
      "CREATE SCHEMA IF NOT EXISTS ", schema, "; CREATE TABLE IF NOT EXISTS ", schema,
      ".schema_version(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL); "
      "INSERT INTO ",
      schema, ".schema_version VALUES (1, 0) ON CONFLICT (id) DO NOTHING"));
  if (!made.ok()) return made;
  absl::StatusOr<PgResult> version =
      (*conn)->Exec(absl::StrCat("SELECT version FROM ", schema, ".schema_version"));
  if (!version.ok()) return version.status();
  const int64_t at = version->Int(0, 0);
  if (at > static_cast<int64_t>(migrations.size())) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the ", store, " schema in PostgreSQL at ", (*conn)->where(), " is at version ", at,
        ", newer than this build of carescore knows (", migrations.size(),
        "): run the newer carescore, or restore a backup taken before the upgrade"));
  }
  if (at == static_cast<int64_t>(migrations.size())) return tx.Commit();
  absl::Status path = (*conn)->Run(absl::StrCat("SET LOCAL search_path TO ", schema));
  if (!path.ok()) return path;
  for (size_t i = static_cast<size_t>(at); i < migrations.size(); ++i) {
    absl::Status applied = (*conn)->Run(migrations[i]);
    if (!applied.ok()) {
      return absl::Status(applied.code(),
                          absl::StrCat("migrating the ", store, " schema to version ", i + 1, ": ",
                                       applied.message()));
    }
  }
  absl::StatusOr<PgResult> set =
      (*conn)->Exec(absl::StrCat("UPDATE ", schema, ".schema_version SET version = $1"),
                    {PgParam::Int(static_cast<int64_t>(migrations.size()))});
  if (!set.ok()) return set.status();
  return tx.Commit();
}

}  // namespace carescore
