/// Categories and tags numbered once when a generation opens: counting them over the 40,000 matches of a
/// common word is then array increments, not string hashing.
struct FacetNumbers: Sendable {
    let categories: [String]
    let tags: [String]
    /// Per post: its category numbers, then its tag numbers offset by `categories.count`, all posts in one
    /// array: post id d's are `flat[starts[d - 1] ..< starts[d]]`.
    let flat: [Int32]
    let starts: [Int32]
    /// Per number: its value's place in the values' sorted order (categories, then tags), to break ties in
    /// counts without comparing strings.
    let rank: [Int32]
    /// The posts' languages, sorted, and per post (by id - 1) its language's number (-1: none).
    let languages: [String]
    let languageOf: [Int16]

    init(_ posts: [PostSummary]) {
        languages = Set(posts.compactMap(\.lang)).sorted()
        let languageNumbers = Dictionary(uniqueKeysWithValues: languages.enumerated().map { ($0.element, Int16($0.offset)) })
        languageOf = posts.map { $0.lang.flatMap { languageNumbers[$0] } ?? -1 }
        var categoryIDs: [String: Int32] = [:], tagIDs: [String: Int32] = [:]
        var categories: [String] = [], tags: [String] = []
        var numbered: [[Int32]] = []
        numbered.reserveCapacity(posts.count)
        for post in posts {
            var numbers: [Int32] = []
            for c in post.categories {
                if categoryIDs[c] == nil { categoryIDs[c] = Int32(categories.count); categories.append(c) }
                numbers.append(categoryIDs[c]!)
            }
            for t in post.tags {
                if tagIDs[t] == nil { tagIDs[t] = Int32(tags.count); tags.append(t) }
                numbers.append(-1 - tagIDs[t]!)
            }
            numbered.append(numbers)
        }
        self.categories = categories
        self.tags = tags
        // Tags are stored negative while numbering (their count is not known yet), then offset.
        let offset = Int32(categories.count)
        var flat: [Int32] = [], starts: [Int32] = [0]
        for numbers in numbered {
            flat += numbers.map { $0 >= 0 ? $0 : offset + (-1 - $0) }
            starts.append(Int32(flat.count))
        }
        self.flat = flat
        self.starts = starts
        var rank = [Int32](repeating: 0, count: categories.count + tags.count)
        for (place, i) in categories.indices.sorted(by: { categories[$0] < categories[$1] }).enumerated() { rank[i] = Int32(place) }
        for (place, i) in tags.indices.sorted(by: { tags[$0] < tags[$1] }).enumerated() { rank[categories.count + i] = Int32(place) }
        self.rank = rank
    }
}
