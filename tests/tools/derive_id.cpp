// psc-derive-id: prints the deterministic record id the core derives for an
// attendance, vote, tally or outcome (shared/include/psc/derived_id.hpp), so tests in
// other languages build exactly the ids devices build.
//   psc-derive-id attendance MEETING NAME
//   psc-derive-id vote MEETING PRIORITY VOTER
//   psc-derive-id tally MEETING PRIORITY
//   psc-derive-id outcome MEETING PRIORITY
#include <iostream>
#include <string>

#include "psc/derived_id.hpp"

int main(int argc, char** argv) {
  const std::string type = argc > 1 ? argv[1] : "";
  if (type == "attendance" && argc == 4)
    std::cout << psc::attendance_id(argv[2], argv[3]) << "\n";
  else if (type == "vote" && argc == 5)
    std::cout << psc::vote_id(argv[2], argv[3], argv[4]) << "\n";
  else if (type == "tally" && argc == 4)
    std::cout << psc::tally_id(argv[2], argv[3]) << "\n";
  else if (type == "outcome" && argc == 4)
    std::cout << psc::outcome_id(argv[2], argv[3]) << "\n";
  else {
    std::cerr << "usage: psc-derive-id attendance MEETING NAME | vote MEETING PRIORITY VOTER | tally MEETING "
                 "PRIORITY | outcome MEETING PRIORITY\n";
    return 2;
  }
  return 0;
}
