package io.loomzk.client.internal;

import io.loomzk.client.ZkException.TlsFailure.Reason;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The {@link SSLContext} a client's next TLS connection uses. For an application's context, that
 * context. For files: before every attempt the files are read, and when their bytes differ from
 * those of the context in use a new context is built from exactly the bytes read (so a file
 * rewritten meanwhile cannot mix two versions). Changed files that do not load leave the last
 * good context in use; the failure is logged once per content and handed to the settings'
 * listener. Thread-safe (one lock; the session loop is the only frequent caller).
 */
final class TlsContexts {
    private static final System.Logger LOG = System.getLogger(TlsContexts.class.getName());

    private final TlsSource source;
    private final ReentrantLock lock = new ReentrantLock();
    /** Guarded by lock: the context in use and the digest of the bytes it was built from. */
    private SSLContext current;

    private byte[] currentDigest;
    /** Guarded by lock: the digest of the last content that failed to load, or why a file was unreadable. */
    private byte[] failedDigest;

    TlsContexts(TlsSource source) {
        this.source = source;
    }

    /**
     * The context to use now, built again if the files changed.
     *
     * @throws TlsHandshakeFailure ({@link Reason#MATERIAL}) if there is no good context: the files
     *     never loaded
     */
    SSLContext current() throws TlsHandshakeFailure {
        if (source.context() != null) {
            return source.context();
        }
        lock.lock();
        try {
            byte[][] contents;
            byte[] digest;
            try {
                contents = readAll();
                digest = digest(contents);
            } catch (IOException e) {
                // an unreadable file is reported once per reason, as a changed content is
                byte[] reason = e.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                return fallBack(reason, new TlsHandshakeFailure(Reason.MATERIAL, null, e.toString(), e));
            }
            if (current != null && Arrays.equals(digest, currentDigest)) {
                return current;
            }
            try {
                SSLContext built = build(contents);
                boolean rotated = current != null;
                current = built;
                currentDigest = digest;
                failedDigest = null;
                if (rotated) {
                    LOG.log(Level.INFO, () -> "TLS material changed; new connections use it: " + source);
                }
                return built;
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                return fallBack(digest, new TlsHandshakeFailure(Reason.MATERIAL, null, e.getMessage(), e));
            }
        } finally {
            lock.unlock();
        }
    }

    private SSLContext fallBack(byte[] digest, TlsHandshakeFailure failure) throws TlsHandshakeFailure {
        if (current == null) {
            throw failure;
        }
        if (!Arrays.equals(digest, failedDigest)) {
            failedDigest = digest;
            LOG.log(
                    Level.WARNING,
                    () -> "changed TLS material does not load; the last good material stays in use: "
                            + failure.getMessage());
            if (source.onReloadFailure() != null) {
                source.onReloadFailure().accept(failure);
            }
        }
        return current;
    }

    /** The bytes of every file: key files first, then trust files. */
    private byte[][] readAll() throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        if (source.key() != null) {
            files.addAll(source.key().files());
        }
        if (source.trust() != null) {
            files.addAll(source.trust().files());
        }
        byte[][] contents = new byte[files.size()][];
        for (int i = 0; i < contents.length; i++) {
            contents[i] = Files.readAllBytes(files.get(i));
        }
        return contents;
    }

    private static byte[] digest(byte[][] contents) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (byte[] c : contents) {
                sha.update(Integer.toString(c.length).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                sha.update((byte) 0);
                sha.update(c);
            }
            return sha.digest();
        } catch (GeneralSecurityException e) {
            throw new IOException("this JDK has no SHA-256", e);
        }
    }

    private SSLContext build(byte[][] contents) throws GeneralSecurityException, IOException {
        int next = 0;
        KeyManager[] keyManagers = null;
        if (source.key() != null) {
            TlsSource.Material key = source.key();
            byte[] chain = key.chain() != null ? contents[next + 1] : null;
            keyManagers = keyManagers(key, contents[next], chain);
            next += key.files().size();
        }
        TrustManager[] trustManagers;
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (source.trust() != null) {
            tmf.init(trustStore(source.trust(), contents[next]));
        } else {
            tmf.init((KeyStore) null); // the JDK's default trust
        }
        trustManagers = wrap(tmf.getTrustManagers());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers, trustManagers, new SecureRandom());
        return context;
    }

    private static KeyManager[] keyManagers(TlsSource.Material key, byte[] content, byte[] chainContent)
            throws GeneralSecurityException, IOException {
        char[] password = key.passwordCopy();
        char[] inner = null;
        try {
            KeyStore store;
            char[] storePassword;
            if (key.kind() == TlsSource.Kind.PEM_KEY) {
                PrivateKey privateKey =
                        Pem.privateKey(content, password, key.file().toString());
                List<X509Certificate> chain =
                        Pem.certificates(chainContent, key.chain().toString());
                checkPair(privateKey, chain.get(0), key);
                inner = randomPassword();
                store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                store.setKeyEntry("key", privateKey, inner, chain.toArray(new Certificate[0]));
                storePassword = inner;
            } else {
                store = load(content, password, key.file());
                storePassword = password;
                int keys = 0;
                for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
                    if (store.isKeyEntry(aliases.nextElement())) {
                        keys++;
                    }
                }
                if (keys == 0) {
                    throw new GeneralSecurityException(key.file() + " holds no private key entry");
                }
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, storePassword);
            return kmf.getKeyManagers();
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
            if (inner != null) {
                Arrays.fill(inner, '\0');
            }
        }
    }

    /** Refuses a key that does not belong to its certificate (one file rotated, not the other). */
    private static void checkPair(PrivateKey key, X509Certificate cert, TlsSource.Material material)
            throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            case "DSA" -> "SHA256withDSA";
            default -> null;
        };
        if (algorithm == null) {
            return; // RSASSA-PSS and others: the handshake will tell
        }
        byte[] probe = new byte[32];
        new SecureRandom().nextBytes(probe);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(probe);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(cert.getPublicKey());
        verifier.update(probe);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the private key " + material.file()
                    + " does not belong to the first certificate of " + material.chain());
        }
    }

    private static KeyStore trustStore(TlsSource.Material trust, byte[] content)
            throws GeneralSecurityException, IOException {
        if (trust.kind() == TlsSource.Kind.PEM_TRUST || Pem.isPem(content)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            List<X509Certificate> certs = Pem.certificates(content, trust.file().toString());
            for (int i = 0; i < certs.size(); i++) {
                store.setCertificateEntry("trusted-" + i, certs.get(i));
            }
            return store;
        }
        char[] password = trust.passwordCopy();
        try {
            KeyStore store = load(content, password, trust.file());
            if (store.size() == 0) {
                throw new GeneralSecurityException(trust.file() + " holds no certificate");
            }
            return store;
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    /** Loads a PKCS12 or JKS store, telling the two apart by their first bytes. */
    private static KeyStore load(byte[] content, char[] password, Path file)
            throws GeneralSecurityException, IOException {
        boolean jks = content.length >= 4
                && ((content[0] & 0xff) == 0xfe
                        && (content[1] & 0xff) == 0xed
                        && (content[2] & 0xff) == 0xfe
                        && (content[3] & 0xff) == 0xed);
        KeyStore store = KeyStore.getInstance(jks ? "JKS" : "PKCS12");
        try {
            store.load(new ByteArrayInputStream(content), password);
        } catch (IOException e) {
            // the JDK's message (e.g. "keystore password was incorrect") names no secret
            throw new IOException(
                    "cannot read " + (jks ? "JKS" : "PKCS12") + " store " + file + ": " + e.getMessage(), e);
        }
        return store;
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes).toCharArray();
    }

    private static TrustManager[] wrap(TrustManager[] managers) {
        TrustManager[] out = managers.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] instanceof X509ExtendedTrustManager x) {
                out[i] = new NamingTrustManager(x);
            }
        }
        return out;
    }

    /**
     * The JDK's trust manager, which checks the chain and then the host name in one call, with one
     * addition: when that fails, it checks the chain alone, and if the chain passes, the failure
     * was the host name, which it then says with a {@link TlsFailures.HostnameMismatch}.
     */
    private static final class NamingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;

        NamingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                String host = socket instanceof SSLSocket s
                        ? hostChecked(
                                s.getSSLParameters(),
                                s.getHandshakeSession() == null
                                        ? null
                                        : s.getHandshakeSession().getPeerHost())
                        : null;
                throw named(chain, authType, host, e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw named(chain, authType, hostChecked(engine.getSSLParameters(), engine.getPeerHost()), e);
            }
        }

        /** The host a failed check was about, or null if no host name was checked. */
        private static String hostChecked(SSLParameters parameters, String peerHost) {
            String algorithm = parameters.getEndpointIdentificationAlgorithm();
            return algorithm == null || algorithm.isEmpty() ? null : peerHost;
        }

        private CertificateException named(
                X509Certificate[] chain, String authType, String host, CertificateException e) {
            if (host == null) {
                return e;
            }
            try {
                delegate.checkServerTrusted(chain, authType); // the chain alone, no host name
            } catch (CertificateException chainFailed) {
                return e;
            }
            return new TlsFailures.HostnameMismatch(host, e);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
