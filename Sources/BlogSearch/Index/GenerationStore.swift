import Foundation

/// One published index file.
public struct Generation: Sendable, Hashable {
    public var number: Int
    public var path: String
    public var fileName: String { (path as NSString).lastPathComponent }
}

/// The `indexes/` folder: numbered generation files, and a `CURRENT` file naming the one to serve.
///
/// Publishing is atomic and never overwrites: a build writes `.building-<pid>-<n>.sqlite` aside, hard-links
/// it to `gen-NNNNNN.sqlite` (fails rather than replaces if the name exists), then replaces `CURRENT` by
/// rename and syncs the folder. A reader sees the old generation or the new one, never a partial file.
public struct GenerationStore: Sendable {
    public let directory: String
    public static let keepDefault = 3

    public init(directory: String) {
        self.directory = directory
    }

    var currentPointer: String { (directory as NSString).appendingPathComponent("CURRENT") }

    static func fileName(_ number: Int) -> String {
        let digits = String(number)
        return "gen-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".sqlite"
    }

    static func number(ofFile name: String) -> Int? {
        guard name.hasPrefix("gen-"), name.hasSuffix(".sqlite") else { return nil }
        return Int(name.dropFirst(4).dropLast(7))
    }

    /// Published generations, oldest first.
    public func list() -> [Generation] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.compactMap { name in
            GenerationStore.number(ofFile: name).map { Generation(number: $0, path: (directory as NSString).appendingPathComponent(name)) }
        }.sorted { $0.number < $1.number }
    }

    /// The generation named by `CURRENT` (or, if that file is missing, the newest one).
    /// - Throws: `IndexError.noIndex` when nothing has been published, `.corrupt` when `CURRENT` names a missing file.
    public func current() throws(IndexError) -> Generation {
        if let text = try? String(contentsOfFile: currentPointer, encoding: .utf8) {
            let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let number = GenerationStore.number(ofFile: name) else {
                throw .corrupt(path: currentPointer, reason: "it should name a gen-NNNNNN.sqlite file, it says '\(name.prefix(80))'")
            }
            let path = (directory as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else {
                throw .corrupt(path: currentPointer, reason: "it names \(name), which does not exist")
            }
            return Generation(number: number, path: path)
        }
        guard let newest = list().last else { throw .noIndex(directory: directory) }
        return newest
    }

    public var hasIndex: Bool { (try? current()) != nil }

    func nextNumber() -> Int { (list().last?.number ?? 0) + 1 }

    /// A fresh path for a build to write to, in the same folder so that publishing is a link, not a copy.
    func temporaryPath() throws(IndexError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .buildFailed(directory: directory, reason: "cannot create the folder: \((error as NSError).localizedDescription)")
        }
        removeAbandonedBuilds()
        let path = (directory as NSString).appendingPathComponent(".building-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite")
        return path
    }

    /// Removes temporary files of builds whose process is gone (killed, crashed).
    func removeAbandonedBuilds() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        for name in names where name.hasPrefix(".building-") {
            let pidText = name.dropFirst(".building-".count).prefix { $0.isNumber }
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }
            if let pid = Int32(pidText), pid == getpid() { continue }
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }

    /// Publishes a verified build: links it as the next generation, points `CURRENT` at it, syncs the folder,
    /// and removes generations beyond the newest `keep`.
    func publish(temporaryPath: String, keep: Int = GenerationStore.keepDefault) throws(IndexError) -> Generation {
        try fsync(path: temporaryPath)
        var number = nextNumber()
        var published: String
        while true {
            published = (directory as NSString).appendingPathComponent(GenerationStore.fileName(number))
            if link(temporaryPath, published) == 0 { break }
            guard errno == EEXIST else {
                throw .buildFailed(directory: directory, reason: "cannot publish \(published): \(String(cString: strerror(errno)))")
            }
            number += 1
        }
        unlink(temporaryPath)
        let pointerTemp = currentPointer + ".\(getpid()).tmp"
        do {
            try (GenerationStore.fileName(number) + "\n").write(toFile: pointerTemp, atomically: false, encoding: .utf8)
        } catch {
            throw .buildFailed(directory: directory, reason: "cannot write \(pointerTemp): \((error as NSError).localizedDescription)")
        }
        try fsync(path: pointerTemp)
        guard rename(pointerTemp, currentPointer) == 0 else {
            throw .buildFailed(directory: directory, reason: "cannot replace \(currentPointer): \(String(cString: strerror(errno)))")
        }
        try fsync(path: directory)
        prune(keep: keep, current: number)
        return Generation(number: number, path: published)
    }

    /// Removes all but the newest `keep` generations (never the current one).
    func prune(keep: Int, current: Int) {
        let all = list()
        guard all.count > keep else { return }
        for generation in all.dropLast(keep) where generation.number != current {
            try? FileManager.default.removeItem(atPath: generation.path)
        }
    }

    private func fsync(path: String) throws(IndexError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .buildFailed(directory: directory, reason: "cannot open \(path) to sync it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard Foundation.fsync(fd) == 0 else {
            throw .buildFailed(directory: directory, reason: "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }
}
