import CitrusAPI
import Foundation
import Testing
@testable import CitrusSimulator

/// Every Citrus error code, produced by the simulator, with the HTTP status
/// that `CitrusErrorCode.httpStatus` (the client's table) expects.
@Suite("Every error code")
struct ModelErrorCodeTests {
    /// Triggers one error; returns the reply.
    private static func trigger(_ code: String) -> ModelHarness.Reply {
        let harness = ModelHarness {
            $0.rateLimitPerMinute = code == "RATE_LIMITED" ? 2 : 1_000
            $0.inventoryLimit = 1
            $0.startingResellerBalance = Money(cents: 500)
            $0.walletReadySeconds = 5
        }
        switch code {
        case "INVALID_API_KEY":
            return harness.send("GET", "/account", key: "not_a_reseller_key")
        case "RATE_LIMITED":
            harness.get("/account")
            harness.get("/account")
            return harness.get("/account")
        case "ESIM_NOT_FOUND":
            return harness.get("/esim/8944501000000000001")
        case "VALIDATION_ERROR":
            return harness.get("/esim/list", query: [("limit", "500")])
        case "NO_ESIMS_AVAILABLE":
            harness.post("/esim/provision")
            return harness.post("/esim/provision")
        default:
            break
        }

        let iccid = harness.post("/esim/provision").json["iccid"] as? String ?? ""
        switch code {
        case "WALLET_NOT_READY":
            return harness.post("/esim/\(iccid)/fund", "{\"amount\": 1}")
        case "INSUFFICIENT_BALANCE":
            harness.advance(seconds: 5)
            return harness.post("/esim/\(iccid)/fund", "{\"amount\": 3.26}")
        case "NO_BALANCE_TO_RETURN":
            harness.advance(seconds: 5)
            return harness.post("/esim/\(iccid)/defund")
        case "DEFUND_ALREADY_PENDING":
            harness.advance(seconds: 5)
            harness.post("/esim/\(iccid)/fund", "{\"amount\": 1}")
            harness.post("/esim/\(iccid)/defund")
            return harness.post("/esim/\(iccid)/defund")
        case "ESIM_ALREADY_TERMINATED":
            harness.post("/esim/\(iccid)/terminate")
            return harness.post("/esim/\(iccid)/disable")
        default:
            return harness.get("/account")
        }
    }

    @Test(arguments: [
        "INVALID_API_KEY", "INSUFFICIENT_BALANCE", "ESIM_NOT_FOUND", "ESIM_ALREADY_TERMINATED",
        "VALIDATION_ERROR", "NO_ESIMS_AVAILABLE", "DEFUND_ALREADY_PENDING", "NO_BALANCE_TO_RETURN",
        "WALLET_NOT_READY", "RATE_LIMITED",
    ])
    func codeHasContractStatus(code: String) {
        let reply = Self.trigger(code)
        #expect(reply.errorCode == code)
        #expect(reply.status == CitrusErrorCode(rawValue: code).httpStatus)
        #expect((reply.json["message"] as? String)?.isEmpty == false)
        #expect(reply.header("Content-Type") == "application/json")
    }

    @Test func groupCodeHasContractStatus() {
        let harness = ModelHarness()
        let iccid = harness.post("/esim/provision", "{\"group_id\": \"grp_trip\"}").json["iccid"] as? String ?? ""
        let reply = harness.post("/esim/\(iccid)/fund", "{\"amount\": 1}")
        #expect(reply.errorCode == "ESIM_IN_GROUP")
        #expect(reply.status == CitrusErrorCode.esimInGroup.httpStatus)
    }
}
