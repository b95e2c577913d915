#include "server_options.hpp"

#include <fstream>
#include <iostream>

#include <boost/program_options.hpp>

#include "psc/protocol.hpp"

namespace psc::server {

namespace po = boost::program_options;

std::string server_version() {
  return std::string("psc-server ") + PSC_VERSION + " (sync protocol " + std::to_string(kProtocolVersion) +
         ")";
}

std::optional<ServerOptions> parse_server_options(int argc, char** argv, int& exit_code) {
  ServerOptions o;
  std::string config_file;
  po::options_description desc(
      "psc-server: PSC Sync's HTTP + WebSocket sync server.\n\n"
      "Serves the web app, GET /health, and the sync protocol at /sync, storing every\n"
      "change in <data>/psc.sqlite. First start on an empty data folder seeds Hartford's\n"
      "17 neighborhoods.\n\nOptions");
  desc.add_options()                                                                                   //
      ("help,h", "print this help")                                                                    //
      ("version", "print the version and exit")                                                        //
      ("config", po::value(&config_file), "read options from FILE too (`name = value` lines)")         //
      ("host", po::value(&o.host)->default_value(o.host), "address to listen on")                      //
      ("port", po::value(&o.port)->default_value(o.port), "port (0 picks a free one)")                 //
      ("data", po::value(&o.data_dir)->default_value(o.data_dir), "data folder (created if missing)")  //
      ("store", po::value(&o.store),
       "keep the changes in PostgreSQL: postgresql://user@host:port/database (default: <data>/psc.sqlite)")  //
      ("web-root", po::value(&o.web_root)->default_value(o.web_root), "folder with the built web app")  //
      ("tls-cert", po::value(&o.tls_cert), "PEM certificate chain: serve HTTPS/WSS (with --tls-key)")   //
      ("tls-key", po::value(&o.tls_key), "PEM private key for --tls-cert")                              //
      ("max-message-bytes", po::value(&o.max_message_bytes)->default_value(o.max_message_bytes),
       "largest WebSocket message accepted")                                                           //
      ("max-batch", po::value(&o.max_batch)->default_value(o.max_batch), "most changes in one push")   //
      ("page-size", po::value(&o.page_size)->default_value(o.page_size), "changes per catch-up page")  //
      ("max-group-pushes", po::value(&o.max_group_pushes)->default_value(o.max_group_pushes),
       "pushes committed together in one transaction; 0: all queued (group commit), 1: one per push")  //
      ("snapshot-every", po::value(&o.snapshot_every)->default_value(o.snapshot_every),
       "with a PostgreSQL store: save the validation state after this many new changes (and at a clean "
       "stop), "
       "so a start replays only what came after; 0: only at a clean stop")  //
      ("max-clock-skew-ms", po::value(&o.max_clock_skew_ms)->default_value(o.max_clock_skew_ms),
       "refuse changes stamped further ahead of the server clock")  //
      ("max-queued-bytes", po::value(&o.max_queued_bytes)->default_value(o.max_queued_bytes),
       "drop a device whose unsent acks and errors grow past this (pages are never queued)")  //
      ("write-timeout-ms", po::value(&o.write_timeout_ms)->default_value(o.write_timeout_ms),
       "drop a device that has not read a single message for this long (0: never)")  //
      ("live-window-bytes", po::value(&o.live_window_bytes)->default_value(o.live_window_bytes),
       "recent changes kept in memory for live pages; devices further behind read from the database")  //
      ("max-messages-per-second",
       po::value(&o.max_messages_per_second)->default_value(o.max_messages_per_second),
       "cut off a device sending faster than this (bursts of twice as many allowed)")  //
      ("max-connections-per-address",
       po::value(&o.max_connections_per_address)->default_value(o.max_connections_per_address),
       "sync connections allowed at once from one IP address")  //
      ("hello-timeout-ms", po::value(&o.hello_timeout_ms)->default_value(o.hello_timeout_ms),
       "close a sync connection that has not said hello within this (0: never)")  //
      ("compression-level", po::value(&o.compression_level)->default_value(o.compression_level),
       "permessage-deflate on sync connections whose client offers it: 0 off, 1 fastest ... 9 smallest")  //
      ("revocation-poll-ms", po::value(&o.revocation_poll_ms)->default_value(o.revocation_poll_ms),
       "how often to look for tokens revoked by admin commands and close their sessions")  //
      ("sync-url", po::value(&o.sync_urls)->composing(),
       "every node's public sync address (ws://... or wss://.../sync; repeatable): the web app moves to "
       "another when its node is gone")  //
      ("trusted-proxy", po::value(&o.trusted_proxies)->composing(),
       "a reverse proxy's address whose X-Forwarded-For is believed (repeatable)")  //
      ("log-format", po::value(&o.log_format)->default_value(o.log_format),
       "text, or json: one JSON object per line")  //
      ("access-log", po::value(&o.access_log)->default_value(o.access_log)->implicit_value(true),
       "log every answered HTTP request: address, method, path (never the query), status, bytes, time");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    // PSC_MAX_BATCH -> max-batch; other PSC_* variables (the psc script's
    // own, PSC_BUILD_DIR...) name no option and are left alone.
    po::store(po::parse_environment(desc,
                                    [&desc](const std::string& variable) -> std::string {
                                      if (!variable.starts_with("PSC_")) return "";
                                      std::string name = variable.substr(4);
                                      for (char& c : name)
                                        c = c == '_' ? '-' : static_cast<char>(std::tolower(c));
                                      if (name == "help" || name == "version" || name == "config") return "";
                                      return desc.find_nothrow(name, false) ? name : "";
                                    }),
              vm);
    if (vm.count("config")) {
      std::ifstream file(vm["config"].as<std::string>());
      if (!file) throw std::runtime_error("cannot read --config " + vm["config"].as<std::string>());
      po::store(po::parse_config_file(file, desc), vm);
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "psc-server: " << e.what() << "\n(see psc-server --help)\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (vm.count("help")) {
    std::cout << desc << "\n";
    exit_code = 0;
    return std::nullopt;
  }
  if (vm.count("version")) {
    std::cout << server_version() << "\n";
    exit_code = 0;
    return std::nullopt;
  }
  if (o.log_format != "text" && o.log_format != "json") {
    std::cerr << "psc-server: --log-format is text or json\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (!o.store.empty() && !o.store.starts_with("postgresql://") && !o.store.starts_with("postgres://")) {
    std::cerr << "psc-server: --store is a PostgreSQL URI (postgresql://user@host:port/database)\n";
    exit_code = 2;
    return std::nullopt;
  }
  for (const auto& url : o.sync_urls) {
    if ((!url.starts_with("ws://") && !url.starts_with("wss://")) ||
        url.find_first_of(" ;,'\"") != std::string::npos) {
      std::cerr << "psc-server: --sync-url is a WebSocket address (wss://psc-a.example.org/sync), not " << url
                << "\n";
      exit_code = 2;
      return std::nullopt;
    }
  }
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    std::cerr << "psc-server: --tls-cert and --tls-key go together\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (o.compression_level < 0 || o.compression_level > 9) {
    std::cerr << "psc-server: --compression-level must be 0 (off) to 9\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (o.revocation_poll_ms < 10) {
    std::cerr << "psc-server: --revocation-poll-ms must be at least 10\n";
    exit_code = 2;
    return std::nullopt;
  }
  if (o.max_batch == 0 || o.page_size == 0 || o.max_message_bytes < 1024) {
    std::cerr
        << "psc-server: --max-batch and --page-size must be positive, --max-message-bytes at least 1024\n";
    exit_code = 2;
    return std::nullopt;
  }
  return o;
}

}  // namespace psc::server
