import Foundation

/// The JSON-LD of a page (`<script type="application/ld+json">`): its article objects (`BlogPosting`,
/// `Article`, `NewsArticle`… at the top, in an array, in `@graph`, or as a `WebPage`'s `mainEntity`), and
/// every object with an `@id`, so that `{"@id": "…#/schema/person/1"}` references (as Yoast writes them) resolve.
struct LinkedData {
    typealias Object = [String: Any]

    private(set) var articles: [Object] = []
    /// Whether some object says the page lists posts (`Blog`, `CollectionPage`, `ItemList`…).
    private(set) var listsPosts = false
    private(set) var byID: [String: Object] = [:]
    /// Scripts that are not JSON: where they start, why, and whether they seem to describe an article.
    private(set) var broken: [(offset: Int, reason: String, mentionsArticle: Bool)] = []

    private static let listTypes: Set<String> = ["blog", "collectionpage", "itemlist", "searchresultspage", "profilepage"]

    init(scripts: [(text: String, offset: Int)]) {
        for script in scripts {
            let root: Any
            do {
                root = try JSONSerialization.jsonObject(with: Data(script.text.utf8), options: [.fragmentsAllowed])
            } catch {
                let reason = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "not valid JSON"
                let text = script.text.lowercased()
                let mentions = SitePage.articleTypes.contains { text.contains("\"\($0)\"") }
                broken.append((script.offset, reason, mentions))
                continue
            }
            for object in Self.objects(root) { add(object, depth: 0) }
        }
    }

    private mutating func add(_ object: Object, depth: Int) {
        if let id = object["@id"] as? String, byID[id] == nil || object.count > 1 { byID[id] = object }
        let types = Self.types(object)
        if types.contains(where: SitePage.articleTypes.contains) {
            articles.append(object)
        } else if types.contains(where: Self.listTypes.contains) {
            listsPosts = true
        }
        if let graph = object["@graph"] { for item in Self.objects(graph) { add(item, depth: depth + 1) } }
        if depth < 2, let entity = object["mainEntity"] { for item in Self.objects(entity) { add(item, depth: depth + 1) } }
    }

    /// The distinct articles: the same one described twice (a theme and a plugin) counts once.
    var distinctArticles: [Object] {
        var seen = Set<String>()
        return articles.filter { article in
            let key = string(article["url"]) ?? url(article["mainEntityOfPage"]) ?? string(article["headline"]) ?? string(article["@id"]) ?? "\(seen.count)"
            return seen.insert(key).inserted
        }
    }

    static func types(_ object: Object) -> [String] {
        switch object["@type"] {
        case let type as String: return [SitePage.typeName(type)]
        case let types as [Any]: return types.compactMap { $0 as? String }.map(SitePage.typeName)
        default: return []
        }
    }

    static func objects(_ value: Any) -> [Object] {
        switch value {
        case let object as Object: return [object]
        case let array as [Any]: return array.compactMap { $0 as? Object }
        default: return []
        }
    }

    /// The object itself, or the one its `@id` names when it is only a reference.
    func resolved(_ object: Object) -> Object {
        guard object.count == 1, let id = object["@id"] as? String, let full = byID[id] else { return object }
        return full
    }

    /// A text value: a string, a number, or a `@value`.
    func string(_ value: Any?) -> String? {
        switch value {
        case let s as String:
            let text = SitePage.oneLine(PlainText.decodingEntities(s))
            return text.isEmpty ? nil : text
        case let n as NSNumber: return n.stringValue
        case let object as Object: return string(object["@value"])
        case let array as [Any]: return array.lazy.compactMap { self.string($0) }.first
        default: return nil
        }
    }

    /// The names of people or things: strings, `{"name": …}` objects, references, or arrays of them.
    func names(_ value: Any?) -> [String] {
        switch value {
        case let s as String: return string(s).map { [$0] } ?? []
        case let object as Object: return string(resolved(object)["name"]).map { [$0] } ?? []
        case let array as [Any]: return array.flatMap { names($0) }
        default: return []
        }
    }

    /// A list of words: an array, or one string of comma-separated words (`keywords`).
    func list(_ value: Any?) -> [String] {
        switch value {
        case let s as String: return s.split(separator: ",").compactMap { string(String($0)) }
        case let array as [Any]: return array.flatMap { list($0) }
        case let object as Object: return names(object)
        default: return []
        }
    }

    /// A URL: a string, or an object's `@id` or `url` (`mainEntityOfPage`).
    func url(_ value: Any?) -> String? {
        switch value {
        case let s as String: return s.trimmedWhitespace.isEmpty ? nil : s.trimmedWhitespace
        case let object as Object: return url(object["@id"]) ?? url(object["url"])
        case let array as [Any]: return array.lazy.compactMap { self.url($0) }.first
        default: return nil
        }
    }
}
