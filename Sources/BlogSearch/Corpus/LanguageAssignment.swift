/// The last step of reading a corpus: each post's language as a normalized tag (`LanguageTag`), and one
/// where no source names one — the corpus default, else one detected from the title and body
/// (`LanguageDetector`). A code that is unknown or malformed is no language (the post is indexed with the
/// default analysis) and is named once in the report, with how many posts carry it, never failing a post.
struct LanguageAssignment {
    var defaultLang: String?
    var detects: Bool

    func apply(to corpus: inout Corpus) {
        var bad: [String: (first: SourceLocation, count: Int, malformed: Bool)] = [:]
        var order: [String] = []
        var undecided: [Int] = []
        for index in corpus.posts.indices {
            let raw = corpus.posts[index].lang
            corpus.posts[index].lang = nil
            corpus.posts[index].langSource = raw == nil ? nil : corpus.posts[index].langSource
            switch raw.flatMap(LanguageTag.parse) {
            case .known(let tag)?:
                corpus.posts[index].lang = tag
                continue
            case .unknown(let code)?, .malformed(let code)?:
                corpus.posts[index].langSource = nil
                if bad[code] == nil { order.append(code) }
                let malformed: Bool
                if case .malformed? = raw.flatMap(LanguageTag.parse) { malformed = true } else { malformed = false }
                bad[code, default: (corpus.posts[index].source, 0, malformed)].count += 1
                continue
            case nil:
                corpus.posts[index].langSource = nil
            }
            if let defaultLang {
                corpus.posts[index].lang = defaultLang
                corpus.posts[index].langSource = .corpusDefault
            } else if detects {
                undecided.append(index)
            }
        }
        let posts = corpus.posts, pending = undecided
        let detected = Parallel.map(count: undecided.count) { range in
            range.map { i in LanguageDetector.detect(posts[pending[i]].title + "\n" + posts[pending[i]].body) }
        }
        for (i, lang) in zip(undecided, detected) where lang != nil {
            corpus.posts[i].lang = lang
            corpus.posts[i].langSource = .detected
        }
        for code in order {
            let (first, count, malformed) = bad[code]!
            let what = malformed ? "is not a language code" : "is not a known language code"
            let others = count > 1 ? " (and \(count - 1) more post(s))" : ""
            corpus.problems.append(CorpusProblem(first, .warning,
                                                 "language '\(code)' \(what)\(others); indexed without a language (the default analysis)"))
        }
    }
}

extension Corpus {
    /// Posts per language, most first (ties by tag; no language last), for the index report.
    public var languages: [(lang: String?, posts: Int)] {
        Dictionary(grouping: posts, by: \.lang).map { (lang: $0.key, posts: $0.value.count) }
            .sorted { ($1.posts, $0.lang ?? "\u{10FFFF}") < ($0.posts, $1.lang ?? "\u{10FFFF}") }
    }

    /// Posts per source of their language (`LanguageSource`; nil: none), in the sources' order.
    public var languageSources: [(source: LanguageSource?, posts: Int)] {
        let counts = Dictionary(grouping: posts, by: \.langSource).mapValues(\.count)
        return (LanguageSource.allCases.map(Optional.some) + [nil]).compactMap { source in counts[source].map { (source, $0) } }
    }
}
