// podmonctl: podmon's admin tool. Everything but the process lives in lib/cli/ (tested in process).
#include "cli/podmonctl_app.h"

int main(int argc, char** argv) { return podmon::cli::runPodmonctl(argc, argv); }
