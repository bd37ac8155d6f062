package dev.feedserver.server.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.SocketAddress;

/**
 * Decides, on the event loop, whether a routed request may run: access control and rate
 * limits. It sees the matched route and method, the headers and the peer address, never the
 * body. Implementations must be thread-safe and must not block (no I/O).
 */
@FunctionalInterface
public interface RequestGate {
    /** Admits every request (tests, and servers that configure no control). */
    RequestGate OPEN = (route, method, headers, peer) -> null;

    /** Null to let the request through, else the error to answer (with its headers). */
    ApiException admit(Route route, HttpMethod method, HttpHeaders headers, SocketAddress peer);
}
