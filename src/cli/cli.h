// The command line: parses arguments and runs one subcommand.
#pragma once

namespace tocsin::cli {

int main(int argc, char** argv);

}  // namespace tocsin::cli
