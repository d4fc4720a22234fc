import BlogSearch
import Hummingbird

/// Every error the service returns, from one table: code → status → message.
/// The body is `{"error": {"code": "…", "message": "…"}}`; nothing unmapped reaches the client.
public struct APIError: Error, HTTPResponseError, Sendable {
    public enum Code: String, Sendable, CaseIterable {
        case invalidParameter = "invalid_parameter"
        case postNotFound = "post_not_found"
        case routeNotFound = "route_not_found"
        case methodNotAllowed = "method_not_allowed"
        case indexUnavailable = "index_unavailable"
        case internalError = "internal_error"

        public var status: HTTPResponse.Status {
            switch self {
            case .invalidParameter: return .badRequest
            case .postNotFound, .routeNotFound: return .notFound
            case .methodNotAllowed: return .methodNotAllowed
            case .indexUnavailable: return .serviceUnavailable
            case .internalError: return .internalServerError
            }
        }
    }

    public var code: Code
    public var message: String
    public var status: HTTPResponse.Status { code.status }

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// Maps engine errors; anything else is an internal error whose details stay in the log.
    public init(_ error: any Error) {
        switch error {
        case let error as APIError:
            self = error
        case let error as SearchError:
            switch error {
            case .invalidParameter(let name, let message):
                self.init(.invalidParameter, "invalid \(name == "query" ? "q" : name): \(message)")
            case .postNotFound, .urlNotFound:
                self.init(.postNotFound, error.description)
            case .internalFailure:
                self.init(.internalError, "the search failed; the error has been logged")
            case .indexCorrupt:
                self.init(.indexUnavailable, "the index is damaged; the server is returning to the last good generation")
            }
        case is StoreError:
            self.init(.indexUnavailable, "no index is being served")
        case let error as HTTPError where error.status == .notFound:
            self.init(.routeNotFound, "no such route")
        case let error as HTTPError where error.status == .methodNotAllowed:
            self.init(.methodNotAllowed, "the API answers GET and HEAD only")
        case let error as HTTPError where error.status.code < 500:
            self.init(.invalidParameter, error.body ?? "bad request")
        default:
            self.init(.internalError, "internal error; it has been logged")
        }
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body = ByteBuffer()
        body.writeString(#"{"error":{"code":""#)
        body.writeString(code.rawValue)
        body.writeString(#"","message":"#)
        body.writeString(JSONText.quote(message))
        body.writeString("}}")
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if code == .methodNotAllowed { headers[.allow] = "GET, HEAD" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
