// AccountStore: accounts, device tokens and kiosk codes, in the server's
// SQLite file (its own connection; tables `accounts`, `device_tokens`,
// `kiosk_codes`, `device_names`), or in PostgreSQL when several servers
// share one (sql_database.hpp): a token issued, revoked or expired on one
// node then holds on all of them.
//
// Secrets never stored in clear: passwords as Argon2id hashes, tokens and
// kiosk codes as SHA-256 digests (secrets.hpp).
//
// Device ids are held by one account at a time: while an account (a kiosk
// token counts as its issuer's) holds a live token for a device id, nobody
// else is issued one for it (`device_taken`), so nobody can sign in as a
// tablet to stamp changes with its id or to take over its hand-off files.
// The id is free again once every token on it is revoked or expired (a
// browser shared by several accounts signs one out before the next one in).
//
// Every write that can end a session (a token revoked, expired or deleted;
// an account disabled, deleted or changed) bumps `auth_epoch` through
// triggers, whichever process or server writes (the server, or an admin command): the
// server's RevocationWatch notices and closes the sessions it ends.
//
// Thread-safety: every public method may be called from any thread but the
// network thread, where a query would stall every connection (lock_db
// refuses there: network_thread.hpp); they are serialized on the one
// connection, except the Argon2id work of check_password, which runs outside
// the lock. record_hello and record_delivered are the exception: they only
// queue for the CustodyWriter (custody_writer.hpp) and may be called from the
// network thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "custody_writer.hpp"
#include "psc/authorization.hpp"
#include "psc/status.hpp"
#include "sql_database.hpp"

namespace psc::server {

struct Account {
  int64_t id = 0;
  std::string username;
  Role role = Role::viewer;
  std::string neighborhood;
  std::string department;
  bool disabled = false;
  // Its password was printed for it (first start, or made or reset by an
  // administrator with a generated password): it signs in only by choosing
  // a new one (POST /api/password), so the printed one works at most once.
  bool must_change_password = false;
};

struct DeviceToken {
  int64_t id = 0;
  int64_t account_id = 0;
  std::string username;  // the account's, or the kiosk's own name
  std::string device;
  std::string kind;  // "login" or "kiosk"
  std::string neighborhood;
  int64_t created_at = 0;
  std::optional<int64_t> revoked_at;
  std::optional<int64_t> last_seen_at;
  std::optional<int64_t> expires_at;
  int64_t reported_unsynced = 0;          // at the last hello, less what the device delivered since
  std::optional<int64_t> unsynced_since;  // first hello reporting unsynced changes, until delivered
  int64_t last_cursor = 0;                // the sequence the device had stored at its last hello
  std::string role;                       // the account's role, or "kiosk" for a kiosk token
  std::string device_name;                // what people call the device ("" when unnamed)
};

class AccountStore {
 public:
  explicit AccountStore(const std::string& database_path);  // a SQLite file
  explicit AccountStore(AccountDatabaseAt at);
  ~AccountStore();
  const AccountDatabaseAt& location() const { return at_; }

  // Which departments a liaison account may name: by default the built-in
  // list; a running server asks its replica (the departments coordinators
  // manage: shared/include/psc/reference_lists.hpp), so a new agency's
  // liaison can be made. Set before use from other threads.
  void set_department_check(std::function<bool(std::string_view)> is_department);

  // --- accounts ---
  Result<Account> create_account(const std::string& username, Role role, const std::string& neighborhood,
                                 const std::string& department, const std::string& password, int64_t now_ms,
                                 bool must_change_password = false);
  std::optional<Account> find_account(const std::string& username);
  std::vector<Account> list_accounts();
  // Sets the password; `must_change_password` when it is printed for someone.
  Status set_password(const std::string& username, const std::string& password,
                      bool must_change_password = false);
  Status set_disabled(const std::string& username, bool disabled);
  bool has_accounts();

  // Checks a password; returns the account when it matches and is enabled.
  std::optional<Account> check_password(const std::string& username, const std::string& password);

  // --- device tokens ---
  // Issues a token for a device of `account`; returns the secret (shown once).
  // Without `expires_at` it is valid until revoked: an organizer's tablet may
  // stay offline for weeks and must still sync when it comes back. Refused
  // with `device_taken` while another account holds a live token for `device`.
  Result<std::string> issue_token(const Account& account, const std::string& device, int64_t now_ms,
                                  std::optional<int64_t> expires_at = std::nullopt);
  // Kiosk tokens last one long meeting day.
  static constexpr int64_t kKioskTokenValidMs = 16 * 60 * 60 * 1000;
  // The principal behind a token, if it is valid for `device` at `now_ms`
  // (not revoked or expired, account enabled).
  std::optional<Principal> authenticate(const std::string& token, const std::string& device, int64_t now_ms);
  // The same for a token's digest, on any connection to the database (the
  // revocation watch has its own).
  static std::optional<Principal> principal_for_digest(SqlDatabase& db, const std::string& token_digest,
                                                       const std::string& device, int64_t now_ms);
  // The counter the triggers bump on every write that can end a session.
  static int64_t auth_epoch(SqlDatabase& db);
  // The earliest expiry later than `after_ms` among tokens not revoked, if
  // any (an index lookup: the revocation watch asks several times a second).
  static std::optional<int64_t> first_expiry_after(SqlDatabase& db, int64_t after_ms);
  std::vector<DeviceToken> list_tokens();

  // --- device names ---
  // What people call a device, shown instead of its id (device_name.hpp
  // says what a valid one is); "" forgets it. `set_by` is the account.
  void set_device_name(const std::string& device, const std::string& name, const std::string& set_by,
                       int64_t now_ms);
  std::map<std::string, std::string> device_names();  // device id -> name
  // Whether any token was ever issued for `device`.
  bool knows_device(const std::string& device);
  // For a device's offline hand-off file: the live tokens `account` holds
  // for `device` (newest first, at most a few), whose digests are the keys a
  // file of that account on that device may be signed with, and who each
  // acts for. Another account's tokens are never candidates, so nobody can
  // make a tablet's genuine file fail by signing in with its device id.
  struct DeviceKey {
    std::string token_digest;  // hex SHA-256 of the token
    Principal principal;
  };
  std::vector<DeviceKey> device_keys(const std::string& device, const std::string& account, int64_t now_ms);
  Status revoke_token(int64_t token_id, int64_t now_ms);
  // An organizer's own kiosks: kiosk tokens of `neighborhood`; and revoking
  // one of them (refused for tokens of other neighborhoods or kinds).
  std::vector<DeviceToken> list_kiosks(const std::string& neighborhood);
  Status revoke_kiosk(int64_t token_id, const std::string& neighborhood, int64_t now_ms);
  // Revokes the token whose secret this is (sign-out).
  void revoke_secret(const std::string& token, int64_t now_ms);
  // Device custody: what the device reported at its last hello. Written
  // behind the caller (custody_writer.hpp); the lists below see it.
  void record_hello(const std::string& token, int64_t cursor, int64_t unsynced, int64_t now_ms);
  // `delivered` of the changes it reported reached the server (pushed, or
  // uploaded in its hand-off file): the device holds that many fewer.
  void record_delivered(const std::string& token_digest, int64_t delivered, int64_t now_ms);

  // --- kiosk codes ---
  // An organizer (or coordinator) issues a one-time code for a neighborhood's kiosk.
  std::string issue_kiosk_code(const Account& issuer, const std::string& neighborhood, int64_t now_ms,
                               int64_t valid_ms);
  // Redeems a code for a kiosk token (the secret) bound to `device`; refused
  // with `device_taken` while an account other than the code's issuer holds
  // a live token for `device`.
  Result<std::string> redeem_kiosk_code(const std::string& code, const std::string& device, int64_t now_ms);

 private:
  // Another account's live token on `device`? REQUIRES: mutex_ held.
  bool device_held_by_other(const std::string& device, int64_t account_id, int64_t now_ms);

  // Takes mutex_; refuses on the network thread (network_thread.hpp).
  std::unique_lock<std::recursive_mutex> lock_db();
  std::recursive_mutex mutex_;
  std::function<bool(std::string_view)> is_department_;
  AccountDatabaseAt at_;
  std::unique_ptr<SqlDatabase> db_;         // GUARDED_BY(mutex_)
  std::unique_ptr<CustodyWriter> custody_;  // after db_: the schema exists before it writes
};

}  // namespace psc::server
