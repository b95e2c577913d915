#include "revocation_watch.hpp"

#include "account_store.hpp"
#include "log.hpp"

namespace psc::server {

namespace {
bool same(const Principal& a, const Principal& b) {
  return a.role == b.role && a.account == b.account && a.neighborhood == b.neighborhood &&
         a.department == b.department;
}
}  // namespace

RevocationWatch::RevocationWatch(const AccountDatabaseAt& at, SyncHub& hub, Clock clock)
    : hub_(hub), clock_(std::move(clock)), db_(open_database(at, /*read_only=*/true)) {
  epoch_ = AccountStore::auth_epoch(*db_);
  checked_at_ = clock_();
}

RevocationWatch::~RevocationWatch() { stop(); }

void RevocationWatch::refresh() {
  std::lock_guard lock(mutex_);
  const int64_t now = clock_();
  const int64_t epoch = AccountStore::auth_epoch(*db_);
  if (epoch == epoch_) {
    const auto expiry = AccountStore::first_expiry_after(*db_, checked_at_);
    if (!expiry || *expiry > now) return;  // no token expired since the last check
  }
  epoch_ = epoch;
  checked_at_ = now;
  ++generation_;
  check_sessions(now);
}

void RevocationWatch::check_sessions(int64_t now) {
  std::size_t ended = 0;
  for (const auto& member : hub_.members()) {
    if (!member.credential) continue;
    const SessionCredential& c = *member.credential;
    auto principal = AccountStore::principal_for_digest(*db_, c.token_digest, c.device, now);
    if (!principal) {
      member.session->revoke("unauthorized",
                             "this device's token was revoked or has expired, or its account was disabled; "
                             "sign in again");
      ++ended;
    } else if (!same(*principal, c.principal)) {
      member.session->revoke("account_changed", "this account's role or scope changed; connect again");
      ++ended;
    }
  }
  if (ended) log_info("closed " + std::to_string(ended) + " session(s) whose token no longer holds");
}

bool RevocationWatch::token_live(const std::string& token_digest, const std::string& device) {
  std::lock_guard lock(mutex_);
  return AccountStore::principal_for_digest(*db_, token_digest, device, clock_()).has_value();
}

void RevocationWatch::start(boost::asio::io_context::executor_type executor,
                            std::chrono::milliseconds interval) {
  std::lock_guard lock(timer_mutex_);
  interval_ = interval;
  timer_ = std::make_unique<boost::asio::steady_timer>(executor);
  arm();
}

void RevocationWatch::arm() {
  timer_->expires_after(interval_);
  timer_->async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    try {
      refresh();
    } catch (const std::exception& e) {
      log_error(std::string("revocation check failed: ") + e.what());
    }
    std::lock_guard lock(timer_mutex_);
    if (!stopped_) arm();
  });
}

void RevocationWatch::stop() {
  std::lock_guard lock(timer_mutex_);
  stopped_ = true;
  if (timer_) timer_->cancel();
}

}  // namespace psc::server
