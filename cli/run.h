// The wiring of podcrawl's subcommands (DESIGN.md "The command line"): parses
// the command line with CLI11, loads and validates the config, and joins
// config, crawler, parser and storage. Kept in a library, apart from main.cc,
// so tests can call it.
#pragma once

#include <iosfwd>

namespace cli {

// Process exit codes; the contract documented in the README and main.cc.
enum ExitCode : int {
  kExitOk = 0,
  kExitUsage = 2,    // usage or configuration error; nothing was done
  kExitFetch = 3,    // the page could not be fetched (network, HTTP >= 400, not
                     // HTML, too large)
  kExitStorage = 4,  // storage error; nothing half-written
  kExitLocked = 75,  // another `run --due` or `daemon` is crawling the
                     // database's schedules (EX_TEMPFAIL: try again later)
  kExitSigint = 130,   // stopped by SIGINT after a clean shutdown
  kExitSigterm = 143,  // stopped by SIGTERM after a clean shutdown
};

// Runs podcrawl with the given arguments, writing records to `out` and messages
// to the logger (stderr). Returns the process exit code.
int Run(int argc, const char* const* argv, std::ostream& out);

}  // namespace cli
