import Foundation
import Testing

struct DeadlineExceeded: Error, CustomStringConvertible {
    let seconds: Int
    var description: String { "the test did not finish within its budget of \(seconds) s" }
}

enum Deadline {
    /// The budget of the tests that could hang (a request never answered, a connection never closed): a hang
    /// never ends, so a generous budget catches it as well as a tight one, and a tight one (60 s) failed tests
    /// that take 5 s alone when `swift test` ran them beside builds and benchmarks on two cores.
    static let hang = 300
}

/// Runs `body`, failing (and cancelling it) when it takes longer than `seconds`: the time budget of a
/// fuzz or fault test is the harness's, never a timer in product code.
func withDeadline<T: Sendable>(seconds: Int, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let value = first else { throw DeadlineExceeded(seconds: seconds) }
        return value
    }
}
