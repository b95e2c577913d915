#include "admin_cli.hpp"
#include "clock.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/program_options.hpp>

#include "account_store.hpp"
#include "data_folder.hpp"
#include "secrets.hpp"

namespace psc::server {

namespace po = boost::program_options;

namespace {

struct Command {
  std::string summary;
  std::function<void(po::options_description&)> options;
  std::function<int(const po::variables_map&)> run;
};

int fail(const std::string& message) {
  std::cerr << "psc-server admin: " << message << "\n";
  return 1;
}

constexpr const char* kPostgresBackup =
    "with --store postgresql://... the changes and accounts are in PostgreSQL: back them up with pg_dump "
    "(or the database's own backups) and restore with pg_restore";

int report(const Status& s, const std::string& done) {
  if (!s) return fail(s.message());
  std::cout << done << "\n";
  return 0;
}

AccountStore open_accounts(const po::variables_map& vm) {
  const std::string data = vm["data"].as<std::string>();
  const std::string store = vm["store"].as<std::string>();
  if (store.empty() && !std::filesystem::exists(database_path(data)))
    throw std::runtime_error("no database in " + data + " (start the server once, or check --data)");
  return AccountStore(AccountDatabaseAt{database_path(data), store});
}

std::map<std::string, Command> commands() {
  std::map<std::string, Command> c;
  c["create-account"] = {
      "create an account (prints a generated password if none is given)",
      [](po::options_description& d) {
        d.add_options()("username", po::value<std::string>()->required(), "account name")(
            "role", po::value<std::string>()->required(), "coordinator, organizer, liaison or viewer")(
            "neighborhood", po::value<std::string>()->default_value(""),
            "organizer/viewer: neighborhood slug")("department", po::value<std::string>()->default_value(""),
                                                   "liaison: department slug")(
            "password", po::value<std::string>(), "at least 10 characters (default: generated and printed)");
      },
      [](const po::variables_map& vm) {
        auto role = role_from_name(vm["role"].as<std::string>());
        if (!role || *role == Role::kiosk)
          return fail("--role must be coordinator, organizer, liaison or viewer (kiosks use kiosk codes)");
        const bool generated = !vm.count("password");
        const std::string password = generated ? new_printed_password() : vm["password"].as<std::string>();
        auto accounts = open_accounts(vm);
        auto account = accounts.create_account(vm["username"].as<std::string>(), *role,
                                               vm["neighborhood"].as<std::string>(),
                                               vm["department"].as<std::string>(), password, now_ms(),
                                               /*must_change_password=*/generated);
        if (!account) return fail(account.status().message());
        std::cout << "created " << account->username << " (" << role_name(account->role) << ")";
        if (generated) std::cout << " with password " << password;
        std::cout << "\n";
        return 0;
      }};
  c["disable-account"] = {"disable an account (a running server closes its devices' connections at once)",
                          [](po::options_description& d) {
                            d.add_options()("username", po::value<std::string>()->required(), "account name");
                          },
                          [](const po::variables_map& vm) {
                            auto accounts = open_accounts(vm);
                            return report(accounts.set_disabled(vm["username"].as<std::string>(), true),
                                          "disabled");
                          }};
  c["enable-account"] = {"enable a disabled account",
                         [](po::options_description& d) {
                           d.add_options()("username", po::value<std::string>()->required(), "account name");
                         },
                         [](const po::variables_map& vm) {
                           auto accounts = open_accounts(vm);
                           return report(accounts.set_disabled(vm["username"].as<std::string>(), false),
                                         "enabled");
                         }};
  c["reset-password"] = {
      "set a new password (prints a generated one if none is given)",
      [](po::options_description& d) {
        d.add_options()("username", po::value<std::string>()->required(), "account name")(
            "password", po::value<std::string>(), "the new password (default: generated and printed)");
      },
      [](const po::variables_map& vm) {
        const bool generated = !vm.count("password");
        const std::string password = generated ? new_printed_password() : vm["password"].as<std::string>();
        auto accounts = open_accounts(vm);
        return report(accounts.set_password(vm["username"].as<std::string>(), password,
                                            /*must_change_password=*/generated),
                      generated ? "new password: " + password : "password changed");
      }};
  c["issue-token"] = {"issue device tokens for an account, one per --device; prints 'DEVICE TOKEN' lines",
                      [](po::options_description& d) {
                        d.add_options()("username", po::value<std::string>()->required(), "account name")(
                            "device", po::value<std::vector<std::string>>()->required(),
                            "device id (repeatable)")(
                            "expires-in-seconds", po::value<int64_t>(),
                            "make the tokens expire (default: valid until revoked)");
                      },
                      [](const po::variables_map& vm) {
                        auto accounts = open_accounts(vm);
                        auto account = accounts.find_account(vm["username"].as<std::string>());
                        if (!account) return fail("no account " + vm["username"].as<std::string>());
                        std::optional<int64_t> expires;
                        if (vm.count("expires-in-seconds"))
                          expires = now_ms() + vm["expires-in-seconds"].as<int64_t>() * 1000;
                        for (const auto& device : vm["device"].as<std::vector<std::string>>()) {
                          auto token = accounts.issue_token(*account, device, now_ms(), expires);
                          if (!token) return fail(token.status().message());
                          std::cout << device << " " << token.value() << "\n";
                        }
                        return 0;
                      }};
  c["list-accounts"] = {"list accounts", [](po::options_description&) {},
                        [](const po::variables_map& vm) {
                          auto accounts = open_accounts(vm);
                          for (const auto& a : accounts.list_accounts())
                            std::cout << a.username << "\t" << role_name(a.role) << "\t" << a.neighborhood
                                      << "\t" << a.department << (a.disabled ? "\tdisabled" : "") << "\n";
                          return 0;
                        }};
  c["list-devices"] = {
      "list device and kiosk tokens (never the secrets)", [](po::options_description&) {},
      [](const po::variables_map& vm) {
        auto accounts = open_accounts(vm);
        std::cout << "id\taccount\tdevice\tkind\tneighborhood\tlast_seen_at\tunsynced\tstate\n";
        for (const auto& t : accounts.list_tokens())
          std::cout << t.id << "\t" << t.username << "\t" << t.device << "\t" << t.kind << "\t"
                    << t.neighborhood << "\t" << (t.last_seen_at ? std::to_string(*t.last_seen_at) : "-")
                    << "\t" << t.reported_unsynced << "\t" << (t.revoked_at ? "revoked" : "active") << "\n";
        return 0;
      }};
  c["revoke-device"] = {
      "revoke one device or kiosk token by id (see list-devices); a running server closes its connection",
      [](po::options_description& d) { d.add_options()("id", po::value<int64_t>()->required(), "token id"); },
      [](const po::variables_map& vm) {
        auto accounts = open_accounts(vm);
        return report(accounts.revoke_token(vm["id"].as<int64_t>(), now_ms()), "revoked");
      }};
  c["backup"] = {"copy the database to a file with SQLite's online backup (safe while the server runs)",
                 [](po::options_description& d) {
                   d.add_options()("to", po::value<std::string>()->required(), "backup file to write");
                 },
                 [](const po::variables_map& vm) {
                   if (!vm["store"].as<std::string>().empty()) return fail(kPostgresBackup);
                   const std::string source = database_path(vm["data"].as<std::string>());
                   if (!std::filesystem::exists(source)) return fail("no database at " + source);
                   SQLite::Database from(source, SQLite::OPEN_READONLY);
                   from.setBusyTimeout(5000);
                   SQLite::Database to(vm["to"].as<std::string>(),
                                       SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
                   SQLite::Backup backup(to, from);
                   backup.executeStep();  // all pages, from one consistent snapshot
                   std::cout << "backed up " << source << " to " << vm["to"].as<std::string>() << "\n";
                   return 0;
                 }};
  c["restore"] = {"replace the database with a backup (refused while a server runs on the folder)",
                  [](po::options_description& d) {
                    d.add_options()("from", po::value<std::string>()->required(), "backup file to read");
                  },
                  [](const po::variables_map& vm) {
                    if (!vm["store"].as<std::string>().empty()) return fail(kPostgresBackup);
                    const std::string data_dir = vm["data"].as<std::string>();
                    const std::string target = database_path(data_dir);
                    std::filesystem::create_directories(data_dir);
                    // A running server keeps its replica and sequence numbers in memory:
                    // replacing the file under it would lose acknowledged changes.
                    std::string lock_error;
                    const auto lock = DataFolderLock::try_acquire(data_dir, lock_error);
                    if (!lock) return fail(lock_error + "; stop it first, then restore");
                    SQLite::Database from(vm["from"].as<std::string>(), SQLite::OPEN_READONLY);
                    SQLite::Statement check(from, "SELECT COUNT(*) FROM changes");
                    check.executeStep();
                    SQLite::Database to(target, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
                    to.setBusyTimeout(5000);
                    SQLite::Backup backup(to, from);
                    backup.executeStep();
                    // A new epoch: every device's cursor belongs to the history before the
                    // restore, whose later sequence numbers will be handed out again, so
                    // each device catches up from the start at its next hello.
                    const std::string epoch = new_token().substr(0, 16);
                    SQLite::Statement set_epoch(to,
                                                "INSERT INTO meta(key, value) VALUES('epoch', ?) "
                                                "ON CONFLICT(key) DO UPDATE SET value = excluded.value");
                    set_epoch.bind(1, epoch);
                    set_epoch.exec();
                    restrict_to_owner(data_dir);
                    std::cout << "restored " << check.getColumn(0).getInt64() << " changes into " << target
                              << " (epoch " << epoch << "; devices catch up from the start)\n";
                    return 0;
                  }};
  return c;
}

}  // namespace

int run_admin(int argc, char** argv) {
  const auto all = commands();
  auto usage = [&](std::ostream& out) {
    out << "usage: psc-server admin <command> --data DIR [options]   (psc-server admin <command> "
           "--help)\n\ncommands:\n";
    for (const auto& [name, command] : all)
      out << "  " << name << std::string(18 - name.size(), ' ') << command.summary << "\n";
  };
  if (argc < 3 || std::string(argv[2]) == "--help" || std::string(argv[2]) == "-h") {
    usage(argc < 3 ? std::cerr : std::cout);
    return argc < 3 ? 2 : 0;
  }
  const std::string name = argv[2];
  auto it = all.find(name);
  if (it == all.end()) {
    std::cerr << "psc-server admin: unknown command \"" << name << "\"\n";
    usage(std::cerr);
    return 2;
  }
  po::options_description desc("psc-server admin " + name + ": " + it->second.summary + "\n\nOptions");
  // --store as the server's: with PostgreSQL the accounts live there (PSC_STORE is read too).
  const char* store_from_env = std::getenv("PSC_STORE");
  desc.add_options()("help,h", "print this help")("data", po::value<std::string>()->default_value("var"),
                                                  "data folder")(
      "store", po::value<std::string>()->default_value(store_from_env ? store_from_env : ""),
      "postgresql://... when the servers keep their changes and accounts in PostgreSQL");
  it->second.options(desc);
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc - 2, argv + 2, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "psc-server admin " << name << ": " << e.what() << "\n" << desc << "\n";
    return 2;
  }
  if (!init_secrets()) return fail("libsodium failed to initialize");
  try {
    return it->second.run(vm);
  } catch (const std::exception& e) {
    return fail(e.what());
  }
}

}  // namespace psc::server
