#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's open-file limit (`RLIMIT_NOFILE`), which bounds how many connections the server can hold:
/// every connection is a descriptor, and so are the index files, the indexes folder and the log. Past the
/// limit `accept` and `open` fail with EMFILE ("too many open files").
public enum DescriptorLimit {
    /// Descriptors kept free of connections: SQLite files of two generations (during a swap), the listening
    /// socket, standard streams, the watcher's reads of the indexes folder.
    public static func reserve(readers: Int) -> Int { 64 + 8 * readers }

    /// Raises the soft limit to the hard one where the system allows it.
    /// - Returns: the soft limit in force afterwards (`Int.max` when unlimited: `RLIM_INFINITY` is the largest `rlim_t`).
    @discardableResult
    public static func raise() -> Int {
        var limit = rlimit()
        guard getrlimit(resourceKind, &limit) == 0 else { return fallback }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(resourceKind, &raised) == 0 { limit = raised }
        }
        return limit.rlim_cur > rlim_t(Int.max) ? Int.max : Int(limit.rlim_cur)
    }

    /// The most connections `limit` descriptors allow, keeping `reserve(readers:)` free.
    public static func maxConnections(limit: Int, readers: Int) -> Int {
        max(1, limit - reserve(readers: readers))
    }

    /// What to assume when the limit cannot be read: the usual default soft limit.
    private static let fallback = 1024

    #if canImport(Glibc)
    private static var resourceKind: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
    #else
    private static var resourceKind: Int32 { RLIMIT_NOFILE }
    #endif
}
