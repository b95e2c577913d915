// psc-server: wires the store, the commit pipeline, the hub and the listener
// together, and shuts them down cleanly on SIGINT/SIGTERM.
#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include <sys/stat.h>

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>

#include "account_store.hpp"
#include "admin_cli.hpp"
#include "clock.hpp"
#include "commit_pipeline.hpp"
#include "data_folder.hpp"
#include "http_responses.hpp"
#include "listener.hpp"
#include "log.hpp"
#include "network_thread.hpp"
#include "postgres_change_store.hpp"
#include "postgres_commit_listener.hpp"
#include "reference_data.hpp"
#include "revocation_watch.hpp"
#include "secrets.hpp"
#include "seed.hpp"
#include "server_context.hpp"
#include "server_options.hpp"
#include "sqlite_change_store.hpp"
#include "work_pool.hpp"

namespace net = boost::asio;
using namespace psc::server;

namespace {}  // namespace

int main(int argc, char** argv) {
  // The data folder and backups hold password hashes and token digests:
  // every file this process (or an admin command) creates is the owner's only.
  ::umask(077);
  if (argc > 1 && std::string(argv[1]) == "admin") return run_admin(argc, argv);
  if (!init_secrets()) {
    std::cerr << "psc-server: libsodium failed to initialize\n";
    return 1;
  }
  int exit_code = 0;
  auto options = parse_server_options(argc, argv, exit_code);
  if (!options) return exit_code;
  set_json_logs(options->log_format == "json");

  ServerContext context;
  context.options = *options;
  net::io_context ioc{1};
  context.network = &ioc;

  std::unique_ptr<ChangeStore> store;
  std::optional<DataFolderLock> folder_lock;
  try {
    std::filesystem::create_directories(options->data_dir);
    restrict_to_owner(options->data_dir);
    std::string lock_error;
    folder_lock = DataFolderLock::try_acquire(options->data_dir, lock_error);
    if (!folder_lock) {
      std::cerr << "psc-server: " << lock_error << "\n";
      return 1;
    }
    // The data folder keeps the accounts and tokens in any case; the changes
    // go to PostgreSQL when --store names one.
    if (options->store.empty())
      store = std::make_unique<SqliteChangeStore>(database_path(options->data_dir));
    else
      store = std::make_unique<PostgresChangeStore>(options->store);
    context.epoch = store->meta("epoch").value_or("");
    if (context.epoch.empty()) {
      // Read again inside the transaction: on a shared store another server
      // starting at the same moment may have chosen it meanwhile.
      store->begin();
      context.epoch = store->meta("epoch").value_or("");
      if (context.epoch.empty()) {
        context.epoch = new_token().substr(0, 16);
        store->set_meta("epoch", context.epoch);
      }
      store->commit();
    }
  } catch (const std::exception& e) {
    std::cerr << "psc-server: cannot open the database in " << options->data_dir << ": " << e.what() << "\n";
    return 1;
  }
  context.store = store.get();

  std::unique_ptr<AccountStore> accounts;
  try {
    // With a PostgreSQL store the accounts are there too, so that every
    // server sharing it knows every token and every revocation.
    accounts =
        std::make_unique<AccountStore>(AccountDatabaseAt{database_path(options->data_dir), options->store});
    if (!accounts->has_accounts()) {
      // First start: one coordinator, its password shown once, here only.
      const std::string password = new_printed_password();
      auto first =
          accounts->create_account("coordinator", psc::Role::coordinator, "", "", password, context.clock(),
                                   /*must_change_password=*/true);
      // "exists": another server sharing the database made it at the same
      // moment, and printed its password.
      if (!first && first.status().code() != "exists") throw std::runtime_error(first.status().message());
      if (first)
        std::cout
            << "First start: created the account \"coordinator\" with the one-time password " << password
            << "\n  (shown only now; it signs in once, to choose a password of your own; a new one-time "
               "password:"
            << " psc-server admin reset-password --data " << options->data_dir
            << (options->store.empty() ? "" : " --store ...") << " --username coordinator)" << std::endl;
    }
  } catch (const std::exception& e) {
    std::cerr << "psc-server: cannot open the accounts in " << options->data_dir << ": " << e.what() << "\n";
    return 1;
  }
  context.accounts = accounts.get();
  if (accounts->location().shared()) {
    try {
      context.login_throttle.share_through(open_database(accounts->location()));
    } catch (const std::exception& e) {
      std::cerr << "psc-server: cannot open the shared sign-in limits: " << e.what() << "\n";
      return 1;
    }
  }

  // Blocking work off the network thread (server_context.hpp).
  WorkPool passwords("psc-argon2", 1);
  WorkPool work("psc-work", 2);
  context.passwords = &passwords;
  context.work = &work;
  std::unique_ptr<RevocationWatch> revocations;
  try {
    revocations = std::make_unique<RevocationWatch>(accounts->location(), context.hub, context.clock);
  } catch (const std::exception& e) {
    std::cerr << "psc-server: cannot open the database in " << options->data_dir << ": " << e.what() << "\n";
    return 1;
  }
  context.revocations = revocations.get();

  PipelineOptions pipeline_options;
  pipeline_options.max_clock_skew_ms = options->max_clock_skew_ms;
  pipeline_options.max_group_pushes = options->max_group_pushes;
  pipeline_options.snapshot_every = options->snapshot_every;
  // Committed ranges go to the hub's live log, on the commit thread: cutting
  // them into pages is cheap, and the hub wakes only the sessions waiting.
  // Revocations first: a session whose token was revoked before this group
  // was committed is marked before the group is published, so it is never
  // sent a change committed after its revocation.
  CommitPipeline pipeline(
      *store, pipeline_options, context.clock, [&](std::shared_ptr<const CommittedRange> range) {
        try {
          revocations->refresh();
        } catch (const std::exception& e) {
          log_error(std::string("revocation check before publishing failed: ") + e.what());
        }
        context.hub.publish(range);
      });
  context.pipeline = &pipeline;
  // A liaison account may name any department of the list coordinators manage.
  accounts->set_department_check([&pipeline](std::string_view slug) { return pipeline.is_department(slug); });
  try {
    pipeline.load();
    const auto now = static_cast<uint64_t>(context.clock());
    pipeline.seed_once("seeded_reference_data", reference_changes(hartford_reference_json(), now));
    // The departments and categories coordinators manage: also seeded into
    // a data folder from before they were records. Stamped a millisecond
    // later, so no change id repeats one of the neighborhoods' (each seed
    // counts its own ticks from its millisecond).
    pipeline.seed_once("seeded_reference_lists", reference_list_changes(hartford_reference_json(), now + 1));
  } catch (const std::exception& e) {
    std::cerr << "psc-server: cannot load the database: " << e.what() << "\n";
    return 1;
  }
  HubOptions hub_options;
  hub_options.page_size = options->page_size;
  hub_options.max_message_bytes = options->max_message_bytes;
  hub_options.window_bytes = options->live_window_bytes;
  context.hub.configure(hub_options, pipeline.applied_sequence());
  pipeline.start();
  // Several servers on one PostgreSQL: each learns of the others' commits.
  std::unique_ptr<PostgresCommitListener> commit_listener;
  if (store->shared())
    commit_listener = std::make_unique<PostgresCommitListener>(
        options->store, [&pipeline](int64_t seq) { pipeline.others_committed(seq); });

  allow_connections_to(options->sync_urls);
  // TLS when given a certificate: Beast over OpenSSL, TLS 1.2 or later.
  std::unique_ptr<net::ssl::context> tls;
  if (!options->tls_cert.empty()) {
    try {
      tls = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
      tls->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                       net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 |
                       net::ssl::context::no_tlsv1_1 | net::ssl::context::single_dh_use);
      tls->use_certificate_chain_file(options->tls_cert);
      tls->use_private_key_file(options->tls_key, net::ssl::context::pem);
      enable_hsts();
    } catch (const std::exception& e) {
      std::cerr << "psc-server: cannot use the TLS certificate or key: " << e.what() << "\n";
      pipeline.stop();
      return 1;
    }
  }

  std::shared_ptr<Listener> listener;
  try {
    const auto address = net::ip::make_address(options->host);
    listener =
        std::make_shared<Listener>(ioc, net::ip::tcp::endpoint{address, options->port}, context, tls.get());
  } catch (const std::exception& e) {
    std::cerr << "psc-server: cannot listen on " << options->host << ":" << options->port << ": " << e.what()
              << "\n";
    pipeline.stop();
    return 1;
  }
  listener->run();
  const auto endpoint = listener->local_endpoint();
  std::cout << "psc-server listening on " << (tls ? "https://" : "http://") << endpoint.address().to_string()
            << ":" << endpoint.port() << " (data: " << options->data_dir << ", web: " << options->web_root
            << ")" << std::endl;

  // SIGINT/SIGTERM: stop accepting, close every device politely, give the
  // closes a moment, then stop. Queued pushes are committed by pipeline.stop().
  net::signal_set signals(ioc, SIGINT, SIGTERM);
  net::steady_timer grace(ioc);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    log_info(std::string("received ") + (signal == SIGINT ? "SIGINT" : "SIGTERM") + ", shutting down");
    context.shutting_down = true;
    listener->stop();
    context.hub.close_all();
    grace.expires_after(std::chrono::milliseconds(300));
    grace.async_wait([&](const boost::system::error_code&) { ioc.stop(); });
  });

  revocations->start(work.executor(), std::chrono::milliseconds(options->revocation_poll_ms));

  // Every handler catches what it calls; should anything still escape, the
  // network thread logs it and carries on rather than ending the process.
  {
    NetworkThreadMark network_thread;  // from here on, no SQLite on this thread
    for (;;) {
      try {
        ioc.run();
        break;
      } catch (const std::exception& e) {
        log_error(std::string("unexpected error on the network thread: ") + e.what());
      } catch (...) {
        log_error("unexpected error on the network thread");
      }
    }
  }
  revocations->stop();
  pipeline.stop();
  passwords.stop();
  work.stop();
  log_info("stopped cleanly");
  return 0;
}
