/// Build parameters set by name, for benchmarks that compare settings (`blogsearch index --tune k=v,…`).
public struct IndexTuning: Sendable {
    private var values: [String: Double] = [:]
    public var allowShrink = false
    public var maxShrink = IndexBuilder.maxShrinkDefault
    public var incremental = true

    public init() {}

    public static let keys: Set<String> = [
        "title", "taxonomy", "body", "comments", "tags", "categories", "recency", "min", "k", "queryTerms", "champions",
    ]

    /// - Returns: false for an unknown key.
    public mutating func set(_ key: String, _ value: Double) -> Bool {
        guard IndexTuning.keys.contains(key) else { return false }
        values[key] = value
        return true
    }

    public func apply(to builder: inout IndexBuilder) {
        builder.allowShrink = allowShrink
        builder.maxShrink = maxShrink
        builder.incremental = incremental
        for (key, value) in values {
            switch key {
            case "title": builder.vectorWeights.title = value
            case "taxonomy": builder.vectorWeights.taxonomy = value
            case "body": builder.vectorWeights.body = value
            case "comments": builder.vectorWeights.comments = value
            case "tags": builder.relatedWeights.tags = value
            case "categories": builder.relatedWeights.categories = value
            case "recency": builder.relatedWeights.recency = value
            case "min": builder.relatedWeights.minimumScore = value
            case "k": builder.relatedK = max(1, Int(value))
            case "queryTerms": builder.neighbourBounds.queryTerms = max(1, Int(value))
            case "champions": builder.neighbourBounds.champions = max(1, Int(value))
            default: break
            }
        }
    }
}
