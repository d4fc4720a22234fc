import Foundation
import Synchronization

/// Work split over the machine's cores, results kept in input order.
enum Parallel {
    /// The number of parts work is split into: the active cores, at most 8.
    static var cores: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }

    /// Splits `0..<count` into `parts` contiguous ranges, runs `body` on each range concurrently, and
    /// concatenates the results in range order.
    static func map<T>(count: Int, parts: Int = Parallel.cores, _ body: @Sendable (Range<Int>) -> [T]) -> [T] {
        guard count > 0 else { return [] }
        let parts = min(parts, count)
        if parts == 1 { return body(0..<count) }
        let results = Mutex<[Int: Unchecked<[T]>]>([:])
        DispatchQueue.concurrentPerform(iterations: parts) { part in
            let range = (count * part / parts)..<(count * (part + 1) / parts)
            let values = Unchecked(body(range))
            results.withLock { $0[part] = values }
        }
        return results.withLock { all in (0..<parts).flatMap { all[$0]!.value } }
    }
}

/// A value handed between threads by code that guarantees no concurrent mutation (a buffer read by every
/// part, results each written by one part).
struct Unchecked<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}
