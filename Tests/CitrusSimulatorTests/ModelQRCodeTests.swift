import Foundation
import Testing
@testable import CitrusSimulator

@Suite("QR code data URLs")
struct ModelQRCodeTests {
    static let lpa = "LPA:1$smdp.citrus-sim.test$NR4Q-8U5H-CH47-8TUH"

    @Test func dataURLIsWellFormedPNG() throws {
        let url = QRCodeImage.dataURL(for: Self.lpa)
        let prefix = "data:image/png;base64,"
        #expect(url.hasPrefix(prefix))
        let png = try #require(Data(base64Encoded: String(url.dropFirst(prefix.count))).map(Array.init))
        #expect(Array(png.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])

        var offset = 8
        var chunkTypes: [String] = []
        var idat: [UInt8] = []
        var width = 0
        while offset + 12 <= png.count {
            let length = Int(png[offset]) << 24 | Int(png[offset + 1]) << 16 | Int(png[offset + 2]) << 8 | Int(png[offset + 3])
            let type = String(decoding: png[offset + 4..<offset + 8], as: UTF8.self)
            let data = Array(png[offset + 8..<offset + 8 + length])
            let crcBytes = png[offset + 8 + length..<offset + 12 + length]
            let crc = crcBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            #expect(crc == PNGEncoder.crc32(Array(type.utf8) + data), "CRC of \(type)")
            chunkTypes.append(type)
            if type == "IHDR" { width = Int(data[0]) << 24 | Int(data[1]) << 16 | Int(data[2]) << 8 | Int(data[3]) }
            if type == "IDAT" { idat += data }
            offset += 12 + length
        }
        #expect(chunkTypes == ["IHDR", "IDAT", "IEND"])
        #expect(width == (33 + 8) * QRCodeImage.modulePixels)

        // zlib header, one final stored block, Adler-32 of the scanlines.
        #expect(Array(idat.prefix(2)) == [0x78, 0x01])
        #expect(idat[2] == 1)
        let length = Int(idat[3]) | Int(idat[4]) << 8
        let raw = Array(idat[7..<7 + length])
        let adler = idat.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        #expect(adler == PNGEncoder.adler32(raw))
        #expect(raw.count == width * ((width + 7) / 8 + 1))
    }

    @Test func listReusesCachedQRCode() {
        let harness = ModelHarness(fleet: .mix(iot: 3, travel: 0, payg: 0))
        let first = harness.get("/esim/list").json["esims"] as? [[String: Any]] ?? []
        let second = harness.get("/esim/list").json["esims"] as? [[String: Any]] ?? []
        #expect(first.count == 3)
        #expect(first.map { $0["qr_code"] as? String } == second.map { $0["qr_code"] as? String })
        #expect((first.first?["qr_code"] as? String)?.count ?? 0 > 500)
    }

    @Test func listMakesNextPageQRCodesAhead() {
        let harness = ModelHarness(fleet: .mix(iot: 250, travel: 0, payg: 0))
        harness.get("/esim/list", query: [("limit", "100")])
        let deadline = Date().addingTimeInterval(60)
        var ready = 0
        while Date() < deadline {
            ready = harness.simulator.state.withLock { state in
                state.account.esims[100..<200].filter { $0.staticMembersJSON != nil }.count
            }
            if ready == 100 { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        #expect(ready == 100)
        let beyond = harness.simulator.state.withLock { state in
            state.account.esims[200..<250].filter { $0.staticMembersJSON != nil }.count
        }
        #expect(beyond == 0)
    }
}
