import Foundation

/// One parsed HTTP/1.1 request, as the server hands it to a handler.
public struct HTTPRequest: Sendable {
    /// Upper-case method, e.g. `GET`.
    public var method: String
    /// The path without the query, percent-decoded, e.g. `/api/v2/reseller/esim/list`.
    /// An encoded slash stays `%2F` here. Route on `pathSegments`, not on this text.
    public var path: String
    /// The non-empty segments of the path, split on the raw `/` and then each percent-decoded
    /// (RFC 3986), so `%2F` stays data inside its segment: `/esim/1%2Ffund` is `["esim", "1/fund"]`.
    public var pathSegments: [String]
    /// Query parameters in order of appearance, percent-decoded.
    public var query: [(name: String, value: String)]
    /// Header fields in order of appearance, names lower-cased.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    /// Without `pathSegments`, the segments are `path` split on `/`.
    public init(method: String, path: String, pathSegments: [String]? = nil, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.path = path
        self.pathSegments = pathSegments ?? path.split(separator: "/").map(String.init)
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The first header with this name (case-insensitive), or nil.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first(where: { $0.name == lowered })?.value
    }

    /// The first query parameter with this name, or nil.
    public func queryValue(_ name: String) -> String? {
        query.first(where: { $0.name == name })?.value
    }
}

/// One HTTP response. The server adds `Content-Length`, `Date` and `Connection`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON response from already-serialized text.
    public static func json(_ status: Int, _ text: String, headers: [(name: String, value: String)] = []) -> HTTPResponse {
        json(status, body: Array(text.utf8), headers: headers)
    }

    /// A JSON response from already-serialized bytes, such as a `JSONWriter`'s.
    public static func json(_ status: Int, body: [UInt8], headers: [(name: String, value: String)] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
    }
}
