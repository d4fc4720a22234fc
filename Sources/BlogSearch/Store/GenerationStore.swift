import Foundation

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

    /// Published generations, oldest first (none when the folder cannot be read).
    public func list() -> [Generation] {
        (try? listing()) ?? []
    }

    /// Published generations, oldest first.
    /// - Throws: `StoreError.unreadable` when the folder exists but cannot be read (too many open files…).
    func listing() throws(StoreError) -> [Generation] {
        guard let folder = opendir(directory) else {
            if errno == ENOENT { return [] }
            throw .unreadable(path: directory, reason: String(cString: strerror(errno)))
        }
        defer { closedir(folder) }
        var generations: [Generation] = []
        while let entry = readdir(folder) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let number = GenerationStore.number(ofFile: name) {
                generations.append(Generation(number: number, path: (directory as NSString).appendingPathComponent(name)))
            }
        }
        return generations.sorted { $0.number < $1.number }
    }

    /// The generation named by `CURRENT` (or, if that file does not exist, the newest one).
    /// - Throws: `StoreError.noIndex` when nothing has been published, `.corrupt` when `CURRENT` names a
    ///   missing file, `.unreadable` when `CURRENT` or the folder cannot be read (only a missing `CURRENT`
    ///   means "look for the newest": too many open files is not "no index").
    public func current() throws(StoreError) -> Generation {
        guard let text = try readPointer() else {
            guard let newest = try listing().last else { throw .noIndex(directory: directory) }
            return newest
        }
        let name = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let number = GenerationStore.number(ofFile: name) else {
            throw .corrupt(path: currentPointer, reason: "it should name a gen-NNNNNN.sqlite file, it says '\(name.prefix(80))'")
        }
        let path = (directory as NSString).appendingPathComponent(name)
        var info = stat()
        guard stat(path, &info) == 0 else {
            guard errno == ENOENT else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
            throw .corrupt(path: currentPointer, reason: "it names \(name), which does not exist")
        }
        return Generation(number: number, path: path)
    }

    /// The text of `CURRENT`, nil when it does not exist.
    private func readPointer() throws(StoreError) -> String? {
        let fd = open(currentPointer, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw .unreadable(path: currentPointer, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: 256)
        var filled = 0
        while filled < bytes.count {
            let count = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + filled, $0.count - filled) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { throw .unreadable(path: currentPointer, reason: String(cString: strerror(errno))) }
            if count == 0 { break }
            filled += count
        }
        return String(decoding: bytes[..<filled], as: UTF8.self)
    }

    func nextNumber() -> Int { (list().last?.number ?? 0) + 1 }

    /// A fresh path for a build to write to, in the same folder so that publishing is a link, not a copy.
    func temporaryPath() throws(StoreError) -> String {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .writeFailed(directory: directory, reason: "cannot create the folder: \((error as NSError).localizedDescription)")
        }
        removeAbandonedBuilds()
        let path = (directory as NSString).appendingPathComponent(".building-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sqlite")
        return path
    }

    /// Removes what builds whose process is gone (killed, crashed) left: temporary files, and generations
    /// linked but never made current. Called under the build lock, so no live build is affected.
    func removeAbandonedBuilds() {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let current = try? current()
        for name in names where name.hasPrefix(".publishing-") {
            let generationName = String(name.dropFirst(".publishing-".count))
            if generationName != current?.fileName {
                try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(generationName))
            }
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
        for name in names where name.hasPrefix(".building-") {
            let pidText = name.dropFirst(".building-".count).prefix { $0.isNumber }
            if let pid = Int32(pidText), pid != getpid(), kill(pid, 0) == 0 { continue }
            if let pid = Int32(pidText), pid == getpid() { continue }
            try? FileManager.default.removeItem(atPath: (directory as NSString).appendingPathComponent(name))
        }
    }

    /// Publishes a verified build: links it as the next generation, points `CURRENT` at it, syncs the folder,
    /// and removes generations beyond the newest `keep`.
    /// - Parameter beforePointing: runs after the link, before `CURRENT` changes (fault injection).
    func publish(temporaryPath: String, keep: Int = GenerationStore.keepDefault,
                 beforePointing: () throws(StoreError) -> Void = {}) throws(StoreError) -> Generation {
        try fsync(path: temporaryPath)
        var number = nextNumber()
        var published: String
        var marker: String
        while true {
            published = (directory as NSString).appendingPathComponent(GenerationStore.fileName(number))
            // The marker says "gen-N is being published": if the process dies before CURRENT names gen-N,
            // the next build removes gen-N (see removeAbandonedBuilds) instead of leaving an orphan.
            marker = (directory as NSString).appendingPathComponent(".publishing-\(GenerationStore.fileName(number))")
            _ = FileManager.default.createFile(atPath: marker, contents: Data("\(getpid())".utf8))
            if link(temporaryPath, published) == 0 { break }
            let code = errno
            unlink(marker)
            guard code == EEXIST else {
                throw .writeFailed(directory: directory, reason: "cannot publish \(published): \(String(cString: strerror(code)))")
            }
            number += 1
        }
        unlink(temporaryPath)
        let generation = Generation(number: number, path: published)
        do {
            try beforePointing()
            try makeCurrent(generation)
        } catch {
            unlink(published)
            unlink(marker)
            throw error
        }
        unlink(marker)
        prune(keep: keep, current: number)
        return generation
    }

    /// Points `CURRENT` at `generation`: written aside, synced, renamed over the old pointer, folder synced.
    /// Running servers follow within their watch interval (or at once on SIGHUP).
    public func makeCurrent(_ generation: Generation) throws(StoreError) {
        let pointerTemp = currentPointer + ".\(getpid()).tmp"
        do {
            try (generation.fileName + "\n").write(toFile: pointerTemp, atomically: false, encoding: .utf8)
        } catch {
            throw .writeFailed(directory: directory, reason: "cannot write \(pointerTemp): \((error as NSError).localizedDescription)")
        }
        try fsync(path: pointerTemp)
        guard rename(pointerTemp, currentPointer) == 0 else {
            throw .writeFailed(directory: directory, reason: "cannot replace \(currentPointer): \(String(cString: strerror(errno)))")
        }
        try fsync(path: directory)
    }

    /// Keeps the current generation and the newest `keep - 1` others that verify (`Generation.verify`);
    /// removes the rest — a generation that fails verification never counts as a kept one — except one
    /// that a running server still serves (`recordServing`), or one that cannot be read at all now.
    func prune(keep: Int, current: Int) {
        let all = list()
        guard all.count > keep else { return }
        let inUse = servedGenerations()
        var kept = 1
        for generation in all.reversed() where generation.number != current {
            if kept < keep {
                do throws(StoreError) {
                    _ = try generation.verify()
                    kept += 1
                    continue
                } catch .corrupt {
                    // Removed below: it can never be served again.
                } catch {
                    continue   // Unreadable now (descriptors, permissions): nothing is known; leave it.
                }
            }
            if !inUse.contains(generation.fileName) { try? FileManager.default.removeItem(atPath: generation.path) }
        }
    }

    // MARK: - Generations in use

    /// `.serving/<pid>` names the generation this process serves, so that pruning never removes it.
    public func recordServing(_ generation: Generation) {
        let folder = (directory as NSString).appendingPathComponent(".serving")
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = (folder as NSString).appendingPathComponent(String(getpid()))
        try? (generation.fileName + "\n").write(toFile: file, atomically: true, encoding: .utf8)
    }

    /// Removes this process's `.serving` entry (a server stopping).
    public func forgetServing() {
        let file = ((directory as NSString).appendingPathComponent(".serving") as NSString).appendingPathComponent(String(getpid()))
        try? FileManager.default.removeItem(atPath: file)
    }

    /// File names of the generations that live servers use; files of dead servers are removed.
    public func servedGenerations() -> Set<String> {
        let folder = (directory as NSString).appendingPathComponent(".serving")
        var names = Set<String>()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
            let file = (folder as NSString).appendingPathComponent(entry)
            guard let pid = Int32(entry), kill(pid, 0) == 0 || errno == EPERM else {
                try? FileManager.default.removeItem(atPath: file)
                continue
            }
            if let name = try? String(contentsOfFile: file, encoding: .utf8) {
                names.insert(name.trimmingCharacters(in: .whitespacesAndNewlines))
            }
        }
        return names
    }

    private func fsync(path: String) throws(StoreError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .writeFailed(directory: directory, reason: "cannot open \(path) to sync it: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        guard Foundation.fsync(fd) == 0 else {
            throw .writeFailed(directory: directory, reason: "cannot sync \(path): \(String(cString: strerror(errno)))")
        }
    }
}
