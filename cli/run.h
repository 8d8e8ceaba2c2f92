// The entry point of podcrawl's command line (DESIGN.md "The command line"):
// parses the arguments with CLI11 into one of the commands of cli/commands/,
// prepares its config and runs it. Kept in a library, apart from main.cc, so
// tests can call it.
#pragma once

#include <iosfwd>

namespace cli {

// Runs podcrawl with the given arguments, writing records to `out` and messages
// to the logger (stderr). Returns the process exit code (cli/command.h
// ExitCode).
int Run(int argc, const char* const* argv, std::ostream& out);

}  // namespace cli
