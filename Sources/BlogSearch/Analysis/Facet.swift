/// Categories, tags, authors and languages are filtered inside FTS5: each value becomes one token in the `facets`
/// column, so a filter is one more `AND` term of the MATCH expression rather than a join after it.
///
/// A token is `zz` + kind letter + the FNV-1a 64-bit hash of the lower-cased value in decimal, e.g.
/// `zzc1469598103934665603`: only letters and digits (one token for `unicode61`), digits at the end
/// (nothing for `porter` to stem), and not a word anyone searches for.
enum Facet: Character {
    case category = "c"
    case tag = "t"
    case author = "a"
    case language = "l"

    func token(_ value: String) -> String {
        "zz\(rawValue)\(FNV1a.hash(value.lowercased()))"
    }

    /// The tokens of a post's (or a filter's) categories, tags, author and language, in that order.
    static func tokens(categories: [String], tags: [String], author: String?, language: String? = nil) -> [String] {
        categories.map { Facet.category.token($0) } + tags.map { Facet.tag.token($0) } + (author.map { [Facet.author.token($0)] } ?? [])
            + (language.map { [Facet.language.token($0)] } ?? [])
    }

    /// An SQLite GLOB pattern that matches every facet token and no word of the text (for vocabulary counts).
    static let tokenGlob = "zz[" + [Facet.category, .tag, .author, .language].map { String($0.rawValue) }.joined() + "][0-9]*"
}
