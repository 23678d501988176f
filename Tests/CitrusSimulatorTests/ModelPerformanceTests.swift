import Foundation
import Testing
@testable import CitrusSimulator

@Suite("Performance of large fleets")
struct ModelPerformanceTests {
    private static func seconds(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    @Test func qrCodeCost() {
        let text = "LPA:1$smdp.citrus-sim.test$NR4Q-8U5H-CH47-8TUH"
        let count = 200
        let encode = Self.seconds { for _ in 0..<count { _ = QRCode(bytes: Array(text.utf8)) } }
        let image = Self.seconds { for _ in 0..<count { _ = QRCodeImage.dataURL(for: text) } }
        print("QR encode \(encode / Double(count) * 1e6) µs, data URL \(image / Double(count) * 1e6) µs")
    }

    /// Lists a 10,000-SIM fleet in pages of 200, twice (the first sweep makes the
    /// QR codes), and prints the time per page. The bound is loose so a debug
    /// build on a loaded machine passes; release figures go in the report.
    @Test func listOf10000InPagesOf200() {
        let harness = ModelHarness(fleet: .mix(iot: 10_000, travel: 0, payg: 0))
        harness.advance(seconds: 3600)
        var firstSweep = 0.0
        var secondSweep = 0.0
        for sweep in 0..<2 {
            let elapsed = Self.seconds {
                for page in 0..<50 {
                    let reply = harness.get("/esim/list", query: [("limit", "200"), ("offset", String(page * 200))])
                    precondition(reply.status == 200)
                }
            }
            if sweep == 0 { firstSweep = elapsed } else { secondSweep = elapsed }
            harness.advance(seconds: 60)
        }
        print("list 200 of 10,000: first sweep \(firstSweep / 50 * 1000) ms/page, cached \(secondSweep / 50 * 1000) ms/page")
        #expect(secondSweep / 50 < 0.25)
    }
}
