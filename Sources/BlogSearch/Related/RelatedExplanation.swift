/// How a related post is explained to readers.
enum RelatedExplanation {
    /// Shared terms listed per related post: the ones contributing most to the cosine.
    static let sharedTermCount = 5

    /// The shared terms to show, in the reader's words: largest contribution first, without fragments
    /// shorter than 3 letters (the `de` of *de-escalate*) or bare numbers, which explain nothing.
    static func terms(_ shared: [(id: Int32, contribution: Float)], display: (Int32) -> String?) -> [String] {
        var result: [String] = []
        for (id, _) in shared {
            guard let word = display(id), word.count >= 3, !word.allSatisfy(\.isNumber) else { continue }
            result.append(word)
            if result.count == sharedTermCount { break }
        }
        return result
    }
}
