import BlogSearchTestSupport
import Foundation

/// The real `blogsearch` binary, built by `swift test` beside the tests, run as a process.
enum Blogsearch {
    static var path: String { BuildProducts.path("blogsearch") }

    /// Starts the binary with pipes for stdout and stderr; through `wrapper` (a program and its first arguments,
    /// such as setpriv's) when one is given.
    static func start(_ arguments: [String], environment: [String: String] = [:], wrapper: [String] = []) throws -> Process {
        let command = wrapper + [path] + arguments
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command[0])
        process.arguments = Array(command.dropFirst())
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
    }

    /// Runs the binary to its end.
    static func run(_ arguments: [String], environment: [String: String] = [:], wrapper: [String] = []) throws
        -> (status: Int32, stdout: String, stderr: String) {
        let process = try start(arguments, environment: environment, wrapper: wrapper)
        let stdout = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        let stderr = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    /// Starts `blogsearch serve --port 0` and reads its stderr until the line that names the address, until the
    /// stream ends, or for `seconds`: the port is nil unless the address was named. The caller stops the process.
    static func serve(_ arguments: [String], within seconds: TimeInterval) throws -> (process: Process, port: Int?, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = ["serve", "--port", "0"] + arguments
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        var output = ""
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
            if let range = output.range(of: "at http://127.0.0.1:"), let port = Int(output[range.upperBound...].prefix { $0.isNumber }) {
                return (process, port, output)
            }
        }
        return (process, nil, output)
    }
}
