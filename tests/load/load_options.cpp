#include "load_options.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <iostream>
#include <sstream>

namespace psc::load {

namespace po = boost::program_options;

namespace {
std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}
}  // namespace

std::optional<LoadOptions> parse_load_options(int argc, char** argv, int& exit_code) {
  LoadOptions o;
  std::string workloads = "reconnect";
  po::options_description desc(
      "psc-load: simulated PSC Sync devices against a real psc-server on 127.0.0.1.\n\n"
      "Workloads (run in the order given, on one server):\n"
      "  reconnect  meeting night: every device authors offline, then all reconnect at once;\n"
      "             measures time to convergence, ingest rate, bytes, server peak RSS\n"
      "  live       all devices connected; one device per neighborhood edits one field at a\n"
      "             time; latency from send to arrival at its neighborhood's other devices\n"
      "  idle       many connections that say hello and stay idle; server memory per connection\n"
      "  crash      (alone) meeting night while psc-load itself kills the server (--server-binary)\n"
      "             with SIGKILL --kills times at seeded random moments of the ingest and restarts\n"
      "             it on the same --server-data; devices reconnect with backoff and send their\n"
      "             unacknowledged outbox again. Then, from psc-load's own ledger of pushes and\n"
      "             acks: every acknowledged change is in a fresh catch-up and in the SQLite file\n"
      "             exactly once, every sent change was acknowledged, and every replica equals a\n"
      "             fresh client's\n"
      "Reports one JSON object on stdout; progress on stderr. Exit 0 when every check passed,\n"
      "1 on a failure, 2 on bad flags, 3 when replicas differ.\n\nOptions");
  desc.add_options()                 //
      ("help,h", "print this help")  //
      ("port", po::value(&o.port),
       "psc-server port on 127.0.0.1 (crash: none; psc-load starts the server)")  //
      ("server-pid", po::value(&o.server_pid)->default_value(o.server_pid),
       "psc-server's pid, for RSS (VmRSS/VmHWM) and CPU readings; 0 for none")                              //
      ("tokens", po::value(&o.tokens_file), "file of 'DEVICE TOKEN' lines (psc-server admin issue-token)")  //
      ("actor", po::value(&o.actor)->default_value(o.actor),
       "actor of changes until the server's welcome names the device's account")  //
      ("device-prefix", po::value(&o.device_prefix)->default_value(o.device_prefix),
       "prefix of device ids")  //
      ("workload", po::value(&workloads)->default_value(workloads),
       "comma list: reconnect,live,idle; or crash alone")                                                   //
      ("neighborhoods", po::value(&o.neighborhoods)->default_value(o.neighborhoods), "neighborhoods used")  //
      ("devices-per-neighborhood",
       po::value(&o.devices_per_neighborhood)->default_value(o.devices_per_neighborhood),
       "devices per neighborhood")  //
      ("shared-priorities", po::value(&o.shared_priorities)->default_value(o.shared_priorities),
       "priorities per neighborhood seeded through the server before the meeting")  //
      ("priorities-per-device", po::value(&o.priorities_per_device)->default_value(o.priorities_per_device),
       "priorities each device creates offline (6 field changes each)")  //
      ("edits-per-device", po::value(&o.edits_per_device)->default_value(o.edits_per_device),
       "offline single-field edits of shared priorities per device")                                //
      ("title-chars", po::value(&o.title_chars)->default_value(o.title_chars), "length of titles")  //
      ("description-chars", po::value(&o.description_chars)->default_value(o.description_chars),
       "length of descriptions")  //
      ("pushes-in-flight", po::value(&o.pushes_in_flight)->default_value(o.pushes_in_flight),
       "pushes a device sends before waiting for an ack")  //
      ("max-batch", po::value(&o.max_batch)->default_value(o.max_batch),
       "most changes per push; 0 uses the server's welcome.max_batch")  //
      ("apply-all", po::bool_switch(&o.apply_all),
       "every device applies every change it receives (default: its neighborhood's; all are decoded)")  //
      ("apply-in-phase", po::bool_switch(&o.apply_in_phase),
       "reconnect: each device applies what it receives inside the timed phase (default: it keeps the pages "
       "and applies them once the phase is timed, as 102 tablets would on their own CPUs)")  //
      ("no-verify", "skip the fresh catch-up client and the replica comparison")             //
      ("live-edits", po::value(&o.live_edits)->default_value(o.live_edits),
       "single-field edits by each live editor (one per neighborhood), one at a time")  //
      ("live-interval-ms", po::value(&o.live_interval_ms)->default_value(o.live_interval_ms),
       "live: each editor sends its next edit once the last is acknowledged and no sooner than this "
       "after the last was sent (editors' first edits spread evenly over one interval); 0: at once on "
       "the ack (a closed loop that saturates the server)")  //
      ("extra-devices", po::value(&o.extra_devices)->default_value(o.extra_devices),
       "live: extra connected devices that only listen (to reach e.g. 1,000 connected); extra i "
       "belongs to neighborhood i % --neighborhoods and counts as a receiver of its editor's edits")  //
      ("idle-connections", po::value(&o.idle_connections)->default_value(o.idle_connections),
       "idle: connections that say hello and stay idle")  //
      ("idle-hold-ms", po::value(&o.idle_hold_ms)->default_value(o.idle_hold_ms),
       "idle: how long to hold them before reading the server's RSS")  //
      ("threads", po::value(&o.threads)->default_value(o.threads),
       "threads running the io_context (1 or 2)")  //
      ("source-addresses", po::value(&o.source_addresses)->default_value(o.source_addresses),
       "devices connect (to 127.0.0.1) from 127.0.0.1 .. 127.0.0.N in turn, as tablets have addresses of "
       "their own (the server limits connections per address)")  //
      ("connect-concurrency", po::value(&o.connect_concurrency)->default_value(o.connect_concurrency),
       "handshakes in flight when connecting many devices")  //
      ("max-reconnects", po::value(&o.max_reconnects)->default_value(o.max_reconnects),
       "reconnection attempts in a row without a welcome before a device gives up")              //
      ("timeout-s", po::value(&o.timeout_s)->default_value(o.timeout_s), "limit on each phase")  //
      ("decode-cache-changes", po::value(&o.decode_cache_changes)->default_value(o.decode_cache_changes),
       "decoded changes kept so identical pages are decoded once")                                        //
      ("seed", po::value(&o.seed)->default_value(o.seed), "seed of the authored content")                 //
      ("server-binary", po::value(&o.server_binary), "crash: the psc-server to start, kill and restart")  //
      ("server-data", po::value(&o.server_data),
       "crash: the server's --data folder (tokens already issued in it, or none needed)")  //
      ("server-log", po::value(&o.server_log),
       "crash: the server's output, every life; default <server-data>.log")  //
      ("server-arg", po::value(&o.server_args)->composing(),
       "crash: one more psc-server flag, e.g. --server-arg=--max-batch=200 (repeatable)")          //
      ("kills", po::value(&o.kills)->default_value(o.kills), "crash: SIGKILLs during the ingest")  //
      ("crash-seed", po::value(&o.crash_seed)->default_value(o.crash_seed),
       "crash: seed of the kill schedule; 0 draws one (printed, to repeat a run)")  //
      ("kill-delay-max-ms", po::value(&o.kill_delay_max_ms)->default_value(o.kill_delay_max_ms),
       "crash: once a kill point (a count of acknowledged changes) is reached, wait a random 0..N ms")  //
      ("down-max-ms", po::value(&o.down_max_ms)->default_value(o.down_max_ms),
       "crash: the killed server stays down a random 0..N ms before its restart")  //
      ("ledger", po::value(&o.ledger_file),
       "crash: write the ledger here, one JSON line per change (device, sends, acks, life, copies stored)")  //
      ("trace", po::bool_switch(&o.trace),
       "log each device's connections, pushes, acks and pages with a timestamp on stderr")  //
      ("print-devices", po::bool_switch(&o.print_devices),
       "print the device ids these flags use (for issue-token) and exit");
  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    if (vm.count("help")) {
      std::cout << desc << "\n";
      exit_code = 0;
      return std::nullopt;
    }
    po::notify(vm);
  } catch (const std::exception& e) {
    std::cerr << "psc-load: " << e.what() << "\n(see psc-load --help)\n";
    exit_code = 2;
    return std::nullopt;
  }
  o.verify = !vm.count("no-verify");
  o.workloads = split_list(workloads);
  std::string problem;
  const bool crash = std::count(o.workloads.begin(), o.workloads.end(), "crash") > 0;
  for (const auto& w : o.workloads)
    if (w != "reconnect" && w != "live" && w != "idle" && w != "crash")
      problem = "unknown workload \"" + w + "\"";
  if (crash && o.workloads.size() != 1) problem = "the crash workload runs alone";
  if (crash && !o.print_devices && (o.server_binary.empty() || o.server_data.empty()))
    problem = "crash needs --server-binary and --server-data (psc-load runs the server itself)";
  if (crash && o.port != 0) problem = "crash starts the server itself: no --port";
  if (crash && !o.verify) problem = "crash always verifies: no --no-verify";
  if (o.kills < 0 || o.kill_delay_max_ms < 0 || o.down_max_ms < 0)
    problem = "--kills, --kill-delay-max-ms and --down-max-ms must not be negative";
  if (o.server_log.empty() && !o.server_data.empty()) o.server_log = o.server_data + ".log";
  if (o.workloads.empty()) problem = "--workload names no workload";
  if (o.neighborhoods < 1 || o.devices_per_neighborhood < 1)
    problem = "need at least one neighborhood and device";
  if (o.devices_per_neighborhood < 2 && std::count(o.workloads.begin(), o.workloads.end(), "live"))
    problem = "live needs at least 2 devices per neighborhood (an editor and a receiver)";
  if (o.shared_priorities < 1) problem = "--shared-priorities must be at least 1";
  if (o.priorities_per_device < 0 || o.edits_per_device < 0 || o.live_edits < 0 || o.extra_devices < 0 ||
      o.idle_connections < 0 || o.idle_hold_ms < 0 || o.live_interval_ms < 0)
    problem = "counts must not be negative";
  if (o.title_chars < 1 || o.title_chars > 200 || o.description_chars < 0 || o.description_chars > 4000)
    problem = "--title-chars must be 1..200 and --description-chars 0..4000 (the schema's limits)";
  if (o.threads < 1 || o.threads > 2) problem = "--threads must be 1 or 2";
  if (o.source_addresses < 1 || o.source_addresses > 254) problem = "--source-addresses must be 1..254";
  if (o.pushes_in_flight < 1 || o.connect_concurrency < 1 || o.timeout_s < 1 || o.max_batch < 0)
    problem = "--pushes-in-flight, --connect-concurrency and --timeout-s must be positive";
  if (!o.print_devices && !crash && o.port == 0) problem = "--port is required";
  if (!problem.empty()) {
    std::cerr << "psc-load: " << problem << "\n";
    exit_code = 2;
    return std::nullopt;
  }
  return o;
}

}  // namespace psc::load
