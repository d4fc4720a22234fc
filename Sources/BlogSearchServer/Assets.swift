import Foundation

/// Static files served by the service, read once from the module's resources.
enum Assets {
    static let widgetJS = load("widget.js")
    static let searchJS = load("search.js")
    static let demoCSS = load("demo.css")

    private static func load(_ name: String) -> String {
        guard let url = Bundle.module.url(forResource: "Assets/\(name)", withExtension: nil)
            ?? Bundle.module.resourceURL?.appendingPathComponent("Assets/\(name)"),
              let text = try? String(contentsOf: url, encoding: .utf8) else {
            return ""
        }
        return text
    }
}
