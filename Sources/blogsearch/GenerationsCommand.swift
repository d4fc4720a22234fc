import ArgumentParser
import BlogSearch
import Foundation

struct GenerationsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generations",
        abstract: "List the published index generations (id, build time, posts, size, which is current)."
    )

    @Option(name: .long, help: ArgumentHelp("Folder of published index generations.", valueName: "dir"))
    var indexes: String = "indexes"

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() throws {
        let store = GenerationStore(directory: indexes)
        let infos = store.describe()
        if json {
            print(try JSONOutput.encode(infos))
            return
        }
        guard !infos.isEmpty else {
            printError("no generation in \(indexes): build one with `blogsearch index`")
            throw ExitCodes.failure
        }
        let served = store.servedGenerations()
        print("  gen  built at              posts      size  file")
        for info in infos {
            let marker = info.current ? "*" : " "
            let size = String(format: "%7.1f MB", Double(info.bytes) / 1_048_576)
            let posts = info.posts.map { String($0) } ?? "-"
            var line = "\(marker) \(String(info.generation).leftPad(3))  \((info.builtAt ?? "-").padding(toLength: 20, withPad: " ", startingAt: 0))  "
                + "\(posts.leftPad(6))  \(size)  \((info.file as NSString).lastPathComponent)"
            if served.contains((info.file as NSString).lastPathComponent) { line += "  (served)" }
            if let problem = info.problem { line += "  UNUSABLE: \(problem)" }
            print(line)
        }
        print("* current")
    }
}

struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Make an earlier generation current again; running servers follow.",
        discussion: """
            Without GENERATION, the one before the current. The generation is verified first (its content \
            checksum and SQLite's quick_check); one that fails is refused with exit code 1 and nothing changes.
            """
    )

    @Argument(help: "The generation number, as `blogsearch generations` lists it.")
    var generation: Int?

    @Option(name: .long, help: ArgumentHelp("Folder of published index generations.", valueName: "dir"))
    var indexes: String = "indexes"

    func run() throws {
        do throws(StoreError) {
            let target = try GenerationStore(directory: indexes).rollback(to: generation)
            print("current generation is now \(target.fileName)")
        } catch .corrupt(let path, let reason) {
            printError("refusing to roll back to \((path as NSString).lastPathComponent), it fails verification: \(reason); "
                       + "the current generation stays (see `blogsearch generations`)")
            throw ExitCodes.failure
        } catch {
            printError("\(error)")
            throw ExitCodes.failure
        }
    }
}

extension String {
    func leftPad(_ width: Int) -> String { String(repeating: " ", count: max(0, width - count)) + self }
}
