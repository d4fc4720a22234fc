import Foundation

extension String {
    /// The text without leading and trailing white space. Returns `self` untouched (no Foundation bridging,
    /// which costs a UTF-16 copy of the whole string) in the common case where neither end is white space.
    var trimmedWhitespace: String {
        guard let first = unicodeScalars.first, let last = unicodeScalars.last else { return self }
        if !first.properties.isWhitespace && !last.properties.isWhitespace { return self }
        return trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
