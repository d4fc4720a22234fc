import Foundation
import Hummingbird

/// Query-string parameters, decoded as browsers send them (`application/x-www-form-urlencoded`: `+` is a
/// space, `%2B` a plus), with errors that name the parameter.
struct Params {
    let values: [(name: String, value: String)]

    init(_ request: Request) {
        values = Params.decode(request.uri.query ?? "")
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

    func string(_ name: String) -> String? {
        values.first { $0.name == name }?.value
    }

    func strings(_ name: String) -> [String] {
        values.filter { $0.name == name && !$0.value.isEmpty }.map(\.value)
    }

    /// A whole number; absent gives `default`. The range is checked by the engine, which names it too.
    func int(_ name: String, default value: Int) throws -> Int {
        guard let text = string(name) else { return value }
        guard let number = Int(text) else {
            throw APIError(.invalidParameter, "invalid \(name): '\(text.prefix(40))' is not a whole number")
        }
        return number
    }

    /// `true`/`false`, `1`/`0`, `yes`/`no`; a bare `?name` is true.
    func bool(_ name: String) throws -> Bool {
        guard let text = string(name) else { return false }
        switch text.lowercased() {
        case "", "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw APIError(.invalidParameter, "invalid \(name): '\(text.prefix(40))' is not true or false")
        }
    }
}
