import Synchronization

/// A value for a known number of consumers, each taking it once; released when the last has taken it, so that
/// a large intermediate result (a build's tokens) does not live on while later phases need the memory.
final class Handoff<Value: Sendable>: Sendable {
    private let state: Mutex<(value: Value?, takers: Int)>

    init(_ value: Value, takers: Int) {
        state = Mutex((value, takers))
    }

    /// The value; the last of the `takers` calls releases it. A further call is a programming error.
    func take() -> Value {
        state.withLock { state in
            guard let value = state.value else { preconditionFailure("Handoff taken more often than its takers") }
            state.takers -= 1
            if state.takers == 0 { state.value = nil }
            return value
        }
    }
}
