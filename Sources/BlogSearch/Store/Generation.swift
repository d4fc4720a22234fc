import Foundation

/// One published index file.
public struct Generation: Sendable, Hashable {
    public var number: Int
    public var path: String

    public init(number: Int, path: String) {
        self.number = number
        self.path = path
    }
    public var fileName: String { (path as NSString).lastPathComponent }
}
