func runCoreBenchmark(arguments: [String]) async { print("core benchmark not written yet") }
