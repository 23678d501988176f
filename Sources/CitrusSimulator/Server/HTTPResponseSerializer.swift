#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// Turns an `HTTPResponse` into HTTP/1.1 bytes.
enum HTTPResponseSerializer {
    /// Headers the server sets itself; a handler's own values for them are dropped.
    private static let framingHeaders: Set<String> = ["content-length", "transfer-encoding", "connection", "date"]

    /// Serializes the response, adding `Content-Length`, `Date` and `Connection`. A HEAD
    /// response keeps the body's `Content-Length` but sends no body. CR, LF and NUL are
    /// removed from handler headers, so a header value cannot split the response.
    static func bytes(of response: HTTPResponse, isHeadRequest: Bool, closing: Bool, date: Date = Date()) -> [UInt8] {
        var bytes = head(of: response, closing: closing, date: date)
        if !isHeadRequest {
            bytes.append(contentsOf: response.body)
        }
        return bytes
    }

    /// Serializes the status line and headers of `bytes(of:isHeadRequest:closing:date:)`,
    /// up to and including the empty line, so the body can be sent without copying it.
    static func head(of response: HTTPResponse, closing: Bool, date: Date = Date()) -> [UInt8] {
        var head = "HTTP/1.1 \(response.status) \(reasonPhrase(response.status))\r\n"
        for (name, value) in response.headers where !framingHeaders.contains(name.lowercased()) {
            head += "\(headerSafe(name)): \(headerSafe(value))\r\n"
        }
        head += "Content-Length: \(response.body.count)\r\n"
        head += "Date: \(imfFixdate(date))\r\n"
        head += closing ? "Connection: close\r\n\r\n" : "Connection: keep-alive\r\n\r\n"
        return Array(head.utf8)
    }

    /// Builds a JSON error envelope `{"error": CODE, "message": TEXT}`, as the Citrus API sends.
    static func errorResponse(status: Int, code: String, message: String) -> HTTPResponse {
        let envelope = ["error": code, "message": VisibleText.escapingControls(message)]
        let body = (try? JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return HTTPResponse.json(status, body: Array(body))
    }

    /// Returns the error code for the envelope of a response the server produces itself.
    static func errorCode(forStatus status: Int) -> String {
        switch status {
        case 400: return "BAD_REQUEST"
        case 404: return "NOT_FOUND"
        case 405: return "METHOD_NOT_ALLOWED"
        case 408: return "REQUEST_TIMEOUT"
        case 413: return "PAYLOAD_TOO_LARGE"
        case 414: return "URI_TOO_LONG"
        case 431: return "HEADERS_TOO_LARGE"
        case 500: return "INTERNAL_ERROR"
        case 501: return "NOT_IMPLEMENTED"
        case 503: return "SERVER_BUSY"
        case 505: return "HTTP_VERSION_NOT_SUPPORTED"
        default: return "HTTP_\(status)"
        }
    }

    static func reasonPhrase(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 402: return "Payment Required"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 422: return "Unprocessable Content"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }

    private static func headerSafe(_ text: String) -> String {
        String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" }.map(Character.init))
    }

    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// Formats a date as RFC 9110's HTTP date, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`. It is
    /// built by hand because `strftime` follows the process locale.
    static func imfFixdate(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func twoDigits(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let weekday = weekdays[Int(parts.tm_wday) % 7]
        let month = months[Int(parts.tm_mon) % 12]
        return "\(weekday), \(twoDigits(parts.tm_mday)) \(month) \(parts.tm_year + 1900) \(twoDigits(parts.tm_hour)):\(twoDigits(parts.tm_min)):\(twoDigits(parts.tm_sec)) GMT"
    }
}
