/// Interned strings: labels, references and group IDs are stored once and
/// referred to by a 4-byte ID, so a fleet where many SIMs share a label or a
/// group pays for the text once. Queries fold ASCII case while matching
/// (see `TextMatching`), so no lowercase copy is stored.
///
/// NOTE: strings are never removed, so a label that changes leaves its old
/// text behind. That costs memory only in proportion to label edits.
struct StringTable: Sendable {
    /// The ID of "no string" (a nil label, reference or group).
    static let none: Int32 = -1

    private(set) var strings: [String] = []
    private var ids: [String: Int32] = [:]

    var count: Int { strings.count }

    /// Returns the ID of `string`, adding it first if it is new.
    mutating func intern(_ string: String?) -> Int32 {
        guard let string else { return Self.none }
        if let id = ids[string] { return id }
        let id = Int32(strings.count)
        strings.append(string)
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
}
