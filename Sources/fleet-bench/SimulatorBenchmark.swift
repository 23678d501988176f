func runSimulatorBenchmark(arguments: [String]) async { print("sim benchmark not written yet") }
