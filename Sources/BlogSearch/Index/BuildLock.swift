import Foundation

/// One index build at a time per `indexes/` folder: an exclusive `flock` on `indexes/.lock`, which the kernel
/// releases when the holder exits, however it exits. The file names the holder (pid, start time, host) for
/// the message a second build prints; a name left by a process that is gone is taken over with a warning.
public final class BuildLock: Sendable {
    private let fd: Int32
    public let path: String
    /// Set when the lock file named a holder that is no longer running.
    public let tookOverFrom: String?

    /// - Throws: `IndexError.locked` naming the holder when another build has the lock.
    public init(directory: String) throws(IndexError) {
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .buildFailed(directory: directory, reason: "cannot create the folder: \((error as NSError).localizedDescription)")
        }
        path = (directory as NSString).appendingPathComponent(".lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw .buildFailed(directory: directory, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        let previous = BuildLock.read(fd)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .locked(path: path, holder: previous.isEmpty ? "another process" : previous)
        }
        self.fd = fd
        tookOverFrom = previous.isEmpty ? nil : previous
        let me = "pid \(getpid()) on \(ProcessInfo.processInfo.hostName), started \(ISO8601DateFormatter().string(from: Date()))"
        _ = ftruncate(fd, 0)
        _ = pwrite(fd, me, me.utf8.count, 0)
    }

    deinit {
        _ = ftruncate(fd, 0)   // a clean exit leaves no holder's name behind
        flock(fd, LOCK_UN)
        close(fd)
    }

    private static func read(_ fd: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        guard n > 0 else { return "" }
        return String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
