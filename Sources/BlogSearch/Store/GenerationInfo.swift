import Foundation
import GRDB

/// What `blogsearch generations` lists about one generation file.
public struct GenerationInfo: Sendable, Codable, Hashable {
    public var generation: Int
    public var file: String
    public var builtAt: String?
    public var posts: Int?
    public var bytes: Int64
    public var current: Bool
    /// The content checksum it carries and matches (hex), nil when it carries none or fails verification.
    public var checksum: String?
    /// Why the file cannot be served, when it cannot (it fails verification or does not open).
    public var problem: String?
}

extension GenerationStore {
    /// Every published generation, oldest first, verified (`Generation.verify`), with its manifest where it opens.
    public func describe() -> [GenerationInfo] {
        let current = try? self.current()
        return list().map { generation in
            let bytes = (try? FileManager.default.attributesOfItem(atPath: generation.path)[.size] as? Int64) ?? 0
            var info = GenerationInfo(generation: generation.number, file: generation.path, bytes: bytes,
                                      current: generation == current)
            do {
                info.checksum = try generation.verify().checksum.map(Generation.hex)
                let manifest = try generation.manifest()
                info.builtAt = manifest.builtAt
                info.posts = manifest.posts
            } catch {
                info.problem = "\(error)"
            }
            return info
        }
    }

    /// The generation published before the current one.
    /// - Throws: `StoreError.noIndex` when there is no earlier generation.
    public func previous() throws(StoreError) -> Generation {
        let current = try self.current()
        guard let earlier = list().last(where: { $0.number < current.number }) else {
            throw .noIndex(directory: directory + " (no generation older than \(current.fileName))")
        }
        return earlier
    }

    /// Makes an earlier generation current again, after checking that it verifies (`Generation.verify`)
    /// and opens.
    /// - Throws: `StoreError.corrupt` naming the generation and why when it fails verification; nothing
    ///   changes then.
    public func rollback(to number: Int?) throws(StoreError) -> Generation {
        let target: Generation
        if let number {
            guard let found = list().first(where: { $0.number == number }) else {
                throw .noIndex(directory: directory + " (no generation \(number); see `blogsearch generations`)")
            }
            target = found
        } else {
            target = try previous()
        }
        _ = try target.verify()
        _ = try target.manifest()
        try makeCurrent(target)
        return target
    }
}
