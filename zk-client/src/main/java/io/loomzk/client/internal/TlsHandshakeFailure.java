package io.loomzk.client.internal;

import io.loomzk.client.ZkException.TlsFailure.Reason;
import java.io.IOException;

/**
 * A connection attempt that failed in TLS, classified ({@link TlsFailures}). The session loop
 * keeps the last one for {@code build()} to report as {@code ZkException.TlsFailure}. Immutable.
 */
public final class TlsHandshakeFailure extends IOException {
    private static final long serialVersionUID = 1L;

    private final Reason reason;
    private final String server;
    private final String detail;

    /**
     * @param server {@code host:port}, or null when no server was involved
     * @param detail what the cause says, or null
     * @param cause the JDK's exception
     */
    public TlsHandshakeFailure(Reason reason, String server, String detail, Throwable cause) {
        super(
                "TLS " + (server == null ? "" : "to " + server + " ") + "failed: " + reason.description()
                        + (detail == null ? "" : " (" + detail + ")"),
                cause);
        this.reason = reason;
        this.server = server;
        this.detail = detail;
    }

    public Reason reason() {
        return reason;
    }

    public String server() {
        return server;
    }

    public String detail() {
        return detail;
    }
}
