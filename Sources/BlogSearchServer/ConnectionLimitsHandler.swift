import NIOCore
import NIOHTTPTypes

/// Cuts a connection that holds the server's resources without using them: one that has not sent a complete
/// request head within `headerTimeout` of opening (a client that connects and waits, or sends a byte at a
/// time), and one whose request body passes `maxBodyBytes` (the API reads no bodies; without this, a huge
/// body would be read to its end and thrown away). Idle keep-alive connections are closed by Hummingbird's
/// own idle timeout; the number of connections is capped on the listening socket (`ServerLimits`).
final class ConnectionLimitsHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    let headerTimeout: TimeAmount
    let maxBodyBytes: Int
    private var headerDeadline: Scheduled<Void>?
    private var bodyBytes = 0

    init(headerTimeout: TimeAmount, maxBodyBytes: Int) {
        self.headerTimeout = headerTimeout
        self.maxBodyBytes = maxBodyBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { armHeaderDeadline(context) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        headerDeadline = nil
    }

    func channelActive(context: ChannelHandlerContext) {
        armHeaderDeadline(context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        headerDeadline = nil
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            headerDeadline?.cancel()
            headerDeadline = nil
            bodyBytes = 0
        case .body(let buffer):
            bodyBytes += buffer.readableBytes
            guard bodyBytes <= maxBodyBytes else {
                context.close(promise: nil)
                return
            }
        case .end:
            break
        }
        context.fireChannelRead(data)
    }

    private func armHeaderDeadline(_ context: ChannelHandlerContext) {
        guard headerDeadline == nil else { return }
        let channel = context.channel
        headerDeadline = context.eventLoop.scheduleTask(in: headerTimeout) {
            channel.close(promise: nil)
        }
    }
}
