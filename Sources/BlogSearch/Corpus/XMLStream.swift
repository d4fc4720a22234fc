import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Streams an XML file through Foundation's `XMLParser` (libxml2's push parser: the file is read in small
/// chunks, so memory does not grow with its size) and hands each element to the caller when it opens and
/// when it closes, with its attributes and its own text (character data and CDATA, entities decoded).
///
/// External entities and DTDs are never loaded: `shouldResolveExternalEntities` is off and an entity the
/// parser asks for resolves to nothing, so a file naming `/etc/passwd` or a URL is read without touching it.
/// Element names are qualified as written (`wp:status`, `content:encoded`): the formats read here use their
/// customary prefixes.
enum XMLStream {
    /// One open element.
    struct Element {
        var name: String
        var attributes: [String: String]
        /// Its own text so far (complete when the element closes).
        var text: String
        /// The line it opened on.
        var line: Int
    }

    /// Where and why the file stopped being well-formed XML.
    struct Failure: Error {
        var line: Int
        var column: Int
        var reason: String

        /// The problem to report for the file: what was read before the failure is kept.
        func problem(path: String, kept: Int, noun: String) -> CorpusProblem {
            CorpusProblem(SourceLocation(path: path, line: line), .skipped,
                          "not well-formed XML at line \(line), column \(column): \(reason); the rest of the file is left out (\(kept) \(noun) read before it)")
        }
    }

    /// Calls `open` when an element starts and `close` when it ends, with the open elements, outermost first
    /// (the last is the element itself). An element for which `wholeText` answers true gets the text of every
    /// element inside it too (Atom's XHTML content), a line break after each.
    static func read(path: String, open: @escaping ([Element]) -> Void, close: @escaping ([Element]) -> Void,
                     wholeText: @escaping (Element) -> Bool = { _ in false }) -> Failure? {
        guard let stream = InputStream(fileAtPath: path) else {
            return Failure(line: 1, column: 1, reason: "the file cannot be opened")
        }
        let parser = XMLParser(stream: stream)
        let delegate = Delegate(open: open, close: close, wholeText: wholeText)
        parser.delegate = delegate
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = false
        parser.shouldReportNamespacePrefixes = false
        // `parse()` can answer true after an error (a file cut short): the delegate's report decides.
        let finished = parser.parse()
        if let failure = delegate.failure { return failure }
        if finished || parser.parserError.map({ undeclaredEntity.contains(($0 as NSError).code) }) == true { return nil }
        return Failure(line: parser.lineNumber, column: parser.columnNumber, reason: reason(parser.parserError))
    }

    /// libxml2's error codes (which `XMLParser` passes on) for the faults met in hand-edited or truncated
    /// exports, in words.
    private static let reasons: [Int: String] = [
        4: "the document is empty", 5: "the file ends before the document does (cut short?)",
        9: "a character that XML does not allow", 23: "an entity reference without its ';'",
        37: "a '<' inside an attribute value",
        38: "an attribute value without quotes", 39: "an attribute value not closed", 41: "an attribute given twice",
        63: "a CDATA section not closed", 68: "a name was expected", 73: "a '>' was expected",
        76: "a closing tag that does not match the open element", 77: "a tag not closed",
        201: "a namespace prefix that is not declared",
    ]

    /// libxml2's `XML_ERR_UNDECLARED_ENTITY` and `XML_WAR_UNDECLARED_ENTITY`.
    static let undeclaredEntity: Set<Int> = [26, 27]

    private static func reason(_ error: Error?) -> String {
        guard let error = error as NSError? else { return "the parser stopped" }
        return reasons[error.code] ?? "XML error \(error.code)"
    }

    private final class Delegate: NSObject, XMLParserDelegate {
        let open: ([Element]) -> Void
        let close: ([Element]) -> Void
        let wholeText: (Element) -> Bool
        var stack: [Element] = []
        /// The element collecting the text of everything inside it, if any.
        var collector: Int?
        var failure: Failure?

        init(open: @escaping ([Element]) -> Void, close: @escaping ([Element]) -> Void, wholeText: @escaping (Element) -> Bool) {
            self.open = open
            self.close = close
            self.wholeText = wholeText
        }

        func append(_ text: String) {
            guard failure == nil, !stack.isEmpty else { return }
            stack[stack.count - 1].text += text
            if let c = collector, c < stack.count - 1 { stack[c].text += text }
        }

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                    qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
            guard failure == nil else { return }
            stack.append(Element(name: elementName, attributes: attributeDict, text: "", line: parser.lineNumber))
            if collector == nil, wholeText(stack[stack.count - 1]) { collector = stack.count - 1 }
            open(stack)
        }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
            guard failure == nil, !stack.isEmpty else { return }
            close(stack)
            stack.removeLast()
            if let c = collector {
                if c == stack.count { collector = nil } else { stack[c].text += "\n" }
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            append(string)
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            append(String(decoding: CDATABlock, as: UTF8.self))
        }

        func parser(_ parser: XMLParser, resolveExternalEntityName name: String, systemID: String?) -> Data? {
            Data()
        }

        /// libxml2 may recover and go on after an error; nothing after the first one is trusted. An entity
        /// that is not declared (or whose declaration is in a DTD that is never loaded) is not an error: it reads
        /// as nothing.
        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            guard failure == nil, !XMLStream.undeclaredEntity.contains((parseError as NSError).code) else { return }
            failure = Failure(line: parser.lineNumber, column: parser.columnNumber, reason: XMLStream.reason(parseError))
            parser.abortParsing()
        }
    }
}
