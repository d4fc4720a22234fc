import Foundation
import Hummingbird

/// Query-string parameters, decoded as browsers send them (`application/x-www-form-urlencoded`: `+` is a
/// space, `%2B` a plus), with errors that name the parameter. Sizes are checked in bytes before anything is
/// parsed, and every number is bounded here, before any arithmetic is done with it.
struct Params {
    /// The longest query string accepted, in bytes (as sent, percent-encoded).
    static let maxQueryStringBytes = 16_384
    /// The longest value of one parameter, in UTF-8 bytes once decoded (`q`, `text`, `url`, …): a transport
    /// bound. A longer query than the engine uses is cut by the engine with a notice, not refused here.
    static let maxValueBytes = 8_192
    /// The longest slug accepted in a path, in UTF-8 bytes once decoded; longer ones are not looked up.
    static let maxSlugBytes = 512

    let values: [(name: String, value: String)]

    /// - Throws: `APIError.invalidParameter` when the query string or one value is over its byte limit.
    init(_ request: Request) throws {
        let query = request.uri.query ?? ""
        guard query.utf8.count <= Params.maxQueryStringBytes else {
            // Named after its largest parameter, the likely culprit.
            let largest = query.split(separator: "&").max { $0.utf8.count < $1.utf8.count } ?? ""
            let name = Params.decode(String(largest.prefix { $0 != "=" }.prefix(40))).first?.name ?? ""
            throw APIError(.invalidParameter, "invalid \(name): the query string has \(query.utf8.count) bytes, \(largest.utf8.count) "
                           + "of them in \(name); the most is \(Params.maxQueryStringBytes)")
        }
        values = Params.decode(query)
        if let long = values.first(where: { $0.value.utf8.count > Params.maxValueBytes }) {
            throw APIError(.invalidParameter, "invalid \(long.name.prefix(40)): it has \(long.value.utf8.count) bytes; the most is \(Params.maxValueBytes)")
        }
    }

    static func decode(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func component(_ text: Substring) -> String {
                let spaced = text.replacingOccurrences(of: "+", with: " ")
                return spaced.removingPercentEncoding ?? spaced
            }
            return (component(parts[0]), parts.count > 1 ? component(parts[1]) : "")
        }
    }

    /// The `slug` path parameter, percent-decoded (`caf%C3%A9` is `café`).
    /// - Throws: `APIError.postNotFound` at once for a slug over `maxSlugBytes`: no post has one that long.
    static func slug(_ context: some RequestContext) throws -> String {
        let raw = try context.parameters.require("slug")
        let slug = raw.removingPercentEncoding ?? raw
        guard slug.utf8.count <= Params.maxSlugBytes else {
            throw APIError(.postNotFound, "no post has a slug of \(slug.utf8.count) bytes; the most is \(Params.maxSlugBytes)")
        }
        return slug
    }

    func string(_ name: String) -> String? {
        values.first { $0.name == name }?.value
    }

    func strings(_ name: String) -> [String] {
        values.filter { $0.name == name && !$0.value.isEmpty }.map(\.value)
    }

    /// A whole number in `range`; absent gives `default`.
    /// - Throws: `APIError.invalidParameter` naming the parameter when it is not a number or out of range.
    func int(_ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return value }
        guard let number = Int(text) else {
            throw APIError(.invalidParameter, "invalid \(name): '\(text.prefix(40))' is not a whole number")
        }
        guard range.contains(number) else {
            throw APIError(.invalidParameter, "invalid \(name): \(number) is not between \(range.lowerBound) and \(range.upperBound)")
        }
        return number
    }

    /// `true`/`false`, `1`/`0`, `yes`/`no`; a bare `?name` is true; absent gives `default`.
    func bool(_ name: String, default value: Bool = false) throws -> Bool {
        guard let text = string(name) else { return value }
        switch text.lowercased() {
        case "", "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw APIError(.invalidParameter, "invalid \(name): '\(text.prefix(40))' is not true or false")
        }
    }
}
