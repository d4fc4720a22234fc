import Foundation

/// Where a post's language came from, for the index report (first match wins, in this order).
public enum LanguageSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// `lang`, `language` or `locale` in a Markdown post's front matter.
    case frontMatter = "front matter"
    /// The file name (`index.ja.md`, `my-post.fr.md`).
    case fileName = "file name"
    /// Hugo's content folder (`content/ja/…`), or the site config's `defaultContentLanguage`.
    case contentFolder = "content folder"
    /// An export's language: WordPress's `<language>` or a post's language term, Ghost's `locale`.
    case export
    /// A feed's `<language>` or `xml:lang`.
    case feed
    /// A built page's `<html lang>` or `og:locale`.
    case page
    /// A JSON Lines post's `lang`.
    case jsonLines = "JSON Lines"
    /// The corpus default (`--default-lang`).
    case corpusDefault = "corpus default"
    /// Neither named nor defaulted: found from the text (`LanguageDetector`).
    case detected
}

/// BCP 47 language tags as blogsearch keeps them: lower-cased, `_` written `-` (`pt_BR` → `pt-br`), a POSIX
/// locale's `.UTF-8` or `@euro` dropped.
public enum LanguageTag {
    public enum Parsed: Sendable, Equatable {
        /// A well-formed tag whose language is known (ISO 639-1, or one of the common ISO 639-2/3 codes).
        case known(String)
        /// Well-formed, but its language is no code blogsearch knows (`xx`, `qaa`).
        case unknown(String)
        /// Not a language tag at all (`english`, `e n`, `12`).
        case malformed(String)
    }

    /// The tag normalized and classified; nil for empty text.
    public static func parse(_ raw: String) -> Parsed? {
        var text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if let cut = text.firstIndex(where: { $0 == "." || $0 == "@" }) { text = String(text[..<cut]) }
        guard !text.isEmpty else { return nil }
        let tag = text.lowercased().replacingOccurrences(of: "_", with: "-")
        let subtags = tag.split(separator: "-", omittingEmptySubsequences: false)
        let ascii = { (s: Substring, letters: Bool) in s.unicodeScalars.allSatisfy { $0.isASCII && (letters ? $0.properties.isAlphabetic : $0.properties.isAlphabetic || ("0"..."9").contains($0)) } }
        guard let primary = subtags.first, (2...3).contains(primary.count), ascii(primary, true),
              subtags.dropFirst().allSatisfy({ (1...8).contains($0.count) && ascii($0, false) }) else {
            return .malformed(text)
        }
        return languages.contains(String(primary)) ? .known(tag) : .unknown(tag)
    }

    /// The known tag `raw` names, or nil (unknown, malformed, empty).
    public static func known(_ raw: String) -> String? {
        if case .known(let tag)? = parse(raw) { return tag }
        return nil
    }

    /// The primary language of a normalized tag: `zh-hans` → `zh`.
    public static func primary(_ tag: String) -> Substring {
        tag.split(separator: "-", maxSplits: 1).first ?? Substring(tag)
    }

    /// Whether a file-name infix (`index.ja.md`, `my-post.pt-br.md`) is a language: a known language, then at
    /// most a script (4 letters), a region (2 letters or 3 digits), in that order. `my.post.md` is not.
    static func fileNameLanguage(_ infix: String) -> String? {
        guard let tag = known(infix) else { return nil }
        let rest = tag.split(separator: "-").dropFirst()
        guard rest.count <= 2 else { return nil }
        var sawRegion = false
        for (i, subtag) in rest.enumerated() {
            let isScript = subtag.count == 4 && subtag.allSatisfy(\.isLetter)
            let isRegion = (subtag.count == 2 && subtag.allSatisfy(\.isLetter)) || (subtag.count == 3 && subtag.allSatisfy(\.isNumber))
            if isScript, i == 0 { continue }
            if isRegion, !sawRegion { sawRegion = true; continue }
            return nil
        }
        return tag
    }

    /// ISO 639-1 codes, and the ISO 639-2/3 codes of languages blogs are commonly written in that have no
    /// two-letter code.
    static let languages: Set<String> = Set("""
        aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee \
        el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is \
        it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms \
        mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk \
        sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi \
        yo za zh zu \
        ast bho ceb ckb fil gsw haw hmn kab yue zgh mni sat
        """.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty })
}
