/// One webhook event of the account, in the Citrus envelope
/// `{"id", "event", "created_at", "data"}`.
struct SimulatorEvent {
    let id: String
    let type: String
    /// Simulated milliseconds since 1970 when the event happened.
    let createdAt: Int64
    /// When the event becomes visible: `createdAt` plus the reporting delay for
    /// balance events, which lag usage as Citrus's do.
    let visibleAt: Int64
    /// The `data` object, already serialized.
    let dataJSON: String
    /// Set for `webhook.test`: the one webhook that receives it, whatever its filter.
    var onlyWebhookID: String?

    /// The envelope exactly as delivered and signed.
    var envelopeJSON: String {
        var writer = JSONWriter(reservingCapacity: 128 + dataJSON.utf8.count)
        writer.beginObject()
        writer.key("id")
        writer.string(id)
        writer.key("event")
        writer.string(type)
        writer.key("created_at")
        writer.string(ISO8601Text.format(millis: createdAt))
        writer.key("data")
        writer.raw(dataJSON)
        writer.endObject()
        return writer.text
    }
}

/// The account's events in the order they became visible.
struct EventLog {
    /// Events not visible yet (reporting delay), in any order.
    private(set) var pending: [SimulatorEvent] = []
    private(set) var published: [SimulatorEvent] = []
    private var nextNumber: UInt64 = 1
    let seed: UInt64
    /// Published events kept for `GET /_sim/events`; older ones are dropped.
    static let publishedCapacity = 50_000

    init(seed: UInt64) {
        self.seed = seed
    }

    /// Records an event. The id mixes the seed and a sequence number, so ids are
    /// unique per account and do not look sequential.
    @discardableResult
    mutating func record(type: String, at createdAt: Int64, delayMillis: Int64 = 0, onlyWebhookID: String? = nil, data: (inout JSONWriter) -> Void) -> String {
        var writer = JSONWriter()
        writer.beginObject()
        data(&writer)
        writer.endObject()
        let hash = SeededHash.hash(seed, nextNumber, 3)
        let id = "evt_" + String(nextNumber) + "_" + String(hash, radix: 16)
        nextNumber += 1
        pending.append(SimulatorEvent(id: id, type: type, createdAt: createdAt, visibleAt: createdAt + delayMillis, dataJSON: writer.text, onlyWebhookID: onlyWebhookID))
        return id
    }

    /// Moves the events visible at `now` to the published list, oldest first, and returns them.
    mutating func publish(upTo now: Int64) -> [SimulatorEvent] {
        guard !pending.isEmpty else { return [] }
        var ready: [SimulatorEvent] = []
        var waiting: [SimulatorEvent] = []
        for event in pending {
            if event.visibleAt <= now { ready.append(event) } else { waiting.append(event) }
        }
        pending = waiting
        ready.sort { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
        published.append(contentsOf: ready)
        if published.count > Self.publishedCapacity {
            published.removeFirst(published.count - Self.publishedCapacity)
        }
        return ready
    }
}
