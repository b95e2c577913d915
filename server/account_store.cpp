#include "account_store.hpp"

#include "network_thread.hpp"
#include "reference_data.hpp"
#include "secrets.hpp"

#include <algorithm>
#include <cctype>

#include "psc/schema.hpp"

namespace psc::server {

namespace {
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS accounts (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  role          TEXT NOT NULL,
  neighborhood  TEXT NOT NULL DEFAULT '',
  department    TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,          -- Argon2id (crypto_pwhash_str)
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS device_tokens (
  id                INTEGER PRIMARY KEY,
  token_digest      TEXT NOT NULL UNIQUE,  -- SHA-256 of the secret; the secret is never stored
  account_id        INTEGER NOT NULL REFERENCES accounts(id),
  username          TEXT NOT NULL,         -- the account's, or the kiosk's own name
  device            TEXT NOT NULL,
  kind              TEXT NOT NULL,         -- 'login' or 'kiosk'
  neighborhood      TEXT NOT NULL DEFAULT '',
  created_at        INTEGER NOT NULL,
  revoked_at        INTEGER,
  last_seen_at      INTEGER,
  expires_at        INTEGER,               -- NULL: until revoked (kiosk tokens expire)
  last_cursor       INTEGER NOT NULL DEFAULT 0,
  reported_unsynced INTEGER NOT NULL DEFAULT 0,
  unsynced_since    INTEGER                -- first hello reporting unsynced changes, until they are delivered
);
-- Bumped by the triggers below on every write that can end a session, by
-- whichever process makes it: the server polls it (RevocationWatch).
CREATE TABLE IF NOT EXISTS auth_epoch (
  id    INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT OR IGNORE INTO auth_epoch(id, value) VALUES (1, 0);
CREATE TRIGGER IF NOT EXISTS auth_epoch_token_update AFTER UPDATE OF revoked_at, expires_at, account_id, device, kind,
  neighborhood, token_digest ON device_tokens
  BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS auth_epoch_token_delete AFTER DELETE ON device_tokens
  BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS auth_epoch_account_update AFTER UPDATE OF username, role, neighborhood, department,
  disabled ON accounts
  BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER IF NOT EXISTS auth_epoch_account_delete AFTER DELETE ON accounts
  BEGIN UPDATE auth_epoch SET value = value + 1 WHERE id = 1; END;
CREATE INDEX IF NOT EXISTS device_tokens_by_device ON device_tokens(device);
CREATE INDEX IF NOT EXISTS device_tokens_by_expiry ON device_tokens(expires_at)
  WHERE revoked_at IS NULL AND expires_at IS NOT NULL;
-- What people call a device ("Frog Hollow tablet 2"): chosen at sign-in or
-- given by a coordinator, shown instead of its random id. One per device id,
-- whoever holds it now.
CREATE TABLE IF NOT EXISTS device_names (
  device  TEXT PRIMARY KEY,
  name    TEXT NOT NULL,
  set_by  TEXT NOT NULL,
  set_at  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS kiosk_codes (
  code_digest  TEXT PRIMARY KEY,
  issuer_id    INTEGER NOT NULL REFERENCES accounts(id),
  neighborhood TEXT NOT NULL,
  expires_at   INTEGER NOT NULL,
  used_at      INTEGER
);
)sql";

Account read_account(SQLite::Statement& s) {
  Account a;
  a.id = s.getColumn(0).getInt64();
  a.username = s.getColumn(1).getString();
  a.role = role_from_name(s.getColumn(2).getString()).value_or(Role::viewer);
  a.neighborhood = s.getColumn(3).getString();
  a.department = s.getColumn(4).getString();
  a.disabled = s.getColumn(5).getInt() != 0;
  a.must_change_password = s.getColumn(6).getInt() != 0;
  return a;
}
constexpr const char* kAccountColumns =
    "id, username, role, neighborhood, department, disabled, must_change_password";

// Who a token acts for, read from a device_tokens row joined with its
// account: these columns, in this order, from `first` on. A kiosk token acts
// for its own neighborhood; any other for its account's role and place.
constexpr const char* kPrincipalColumns =
    "t.username, t.kind, t.neighborhood, a.role, a.neighborhood, a.department";

Principal principal_from_columns(SQLite::Statement& s, int first, const std::string& device) {
  Principal p;
  p.account = s.getColumn(first).getString();
  p.device = device;
  if (s.getColumn(first + 1).getString() == "kiosk") {
    p.role = Role::kiosk;
    p.neighborhood = s.getColumn(first + 2).getString();
    return p;
  }
  p.role = role_from_name(s.getColumn(first + 3).getString()).value_or(Role::viewer);
  p.neighborhood = s.getColumn(first + 4).getString();
  p.department = s.getColumn(first + 5).getString();
  return p;
}

}  // namespace

AccountStore::AccountStore(const std::string& database_path)
    : db_(database_path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX) {
  db_.setBusyTimeout(5000);
  db_.exec("PRAGMA journal_mode=WAL");
  // NORMAL, not FULL: custody updates (last seen, unsynced count) come with
  // every hello on the network thread and must not cost an fsync each; WAL
  // NORMAL still survives a process crash. Changes use FULL (change store).
  db_.exec("PRAGMA synchronous=NORMAL");
  // Checkpoints are the change store's checkpointer's job; one started here
  // would run on the network thread after a custody update.
  db_.exec("PRAGMA wal_autocheckpoint=0");
  db_.exec(kSchema);
  // Data folders made before custody tracked "since when".
  if (!db_.execAndGet("SELECT count(*) FROM pragma_table_info('device_tokens') WHERE name = 'unsynced_since'")
           .getInt())
    db_.exec("ALTER TABLE device_tokens ADD COLUMN unsynced_since INTEGER");
  // Data folders made before printed passwords had to be changed.
  if (!db_.execAndGet(
              "SELECT count(*) FROM pragma_table_info('accounts') WHERE name = 'must_change_password'")
           .getInt())
    db_.exec("ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0");
  custody_ = std::make_unique<CustodyWriter>(database_path);
}

std::unique_lock<std::recursive_mutex> AccountStore::lock_db() {
  forbid_on_network_thread("an account store query");
  return std::unique_lock(mutex_);
}

void AccountStore::set_department_check(std::function<bool(std::string_view)> is_department) {
  is_department_ = std::move(is_department);
}

Result<Account> AccountStore::create_account(const std::string& username, Role role,
                                             const std::string& neighborhood, const std::string& department,
                                             const std::string& password, int64_t now_ms,
                                             bool must_change_password) {
  auto lock = lock_db();
  if (username.empty() || username.size() > 64)
    return Status::error("invalid_account", "username must be 1-64 characters");
  for (char c : username)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '@'))
      return Status::error("invalid_account", "username may hold letters, digits and . _ - @ only");
  if ((role == Role::organizer || role == Role::kiosk) && neighborhood.empty())
    return Status::error("invalid_account", std::string(role_name(role)) + " accounts need a neighborhood");
  if (role == Role::liaison && department.empty())
    return Status::error("invalid_account", "liaison accounts need a department");
  if (!neighborhood.empty() && !is_known_neighborhood(neighborhood))
    return Status::error("invalid_account",
                         "no neighborhood \"" + neighborhood + "\" (use a slug such as frog-hollow)");
  if (!department.empty()) {
    const auto& known = department_slugs();
    const bool listed = is_department_ ? is_department_(department)
                                       : std::find(known.begin(), known.end(), department) != known.end();
    if (!listed)
      return Status::error("invalid_account",
                           "no department \"" + department + "\" (use a slug such as public-works)");
  }
  if (password.size() < 10) return Status::error("weak_password", "passwords must be at least 10 characters");
  if (find_account(username)) return Status::error("exists", "account " + username + " already exists");
  SQLite::Statement s(
      db_,
      "INSERT INTO accounts(username, role, neighborhood, department, password_hash, created_at, "
      "must_change_password) VALUES(?,?,?,?,?,?,?)");
  s.bind(1, username);
  s.bind(2, std::string(role_name(role)));
  s.bind(3, neighborhood);
  s.bind(4, department);
  s.bind(5, hash_password(password));
  s.bind(6, now_ms);
  s.bind(7, must_change_password ? 1 : 0);
  s.exec();
  return *find_account(username);
}

std::optional<Account> AccountStore::find_account(const std::string& username) {
  auto lock = lock_db();
  SQLite::Statement s(db_, std::string("SELECT ") + kAccountColumns + " FROM accounts WHERE username = ?");
  s.bind(1, username);
  if (!s.executeStep()) return std::nullopt;
  return read_account(s);
}

std::vector<Account> AccountStore::list_accounts() {
  auto lock = lock_db();
  SQLite::Statement s(db_, std::string("SELECT ") + kAccountColumns + " FROM accounts ORDER BY username");
  std::vector<Account> out;
  while (s.executeStep()) out.push_back(read_account(s));
  return out;
}

bool AccountStore::has_accounts() {
  auto lock = lock_db();
  SQLite::Statement s(db_, "SELECT 1 FROM accounts LIMIT 1");
  return s.executeStep();
}

Status AccountStore::set_password(const std::string& username, const std::string& password,
                                  bool must_change_password) {
  if (password.size() < 10) return Status::error("weak_password", "passwords must be at least 10 characters");
  const std::string hash = hash_password(password);
  auto lock = lock_db();
  SQLite::Statement s(db_,
                      "UPDATE accounts SET password_hash = ?, must_change_password = ? WHERE username = ?");
  s.bind(1, hash);
  s.bind(2, must_change_password ? 1 : 0);
  s.bind(3, username);
  if (s.exec() == 0) return Status::error("not_found", "no account " + username);
  return Status::ok();
}

Status AccountStore::set_disabled(const std::string& username, bool disabled) {
  auto lock = lock_db();
  SQLite::Statement s(db_, "UPDATE accounts SET disabled = ? WHERE username = ?");
  s.bind(1, disabled ? 1 : 0);
  s.bind(2, username);
  if (s.exec() == 0) return Status::error("not_found", "no account " + username);
  return Status::ok();
}

std::optional<Account> AccountStore::check_password(const std::string& username,
                                                    const std::string& password) {
  std::optional<Account> account;
  std::string stored_hash;
  {
    auto lock = lock_db();
    SQLite::Statement s(
        db_, std::string("SELECT ") + kAccountColumns + ", password_hash FROM accounts WHERE username = ?");
    s.bind(1, username);
    if (s.executeStep()) {
      account = read_account(s);
      stored_hash = s.getColumn(7).getString();
    }
  }
  // Argon2id outside the lock: other requests use the connection meanwhile.
  if (!account) {
    // Spend the same time as a real check, so timing does not reveal which
    // usernames exist.
    static const std::string kDummy = hash_password("not a real password");
    verify_password(password, kDummy);
    return std::nullopt;
  }
  if (!verify_password(password, stored_hash) || account->disabled) return std::nullopt;
  return account;
}

bool AccountStore::device_held_by_other(const std::string& device, int64_t account_id, int64_t now_ms) {
  SQLite::Statement s(
      db_,
      "SELECT 1 FROM device_tokens WHERE device = ? AND account_id <> ? AND revoked_at IS NULL "
      "AND (expires_at IS NULL OR expires_at > ?) LIMIT 1");
  s.bind(1, device);
  s.bind(2, account_id);
  s.bind(3, now_ms);
  return s.executeStep();
}

Result<std::string> AccountStore::issue_token(const Account& account, const std::string& device,
                                              int64_t now_ms, std::optional<int64_t> expires_at) {
  auto lock = lock_db();
  SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
  if (device_held_by_other(device, account.id, now_ms))
    return Status::error("device_taken", "device " + device +
                                             " is signed in with another account; sign that account "
                                             "out on it first, or use another device id");
  const std::string token = new_token();
  SQLite::Statement s(
      db_,
      "INSERT INTO device_tokens(token_digest, account_id, username, device, kind, neighborhood, "
      "created_at, expires_at) VALUES(?,?,?,?,'login',?,?,?)");
  s.bind(1, secret_digest(token));
  s.bind(2, account.id);
  s.bind(3, account.username);
  s.bind(4, device);
  s.bind(5, account.neighborhood);
  s.bind(6, now_ms);
  if (expires_at)
    s.bind(7, *expires_at);
  else
    s.bind(7);
  s.exec();
  tx.commit();
  return token;
}

std::optional<Principal> AccountStore::authenticate(const std::string& token, const std::string& device,
                                                    int64_t now_ms) {
  if (token.size() != 64) return std::nullopt;
  auto lock = lock_db();
  return principal_for_digest(db_, secret_digest(token), device, now_ms);
}

std::optional<Principal> AccountStore::principal_for_digest(SQLite::Database& db,
                                                            const std::string& token_digest,
                                                            const std::string& device, int64_t now_ms) {
  SQLite::Statement s(db, std::string("SELECT t.device, ") + kPrincipalColumns +
                              " FROM device_tokens t JOIN accounts a ON a.id = t.account_id "
                              "WHERE t.token_digest = ? AND t.revoked_at IS NULL AND a.disabled = 0 "
                              "AND (t.expires_at IS NULL OR t.expires_at > ?)");
  s.bind(1, token_digest);
  s.bind(2, now_ms);
  if (!s.executeStep()) return std::nullopt;
  if (s.getColumn(0).getString() != device) return std::nullopt;  // a token works only for its own device
  return principal_from_columns(s, 1, device);
}

std::optional<int64_t> AccountStore::first_expiry_after(SQLite::Database& db, int64_t after_ms) {
  SQLite::Statement s(db,
                      "SELECT MIN(expires_at) FROM device_tokens "
                      "WHERE revoked_at IS NULL AND expires_at IS NOT NULL AND expires_at > ?");
  s.bind(1, after_ms);
  if (!s.executeStep() || s.getColumn(0).isNull()) return std::nullopt;
  return s.getColumn(0).getInt64();
}

int64_t AccountStore::auth_epoch(SQLite::Database& db) {
  SQLite::Statement s(db, "SELECT value FROM auth_epoch WHERE id = 1");
  return s.executeStep() ? s.getColumn(0).getInt64() : 0;
}

std::vector<AccountStore::DeviceKey> AccountStore::device_keys(const std::string& device,
                                                               const std::string& account, int64_t now_ms) {
  auto lock = lock_db();
  SQLite::Statement s(db_, std::string("SELECT t.token_digest, ") + kPrincipalColumns +
                               " FROM device_tokens t JOIN accounts a ON a.id = t.account_id "
                               "WHERE t.device = ? AND t.username = ? AND t.revoked_at IS NULL "
                               "AND a.disabled = 0 AND (t.expires_at IS NULL OR t.expires_at > ?) "
                               "ORDER BY t.id DESC LIMIT 8");
  s.bind(1, device);
  s.bind(2, account);
  s.bind(3, now_ms);
  std::vector<DeviceKey> out;
  while (s.executeStep()) out.push_back({s.getColumn(0).getString(), principal_from_columns(s, 1, device)});
  return out;
}

std::vector<DeviceToken> AccountStore::list_tokens() {
  custody_->flush();
  auto lock = lock_db();
  SQLite::Statement s(
      db_,
      "SELECT t.id, t.account_id, t.username, t.device, t.kind, t.neighborhood, t.created_at, "
      "t.revoked_at, t.last_seen_at, t.reported_unsynced, t.expires_at, t.last_cursor, "
      "t.unsynced_since, CASE t.kind WHEN 'kiosk' THEN 'kiosk' ELSE a.role END, n.name "
      "FROM device_tokens t JOIN accounts a ON a.id = t.account_id "
      "LEFT JOIN device_names n ON n.device = t.device ORDER BY t.id");
  std::vector<DeviceToken> out;
  while (s.executeStep()) {
    DeviceToken t;
    t.id = s.getColumn(0).getInt64();
    t.account_id = s.getColumn(1).getInt64();
    t.username = s.getColumn(2).getString();
    t.device = s.getColumn(3).getString();
    t.kind = s.getColumn(4).getString();
    t.neighborhood = s.getColumn(5).getString();
    t.created_at = s.getColumn(6).getInt64();
    if (!s.getColumn(7).isNull()) t.revoked_at = s.getColumn(7).getInt64();
    if (!s.getColumn(8).isNull()) t.last_seen_at = s.getColumn(8).getInt64();
    t.reported_unsynced = s.getColumn(9).getInt64();
    if (!s.getColumn(10).isNull()) t.expires_at = s.getColumn(10).getInt64();
    t.last_cursor = s.getColumn(11).getInt64();
    if (!s.getColumn(12).isNull()) t.unsynced_since = s.getColumn(12).getInt64();
    t.role = s.getColumn(13).getString();
    if (!s.getColumn(14).isNull()) t.device_name = s.getColumn(14).getString();
    out.push_back(std::move(t));
  }
  return out;
}

void AccountStore::set_device_name(const std::string& device, const std::string& name,
                                   const std::string& set_by, int64_t now_ms) {
  auto lock = lock_db();
  if (name.empty()) {
    SQLite::Statement s(db_, "DELETE FROM device_names WHERE device = ?");
    s.bind(1, device);
    s.exec();
    return;
  }
  SQLite::Statement s(db_,
                      "INSERT INTO device_names (device, name, set_by, set_at) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (device) DO UPDATE SET name = excluded.name, set_by = excluded.set_by, "
                      "set_at = excluded.set_at");
  s.bind(1, device);
  s.bind(2, name);
  s.bind(3, set_by);
  s.bind(4, now_ms);
  s.exec();
}

std::map<std::string, std::string> AccountStore::device_names() {
  auto lock = lock_db();
  SQLite::Statement s(db_, "SELECT device, name FROM device_names");
  std::map<std::string, std::string> out;
  while (s.executeStep()) out.emplace(s.getColumn(0).getString(), s.getColumn(1).getString());
  return out;
}

bool AccountStore::knows_device(const std::string& device) {
  auto lock = lock_db();
  SQLite::Statement s(db_, "SELECT 1 FROM device_tokens WHERE device = ? LIMIT 1");
  s.bind(1, device);
  return s.executeStep();
}

Status AccountStore::revoke_token(int64_t token_id, int64_t now_ms) {
  auto lock = lock_db();
  SQLite::Statement s(db_, "UPDATE device_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL");
  s.bind(1, now_ms);
  s.bind(2, token_id);
  if (s.exec() == 0) return Status::error("not_found", "no active token " + std::to_string(token_id));
  return Status::ok();
}

std::vector<DeviceToken> AccountStore::list_kiosks(const std::string& neighborhood) {
  std::vector<DeviceToken> out;
  for (auto& t : list_tokens())
    if (t.kind == "kiosk" && (neighborhood.empty() || t.neighborhood == neighborhood))
      out.push_back(std::move(t));
  return out;
}

Status AccountStore::revoke_kiosk(int64_t token_id, const std::string& neighborhood, int64_t now_ms) {
  auto lock = lock_db();
  SQLite::Statement s(db_,
                      "UPDATE device_tokens SET revoked_at = ? WHERE id = ? AND kind = 'kiosk' "
                      "AND (? = '' OR neighborhood = ?) AND revoked_at IS NULL");
  s.bind(1, now_ms);
  s.bind(2, token_id);
  s.bind(3, neighborhood);
  s.bind(4, neighborhood);
  if (s.exec() == 0)
    return Status::error("not_found", "no active kiosk " + std::to_string(token_id) + " of yours");
  return Status::ok();
}

void AccountStore::revoke_secret(const std::string& token, int64_t now_ms) {
  auto lock = lock_db();
  SQLite::Statement s(
      db_, "UPDATE device_tokens SET revoked_at = ? WHERE token_digest = ? AND revoked_at IS NULL");
  s.bind(1, now_ms);
  s.bind(2, secret_digest(token));
  s.exec();
}

void AccountStore::record_hello(const std::string& token, int64_t cursor, int64_t unsynced, int64_t now_ms) {
  custody_->hello(secret_digest(token), cursor, unsynced, now_ms);
}

void AccountStore::record_delivered(const std::string& token_digest, int64_t delivered, int64_t now_ms) {
  custody_->delivered(token_digest, delivered, now_ms);
}

std::string AccountStore::issue_kiosk_code(const Account& issuer, const std::string& neighborhood,
                                           int64_t now_ms, int64_t valid_ms) {
  auto lock = lock_db();
  const std::string code = new_kiosk_code();
  SQLite::Statement s(
      db_, "INSERT INTO kiosk_codes(code_digest, issuer_id, neighborhood, expires_at) VALUES(?,?,?,?)");
  s.bind(1, secret_digest(code));
  s.bind(2, issuer.id);
  s.bind(3, neighborhood);
  s.bind(4, now_ms + valid_ms);
  s.exec();
  return code;
}

Result<std::string> AccountStore::redeem_kiosk_code(const std::string& code, const std::string& device,
                                                    int64_t now_ms) {
  std::string normalized;
  for (char c : code)
    if (c != ' ' && c != '-') normalized += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto lock = lock_db();
  SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement s(
      db_, "SELECT issuer_id, neighborhood, expires_at, used_at FROM kiosk_codes WHERE code_digest = ?");
  s.bind(1, secret_digest(normalized));
  if (!s.executeStep()) return Status::error("bad_code", "unknown kiosk code");
  const int64_t issuer = s.getColumn(0).getInt64();
  const std::string neighborhood = s.getColumn(1).getString();
  if (!s.getColumn(3).isNull()) return Status::error("bad_code", "this kiosk code was already used");
  // expires_at is the first instant it no longer works, as for tokens.
  if (s.getColumn(2).getInt64() <= now_ms) return Status::error("bad_code", "this kiosk code has expired");
  s.reset();
  // Checked before the code is spent: a refused tablet can try another id.
  if (device_held_by_other(device, issuer, now_ms))
    return Status::error("device_taken", "device " + device +
                                             " is signed in with another account; sign that account "
                                             "out on it first, or use another device id");
  SQLite::Statement used(db_, "UPDATE kiosk_codes SET used_at = ? WHERE code_digest = ?");
  used.bind(1, now_ms);
  used.bind(2, secret_digest(normalized));
  used.exec();
  const std::string token = new_token();
  SQLite::Statement insert(db_,
                           "INSERT INTO device_tokens(token_digest, account_id, username, device, kind, "
                           "neighborhood, created_at, expires_at) VALUES(?,?,?,?,'kiosk',?,?,?)");
  insert.bind(1, secret_digest(token));
  insert.bind(2, issuer);
  insert.bind(3, "kiosk-" + neighborhood + "-" + normalized.substr(0, 4));
  insert.bind(4, device);
  insert.bind(5, neighborhood);
  insert.bind(6, now_ms);
  insert.bind(7, now_ms + kKioskTokenValidMs);
  insert.exec();
  tx.commit();
  return token;
}

}  // namespace psc::server
