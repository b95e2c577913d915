// AccountStore: accounts, device tokens and kiosk codes, in the server's
// SQLite file (its own connection; tables `accounts`, `device_tokens`,
// `kiosk_codes`).
//
// Secrets never stored in clear: passwords as Argon2id hashes, tokens and
// kiosk codes as SHA-256 digests (secrets.hpp).
//
// Thread-safety: one thread at a time (the network thread, or the admin CLI).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>

#include "custody_writer.hpp"
#include "psc/authorization.hpp"
#include "psc/status.hpp"

namespace psc::server {

struct Account {
  int64_t id = 0;
  std::string username;
  Role role = Role::viewer;
  std::string neighborhood;
  std::string department;
  bool disabled = false;
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
  int64_t reported_unsynced = 0;        // at the last hello, less what the device delivered since
  std::optional<int64_t> unsynced_since;  // first hello reporting unsynced changes, until delivered
  int64_t last_cursor = 0;               // the sequence the device had stored at its last hello
  std::string role;                      // the account's role, or "kiosk" for a kiosk token
};

class AccountStore {
 public:
  explicit AccountStore(const std::string& database_path);

  // --- accounts ---
  Result<Account> create_account(const std::string& username, Role role, const std::string& neighborhood,
                                 const std::string& department, const std::string& password, int64_t now_ms);
  std::optional<Account> find_account(const std::string& username);
  std::vector<Account> list_accounts();
  Status set_password(const std::string& username, const std::string& password);
  Status set_disabled(const std::string& username, bool disabled);
  bool has_accounts();

  // Checks a password; returns the account when it matches and is enabled.
  std::optional<Account> check_password(const std::string& username, const std::string& password);

  // --- device tokens ---
  // Issues a token for a device of `account`; returns the secret (shown once).
  // Without `expires_at` it is valid until revoked: an organizer's tablet may
  // stay offline for weeks and must still sync when it comes back.
  std::string issue_token(const Account& account, const std::string& device, int64_t now_ms,
                          std::optional<int64_t> expires_at = std::nullopt);
  // Kiosk tokens last one long meeting day.
  static constexpr int64_t kKioskTokenValidMs = 16 * 60 * 60 * 1000;
  // The principal behind a token, if it is valid for `device` at `now_ms`
  // (not revoked or expired, account enabled).
  std::optional<Principal> authenticate(const std::string& token, const std::string& device, int64_t now_ms);
  std::vector<DeviceToken> list_tokens();
  // For a device's offline hand-off file: the digest of its current (newest,
  // unrevoked) token, the key its file is signed with, and who it acts for.
  struct DeviceKey {
    std::string token_digest;  // hex SHA-256 of the token
    Principal principal;
  };
  std::optional<DeviceKey> device_key(const std::string& device);
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
  // Redeems a code for a kiosk token (the secret) bound to `device`.
  Result<std::string> redeem_kiosk_code(const std::string& code, const std::string& device, int64_t now_ms);

 private:
  SQLite::Database db_;
  std::unique_ptr<CustodyWriter> custody_;  // after db_: the schema exists before it writes
};

}  // namespace psc::server
