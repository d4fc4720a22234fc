import Foundation

/// Dates as blogs write them, normalised to ISO 8601 text without inventing a time zone.
///
/// Understood: `2025-02-17`, `2025/02/17`, `2025-02-17T21:42:00Z` (and with offsets, or a space instead of `T`),
/// `17 February 2025`, `February 17, 2025`, `Feb 17, 2025`, and `March 7, 2025 at 8:35 PM`.
public enum DateText {
    public struct Parsed: Sendable, Hashable {
        /// `YYYY-MM-DD`
        public var day: String
        /// `YYYY-MM-DDTHH:MM:SS` when the text has a time of day, else the day alone.
        public var dateTime: String
    }

    /// Days since 1970-01-01 of a date that starts `YYYY-MM-DD` (the proleptic Gregorian calendar), or nil.
    static func dayNumber(_ text: String) -> Int? {
        let bytes = Array(text.utf8.prefix(10))
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for b in bytes[range] {
                guard b >= 0x30, b <= 0x39 else { return nil }
                value = value * 10 + Int(b - 0x30)
            }
            return value
        }
        guard let y0 = number(0..<4), let m = number(5..<7), let d = number(8..<10), (1...12).contains(m), (1...31).contains(d) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public static func parse(_ raw: String) -> Parsed? {
        let text = raw.trimmedWhitespace
        return parseISO(text) ?? parseWritten(text)
    }

    /// True for text that is exactly a written date (as scraped pages put under each comment).
    public static func isDateLine(_ line: String) -> Bool {
        let text = line.trimmingCharacters(in: .whitespaces)
        return text.count <= 40 && parse(text) != nil
    }

    private static func make(_ y: Int, _ m: Int, _ d: Int, _ time: (Int, Int, Int)?) -> Parsed? {
        guard (1...9999).contains(y), (1...12).contains(m), (1...daysIn(month: m, year: y)).contains(d) else { return nil }
        let day = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
        guard let (h, mi, s) = time else { return Parsed(day: day, dateTime: day) }
        guard (0...23).contains(h), (0...59).contains(mi), (0...60).contains(s) else { return nil }
        return Parsed(day: day, dateTime: "\(day)T\(pad(h, 2)):\(pad(mi, 2)):\(pad(s, 2))")
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    // MARK: - ISO 8601

    private static func parseISO(_ text: String) -> Parsed? {
        let chars = Array(text.utf8)
        func num(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= chars.count else { return nil }
            var v = 0
            for c in chars[from..<(from + count)] {
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int(c - 48)
            }
            return v
        }
        guard chars.count >= 10, let y = num(0, 4), chars[4] == UInt8(ascii: "-") || chars[4] == UInt8(ascii: "/"),
              let m = num(5, 2), chars[7] == chars[4], let d = num(8, 2) else { return nil }
        if chars.count == 10 { return make(y, m, d, nil) }
        // 2024/12/05 (react.dev's front matter, Jekyll-style paths) is a day; a time of day comes only with dashes.
        guard chars[4] == UInt8(ascii: "-") else { return nil }
        guard chars[10] == UInt8(ascii: "T") || chars[10] == UInt8(ascii: " "),
              let h = num(11, 2), chars.count > 13, chars[13] == UInt8(ascii: ":"), let mi = num(14, 2) else { return nil }
        var s = 0
        var rest = 16
        if chars.count > 16, chars[16] == UInt8(ascii: ":") {
            guard let sec = num(17, 2) else { return nil }
            s = sec
            rest = 19
        }
        // Fractions of a second and a zone (Z, ±HH:MM, ±HHMM, " +0000") are accepted and not kept.
        func zoneByte(_ c: UInt8) -> Bool {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: ":"), UInt8(ascii: "+"), UInt8(ascii: "-"),
                 UInt8(ascii: "Z"), UInt8(ascii: " "), UInt8(ascii: "\t"): return true
            default: return false
            }
        }
        guard chars[rest...].allSatisfy(zoneByte) else { return nil }
        return make(y, m, d, (h, mi, s))
    }

    // MARK: - Written dates

    private static let months: [String: Int] = [
        "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
        "september": 9, "october": 10, "november": 11, "december": 12,
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9, "oct": 10,
        "nov": 11, "dec": 12,
    ]

    private static func parseWritten(_ text: String) -> Parsed? {
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        guard words.count >= 3 else { return nil }
        var y: Int?, m: Int?, d: Int?
        if let day = Int(words[0]), let month = months[words[1].replacingOccurrences(of: ".", with: "")] {
            (d, m, y) = (day, month, Int(words[2]))   // 17 February 2025
        } else if let month = months[words[0].replacingOccurrences(of: ".", with: "")], let day = Int(words[1]) {
            (m, d, y) = (month, day, Int(words[2]))   // February 17, 2025
        }
        guard let year = y, let month = m, let day = d else { return nil }
        var rest = Array(words.dropFirst(3))
        if rest.isEmpty { return make(year, month, day, nil) }
        if rest.first == "at" { rest.removeFirst() }
        // "8:35 PM", "8:35pm", "20:35"
        guard let clock = rest.first else { return nil }
        var meridiem = rest.count > 1 ? rest[1] : ""
        var hm = clock
        for suffix in ["am", "pm"] where hm.hasSuffix(suffix) {
            meridiem = suffix
            hm = String(hm.dropLast(2))
        }
        guard rest.count <= 2 else { return nil }
        let parts = hm.split(separator: ":")
        guard parts.count == 2, var h = Int(parts[0]), let mi = Int(parts[1]) else { return nil }
        switch meridiem {
        case "pm": if h < 12 { h += 12 }
        case "am": if h == 12 { h = 0 }
        case "": break
        default: return nil
        }
        return make(year, month, day, (h, mi, 0))
    }
}
