import Foundation

/// Small JSON arrays of strings, as stored in the `posts` table.
/// JSON text written by hand: a build encodes one list per related pair, where Foundation's JSONEncoder
/// dominated; the server's error bodies use `quote` too.
public enum JSONText {
    /// A JSON string literal. `<` is escaped as well, so the text is safe inside an HTML `<script>`.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "<": out += "\\u003c"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    package static func encode(_ values: [String]) -> String {
        "[" + values.map(quote).joined(separator: ",") + "]"
    }

    /// A settings value as JSON with sorted keys (stable text, for the manifest). Settings are plain numbers
    /// and strings: encoding them cannot fail.
    package static func encodeSorted<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try! encoder.encode(value), as: UTF8.self)
    }

    /// `encodeSorted`'s text read back; nil when it is not `T`'s JSON.
    package static func decodeValue<T: Decodable>(_ text: String) -> T? {
        try? JSONDecoder().decode(T.self, from: Data(text.utf8))
    }

    package static func decode(_ text: String) -> [String] {
        (try? JSONDecoder().decode([String].self, from: Data(text.utf8))) ?? []
    }
}
