package io.loomzk.client.internal;

import io.loomzk.client.ZkException.TlsFailure.Reason;
import java.io.EOFException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * Names the cause of a TLS failure. The cause chain decides first: the JDK's certificate checks
 * leave typed exceptions there ({@link CertificateExpiredException}, a
 * {@link CertPathValidatorException} with its reason, a {@link CertPathBuilderException} for a
 * chain that leads to no trust anchor), and the client's own trust manager leaves a
 * {@link HostnameMismatch}. Only what the JDK reports as text alone is read from the message: a
 * TLS alert from the peer ({@code Received fatal alert: <name>}, the names of RFC 8446), and,
 * for an application's own {@code SSLContext} (whose trust manager the client cannot wrap), the
 * JDK's host name check. Stateless.
 */
final class TlsFailures {
    private static final Set<String> PROTOCOL_ALERTS =
            Set.of("protocol_version", "handshake_failure", "insufficient_security", "illegal_parameter");
    private static final Set<String> CERTIFICATE_ALERTS = Set.of(
            "bad_certificate",
            "certificate_required",
            "unknown_ca",
            "certificate_unknown",
            "certificate_expired",
            "certificate_revoked",
            "unsupported_certificate",
            "access_denied");

    private TlsFailures() {}

    /** Whether {@code e}'s cause chain holds an {@link SSLException}: a failure TLS must name. */
    static boolean isTls(Throwable e) {
        for (Throwable t : chain(e)) {
            if (t instanceof SSLException) {
                return true;
            }
        }
        return false;
    }

    /** The reason {@code e} (an {@link SSLException} or an exception holding one) stands for. */
    static Reason classify(Throwable e) {
        List<Throwable> chain = chain(e);
        for (Throwable t : chain) {
            Reason r = typed(t);
            if (r != null) {
                return r;
            }
        }
        for (Throwable t : chain) {
            String m = t.getMessage() == null ? "" : t.getMessage();
            String alert = alertName(m);
            if (alert != null) {
                if (PROTOCOL_ALERTS.contains(alert)) {
                    return Reason.PROTOCOL_MISMATCH;
                }
                if (CERTIFICATE_ALERTS.contains(alert)) {
                    return Reason.CLIENT_CERTIFICATE_REJECTED;
                }
            }
            if (m.startsWith("No subject alternative") || m.startsWith("No name matching")) {
                return Reason.HOSTNAME_MISMATCH; // the JDK's HostnameChecker, through a user's context
            }
            if (m.startsWith("No appropriate protocol") || m.contains("no cipher suites in common")) {
                return Reason.PROTOCOL_MISMATCH;
            }
            if (m.contains("Unsupported or unrecognized SSL message") || m.contains("plaintext connection")) {
                return Reason.NOT_TLS;
            }
        }
        for (Throwable t : chain) {
            // the peer hung up in the middle of the handshake without an alert: a plain-text
            // server closing on what it took for an oversized frame
            if (t instanceof SSLHandshakeException && t.getCause() instanceof EOFException) {
                return Reason.NOT_TLS;
            }
        }
        return Reason.OTHER;
    }

    private static Reason typed(Throwable t) {
        if (t instanceof HostnameMismatch) {
            return Reason.HOSTNAME_MISMATCH;
        }
        if (t instanceof CertificateExpiredException) {
            return Reason.EXPIRED_CERTIFICATE;
        }
        if (t instanceof CertificateNotYetValidException) {
            return Reason.NOT_YET_VALID_CERTIFICATE;
        }
        if (t instanceof CertPathValidatorException v) {
            if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED) {
                return Reason.EXPIRED_CERTIFICATE;
            }
            if (v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
                return Reason.NOT_YET_VALID_CERTIFICATE;
            }
            if (v.getReason() == PKIXReason.NO_TRUST_ANCHOR
                    || v.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE
                    || v.getReason() == CertPathValidatorException.BasicReason.REVOKED) {
                return Reason.UNTRUSTED_CERTIFICATE;
            }
        }
        if (t instanceof CertPathBuilderException) {
            return Reason.UNTRUSTED_CERTIFICATE; // no path from the server's chain to a trust anchor
        }
        return null;
    }

    /** The alert name of the JDK's "Received fatal alert: name", or null. */
    private static String alertName(String message) {
        String marker = "Received fatal alert: ";
        int at = message.indexOf(marker);
        if (at < 0) {
            return null;
        }
        String rest = message.substring(at + marker.length()).trim();
        int end = 0;
        while (end < rest.length() && (Character.isLetter(rest.charAt(end)) || rest.charAt(end) == '_')) {
            end++;
        }
        return rest.substring(0, end).toLowerCase(Locale.ROOT);
    }

    /** The cause chain and suppressed exceptions, without loops, in order (at most 32). */
    private static List<Throwable> chain(Throwable e) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> ordered = new ArrayList<>();
        ArrayDeque<Throwable> todo = new ArrayDeque<>();
        todo.add(e);
        while (!todo.isEmpty() && ordered.size() < 32) {
            Throwable t = todo.poll();
            if (!seen.add(t)) {
                continue;
            }
            ordered.add(t);
            if (t.getCause() != null) {
                todo.add(t.getCause());
            }
            todo.addAll(List.of(t.getSuppressed()));
        }
        return ordered;
    }

    /** The server's chain is trusted, but does not name the host the client connected to. */
    static final class HostnameMismatch extends CertificateException {
        private static final long serialVersionUID = 1L;

        HostnameMismatch(String host, Throwable cause) {
            super("the server's certificate does not name " + host, cause);
        }
    }
}
