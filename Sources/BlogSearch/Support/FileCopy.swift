import CSQLiteExtras
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Copies a file inside the kernel (`copy_file_range`: no trip through user memory, and a reflink where the
/// file system has them), about twice as fast as `FileManager.copyItem` on a large generation. Falls back to
/// `FileManager` where the call is missing or refused.
enum FileCopy {
    static func copy(from source: String, to destination: String) throws {
        #if canImport(Glibc)
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return try FileManager.default.copyItem(atPath: source, toPath: destination) }
        defer { close(input) }
        var info = stat()
        guard fstat(input, &info) == 0 else { return try FileManager.default.copyItem(atPath: source, toPath: destination) }
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard output >= 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination, NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)])
        }
        var closed = false
        defer { if !closed { close(output) } }
        var left = Int(info.st_size)
        while left > 0 {
            let copied = Int(blogsearch_copy_file_range(input, output, Int64(min(left, 1 << 30))))
            if copied < 0, errno == EINTR { continue }
            if copied <= 0 {
                let code = errno
                // Not supported here (old kernel, other file systems): start over the portable way.
                if copied < 0, [ENOSYS, EXDEV, EINVAL, EOPNOTSUPP].contains(code), left == Int(info.st_size) {
                    close(output)
                    closed = true
                    try? FileManager.default.removeItem(atPath: destination)
                    return try FileManager.default.copyItem(atPath: source, toPath: destination)
                }
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: destination,
                                                               NSUnderlyingErrorKey: POSIXError(POSIXErrorCode(rawValue: copied < 0 ? code : EIO) ?? .EIO)])
            }
            left -= copied
        }
        #else
        try FileManager.default.copyItem(atPath: source, toPath: destination)
        #endif
    }
}
