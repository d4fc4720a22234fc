import Foundation
import Synchronization

/// Work split over the machine's cores, results kept in input order.
enum Parallel {
    /// The threads work runs on: the active cores, at most 8.
    static var cores: Int { max(1, min(ProcessInfo.processInfo.activeProcessorCount, 8)) }

    /// How many `foreground` sections are running.
    private static let foregroundSections = Atomic<Int>(0)

    /// Runs `body` as the critical path of concurrent work: while it runs, `map` keeps one thread busy instead
    /// of one per core, so that `body` has a core to itself. A build's text writer is one thread that the
    /// rest of the build waits for: on 2 cores beside two tokenizing threads it got two thirds of a core.
    static func foreground<T>(_ body: () throws -> T) rethrows -> T {
        foregroundSections.add(1, ordering: .relaxed)
        defer { foregroundSections.subtract(1, ordering: .relaxed) }
        return try body()
    }

    /// Splits `0..<count` into `parts` contiguous ranges (by default four per core, so that a thread that
    /// finishes early takes another), runs `body` on them on up to `cores` threads (one while a `foreground`
    /// section runs), and concatenates the results in range order.
    static func map<T>(count: Int, parts: Int = Parallel.cores * 4, _ body: @Sendable (Range<Int>) -> [T]) -> [T] {
        guard count > 0 else { return [] }
        let parts = min(max(parts, 1), count)
        let threads = min(cores, parts)
        if threads == 1 { return body(0..<count) }
        let results = Mutex<[Int: Unchecked<[T]>]>([:])
        let nextPart = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            while true {
                // Every thread but the first waits while the critical path runs (parts left to take).
                if thread > 0, foregroundSections.load(ordering: .relaxed) > 0 {
                    if nextPart.load(ordering: .relaxed) >= parts { return }
                    usleep(5_000)
                    continue
                }
                let part = nextPart.add(1, ordering: .relaxed).oldValue
                guard part < parts else { return }
                let values = Unchecked(body((count * part / parts)..<(count * (part + 1) / parts)))
                results.withLock { $0[part] = values }
            }
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
