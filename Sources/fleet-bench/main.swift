// fleet-bench: the project's benchmarks. Each prints `name: value unit` lines.
//
//   swift run -c release fleet-bench sim    simulator HTTP throughput
//   swift run -c release fleet-bench core   FleetCore sweeps, queries, memory

let arguments = CommandLine.arguments.dropFirst()
switch arguments.first {
case "sim":
    await runSimulatorBenchmark(arguments: Array(arguments.dropFirst()))
case "core":
    await runCoreBenchmark(arguments: Array(arguments.dropFirst()))
default:
    print("usage: fleet-bench sim|core")
}
