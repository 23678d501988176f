/// Size limits on one HTTP/1.1 request. A request over a limit gets the status named on
/// the limit and the connection is closed, because the rest of its bytes cannot be framed.
public struct HTTPRequestLimits: Sendable, Equatable {
    /// Maximum bytes in the request line, without its line ending (414 URI Too Long).
    public var maxRequestLineBytes: Int = 8 * 1024
    /// Maximum bytes of all header lines together, line endings included
    /// (431 Request Header Fields Too Large).
    public var maxHeaderBytes: Int = 16 * 1024
    /// Maximum number of header fields (431 Request Header Fields Too Large).
    public var maxHeaderCount: Int = 100
    /// Maximum `Content-Length` accepted (413 Content Too Large).
    public var maxBodyBytes: Int = 1024 * 1024

    public init() {}
}
