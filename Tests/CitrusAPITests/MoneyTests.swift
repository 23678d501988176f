import CitrusAPI
import Foundation
import Testing

@Suite("Money")
struct MoneyTests {
    @Test("parseAmount accepts dollars and cents", arguments: [
        ("12", Int64(1200)),
        ("12.5", 1250),
        ("12.50", 1250),
        ("0.01", 1),
        ("$7", 700),
        ("  9.99 ", 999),
        ("10000", 1_000_000),
        ("10000.00", 1_000_000),
        (".5", 50),
        ("007.10", 710),
    ])
    func parseAccepts(input: String, cents: Int64) throws {
        #expect(try Money.parseAmount(input) == Money(cents: cents))
    }

    @Test("parseAmount rejects bad input", arguments: [
        ("-1", MoneyParseError.notPositive("-1")),
        ("-0.50", .notPositive("-0.50")),
        ("-$5", .notPositive("-$5")),
        ("-0", .notPositive("-0")),
        ("$-5", .notPositive("$-5")),
        ("-abc", .notANumber("-abc")),
        ("--1", .notANumber("--1")),
        ("-", .notANumber("-")),
        ("-1e3", .notANumber("-1e3")),
        ("+12", .signed("+12")),
        ("+12.50", .signed("+12.50")),
        ("+", .notANumber("+")),
        ("+NaN", .notANumber("+NaN")),
        ("0", .notPositive("0")),
        ("0.00", .notPositive("0.00")),
        ("1e3", .notANumber("1e3")),
        ("12.345", .tooManyDecimals("12.345")),
        ("NaN", .notANumber("NaN")),
        ("10000.01", .aboveMaximum("10000.01", maximum: .maximumFund)),
        ("", .empty),
        ("   ", .empty),
        ("$", .empty),
        ("1,000", .notANumber("1,000")),
        ("12.", .notANumber("12.")),
        ("1.2.3", .notANumber("1.2.3")),
        ("+5", .signed("+5")),
        ("inf", .notANumber("inf")),
        ("１２", .notANumber("１２")),
        ("9999999999999999", .aboveMaximum("9999999999999999", maximum: .maximumFund)),
    ])
    func parseRejects(input: String, expected: MoneyParseError) {
        #expect(throws: expected) { try Money.parseAmount(input) }
    }

    @Test("parse errors name the value and the fix")
    func parseErrorMessages() {
        #expect(MoneyParseError.tooManyDecimals("12.345").description.contains("12.345"))
        #expect(MoneyParseError.aboveMaximum("10000.01", maximum: .maximumFund).description.contains("$10,000.00"))
        #expect(MoneyParseError.empty.description.contains("such as 12"))
        #expect(MoneyParseError.notPositive("-1").description == "Amount \"-1\" must be at least $0.01.")
        #expect(MoneyParseError.signed("+12").description.contains("\"+12\" has a plus sign"))
        #expect(MoneyParseError.notANumber("1e3").description.contains("is not a number"))
    }

    @Test("formatted uses the dollar sign and grouping", arguments: [
        (Int64(0), "$0.00"),
        (5, "$0.05"),
        (1999, "$19.99"),
        (123_456, "$1,234.56"),
        (100_000_000, "$1,000,000.00"),
        (-320, "-$3.20"),
    ])
    func formatting(cents: Int64, text: String) {
        #expect(Money(cents: cents).formatted() == text)
        #expect(Money(cents: cents).description == text)
    }

    @Test("plainDecimalString is what a fund body sends")
    func plainDecimal() {
        #expect(Money(cents: 1250).plainDecimalString == "12.50")
        #expect(Money(cents: 1).plainDecimalString == "0.01")
        #expect(Money(cents: 1_000_000).plainDecimalString == "10000.00")
    }

    @Test("roundingDown truncates below the cent")
    func roundingDown() throws {
        #expect(Money(roundingDown: try #require(Decimal(string: "19.999"))) == Money(cents: 1999))
        #expect(Money(roundingDown: try #require(Decimal(string: "20"))) == Money(cents: 2000))
        #expect(Money(roundingDown: try #require(Decimal(string: "0.009"))) == .zero)
        #expect(Money(roundingDown: try #require(Decimal(string: "-0.001"))) == Money(cents: -1))
    }

    @Test("wallet decoded from JSON rounds 19.999 down to $19.99")
    func walletDecodingRoundsDown() throws {
        let json = #"{"iccid":"8910300000000000012","status":"active","wallet_balance_usd":19.999}"#
        let esim = try JSONDecoder().decode(ESIM.self, from: Data(json.utf8))
        #expect(esim.walletBalance == Money(cents: 1999))
        #expect(esim.walletBalance?.formatted() == "$19.99")
        #expect(esim.roundedWallet?.isRoundedDown == true)
        #expect(esim.roundedWallet?.lowerBoundText == "≥ $19.99")
    }

    @Test("wallet decoding keeps exact cents for 9, 18 and 27 dollars")
    func walletDecodingExact() throws {
        for (text, cents) in [("9", Int64(900)), ("18.00", 1800), ("27.0", 2700), ("0.1", 10), ("0.29", 29)] {
            let json = #"{"iccid":"8910300000000000012","wallet_balance_usd":\#(text)}"#
            let esim = try JSONDecoder().decode(ESIM.self, from: Data(json.utf8))
            #expect(esim.walletBalance == Money(cents: cents), "wallet \(text)")
        }
    }

    @Test("exactly rejects fractions of a cent")
    func exactly() throws {
        #expect(Money(exactly: try #require(Decimal(string: "12.34"))) == Money(cents: 1234))
        #expect(Money(exactly: try #require(Decimal(string: "12.345"))) == nil)
    }
}
