package io.loomzk.client.internal;

/**
 * What the session's last connection attempts said about TLS: how many in a row failed in TLS,
 * and the last such failure. Not thread-safe: the session guards it with its lock.
 */
final class TlsAttempts {
    private int inARow;
    private TlsHandshakeFailure last;
    private String lastLogged;

    /**
     * Notes one attempt.
     *
     * @param tls its TLS failure, or null
     * @param failed whether it failed at all (a handshake that got through clears everything)
     */
    void note(TlsHandshakeFailure tls, boolean failed) {
        if (tls != null) {
            inARow++;
            last = tls;
        } else {
            inARow = 0;
            if (!failed) {
                last = null;
                lastLogged = null;
            }
        }
    }

    /** Whether {@code tls} says something the log has not said since the last success. */
    boolean isNew(TlsHandshakeFailure tls) {
        String key = tls.reason() + " " + tls.server();
        if (key.equals(lastLogged)) {
            return false;
        }
        lastLogged = key;
        return true;
    }

    /** The last TLS failure if the last {@code hosts} attempts all failed in TLS, else null. */
    TlsHandshakeFailure refusedByAll(int hosts) {
        return inARow >= Math.max(1, hosts) ? last : null;
    }

    /** The last TLS failure since the last attempt that got through, or null. */
    TlsHandshakeFailure last() {
        return last;
    }
}
