import Foundation
import Yams

/// Typed access to the fields of a YAML mapping (front matter, Staticman comments), tolerant of the shapes
/// that real sites use: a string where a list is expected, numbers where text is expected.
struct YAMLFields {
    let mapping: Node.Mapping

    /// Parses a YAML document that must be a mapping. `firstLine` is the file line the YAML starts on,
    /// so that messages point into the file rather than into the YAML block.
    static func parse(_ yaml: String, path: String, firstLine: Int) -> Result<YAMLFields, CorpusProblem> {
        do {
            guard let node = try Yams.compose(yaml: yaml) else {
                return .success(YAMLFields(mapping: Node.Mapping([])))
            }
            guard let mapping = node.mapping else {
                return .failure(CorpusProblem(SourceLocation(path: path, line: firstLine), .skipped,
                                              "YAML is not a mapping of fields (key: value)"))
            }
            return .success(YAMLFields(mapping: mapping))
        } catch let error as YamlError {
            let (line, problem) = describe(error)
            return .failure(CorpusProblem(SourceLocation(path: path, line: line.map { $0 + firstLine - 1 } ?? firstLine),
                                          .skipped, "YAML does not parse: \(problem)"))
        } catch {
            return .failure(CorpusProblem(SourceLocation(path: path, line: firstLine), .skipped, "YAML does not parse: \(error)"))
        }
    }

    private static func describe(_ error: YamlError) -> (Int?, String) {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
            return (mark.line, text)
        case .duplicatedKeysInMapping(let duplicates, _):
            return (nil, "duplicated keys: \(duplicates.joined(separator: ", "))")
        default:
            return (nil, String(describing: error))
        }
    }

    func node(_ key: String) -> Node? { mapping[key] }

    /// A scalar as text (numbers, dates and booleans as written), trimmed; nil when absent or empty.
    func string(_ key: String) -> String? {
        guard let scalar = mapping[key]?.scalar else { return nil }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// A list of strings: a YAML sequence, or a single string split on commas.
    func list(_ key: String) -> [String] {
        guard let node = mapping[key] else { return [] }
        if let sequence = node.sequence {
            return sequence.compactMap { $0.scalar?.string.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        guard let text = node.scalar?.string else { return [] }
        return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func bool(_ key: String) -> Bool { mapping[key]?.bool ?? false }

    /// True when the key is present but holds a list or mapping where text was expected.
    func isNotScalar(_ key: String) -> Bool {
        guard let node = mapping[key] else { return false }
        return node.scalar == nil
    }
}
