import Foundation

/// Reads one Staticman comment file, `comments/<post-slug>/<id>.yml`:
/// `_id` (default: the file name), `name`, `date` (ISO text or a Unix timestamp), `message` (required),
/// `replying_to` (the id of the comment answered; also `parent` / `reply_to`).
enum StaticmanCommentReader {
    static func read(_ text: String, path: String, fileName: String) -> Result<Comment, CorpusProblem> {
        let fields: YAMLFields
        switch YAMLFields.parse(text, path: path, firstLine: 1) {
        case .success(let f): fields = f
        case .failure(let problem): return .failure(problem)
        }
        guard let message = fields.string("message") ?? fields.string("body") ?? fields.string("comment") else {
            return .failure(CorpusProblem(SourceLocation(path: path), .skipped, "no `message` in the comment"))
        }
        let id = fields.string("_id") ?? fields.string("id") ?? fileName
        var date: String? = nil
        if let raw = fields.string("date") {
            if let parsed = DateText.parse(raw) {
                date = parsed.dateTime
            } else if let seconds = Double(raw), seconds > 0 {
                date = unixDate(seconds)
            } else {
                return .failure(CorpusProblem(SourceLocation(path: path), .skipped, "date '\(raw)' is not a date"))
            }
        }
        let replyTo = fields.string("replying_to") ?? fields.string("reply_to") ?? fields.string("parent")
        return .success(Comment(id: id, author: fields.string("name") ?? fields.string("author"), date: date,
                                body: PlainText.fromHTML(message), replyTo: replyTo))
    }

    private static func unixDate(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}
