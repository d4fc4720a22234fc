import ArgumentParser
import BlogSearch
import Foundation

@main
struct BlogSearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blogsearch",
        abstract: "Search and related posts for blogs: index a corpus of posts and comments, then query it.",
        discussion: """
            Exit codes: 0 success; 1 error; 3 index published but some corpus files were skipped; \
            4 nothing published (the previous index stays); 5 another index build is running; 6 the shrink guard \
            refused the build; 64 bad command-line usage.
            """,
        subcommands: [ServeCommand.self, IndexCommand.self, SearchCommand.self, SuggestCommand.self, RelatedCommand.self, StatsCommand.self,
                      GenerationsCommand.self, RollbackCommand.self, AnalyticsCommand.self, ImportCommand.self]
    )

    static func main() async {
        LogSetup.once
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options shared by every command that reads or writes indexes.
struct IndexOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Folder of published index generations.", valueName: "dir"))
    var indexes: String = "indexes"

    @Option(name: .long, help: ArgumentHelp("Corpus folder (or .jsonl file), indexed first when there is no index yet.", valueName: "path"))
    var corpus: String = "corpus"

    @Option(name: .long, help: ArgumentHelp("The language of posts that name none (a BCP 47 tag: en, ja, zh-hans, pt-br); default: detected from each post's text.", valueName: "tag"))
    var defaultLang: String?

    @Option(name: .long, help: ArgumentHelp("The URL of a Markdown post that names none: {slug}, {lang}, and {lang/} (LANG/ for a translation, nothing for the original).", valueName: "pattern"))
    var urlPattern: String = CorpusReader.defaultURLPattern

    /// How the corpus is read, with these options.
    var reader: CorpusReader { CorpusReader(defaultLang: defaultLang, urlPattern: urlPattern) }

    func validate() throws {
        if let problem = reader.settingsProblem() { throw ValidationError(problem) }
    }
}

/// The exit codes the README documents; cron jobs rely on them.
enum ExitCodes {
    static let failure = ExitCode(1)
    static let publishedWithSkips = ExitCode(3)
    static let nothingPublished = ExitCode(4)
    static let locked = ExitCode(5)
    static let shrinkRefused = ExitCode(6)
}

/// One line on stderr, the way every error reaches the user.
func printError(_ message: String) {
    FileHandle.standardError.write(Data("blogsearch: \(message)\n".utf8))
}

func printErr(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

let stdoutIsTerminal = isatty(STDOUT_FILENO) == 1
let stderrIsTerminal = isatty(STDERR_FILENO) == 1

import Logging

/// Logs go to stderr (stdout is for results), at `warning` unless BLOGSEARCH_LOG_LEVEL says otherwise.
enum LogSetup {
    static let once: Void = {
        let level = ProcessInfo.processInfo.environment["BLOGSEARCH_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }()
}
