package io.loomzk.client.internal;

import javax.security.auth.Subject;

/**
 * The SASL settings a client was built with, as the session reads them. Immutable apart from the
 * password array, which nobody writes after construction; {@link #toString()} never shows it.
 *
 * @param source where the credentials come from
 * @param user the DIGEST-MD5 user (for {@link Source#DIGEST})
 * @param password the DIGEST-MD5 password (for {@link Source#DIGEST}), a private copy
 * @param jaasSection the JAAS login section (for {@link Source#JAAS})
 * @param subject the logged-in subject (for {@link Source#SUBJECT})
 * @param serviceName the Kerberos service name, the first part of {@code service/host}
 * @param serverPrincipal a fixed server principal {@code service/host[@REALM]}, or null
 * @param canonicalizeHostName whether the principal's host is the server's canonical host name
 */
public record SaslConfig(
        Source source,
        String user,
        char[] password,
        String jaasSection,
        Subject subject,
        String serviceName,
        String serverPrincipal,
        boolean canonicalizeHostName) {

    /** Where the credentials come from. */
    public enum Source {
        /** DIGEST-MD5 with a user and password given in code. */
        DIGEST,
        /** A JAAS login section: DIGEST-MD5 options, or a login whose subject speaks Kerberos. */
        JAAS,
        /** Kerberos with a subject the application logged in. */
        SUBJECT
    }

    @Override
    public String toString() {
        return "SaslConfig[" + source
                + (user != null ? ", user " + user + ", password hidden" : "")
                + (jaasSection != null ? ", JAAS section " + jaasSection : "")
                + ", service " + (serverPrincipal != null ? serverPrincipal : serviceName + "/<host>") + "]";
    }
}
