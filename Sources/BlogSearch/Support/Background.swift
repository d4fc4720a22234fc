import Foundation
import Synchronization

/// Work started on its own thread now, waited for later.
final class Background<Value: Sendable>: Sendable {
    private let result = Mutex<Result<Value, any Error>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(_ work: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            let outcome = Result { try work() }
            result.withLock { $0 = outcome }
            done.signal()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Blocks until the work is done; may be called more than once.
    func wait() -> Result<Value, any Error> {
        if let value = result.withLock({ $0 }) { return value }
        done.wait()
        done.signal()
        return result.withLock { $0! }
    }
}
