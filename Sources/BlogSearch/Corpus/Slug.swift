import Foundation

/// Post slugs: the key of every lookup, and part of default URLs.
public enum Slug {
    /// Letters, digits, `-`, `_` and `.`; not empty, not starting with `.`.
    public static func isValid(_ slug: String) -> Bool {
        !slug.isEmpty && !slug.hasPrefix(".") && slug.count <= 200
            && slug.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || "-_.".unicodeScalars.contains($0) }
    }

    /// `The Importance of Empathy!` → `the-importance-of-empathy`; diacritics dropped.
    public static func make(from title: String) -> String {
        let folded = title.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        var out = ""
        var dash = false
        for scalar in folded.unicodeScalars {
            if scalar.properties.isAlphabetic || scalar.properties.numericType != nil {
                if dash && !out.isEmpty { out.append("-") }
                out.unicodeScalars.append(scalar)
                dash = false
            } else {
                dash = true
            }
        }
        return String(out.prefix(80)).trimmingCharacters(in: CharacterSet(charactersIn: "-"))
    }

    /// Splits a Jekyll file name `2024-05-12-my-post` into its date and slug.
    static func splitJekyllName(_ name: String) -> (date: String, slug: String)? {
        guard name.count > 11 else { return nil }
        let prefix = String(name.prefix(10))
        let separator = name[name.index(name.startIndex, offsetBy: 10)]
        guard separator == "-", let parsed = DateText.parse(prefix), parsed.day == prefix else { return nil }
        return (prefix, String(name.dropFirst(11)))
    }
}
