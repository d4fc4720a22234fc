import ArgumentParser
import BlogSearch
import Foundation

struct IndexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "index",
        abstract: "Read the corpus and publish a new index generation.",
        discussion: """
            The new generation is written aside, verified and then published atomically; a failed or \
            interrupted build leaves the previous one serving. Bad corpus files are reported with their path \
            and skipped. When post ids allow it (no post removed, none added before the newest), the build \
            copies the current generation and rewrites only the posts whose content changed; the related \
            posts are recomputed from the stored term counts, tokenizing only changed and new posts, and kept \
            as they are when nothing changed. The result equals a full build's. \
            Exit codes: 0 published clean; 3 published, some files skipped; 4 nothing published.
            """
    )

    @OptionGroup var options: IndexOptions

    @Option(name: .long, help: "How many generations to keep.")
    var keep: Int = GenerationStore.keepDefault

    @Flag(name: .long, help: "Print only problems, not progress or the summary.")
    var quiet = false

    @Flag(name: .long, help: "Write every post, reusing nothing from the current generation.")
    var full = false

    @Flag(name: .long, help: "Publish even when more than --max-shrink of the current posts would vanish.")
    var allowShrink = false

    @Option(name: .long, help: ArgumentHelp("The share of current posts a build may drop before it is refused (0–1).", valueName: "share"))
    var maxShrink: Double = IndexBuilder.maxShrinkDefault

    @Option(name: .long, help: ArgumentHelp("Related-posts tuning for benchmarks: key=value,… (title, taxonomy, body, comments, tags, categories, recency, min, k, queryTerms, champions).", visibility: .hidden))
    var tune: String?

    func validate() throws {
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        guard (0...1).contains(maxShrink) else { throw ValidationError("--max-shrink must be between 0 and 1, e.g. 0.2") }
        _ = try tuning()
    }

    func tuning() throws -> IndexTuning {
        var tuning = IndexTuning()
        for pair in (tune ?? "").split(separator: ",") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, let value = Double(parts[1]), tuning.set(parts[0], value) else {
                throw ValidationError("--tune: '\(pair)' is not key=number with a known key")
            }
        }
        return tuning
    }

    func run() throws {
        var tuning = try tuning()
        tuning.allowShrink = allowShrink
        tuning.maxShrink = maxShrink
        tuning.incremental = !full
        let outcome = try runIndex(corpus: options.corpus, reader: options.reader, indexes: options.indexes, keep: keep, quiet: quiet, tuning: tuning)
        if outcome.hadSkips { throw ExitCodes.publishedWithSkips }
    }
}

struct IndexOutcome {
    var summary: BuildSummary
    var hadSkips: Bool
}

/// Reads the corpus, builds, publishes, and reports on stderr. Shared by `index` and the first `search`.
func runIndex(corpus: String, reader: CorpusReader, indexes: String, keep: Int = GenerationStore.keepDefault, quiet: Bool,
              tuning: IndexTuning = IndexTuning()) throws -> IndexOutcome {
    let parsed: Corpus
    let started = Date()
    do {
        parsed = try reader.read(at: corpus)
        try FaultInjection.at("reading", directory: indexes)
    } catch {
        printError("\(error)")
        throw ExitCodes.nothingPublished
    }
    for problem in parsed.problems { printErr(problem.description) }
    let reading = Date().timeIntervalSince(started)
    let showProgress = stderrIsTerminal && !quiet
    var builder = IndexBuilder(indexesDirectory: indexes, keep: keep)
    tuning.apply(to: &builder)
    do {
        let summary = try builder.build(parsed, corpusPath: corpus) { progress in
            guard showProgress else { return }
            let text = progress.phase == .writing ? "indexing \(progress.done)/\(progress.total) posts" : "\(progress.phase.rawValue)…"
            FileHandle.standardError.write(Data("\r\u{1B}[K\(text)".utf8))
        }
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if let refused = summary.refusedPrevious { printError("warning: \(refused); this build wrote every post") }
        let skipped = parsed.skippedCount
        if !quiet {
            let mb = String(format: "%.1f", Double(summary.bytes) / 1_048_576)
            let seconds = String(format: "%.2f", reading + summary.seconds)
            var line = "published \(summary.generation.fileName) in \(indexes): \(summary.manifest.posts) posts, "
                + "\(summary.manifest.comments) comments in \(seconds) s, \(mb) MB"
            line += " (reading \(String(format: "%.1f", reading)) s, " + summary.phases.map { "\($0.phase.rawValue) \(String(format: "%.1f", $0.seconds)) s" }.joined(separator: ", ") + ")"
            let related = summary.related
            switch related.source {
            case .kept:
                line += "; related posts kept (no post changed)"
            case .tokenized, .counted:
                line += String(format: "; related posts computed beside the writing in %.1f s (vectors %.1f s, neighbours %.1f s",
                               related.vectors + related.neighbours, related.vectors, related.neighbours)
                if case .counted(let reused, let tokenized) = related.source {
                    line += "; \(tokenized) post(s) tokenized, \(reused) counted before"
                }
                line += ")"
            }
            switch summary.reuse {
            case .incremental(let reused, let changed, let added):
                line += "; incremental: \(changed) changed and \(added) new post(s) written, \(reused) reused"
            case .full(let reason):
                line += "; full build (\(reason))"
            }
            if summary.drafts > 0 { line += "; \(summary.drafts) draft(s) left out" }
            if parsed.sections > 0 { line += "; \(parsed.sections) section page(s) (_index.md) left out" }
            line += "; " + languageReport(parsed)
            if skipped > 0 { line += "; \(skipped) file(s) skipped" }
            printErr(line)
        }
        return IndexOutcome(summary: summary, hadSkips: skipped > 0)
    } catch {
        if showProgress { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        printError("\(error)")
        switch error {
        case .locked: throw ExitCodes.locked
        case .shrinkRefused: throw ExitCodes.shrinkRefused
        default: throw ExitCodes.nothingPublished
        }
    }
}

/// `languages: en 30, ja 12, none 1 (file name 12, detected 31)`: posts per language, and where the
/// languages came from.
func languageReport(_ corpus: Corpus) -> String {
    let languages = corpus.languages.map { "\($0.lang ?? "none") \($0.posts)" }.joined(separator: ", ")
    let sources = corpus.languageSources.map { "\($0.source?.rawValue ?? "none") \($0.posts)" }.joined(separator: ", ")
    return "languages: \(languages) (\(sources))"
}
