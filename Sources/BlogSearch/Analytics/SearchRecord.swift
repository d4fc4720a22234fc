import Foundation

/// One reader search as the analytics file keeps it: when, what (normalised), how many posts answered, and the
/// corrected query when the answer is a correction's. Nothing that names a reader: no address, no cookie, no
/// user agent, no referrer.
public struct SearchRecord: Sendable, Hashable {
    /// The most characters of a query kept (the rest is cut): bounds a row, and so the file.
    public static let maxQueryLength = 200

    /// Seconds since 1970-01-01 UTC.
    public var time: Int64
    /// The query as typed, normalised (`normalise`).
    public var query: String
    /// Posts that matched (the response's `total`); 0 for a search that found nothing.
    public var hits: Int
    /// The corrected query (normalised) when the results answer it instead of the query as typed.
    public var correctedQuery: String?

    /// A record of a search; nil when the query normalises to nothing (an empty search is not a search).
    public init?(time: Int64, query: String, hits: Int, correctedQuery: String? = nil) {
        let normalised = SearchRecord.normalise(query)
        guard !normalised.isEmpty else { return nil }
        self.time = time
        self.query = normalised
        self.hits = hits
        self.correctedQuery = correctedQuery.map(SearchRecord.normalise).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The form queries are counted in: control characters become spaces, white space is trimmed and runs of it
    /// become one space, letters are lower-cased, and the text is cut to `maxQueryLength` characters.
    /// "  Customer\tSLA " and "customer sla" are one query.
    public static func normalise(_ query: String) -> String {
        let spaced = String(String.UnicodeScalarView(query.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        let text = spaced.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard text.count > maxQueryLength else { return text }
        return String(text.prefix(maxQueryLength)).trimmingCharacters(in: .whitespaces)
    }
}
