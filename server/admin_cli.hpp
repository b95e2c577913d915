// `psc-server admin <command>`: account, device and database administration
// against a data folder. Each command has --help.
//
//   create-account   disable-account   enable-account   reset-password
//   issue-token      list-accounts     list-devices     revoke-device
//   backup           restore
//
// Safe while the server runs (SQLite WAL), except restore, which needs the
// server stopped.
#pragma once

namespace psc::server {

// argv[0] is the program, argv[1] "admin". Returns the process exit code.
int run_admin(int argc, char** argv);

}  // namespace psc::server
