import CitrusAPI
import Foundation

/// The most recent fleet events, bounded in memory, and optionally appended
/// to an events file as JSON lines (the `FleetEvent` coding keys). An event
/// equal to one already kept (same kind, time, ICCID and figures) is dropped,
/// so applying the same batch twice logs it once. Safe to use from any thread.
public final class EventLog: @unchecked Sendable {
    /// The maximum number of events kept in memory. Older ones are dropped first.
    public let capacity: Int
    /// The events file, when configured.
    public let fileURL: URL?
    private let file: AppendOnlyFile?
    private let lock = NSLock()
    private var ring: [FleetEvent] = []
    private var start = 0
    private var keys: Set<FleetEvent> = []
    private var appendedCount = 0

    /// Creates a log keeping `capacity` events, appending to `fileURL` when
    /// given (created with owner-only permissions if missing).
    public init(capacity: Int = 1000, fileURL: URL? = nil) throws(AppendOnlyFileError) {
        self.capacity = max(1, capacity)
        self.fileURL = fileURL
        self.file = try fileURL.map { url throws(AppendOnlyFileError) in try AppendOnlyFile(url: url, syncEachLine: false) }
    }

    /// Appends events, oldest first, skipping duplicates. Returns the ones kept.
    @discardableResult
    public func append(_ events: [FleetEvent]) -> [FleetEvent] {
        guard !events.isEmpty else { return [] }
        let kept: [FleetEvent] = lock.withLock {
            var kept: [FleetEvent] = []
            for event in events where !keys.contains(event) {
                insert(event)
                kept.append(event)
            }
            return kept
        }
        if let file {
            for event in kept {
                if let data = try? JSONEncoder.sortedKeys.encode(event) {
                    file.append(String(decoding: data, as: UTF8.self))
                }
            }
        }
        return kept
    }

    /// The events kept in memory, oldest first.
    public var events: [FleetEvent] {
        lock.withLock { Array(ring[start...] + ring[..<start]) }
    }

    /// Returns the newest `count` events, newest first.
    public func recent(_ count: Int) -> [FleetEvent] {
        Array(events.suffix(count).reversed())
    }

    /// Events appended since the log was created, including dropped old ones.
    public var totalAppended: Int {
        lock.withLock { appendedCount }
    }

    /// The first events-file write failure, if any.
    public var lastFailure: AppendOnlyFileError? {
        file?.lastFailure
    }

    private func insert(_ event: FleetEvent) {
        appendedCount += 1
        keys.insert(event)
        if ring.count < capacity {
            ring.append(event)
            return
        }
        keys.remove(ring[start])
        ring[start] = event
        start = (start + 1) % capacity
    }
}

extension JSONEncoder {
    static var sortedKeys: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
