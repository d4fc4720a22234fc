import Synchronization

/// Tokenizers for the read path, one per concurrent user (a tokenizer is not thread-safe).
final class TokenizerPool: Sendable {
    private let idle = Mutex<[Unchecked<TermTokenizer>]>([])

    func with<T>(_ body: (TermTokenizer) throws -> T) throws -> T {
        let tokenizer = try idle.withLock { $0.popLast() }?.value ?? TermTokenizer()
        defer { idle.withLock { $0.append(Unchecked(tokenizer)) } }
        return try body(tokenizer)
    }
}
