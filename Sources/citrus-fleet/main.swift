// citrus-fleet: the terminal dashboard. `citrus-fleet --help` lists the
// options and keys.

import Foundation

exit(CitrusFleet.main(
    arguments: Array(CommandLine.arguments.dropFirst()),
    environment: ProcessInfo.processInfo.environment))
