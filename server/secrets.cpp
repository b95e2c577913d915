#include "secrets.hpp"

#include <sodium.h>

#include <stdexcept>

namespace psc::server {

bool init_secrets() { return sodium_init() >= 0; }

std::string hash_password(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    throw std::runtime_error("out of memory while hashing a password");
  return out;
}

bool verify_password(std::string_view password, const std::string& stored_hash) {
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

std::string new_token() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char hex[sizeof bytes * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, bytes, sizeof bytes);
  return hex;
}

std::string new_printed_password() { return new_token().substr(0, 20); }

std::string new_kiosk_code() {
  static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
  std::string code;
  for (int i = 0; i < 8; ++i) code += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
  return code;
}

std::string secret_digest(std::string_view secret) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
  char hex[sizeof digest * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

bool verify_hmac_sha256(std::string_view key_hex, std::string_view message, std::string_view mac_hex) {
  unsigned char key[crypto_auth_hmacsha256_KEYBYTES], mac[crypto_auth_hmacsha256_BYTES];
  size_t key_len = 0, mac_len = 0;
  if (sodium_hex2bin(key, sizeof key, key_hex.data(), key_hex.size(), nullptr, &key_len, nullptr) != 0 ||
      key_len != sizeof key)
    return false;
  if (sodium_hex2bin(mac, sizeof mac, mac_hex.data(), mac_hex.size(), nullptr, &mac_len, nullptr) != 0 ||
      mac_len != sizeof mac)
    return false;
  return crypto_auth_hmacsha256_verify(mac, reinterpret_cast<const unsigned char*>(message.data()),
                                       message.size(), key) == 0;
}

}  // namespace psc::server
