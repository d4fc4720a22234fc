import BlogSearch
import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// Hostile values in every parameter of every route: the server never crashes and never answers 500, and a
/// bad number or flag is a 400 `invalid_parameter` that names the parameter.
@Suite("Parameter fuzzing")
struct ParameterFuzzTests {
    /// How a parameter is checked: a number in a range, a flag, or free text.
    enum Kind {
        case int(ClosedRange<Int>)
        case bool
        case text
        /// The route reads no parameters: whatever is sent, it answers 200.
        case ignored
    }

    struct Route {
        var path: String
        /// Parameters the route needs to reach the code that reads the others (e.g. `q` for the demo's pager).
        var base: [(String, String)]
        var params: [(String, Kind)]
    }

    static let routes: [Route] = [
        Route(path: "/search", base: [("q", "support")],
              params: [("q", .text), ("limit", .int(1...100)), ("offset", .int(0...10_000)), ("category", .text), ("tag", .text),
                       ("author", .text), ("since", .text), ("until", .text), ("correct", .bool), ("sort", .text),
                       ("recency", .text), ("prefix", .text)]),
        Route(path: "/suggest", base: [("q", "supp")], params: [("q", .text), ("limit", .int(1...20))]),
        Route(path: "/posts/sla-basics/related", base: [],
              params: [("limit", .int(1...100)), ("exclude", .text), ("sameCategory", .bool), ("olderOnly", .bool)]),
        Route(path: "/related", base: [("url", "/posts/sla-basics/")],
              params: [("url", .text), ("text", .text), ("limit", .int(1...100)), ("exclude", .text), ("sameCategory", .bool),
                       ("olderOnly", .bool)]),
        Route(path: "/widget/related/sla-basics", base: [], params: [("limit", .int(1...100)), ("because", .bool), ("title", .text)]),
        Route(path: "/", base: [("q", "support")], params: [("q", .text), ("offset", .int(0...10_000)), ("category", .text)]),
        Route(path: "/posts/sla-basics", base: [], params: [("x", .ignored)]),
        Route(path: "/healthz", base: [], params: [("x", .ignored)]),
        Route(path: "/metrics", base: [], params: [("x", .ignored)]),
        Route(path: "/widget.js", base: [], params: [("x", .ignored)]),
        Route(path: "/assets/demo.css", base: [], params: [("x", .ignored)]),
    ]

    /// Raw values (as they appear in the URL) and the whole number each one decodes to, if any.
    static let values: [(raw: String, number: Int?)] = [
        ("9223372036854775807", Int.max), ("-9223372036854775808", Int.min), ("9223372036854775808", nil),
        ("-9223372036854775809", nil), ("99999999999999999999999999", nil), ("-1", -1), ("0", 0), ("1", 1), ("100", 100),
        ("101", 101), ("10000", 10_000), ("10001", 10_001), ("4611686018427387904", 1 << 62), ("%2B7", 7), ("+7", nil),
        ("", nil), ("abc", nil), ("1e3", nil), ("0x10", nil), ("1.5", nil), ("%", nil), ("%zz", nil), ("%00", nil),
        ("%FF%FE", nil), ("%C3%28", nil), ("a%", nil), ("%E2%80%AE", nil), ("true", nil), ("yes", nil), ("%20", nil),
        ("%0A1", nil), (String(repeating: "9", count: 5_000), nil), (String(repeating: "%C3%A9", count: 2_500), nil),
        (String(repeating: "9", count: 9_000), nil),
    ]

    static let flags: Set<String> = ["", "1", "true", "yes", "on", "0", "false", "no", "off"]

    static func uri(_ path: String, _ pairs: [(String, String)]) -> String {
        pairs.isEmpty ? path : path + "?" + pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    @Test("every parameter of every route, with extreme, negative, non-numeric, empty, garbled and repeated values")
    func fuzz() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        #expect(Self.routes.reduce(0) { $0 + $1.params.count } * Self.values.count * 3 > 1_000)
        try await withDeadline(seconds: Deadline.hang) {
            try await Fixtures.app(holder).test(.router) { client in
                for route in Self.routes {
                    for (name, kind) in route.params {
                        for value in Self.values {
                            let base = route.base.filter { $0.0 != name }
                            // Alone, then repeated after a good value and before one: the first one counts.
                            for (pairs, names) in [(base + [(name, value.raw)], [name]), (base + [(name, value.raw), (name, "5")], [name]),
                                                   (base + [(name, value.raw), ("junk", value.raw)], [name, "junk"])] {
                                try await client.execute(uri: Self.uri(route.path, pairs), method: .get) { response in
                                    Self.check(response, route: route.path, names: names, kind: kind, value: value)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// `names`: the fuzzed parameter first, then others that may be named as the culprit (an equally bad one).
    static func check(_ response: TestResponse, route: String, names: [String], kind: Kind, value: (raw: String, number: Int?)) {
        let context = "\(route) \(names[0])=\(value.raw.prefix(30))"
        #expect(response.status.code < 500, "\(context): \(response.status)")
        if response.status == .badRequest {
            #expect(response.errorCode == "invalid_parameter", "\(context)")
        }
        // The transport bound of one value (`Params.maxValueBytes`); the engine cuts a long query itself.
        let tooLong = (value.raw.removingPercentEncoding ?? value.raw).utf8.count > 8_192
        let invalid: Bool
        switch kind {
        case .int(let range): invalid = tooLong || !(value.number.map(range.contains) ?? false)
        case .bool: invalid = tooLong || !flags.contains(value.raw.removingPercentEncoding?.lowercased() ?? value.raw)
        case .text: invalid = tooLong
        case .ignored:
            #expect(response.status == .ok, "\(context): \(response.status)")
            return
        }
        if invalid {
            #expect(response.status == .badRequest, "\(context): \(response.status)")
            let message = ((try? response.json())?["error"] as? [String: Any])?["message"] as? String ?? ""
            #expect(names.contains { message.hasPrefix("invalid \($0):") }, "\(context): \(message)")
        } else if case .int = kind {
            #expect(response.status != .badRequest, "\(context): a valid number was refused")
        }
    }

    @Test("garbled and oversized path segments are 404 or 400, never 500")
    func paths() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        let slugs = ["%", "%zz", "%00", "..", "%2E%2E", "%2F", "caf%C3%A9", "%C3%28", String(repeating: "a", count: 600),
                     String(repeating: "%C3%A9", count: 300), "a%20b", "-1", "9223372036854775807"]
        try await withDeadline(seconds: Deadline.hang) {
            try await Fixtures.app(holder).test(.router) { client in
                for slug in slugs {
                    for path in ["/posts/\(slug)", "/posts/\(slug)/related", "/widget/related/\(slug)"] {
                        try await client.execute(uri: path, method: .get) { response in
                            #expect([.notFound, .badRequest].contains(response.status), "\(path.prefix(60)): \(response.status)")
                        }
                    }
                }
            }
        }
    }
}
