import Foundation

/// The text of a Ghost post's editor source, for posts exported without HTML: Lexical (Ghost 5) or
/// Mobiledoc (Ghost 1–4). Only what is public is returned when the source holds a paywall card: the text before it.
enum GhostSource {
    struct Text {
        var text: String
        /// Whether a paywall card cut the text (the rest is for members only).
        var paywalled: Bool
    }

    /// Lexical JSON: a tree of nodes; text nodes carry `text`, HTML and Markdown cards their source.
    static func lexical(_ json: String) -> Text {
        guard let root = (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["root"] as? [String: Any] else {
            return Text(text: "", paywalled: false)
        }
        var blocks: [String] = []
        for node in root["children"] as? [Any] ?? [] {
            guard let node = node as? [String: Any] else { continue }
            if node["type"] as? String == "paywall" { return Text(text: blocks.joined(separator: "\n\n"), paywalled: true) }
            let text = lexicalText(node).trimmedWhitespace
            if !text.isEmpty { blocks.append(text) }
        }
        return Text(text: blocks.joined(separator: "\n\n"), paywalled: false)
    }

    private static func lexicalText(_ node: [String: Any]) -> String {
        switch node["type"] as? String {
        case "html": return PlainText.fromHTML(node["html"] as? String ?? "")
        case "markdown": return PlainText.fromMarkdown(node["markdown"] as? String ?? "")
        case "linebreak": return "\n"
        default: break
        }
        if let text = node["text"] as? String { return text }
        let children = (node["children"] as? [Any] ?? []).compactMap { $0 as? [String: Any] }
        let block = ["listitem", "paragraph", "heading", "quote"]
        return children.map { lexicalText($0) + (block.contains($0["type"] as? String ?? "") ? "\n" : "") }.joined()
    }

    /// Mobiledoc JSON: sections of markers (text) and cards (`markdown`, `html`, `paywall`).
    static func mobiledoc(_ json: String) -> Text {
        guard let doc = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else {
            return Text(text: "", paywalled: false)
        }
        let cards = (doc["cards"] as? [Any] ?? []).compactMap { $0 as? [Any] }
        var blocks: [String] = []
        for section in (doc["sections"] as? [Any] ?? []).compactMap({ $0 as? [Any] }) {
            switch (section.first as? NSNumber)?.intValue {
            case 1:   // markup section: [1, tag, markers]
                blocks.append(markers(section.count > 2 ? section[2] : nil))
            case 3:   // list: [3, tag, [markers…]]
                blocks += (section.count > 2 ? section[2] as? [Any] ?? [] : []).map { markers($0) }
            case 10:  // card: [10, index]
                guard let index = (section.count > 1 ? section[1] as? NSNumber : nil)?.intValue, cards.indices.contains(index) else { continue }
                let card = cards[index]
                let name = card.first as? String ?? ""
                let payload = card.count > 1 ? card[1] as? [String: Any] ?? [:] : [:]
                if name == "paywall" { return Text(text: join(blocks), paywalled: true) }
                if name == "markdown" || name == "card-markdown" { blocks.append(PlainText.fromMarkdown(payload["markdown"] as? String ?? "")) }
                if name == "html" { blocks.append(PlainText.fromHTML(payload["html"] as? String ?? "")) }
            default: continue
            }
        }
        return Text(text: join(blocks), paywalled: false)
    }

    private static func markers(_ value: Any?) -> String {
        (value as? [Any] ?? []).compactMap { marker -> String? in
            guard let m = marker as? [Any], m.count > 3, (m[0] as? NSNumber)?.intValue == 0 else { return nil }
            return m[3] as? String
        }.joined()
    }

    private static func join(_ blocks: [String]) -> String {
        blocks.map(\.trimmedWhitespace).filter { !$0.isEmpty }.joined(separator: "\n\n")
    }
}
