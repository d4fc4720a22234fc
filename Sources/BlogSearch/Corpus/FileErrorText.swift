import Foundation

/// Filesystem errors in the system's own words ("Permission denied", "symlink loop"), never as
/// "NSCocoaErrorDomain error 256": Foundation on Linux keeps no errno in the errors it throws for a file
/// or folder that cannot be read, so the path is opened again to learn it.
enum FileErrorText {
    /// Why reading `path` failed with `error`.
    static func reason(_ error: Error, path: String) -> String {
        let fd = open(path, O_RDONLY)
        guard fd < 0 else {
            close(fd)
            return (error as NSError).localizedDescription   // it opens now: the failure came later, or was brief
        }
        let code = errno
        let text = String(cString: strerror(code))
        return code == ELOOP ? "symlink loop (\(text))" : text
    }
}
