package io.loomzk.client;

import io.loomzk.client.internal.TlsSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * How a client talks TLS to the servers: its trust (which server certificates it accepts), its own
 * certificate for client-certificate authentication, protocols and cipher suites, and host name
 * verification. Immutable and thread-safe; several clients may share one.
 *
 * <p>Material comes either from an {@link SSLContext} the application built, or from files:
 * PKCS12 or JKS stores, or PEM (a PKCS#8 private key, encrypted or not, with its certificate
 * chain; a bundle of trusted certificates). Without trust material the JDK's default trust store
 * is used. Files are read again before every connection attempt: when their content changed, the
 * next connection uses the new material, without rebuilding the client. A changed file that does
 * not load (half written, wrong password, a key that does not match its certificate) is not used:
 * the last material that loaded stays in use, the failure is logged once (at {@code WARNING}) and
 * handed to {@link Builder#onReloadFailure}. Write new files next to the old ones and rename them
 * into place, so that no attempt reads half of one.
 *
 * <p>Host name verification is on: the server's certificate must name the host as the connect
 * string writes it (a DNS name, or an IP address for an IP literal), as HTTPS does. SNI is sent
 * for host names, not for IP literals. {@link Builder#withoutHostnameVerification()} turns
 * verification off; chain validation stays on.
 *
 * <p>Passwords are copied in as {@code char[]} and never printed; {@link #toString()} shows the
 * files, not the secrets.
 *
 * <pre>{@code
 * TlsSettings tls = TlsSettings.builder()
 *         .trustStore(Path.of("truststore.p12"), trustPassword)
 *         .keyStore(Path.of("client.p12"), keyPassword)
 *         .build();
 * ZkClient zk = ZkClient.builder("zk1.example.com:2281").tls(tls).build();
 * }</pre>
 */
public final class TlsSettings {
    private final TlsSource source;

    private TlsSettings(TlsSource source) {
        this.source = source;
    }

    /** Starts describing TLS settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings that use {@code context} as it is, with host name verification on and the context's
     * default protocols and cipher suites.
     */
    public static TlsSettings of(SSLContext context) {
        return builder().context(context).build();
    }

    /** Whether the server's certificate must match the connect string's host. */
    public boolean verifiesHostname() {
        return source.verifyHostname();
    }

    /** The protocols enabled (empty: the context's defaults). */
    public List<String> protocols() {
        return source.protocols();
    }

    /** The cipher suites enabled (empty: the context's defaults). */
    public List<String> cipherSuites() {
        return source.cipherSuites();
    }

    TlsSource source() {
        return source;
    }

    @Override
    public String toString() {
        return "TlsSettings" + source;
    }

    /**
     * What {@link TlsSettings} are made of. Not thread-safe. A store or PEM file is checked only
     * for being given; it is read when a client is built ({@link ZkClientBuilder#build()} fails
     * with {@link ZkException.TlsFailure} if it cannot be), and again before every connection.
     */
    public static final class Builder {
        private SSLContext context;
        private TlsSource.Material key;
        private TlsSource.Material trust;
        private final List<String> protocols = new ArrayList<>();
        private final List<String> cipherSuites = new ArrayList<>();
        private boolean verifyHostname = true;
        private Consumer<ZkException.TlsFailure> onReloadFailure;

        private Builder() {}

        /**
         * Uses an {@link SSLContext} the application built (trust, keys, provider); no files are
         * read then, and nothing is reloaded. Excludes the store and PEM methods.
         */
        public Builder context(SSLContext context) {
            this.context = Objects.requireNonNull(context, "context");
            return this;
        }

        /**
         * The client's certificate and private key, from a PKCS12 or JKS store (the type is read
         * from the file) holding one private key entry; the key's password is the store's.
         * For client-certificate authentication ({@code x509}).
         *
         * @param password copied; clear your array afterwards if you like
         */
        public Builder keyStore(Path file, char[] password) {
            this.key = TlsSource.Material.store(file, password);
            return this;
        }

        /**
         * The client's certificate and private key, from PEM: an unencrypted PKCS#8 key
         * ({@code BEGIN PRIVATE KEY}) and its certificate chain, leaf first.
         */
        public Builder pemKey(Path privateKey, Path certificateChain) {
            this.key = TlsSource.Material.pemKey(privateKey, null, certificateChain);
            return this;
        }

        /**
         * The client's certificate and private key, from PEM: an encrypted PKCS#8 key
         * ({@code BEGIN ENCRYPTED PRIVATE KEY}, PBES2 as {@code openssl pkcs8 -topk8 -v2 aes-256-cbc}
         * writes it) and its certificate chain, leaf first.
         */
        public Builder pemKey(Path privateKey, char[] password, Path certificateChain) {
            this.key = TlsSource.Material.pemKey(
                    privateKey, Objects.requireNonNull(password, "password"), certificateChain);
            return this;
        }

        /** The certificates to trust, from a PKCS12 or JKS store (the type is read from the file). */
        public Builder trustStore(Path file, char[] password) {
            this.trust = TlsSource.Material.store(file, password);
            return this;
        }

        /** The certificates to trust, from a PEM bundle of one or more {@code CERTIFICATE}s. */
        public Builder pemTrust(Path bundle) {
            this.trust = TlsSource.Material.pemTrust(bundle);
            return this;
        }

        /** The protocols to enable, e.g. {@code "TLSv1.3"}; default: the JDK's (TLSv1.3 and TLSv1.2). */
        public Builder protocols(String... protocols) {
            this.protocols.clear();
            this.protocols.addAll(List.of(protocols));
            return this;
        }

        /** The cipher suites to enable; default: the JDK's. */
        public Builder cipherSuites(String... suites) {
            this.cipherSuites.clear();
            this.cipherSuites.addAll(List.of(suites));
            return this;
        }

        /**
         * Turns host name verification off: any certificate the trust material accepts is taken,
         * whatever host it names. Only for servers whose certificates cannot name them (and
         * where who holds a trusted certificate is controlled otherwise): anyone with a
         * certificate from the same CA can then stand in for the servers.
         */
        public Builder withoutHostnameVerification() {
            this.verifyHostname = false;
            return this;
        }

        /**
         * Called (on the session's thread; keep it short) when changed key or trust files do not
         * load; the last material that loaded stays in use. Default: only the log.
         */
        public Builder onReloadFailure(Consumer<ZkException.TlsFailure> listener) {
            this.onReloadFailure = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /**
         * The settings.
         *
         * @throws IllegalStateException if both a context and files were given
         */
        public TlsSettings build() {
            if (context != null && (key != null || trust != null)) {
                throw new IllegalStateException("give either an SSLContext or key and trust files, not both");
            }
            return new TlsSettings(new TlsSource(
                    context,
                    key,
                    trust,
                    List.copyOf(protocols),
                    List.copyOf(cipherSuites),
                    verifyHostname,
                    onReloadFailure == null ? null : e -> onReloadFailure.accept(ZkException.TlsFailure.of(e))));
        }
    }
}
