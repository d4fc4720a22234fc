import Foundation

/// Filesystem errors in the system's own words ("Permission denied", "symlink loop"), never as
/// "NSCocoaErrorDomain error 256": Foundation wraps the errno it met, and that is what a reader needs.
enum FileErrorText {
    /// Why reading `path` failed with `error`.
    static func reason(_ error: Error, path: String) -> String {
        if let code = errno(in: error as NSError) ?? errnoOpening(path) { return reason(errno: code) }
        return (error as NSError).localizedDescription
    }

    static func reason(errno code: Int32) -> String {
        let text = String(cString: strerror(code))
        return code == ELOOP ? "symlink loop (\(text))" : text
    }

    /// The POSIX error Foundation keeps as the error itself or as its underlying error.
    private static func errno(in error: NSError) -> Int32? {
        var current: NSError? = error
        while let e = current {
            if e.domain == NSPOSIXErrorDomain { return Int32(truncatingIfNeeded: e.code) }
            current = e.userInfo[NSUnderlyingErrorKey] as? NSError
        }
        return nil
    }

    /// The errno of opening `path` again, when Foundation kept none.
    private static func errnoOpening(_ path: String) -> Int32? {
        let fd = open(path, O_RDONLY)
        guard fd < 0 else {
            close(fd)
            return nil
        }
        return Foundation.errno
    }
}
