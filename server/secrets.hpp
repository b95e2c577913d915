// Password hashing and device tokens, on libsodium.
//
// Passwords: Argon2id (crypto_pwhash_str, interactive limits), salted, slow
// by design. Tokens: 32 random bytes as 64 hex digits; the server stores only
// their SHA-256, so a copy of the database does not let anyone in.
#pragma once

#include <string>
#include <string_view>

namespace psc::server {

// REQUIRES: called once before any other function here (sodium_init).
bool init_secrets();

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, const std::string& stored_hash);

// A new random secret: 64 lowercase hex digits.
std::string new_token();
// A generated password to print or show once (20 hex digits, 80 bits): the
// account must choose its own at its first sign-in with it.
std::string new_printed_password();
// A short one-time code to type on a kiosk tablet: 8 characters from an
// alphabet without look-alikes (no 0/O, 1/I/L).
std::string new_kiosk_code();
// SHA-256 of a token or code, hex: what the database keeps.
std::string secret_digest(std::string_view secret);
// Checks an HMAC-SHA256 (hex) of `message` under the key whose hex form is
// `key_hex` (32 bytes), in constant time.
bool verify_hmac_sha256(std::string_view key_hex, std::string_view message, std::string_view mac_hex);

}  // namespace psc::server
