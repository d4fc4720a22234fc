import Foundation

/// Dates as RSS and WordPress write them (RFC 822: `Tue, 05 Mar 2024 10:00:00 +0000`), turned to UTC so
/// that they read like the other formats' dates. `DateText` understands the rest.
enum FeedDate {
    static func parse(_ raw: String) -> DateText.Parsed? {
        let text = raw.trimmedWhitespace
        guard !text.isEmpty else { return nil }
        if let parsed = DateText.parse(text) { return parsed }
        for format in formats {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = format
            if let date = formatter.date(from: text) {
                formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
                return DateText.parse(formatter.string(from: date))
            }
        }
        return nil
    }

    private static let formats = [
        "EEE, d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm:ss Z", "EEE, d MMM yyyy HH:mm Z",
        "EEE, d MMM yyyy",
    ]
}
