import Foundation
import Yams

/// The keys of a Hugo site config that say which languages the site's content folders hold:
/// `defaultContentLanguage` and `languages` (each language's code, and its `contentDir` when it has one).
/// Read from the first of `hugo.yaml`, `hugo.yml`, `hugo.toml`, `config.yaml`, `config.yml`, `config.toml` at
/// the corpus root. Nothing else of the config is read; TOML is read only as far as those keys go
/// (`key = "value"` lines before the first table, and `[languages.CODE]` tables).
struct HugoSite: Equatable {
    var defaultContentLanguage: String?
    var languages: Set<String> = []
    /// Content folder below the corpus root → its language.
    var contentDirs: [String: String] = [:]

    static let fileNames = ["hugo.yaml", "hugo.yml", "hugo.toml", "config.yaml", "config.yml", "config.toml"]

    /// The config of the site at `root`, with what could not be used of it; nil when there is none, or when
    /// it names no language.
    static func read(root: String) -> (site: HugoSite?, problems: [CorpusProblem]) {
        for name in fileNames {
            let path = (root as NSString).appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            switch TextFile.read(URL(fileURLWithPath: path)) {
            case .failure(let failure):
                return (nil, [TextFile.problem(failure, path: path)])
            case .success(let text):
                let raw = name.hasSuffix(".toml") ? tomlKeys(text) : yamlKeys(text, path: path)
                if let problem = raw.problem { return (nil, [problem]) }
                return site(from: raw, path: path)
            }
        }
        return (nil, [])
    }

    /// The keys as written: the default language, and each language with its content folder.
    struct RawKeys {
        var defaultLanguage: (value: String, line: Int?)?
        var languages: [(code: String, contentDir: String?, line: Int?)] = []
        var problem: CorpusProblem?
    }

    private static func site(from raw: RawKeys, path: String) -> (site: HugoSite?, problems: [CorpusProblem]) {
        var site = HugoSite()
        var problems: [CorpusProblem] = []
        func tag(_ code: String, line: Int?, key: String) -> String? {
            if let tag = LanguageTag.known(code) { return tag }
            problems.append(CorpusProblem(SourceLocation(path: path, line: line), .warning,
                                          "\(key) '\(code)' is not a known language code; its content is read without a language"))
            return nil
        }
        if let (value, line) = raw.defaultLanguage { site.defaultContentLanguage = tag(value, line: line, key: "defaultContentLanguage") }
        for language in raw.languages {
            guard let code = tag(language.code, line: language.line, key: "languages:") else { continue }
            site.languages.insert(code)
            if let dir = language.contentDir {
                let trimmed = dir.split(separator: "/").filter { $0 != "." && !$0.isEmpty }.joined(separator: "/")
                if !trimmed.isEmpty { site.contentDirs[trimmed] = code }
            }
        }
        guard site.defaultContentLanguage != nil || !site.languages.isEmpty else { return (nil, problems) }
        return (site, problems)
    }

    private static func yamlKeys(_ text: String, path: String) -> RawKeys {
        var raw = RawKeys()
        switch YAMLFields.parse(text, path: path, firstLine: 1) {
        case .failure(let problem):
            raw.problem = CorpusProblem(problem.location, .warning, "site config not read: \(problem.message)")
        case .success(let fields):
            if let value = fields.string("defaultContentLanguage") {
                raw.defaultLanguage = (value, fields.node("defaultContentLanguage")?.mark.map { $0.line })
            }
            for (key, value) in fields.node("languages")?.mapping ?? [:] {
                guard let code = key.string else { continue }
                let dir = value.mapping?["contentDir"]?.string
                raw.languages.append((code, dir, key.mark.map { $0.line }))
            }
        }
        return raw
    }

    /// Only the lines that can hold the two keys: `defaultContentLanguage = "…"` before the first table,
    /// `[languages.CODE]` headers (`CODE` bare or quoted) and `contentDir = "…"` in them. Comments after
    /// `#` outside a string are dropped.
    static func tomlKeys(_ text: String) -> RawKeys {
        var raw = RawKeys()
        var table: [String]? = []   // nil inside an array of tables
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = withoutComment(rawLine).trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("[[") { table = nil; continue }
            if line.hasPrefix("["), line.hasSuffix("]") {
                table = String(line.dropFirst().dropLast()).split(separator: ".").map {
                    $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
                }
                if let table, table.count == 2, table[0] == "languages" {
                    raw.languages.append((table[1], nil, number + 1))
                }
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"'"))
            let value = line[line.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            guard value.count >= 2, let quote = value.first, quote == "\"" || quote == "'", value.last == quote else { continue }
            let string = String(value.dropFirst().dropLast())
            if table == [], key == "defaultContentLanguage" {
                raw.defaultLanguage = (string, number + 1)
            } else if let table, table.count == 2, table[0] == "languages", key == "contentDir", !raw.languages.isEmpty {
                raw.languages[raw.languages.count - 1].contentDir = string
            }
        }
        return raw
    }

    private static func withoutComment(_ line: Substring) -> Substring {
        var quote: Character? = nil
        for index in line.indices {
            let c = line[index]
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" {
                return line[..<index]
            }
        }
        return line
    }
}
