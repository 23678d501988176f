/// Every page of `GET /esim/list`, fetched one request at a time as the
/// sequence is iterated.
///
/// The sequence ends after the page that reaches `total`. When the server
/// sends no `total` (or a bare array), it ends after the first short or empty page.
/// A server that ignores `limit` and returns more than a page is taken to have
/// sent everything. A server that ignores `offset` (the same page twice) ends
/// the sequence with a `CitrusError.decoding` on `offset`.
/// NOTE: without `total`, a server that caps pages below `pageSize` looks like
/// a short last page, so the sequence ends early.
public struct ESIMPages: AsyncSequence, Sendable {
    public typealias Element = ESIMPage

    let client: CitrusClient
    let status: ESIMStatus?
    let pageSize: Int
    let lane: RequestLane

    public func makeAsyncIterator() -> Iterator {
        Iterator(client: client, status: status, pageSize: pageSize, lane: lane)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let client: CitrusClient
        let status: ESIMStatus?
        let pageSize: Int
        let lane: RequestLane
        private var offset = 0
        private var finished = false
        private var previousICCIDs: [String]?

        init(client: CitrusClient, status: ESIMStatus?, pageSize: Int, lane: RequestLane) {
            self.client = client
            self.status = status
            self.pageSize = pageSize
            self.lane = lane
        }

        public mutating func next() async throws -> ESIMPage? {
            guard !finished else { return nil }
            let page: ESIMPage
            do {
                page = try await client.listESIMs(status: status, limit: pageSize, offset: offset, lane: lane)
            } catch {
                finished = true
                throw error
            }

            let count = page.esims.count
            if count == 0 {
                finished = true
                // An empty fleet still yields its one (empty) page, with its total.
                return offset == 0 ? page : nil
            }

            let iccids = page.esims.map(\.iccid)
            if iccids == previousICCIDs {
                finished = true
                throw CitrusError.decoding(
                    endpoint: "GET /esim/list", field: "offset",
                    reason: "offset \(offset) returned the same SIMs as the previous page, so the server ignores offset")
            }
            previousICCIDs = iccids

            if count > pageSize {
                finished = true
            } else if let total = page.total {
                finished = offset + count >= total
            } else {
                finished = count < pageSize
            }
            offset += count
            return page
        }
    }
}
