import FleetCore

/// Reads the detail of the SIM whose detail view is open. `RefreshLoop` is
/// the real one: it reads the SIM through the interactive lane and delivers
/// it in a batch's `detail`.
public protocol DetailSelector: Sendable {
    /// Starts reading `iccid` repeatedly, or stops when it is nil.
    func select(iccid: String?) async
}

extension RefreshLoop: DetailSelector {}
