/// Guesses the language of a text that names none: first its script, then, for Latin script, its most
/// common words.
///
/// - Script: the letters of the first 8,000 scalars are counted by script. A script other than Latin wins
///   when it has at least 10% of them (a Japanese post quoting English code has far more Latin letters than
///   its share of the text). Han with kana (at least 10% of the two) is Japanese, Han alone Chinese
///   (`zh-hans` or `zh-hant` by a handful of characters written differently in each, `zh` when neither
///   shows); Hangul is Korean; Arabic script is Persian or Urdu when their own letters show, else Arabic;
///   Cyrillic is Ukrainian (і ї є ґ), Serbian (ђ ћ џ ј љ њ), Bulgarian (ъ, no ы or э) or Russian. Thai, Lao,
///   Khmer, Myanmar, Hebrew, Greek, Armenian, Georgian, Ethiopic and the scripts of India have one language each.
/// - Latin script: the share of the first 1,000 words (within the first 8,000 scalars) that are one
///   language's function words (about 25 a language, chosen to tell neighbours apart); the best share wins
///   when it is at least 8% (and 3 words) and at least 1.25 times the next one. Otherwise the text's
///   language is left unknown (nil): a guess that is too weak is worse than the default analysis.
enum LanguageDetector {
    static func detect(_ text: String) -> String? {
        var counts = ScriptCounts()
        for scalar in text.unicodeScalars.prefix(8_000) { counts.add(scalar) }
        guard counts.letters >= 20 else { return nil }
        if let (script, count) = counts.bestOther, count * 10 >= counts.letters {
            return script.language(counts)
        }
        return latinLanguage(text)
    }

    // MARK: - Scripts

    enum Script: Int, CaseIterable {
        case han = 0, kana, hangul, thai, lao, khmer, myanmar, arabic, hebrew, greek, cyrillic, armenian, georgian,
             ethiopic, devanagari, bengali, gurmukhi, gujarati, tamil, telugu, kannada, malayalam, sinhala

        func language(_ counts: ScriptCounts) -> String {
            switch self {
            case .han, .kana:
                let cjk = counts.scripts[Script.han.rawValue] + counts.scripts[Script.kana.rawValue]
                if counts.scripts[Script.kana.rawValue] * 10 >= cjk { return "ja" }
                if counts.simplified > counts.traditional { return "zh-hans" }
                if counts.traditional > counts.simplified { return "zh-hant" }
                return "zh"
            case .hangul: return "ko"
            case .thai: return "th"
            case .lao: return "lo"
            case .khmer: return "km"
            case .myanmar: return "my"
            case .arabic: return counts.urdu > 0 ? "ur" : counts.persian > 0 ? "fa" : "ar"
            case .hebrew: return "he"
            case .greek: return "el"
            case .cyrillic:
                if counts.ukrainian > 0 { return "uk" }
                if counts.serbian > 0 { return "sr" }
                if counts.hardSign > 0 && counts.russianOnly == 0 { return "bg" }
                return "ru"
            case .armenian: return "hy"
            case .georgian: return "ka"
            case .ethiopic: return "am"
            case .devanagari: return "hi"
            case .bengali: return "bn"
            case .gurmukhi: return "pa"
            case .gujarati: return "gu"
            case .tamil: return "ta"
            case .telugu: return "te"
            case .kannada: return "kn"
            case .malayalam: return "ml"
            case .sinhala: return "si"
            }
        }
    }

    struct ScriptCounts {
        var letters = 0
        /// Letters per script, by `Script.rawValue`.
        var scripts = [Int](repeating: 0, count: Script.allCases.count)
        var simplified = 0, traditional = 0, persian = 0, urdu = 0, ukrainian = 0, serbian = 0, hardSign = 0, russianOnly = 0

        /// The non-Latin script with the most letters (Han and kana counted together).
        var bestOther: (Script, Int)? {
            var merged = scripts
            merged[Script.han.rawValue] += merged[Script.kana.rawValue]
            merged[Script.kana.rawValue] = 0
            guard let best = merged.indices.max(by: { merged[$0] < merged[$1] }), merged[best] > 0 else { return nil }
            return (Script(rawValue: best)!, merged[best])
        }

        mutating func add(_ s: Unicode.Scalar) {
            let v = s.value
            if v < 0x80 {
                if (0x41...0x5A).contains(v) || (0x61...0x7A).contains(v) { letters += 1 }
                return
            }
            guard s.properties.isAlphabetic else { return }
            letters += 1
            guard let script = Self.script(v) else { return }
            scripts[script.rawValue] += 1
            switch script {
            case .han:
                if Self.simplifiedOnly.contains(s) { simplified += 1 }
                if Self.traditionalOnly.contains(s) { traditional += 1 }
            case .arabic:
                if [0x0679, 0x0688, 0x0691, 0x06BA, 0x06D2].contains(v) { urdu += 1 }
                if [0x067E, 0x0686, 0x0698, 0x06AF, 0x06CC].contains(v) { persian += 1 }
            case .cyrillic:
                if [0x0456, 0x0457, 0x0454, 0x0491].contains(v) { ukrainian += 1 }
                if [0x0452, 0x045B, 0x045F, 0x0458, 0x0459, 0x045A].contains(v) { serbian += 1 }
                if v == 0x044A { hardSign += 1 }
                if v == 0x044B || v == 0x044D { russianOnly += 1 }
            default: break
            }
        }

        static func script(_ v: UInt32) -> Script? {
            switch v {
            case 0x0000...0x024F, 0x1E00...0x1EFF: return nil   // Latin (and ASCII)
            case 0x3040...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return .kana
            case 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xF900...0xFAFF, 0x20000...0x3134F: return .han
            case 0xAC00...0xD7AF, 0x1100...0x11FF, 0x3130...0x318F: return .hangul
            case 0x0E00...0x0E7F: return .thai
            case 0x0E80...0x0EFF: return .lao
            case 0x1780...0x17FF: return .khmer
            case 0x1000...0x109F: return .myanmar
            case 0x0600...0x06FF, 0x0750...0x077F, 0xFB50...0xFDFF, 0xFE70...0xFEFF: return .arabic
            case 0x0590...0x05FF: return .hebrew
            case 0x0370...0x03FF, 0x1F00...0x1FFF: return .greek
            case 0x0400...0x04FF: return .cyrillic
            case 0x0530...0x058F: return .armenian
            case 0x10A0...0x10FF: return .georgian
            case 0x1200...0x137F: return .ethiopic
            case 0x0900...0x097F: return .devanagari
            case 0x0980...0x09FF: return .bengali
            case 0x0A00...0x0A7F: return .gurmukhi
            case 0x0A80...0x0AFF: return .gujarati
            case 0x0B80...0x0BFF: return .tamil
            case 0x0C00...0x0C7F: return .telugu
            case 0x0C80...0x0CFF: return .kannada
            case 0x0D00...0x0D7F: return .malayalam
            case 0x0D80...0x0DFF: return .sinhala
            default: return nil
            }
        }

        /// Common characters written differently in simplified and traditional Chinese, pairwise.
        static let simplifiedOnly = Set("这们个说时过发后会对学经问应为开关实现点来让组数据还没样从进与动当题".unicodeScalars)
        static let traditionalOnly = Set("這們個說時過發後會對學經問應為開關實現點來讓組數據還沒樣從進與動當題".unicodeScalars)
    }

    // MARK: - Latin-script languages

    static func latinLanguage(_ text: String) -> String? {
        var words = 0
        var hits = [Int](repeating: 0, count: languages.count)
        var word = String.UnicodeScalarView()
        var ascii = true
        func finish() {
            guard !word.isEmpty else { return }
            words += 1
            let key = ascii ? String(word) : String(word).lowercased()
            for language in wordLanguages[key] ?? [] { hits[language] += 1 }
            word = String.UnicodeScalarView()
            ascii = true
        }
        for scalar in text.unicodeScalars.prefix(8_000) {
            let v = scalar.value
            if v < 0x80 {
                if (0x61...0x7A).contains(v) {
                    word.append(scalar)
                } else if (0x41...0x5A).contains(v) {
                    word.append(Unicode.Scalar(v + 0x20)!)
                } else {
                    finish()
                    if words >= 1_000 { break }
                }
            } else if scalar.properties.isAlphabetic {
                word.append(scalar)
                ascii = false
            } else if scalar.properties.generalCategory != .nonspacingMark {
                finish()
                if words >= 1_000 { break }
            }
        }
        finish()
        guard words >= 10 else { return nil }
        let ranked = hits.indices.sorted { hits[$0] != hits[$1] ? hits[$0] > hits[$1] : languages[$0] < languages[$1] }
        let best = hits[ranked[0]], second = hits[ranked[1]]
        guard best >= 3, best * 100 >= words * 8 else { return nil }
        if best * 4 < second * 5 { return nil }
        return languages[ranked[0]]
    }

    static let functionWords: [String: String] = [
        "en": "the an and of to is in that it for with this you are was be on not have but they what which would from as at by or if we can will",
        "es": "el la los las de que y en un una es por para con no se del al como más pero sus está este cuando muy también",
        "pt": "o a os as de que e em um uma é não para com do da dos das no na por mais se você são isso também muito",
        "fr": "le la les de des et est un une du en que qui pas pour dans ce il sur avec vous nous sont au cette mais",
        "it": "il lo la gli le di che e è un una per non del della con sono si da come nel più anche questo",
        "de": "der die das und ist nicht ein eine zu den mit von sich auf für es dem im auch wir sie wird werden oder",
        "nl": "de het een en van is dat niet op te met voor zijn er maar ook dit wordt je we om naar",
        "sv": "och att det är som en på för av med inte till den har jag vi om ett kan men så hur vad",
        "da": "og at det er en til på for med af ikke som har de vi kan der den et jeg men også hvad noget meget mig",
        "no": "og at det er en til på for med av ikke som har de vi kan den et jeg men også hva noe mye meg ikkje",
        "fi": "ja on ei se että oli ovat kun tai mutta myös joka hän ne ole mitä tämä sen kuin voi jos",
        "pl": "i w na z się nie to że jest do jak o co ale są po tak dla od przez może być",
        "cs": "a v se na je že to s z do o jsou ale jak pro by k tak jako není které být",
        "tr": "ve bir bu da de için ile çok daha olarak gibi ne ama var olan en kadar sonra değil mi",
        "ro": "și de în la a că nu este cu o pe un care pentru se sunt mai din ce sau dacă",
        "hu": "a az és hogy nem is egy van meg de ez ki csak már mint el volt lesz vagy nagyon kell",
        "id": "yang dan di ini itu dengan untuk tidak dari dalam akan pada juga ke ada bisa atau kita kami saya adalah",
        "vi": "và của là có không được trong cho các một những với này để người khi đã từ thì như cũng",
    ]

    /// The languages of `functionWords`, in tag order.
    static let languages = functionWords.keys.sorted()

    /// Each function word with the languages (places in `languages`) that use it. Words of one letter (`a`,
    /// `e`, `o`, `i`, `w`, `z`…) are left out: shared by half the languages, they decided short texts wrongly.
    static let wordLanguages: [String: [Int]] = {
        var result: [String: [Int]] = [:]
        for (place, language) in languages.enumerated() {
            for word in functionWords[language]!.split(separator: " ") where word.count > 1 {
                result[String(word), default: []].append(place)
            }
        }
        return result
    }()
}
