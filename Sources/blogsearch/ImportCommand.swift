import ArgumentParser
import BlogSearch
import Foundation

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Turn other formats into corpus files.",
        subcommands: [ImportPageCommand.self]
    )
}

struct ImportPageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "page",
        abstract: "Import a scraped post page (navigation, title, date, article, category, author, comments).",
        discussion: "Writes <dir>/posts/<slug>.md and <dir>/comments/<slug>/<id>.yml, keeping every comment and reply."
    )

    @Argument(help: "The scraped page, as text.")
    var file: String

    @Option(name: .long, help: ArgumentHelp("The corpus folder to write into.", valueName: "dir"))
    var into: String

    @Flag(name: .long, help: "Replace files that already exist.")
    var force = false

    func run() throws {
        do {
            let text = try String(contentsOfFile: file, encoding: .utf8)
            let page = try ScrapedPageReader.read(text, path: file)
            for warning in page.warnings { printErr("\(file): warning: \(warning)") }
            let written = try CorpusWriter.write(page.post, into: into, overwrite: force)
            let replies = page.post.comments.filter { $0.replyTo != nil }.count
            print("imported '\(page.post.title)' as \(written[0]) with \(page.post.comments.count - replies) comments and \(replies) replies")
        } catch let error as CorpusError {
            printError("\(error)")
            throw ExitCodes.failure
        } catch let error as CorpusWriter.Failure {
            printError("\(error)")
            throw ExitCodes.failure
        } catch {
            printError("cannot read \(file): \((error as NSError).localizedDescription)")
            throw ExitCodes.failure
        }
    }
}
