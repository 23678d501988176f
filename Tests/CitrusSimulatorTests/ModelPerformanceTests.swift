#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation
import Testing
@testable import CitrusSimulator
import QREncoding

@Suite("Performance of large fleets")
struct ModelPerformanceTests {
    /// Measures the CPU time of `body` on this thread, in seconds, so other
    /// processes on a busy machine do not count. Requests run on the caller's thread.
    private static func seconds(_ body: () -> Void) -> Double {
        func now() -> Double {
            var time = timespec()
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
            return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
        }
        let start = now()
        body()
        return now() - start
    }

    @Test func qrCodeCost() {
        let text = "LPA:1$smdp.citrus-sim.test$NR4Q-8U5H-CH47-8TUH"
        let count = 200
        let encode = Self.seconds { for _ in 0..<count { _ = QRCode(bytes: Array(text.utf8)) } }
        let image = Self.seconds { for _ in 0..<count { _ = QRCodeImage.dataURL(for: text) } }
        print("QR encode \(encode / Double(count) * 1e6) µs, data URL \(image / Double(count) * 1e6) µs")
    }

    #if DEBUG
    /// Debug builds are about 30 times slower, so they list a smaller fleet.
    static let fleetSize = 2_000
    #else
    static let fleetSize = 10_000
    #endif

    /// Lists the fleet in pages of 200, twice (the first sweep makes the QR
    /// codes), and prints the CPU time per page. The bound is loose so a debug
    /// build passes; run with `-c release` for the real figures.
    @Test func listFleetInPagesOf200() {
        let pages = Self.fleetSize / 200
        let harness = ModelHarness(fleet: .mix(iot: Self.fleetSize, travel: 0, payg: 0))
        harness.advance(seconds: 3600)
        var firstSweep = 0.0
        var secondSweep = 0.0
        for sweep in 0..<2 {
            let elapsed = Self.seconds {
                for page in 0..<pages {
                    let reply = harness.get("/esim/list", query: [("limit", "200"), ("offset", String(page * 200))])
                    precondition(reply.status == 200)
                }
            }
            if sweep == 0 { firstSweep = elapsed } else { secondSweep = elapsed }
            harness.advance(seconds: 60)
        }
        print("list 200 of \(Self.fleetSize): first sweep \(firstSweep / Double(pages) * 1000) ms/page, cached \(secondSweep / Double(pages) * 1000) ms/page")
        #expect(secondSweep / Double(pages) < 0.1)
    }
}
