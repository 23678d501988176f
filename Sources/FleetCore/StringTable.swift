/// Interned strings: labels, references and group IDs are stored once and
/// referred to by a 4-byte ID, so a fleet where many SIMs share a label or a
/// group pays for the text once. The lowercase form is kept for
/// case-insensitive matching in queries.
struct StringTable: Sendable {
    /// The ID of "no string" (a nil label, reference or group).
    static let none: Int32 = -1

    private(set) var strings: [String] = []
    private(set) var lowercased: [String] = []
    private var ids: [String: Int32] = [:]

    var count: Int { strings.count }

    /// Returns the ID of `string`, adding it first if it is new.
    mutating func intern(_ string: String?) -> Int32 {
        guard let string else { return Self.none }
        if let id = ids[string] { return id }
        let id = Int32(strings.count)
        strings.append(string)
        let lower = string.lowercased()
        // Most labels are already lowercase; sharing the storage saves memory.
        lowercased.append(lower == string ? string : lower)
        ids[string] = id
        return id
    }

    /// Returns the ID of `string` if it was interned, without adding it.
    func id(of string: String?) -> Int32? {
        guard let string else { return Self.none }
        return ids[string]
    }

    func string(_ id: Int32) -> String? {
        id < 0 ? nil : strings[Int(id)]
    }

    func lowercasedString(_ id: Int32) -> String? {
        id < 0 ? nil : lowercased[Int(id)]
    }
}
