import BlogSearch

extension HighlightedText {
    /// The text with each highlight in `[…]`: what a test compares, whatever the medium marks them with.
    public var bracketed: String {
        pieces.map { $0.highlighted ? "[\($0.text)]" : String($0.text) }.joined()
    }
}
