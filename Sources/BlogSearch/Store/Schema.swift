/// The layout of one generation file. Bump `formatVersion` on any change that an older reader
/// would misread.
enum Schema {
    static let formatVersion = 6

    /// Columns of `post_text`, in order. Their weights live in `RankingWeights`.
    enum PostColumn: Int, CaseIterable {
        case title = 0, taxonomy, body, comments, facets

        var name: String {
            switch self {
            case .title: return "title"
            case .taxonomy: return "taxonomy"
            case .body: return "body"
            case .comments: return "comments"
            case .facets: return "facets"
            }
        }
    }

    /// The statements that create a generation. `tokenizer` is FTS5's `tokenize=` option: the analyzer's
    /// (`Analyzer.tokenizerSpec`), passed in by the builder, since the store sits below the analyzer.
    static func statements(tokenizer: String) -> [String] { [
        """
        CREATE TABLE manifest(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID
        """,
        // One row per post. `id` is the post's rowid in post_text; posts are numbered in date order
        // (undated first) so that a date range is a rowid range, which FTS5 filters without a scan.
        // Comments of a post have consecutive ids, first_comment ..< first_comment + comment_count.
        // `lang` is the post's normalized language tag (NULL: none); posts with the same `translation_key`
        // are versions of one post in other languages (since format 6).
        """
        CREATE TABLE posts(
            id INTEGER PRIMARY KEY,
            slug TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            url TEXT NOT NULL,
            date TEXT,
            author TEXT,
            categories TEXT NOT NULL,
            tags TEXT NOT NULL,
            source TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            first_comment INTEGER NOT NULL,
            comment_count INTEGER NOT NULL,
            lang TEXT,
            translation_key TEXT
        )
        """,
        "CREATE INDEX posts_url ON posts(url)",
        """
        CREATE TABLE comments(
            id INTEGER PRIMARY KEY,
            post_id INTEGER NOT NULL REFERENCES posts(id),
            comment_id TEXT NOT NULL,
            author TEXT,
            date TEXT,
            reply_to TEXT,
            body TEXT NOT NULL
        )
        """,
        // Searchable text of a post. `comments` holds all its comments, so that a hit in a comment rolls up to
        // the post; `facets` holds one token per category, tag and author (see Facet), weight 0 in ranking.
        """
        CREATE VIRTUAL TABLE post_text USING fts5(
            title, taxonomy, body, comments, facets,
            tokenize = '\(tokenizer)'
        )
        """,
        // The vector store: the vocabulary of the TF-IDF vectors (stems, as FTS5 indexes them, in UTF-8 byte
        // order, with document frequency, the surface form readers use most, and every surface form counted as
        // "count<TAB>form" lines), and one sparse vector per post: term ids as little-endian Int32, weights as
        // Float32, sorted by term id, L2-normalised, and the weighted term counts they came from (Float32), which
        // an incremental build reuses for unchanged posts.
        """
        CREATE TABLE terms(id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL, display TEXT NOT NULL,
                           surfaces TEXT NOT NULL)
        """,
        """
        CREATE TABLE vectors(post_id INTEGER PRIMARY KEY REFERENCES posts(id), term_ids BLOB NOT NULL, weights BLOB NOT NULL,
                             counts BLOB NOT NULL)
        """,
        // Each post's top K related posts, precomputed, so that serving the sidebar is a lookup.
        """
        CREATE TABLE related(
            post_id INTEGER NOT NULL,
            rank INTEGER NOT NULL,
            other_id INTEGER NOT NULL,
            score REAL NOT NULL,
            cosine REAL NOT NULL,
            shared_terms TEXT NOT NULL,
            PRIMARY KEY (post_id, rank)
        ) WITHOUT ROWID
        """,
    ] }

    /// blogsearch's own postings of the text columns' terms, for top-k search without scoring every match (the
    /// layout is in PostingsFormat.swift; term ids follow the terms' UTF-8 byte order). Written after the text
    /// index, from FTS5's statistics, under the names given (the builder writes `postings_next` and
    /// `positions_next` while an incremental build still reads the previous `postings`, then renames them).
    static func postingsTables(postings: String = "postings", positions: String = "positions") -> [String] { [
        """
        CREATE TABLE \(postings)(id INTEGER PRIMARY KEY, term TEXT NOT NULL UNIQUE, df INTEGER NOT NULL, blocks BLOB NOT NULL,
                              docs BLOB NOT NULL, freqs BLOB NOT NULL)
        """,
        "CREATE TABLE \(positions)(id INTEGER PRIMARY KEY, data BLOB NOT NULL)",
    ] }

    /// Tables written with the postings, dropped and written again by every build.
    static let postingsSideTables = [
        // Per post with comments: the token offset at which each comment starts in the comments column
        // (UInt32 little-endian each, in comment order), so that the comment a match is in is known without
        // tokenizing every comment.
        "DROP TABLE IF EXISTS comment_starts",
        "CREATE TABLE comment_starts(post_id INTEGER PRIMARY KEY REFERENCES posts(id), starts BLOB NOT NULL)",
        // Per post with a body of more than 32 tokens: the byte offset of its tokens 0, 32, 64, … (UInt32
        // little-endian each), so that a snippet tokenizes from the last mark before its window rather than
        // from the body's beginning (blogsearch_snippet's fourth argument).
        "DROP TABLE IF EXISTS snippet_marks",
        "CREATE TABLE snippet_marks(post_id INTEGER PRIMARY KEY REFERENCES posts(id), body BLOB NOT NULL)",
    ]

    /// The spelling vocabulary (`Spelling`): every lettered surface form of the vector store's terms, sorted,
    /// as three blobs of 32-bit integers (the words' Unicode scalars; where each word starts, one more than
    /// the words; each word's count). Written with the vectors, so that it is as exact as they are.
    static let spellingTable = [
        "DROP TABLE IF EXISTS spelling",
        "CREATE TABLE spelling(id INTEGER PRIMARY KEY CHECK (id = 1), chars BLOB NOT NULL, starts BLOB NOT NULL, counts BLOB NOT NULL)",
        // Per language of a blog of several (`Spelling.perLanguage`; "" is English and the default analysis).
        "DROP TABLE IF EXISTS spelling_languages",
        "CREATE TABLE spelling_languages(lang TEXT PRIMARY KEY, chars BLOB NOT NULL, starts BLOB NOT NULL, counts BLOB NOT NULL) WITHOUT ROWID",
    ]
}
