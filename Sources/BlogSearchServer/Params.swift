import Hummingbird

/// Query-string parameters, with errors that name the parameter.
struct Params {
    let values: Parameters

    init(_ request: Request) {
        values = request.uri.queryParameters
    }

    func string(_ name: String) -> String? {
        values[Substring(name)].map(String.init)
    }

    func strings(_ name: String) -> [String] {
        values[values: Substring(name)].map(String.init).filter { !$0.isEmpty }
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
