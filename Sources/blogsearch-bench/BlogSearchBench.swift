import ArgumentParser
import Foundation
import Logging

/// The benchmarks' harness, apart from the shipped `blogsearch`: timings taken in process, and the server with
/// the baseline route the HTTP benchmarks divide by. Built with `swift build -c release --product blogsearch-bench`;
/// the scripts in Benchmarks/ call it beside `blogsearch` (which builds the indexes they measure).
@main
struct BlogSearchBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "blogsearch-bench",
        abstract: "Benchmark harness for blogsearch: in-process timings, and the server with a hello-world baseline route.",
        subcommands: [BenchSearchCommand.self, BenchSpellCommand.self, BenchReadCommand.self, BenchServeCommand.self]
    )

    static func main() async {
        let level = ProcessInfo.processInfo.environment["BLOGSEARCH_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
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

/// One line on stderr.
func printErr(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
