package io.loomzk.testing;

import java.util.Locale;

/** Whether a TLS server asks its clients for a certificate ({@code ssl.clientAuth}). */
public enum ClientAuth {
    /** No client certificate is asked for. */
    NONE,
    /** A client certificate is asked for; a client without one connects with only an {@code ip} identity. */
    WANT,
    /** A client without a certificate the server trusts is refused. */
    NEED;

    String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
