package io.loomzk.client.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * What {@code TlsSettings} hold: an application's {@link SSLContext}, or key and trust files,
 * plus protocols, cipher suites and host name verification. Immutable (the passwords inside are
 * private copies, never returned); {@link #toString()} shows no secret.
 *
 * @param context the application's context, or null for files
 * @param key the client's key material, or null for none
 * @param trust the trust material, or null for the JDK's default trust
 * @param protocols protocols to enable (empty: defaults)
 * @param cipherSuites cipher suites to enable (empty: defaults)
 * @param verifyHostname whether the server certificate must match the connect string's host
 * @param onReloadFailure told when changed files do not load, or null
 */
public record TlsSource(
        SSLContext context,
        Material key,
        Material trust,
        List<String> protocols,
        List<String> cipherSuites,
        boolean verifyHostname,
        Consumer<TlsHandshakeFailure> onReloadFailure) {

    /** What kind of file a {@link Material} is. */
    public enum Kind {
        /** A PKCS12 or JKS key store. */
        STORE,
        /** A PEM PKCS#8 private key plus a PEM certificate chain. */
        PEM_KEY,
        /** A PEM bundle of trusted certificates. */
        PEM_TRUST
    }

    /**
     * Key or trust material in files, with the password that opens them (a private copy, never
     * handed out but as a fresh copy to the loader). Immutable.
     */
    public static final class Material {
        private final Kind kind;
        private final Path file;
        private final Path chain;
        private final char[] password;

        private Material(Kind kind, Path file, Path chain, char[] password) {
            this.kind = kind;
            this.file = Objects.requireNonNull(file, "file");
            this.chain = chain;
            this.password = password == null ? null : password.clone();
        }

        public static Material store(Path file, char[] password) {
            return new Material(Kind.STORE, file, null, Objects.requireNonNull(password, "password"));
        }

        public static Material pemKey(Path key, char[] password, Path chain) {
            return new Material(Kind.PEM_KEY, key, Objects.requireNonNull(chain, "certificateChain"), password);
        }

        public static Material pemTrust(Path bundle) {
            return new Material(Kind.PEM_TRUST, bundle, null, null);
        }

        public Kind kind() {
            return kind;
        }

        /** The store, the PEM key, or the PEM bundle. */
        public Path file() {
            return file;
        }

        /** The PEM certificate chain of a {@link Kind#PEM_KEY}, else null. */
        public Path chain() {
            return chain;
        }

        /** A copy of the password (null for none); the caller clears it. */
        char[] passwordCopy() {
            return password == null ? null : password.clone();
        }

        /** The files this material is read from. */
        List<Path> files() {
            return chain == null ? List.of(file) : List.of(file, chain);
        }

        @Override
        public String toString() {
            return switch (kind) {
                case STORE -> "store " + file;
                case PEM_KEY -> "PEM key " + file + " with chain " + chain + (password == null ? "" : " (encrypted)");
                case PEM_TRUST -> "PEM trust " + file;
            };
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        if (context != null) {
            sb.append("context ").append(context.getProtocol());
        } else {
            sb.append("key ").append(key == null ? "none" : key);
            sb.append(", trust ").append(trust == null ? "JDK default" : trust);
        }
        if (!protocols.isEmpty()) {
            sb.append(", protocols ").append(protocols);
        }
        if (!cipherSuites.isEmpty()) {
            sb.append(", cipher suites ").append(cipherSuites);
        }
        sb.append(verifyHostname ? ", host names verified" : ", host names NOT verified");
        return sb.append(']').toString();
    }
}
