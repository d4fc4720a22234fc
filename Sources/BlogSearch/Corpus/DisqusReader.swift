/// Reads a Disqus comment export (the XML Disqus mails from Moderation → Export): `<thread>` elements name
/// pages by link and identifier, `<post>` elements are the comments. Every comment becomes a
/// `ThreadComment`, attached later to the post its thread's link (or identifier = slug) names, from any
/// other format. Deleted and spam comments are left out; a reply keeps its parent (a reply to a comment left
/// out stands alone). Commenters' e-mail and IP addresses are never read into the corpus. Comment ids are
/// `disqus-<id>`, so they never collide with comments of the same post from another source.
enum DisqusReader {
    static func read(path: String) -> ImportedFile {
        let state = State()
        let failure = XMLStream.read(path: path, open: state.open, close: state.close)
        var file = ImportedFile()
        let kept = Set(state.comments.map(\.id))
        for item in state.comments {
            let comment = Comment(id: "disqus-\(item.id)", author: item.author, date: item.date, body: item.body,
                                  replyTo: item.parent.flatMap { kept.contains($0) ? "disqus-\($0)" : nil })
            let thread = item.thread.flatMap { state.threads[$0] } ?? ThreadComment.Thread(url: nil, identifier: nil)
            file.threadComments.append(ThreadComment(thread: thread, comment: comment,
                                                     location: SourceLocation(path: path, line: item.line)))
        }
        if let failure {
            file.problems.append(failure.problem(path: path, kept: file.threadComments.count, noun: "comments"))
        }
        return file
    }

    private struct Item {
        var id: String
        var line: Int
        var author: String?
        var date: String?
        var body: String
        var thread: String?
        var parent: String?
    }

    private final class State {
        var threads: [String: ThreadComment.Thread] = [:]
        var comments: [Item] = []
        var fields: [String: String] = [:]
        var references: [String: String] = [:]

        func open(_ stack: [XMLStream.Element]) {
            guard stack.count == 2 else { return }
            fields = [:]
            references = [:]
        }

        func close(_ stack: [XMLStream.Element]) {
            let element = stack.last!
            switch stack.count {
            case 3:
                // A direct field of a thread or post; `<thread dsq:id>` / `<parent dsq:id>` inside a post.
                if let id = element.attributes["dsq:id"] { references[element.name] = id }
                fields[element.name] = element.text
            case 4 where stack[2].name == "author" && element.name == "name":
                fields["author.name"] = element.text
            case 2:
                let id = element.attributes["dsq:id"] ?? ""
                if element.name == "thread" {
                    let link = fields["link"]?.trimmedWhitespace ?? ""
                    let identifier = fields["id"]?.trimmedWhitespace ?? ""
                    threads[id] = ThreadComment.Thread(url: link.isEmpty ? nil : link, identifier: identifier.isEmpty ? nil : identifier)
                } else if element.name == "post" {
                    guard fields["isDeleted"]?.trimmedWhitespace != "true", fields["isSpam"]?.trimmedWhitespace != "true" else { return }
                    let author = PlainText.fromHTML(fields["author.name"] ?? "")
                    comments.append(Item(id: id, line: element.line, author: author.isEmpty ? nil : author,
                                         date: fields["createdAt"].flatMap(DateText.parse)?.dateTime,
                                         body: PlainText.fromHTML(fields["message"] ?? ""),
                                         thread: references["thread"], parent: references["parent"]))
                }
            default: break
            }
        }
    }
}
