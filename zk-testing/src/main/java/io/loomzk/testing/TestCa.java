package io.loomzk.testing;

import io.loomzk.testing.internal.Dirs;
import io.loomzk.testing.internal.X509Builder;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A throw-away certificate authority for TLS tests: it makes a CA and issues server and client
 * certificates on the fly, with the JDK alone, and writes them as PKCS12 key and trust stores
 * and as PEM files in a temporary directory that {@link #close()} deletes.
 *
 * <pre>{@code
 * try (TestCa ca = TestCa.create("test-ca")) {
 *     TestCa.Issued server = ca.issue(TestCa.leaf("localhost").dns("localhost").ip("127.0.0.1"));
 *     TestCa.Issued client = ca.issue(TestCa.leaf("alice"));
 *     // server.keyStore(), ca.trustStore(), client.pemCertificate(), ...
 * }
 * }</pre>
 *
 * <p>Keys are EC P-256, certificates X.509 v3 signed with ECDSA-SHA256. Every store is
 * protected by one random password per CA, given out by {@link #storePassword()}; no
 * {@code toString()} here shows it or any key. Thread-safe; nothing blocks beyond file I/O.
 */
public final class TestCa implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration DEFAULT_VALIDITY = Duration.ofDays(30);

    private final String name;
    private final Path dir;
    private final KeyPair keys;
    private final X509Certificate certificate;
    private final char[] password;
    private final Path trustStore;
    private final Path pemCertificate;
    private final AtomicLong serial = new AtomicLong(2);

    private TestCa(String name) {
        this.name = name;
        this.dir = Dirs.newTempDir("ca-" + name + "-");
        this.keys = newKeyPair();
        Instant now = Instant.now();
        this.certificate = new X509Builder()
                .serial(1)
                .issuer(name)
                .subject(name)
                .validity(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)))
                .publicKey(keys.getPublic())
                .certificateAuthority()
                .sign(keys.getPrivate());
        this.password = randomPassword();
        this.trustStore = dir.resolve(name + "-trust.p12");
        this.pemCertificate = dir.resolve(name + ".pem");
        writeTrustStore(trustStore, password, List.of(certificate));
        writePem(pemCertificate, "CERTIFICATE", encoded(certificate));
    }

    /** Makes a new CA whose certificate's subject is {@code CN=commonName}, valid for a year. */
    public static TestCa create(String commonName) {
        return new TestCa(Objects.requireNonNull(commonName, "commonName"));
    }

    /** Starts describing a leaf certificate for {@code commonName}; {@link #issue} signs it. */
    public static Leaf leaf(String commonName) {
        return new Leaf(Objects.requireNonNull(commonName, "commonName"));
    }

    /** The CA's certificate. */
    public X509Certificate certificate() {
        return certificate;
    }

    /** A PKCS12 trust store holding only this CA's certificate. */
    public Path trustStore() {
        return trustStore;
    }

    /** This CA's certificate as a PEM file (a trust store for PEM-reading servers and clients). */
    public Path pemCertificate() {
        return pemCertificate;
    }

    /** The password of every PKCS12 store this CA wrote (a fresh copy; clear it after use). */
    public char[] storePassword() {
        return password.clone();
    }

    /**
     * Issues a certificate and writes it, with its private key, as a PKCS12 key store (alias
     * {@code key}, chain: leaf then CA) and as two PEM files.
     */
    public Issued issue(Leaf leaf) {
        KeyPair pair = newKeyPair();
        Instant now = Instant.now();
        Instant from = leaf.notBefore != null ? leaf.notBefore : now.minus(Duration.ofHours(1));
        Instant to = leaf.notAfter != null ? leaf.notAfter : now.plus(DEFAULT_VALIDITY);
        X509Certificate cert = new X509Builder()
                .serial(serial.getAndIncrement())
                .issuer(name)
                .subject(leaf.commonName)
                .validity(from, to)
                .publicKey(pair.getPublic())
                .dnsNames(leaf.dnsNames)
                .ipAddresses(leaf.ipAddresses)
                .endEntity()
                .sign(keys.getPrivate());
        String base = leaf.commonName.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + cert.getSerialNumber();
        Path keyStore = dir.resolve(base + ".p12");
        Path pemCert = dir.resolve(base + ".pem");
        Path pemKey = dir.resolve(base + "-key.pem");
        writeKeyStore(keyStore, password, pair.getPrivate(), new Certificate[] {cert, certificate});
        writePem(pemCert, "CERTIFICATE", encoded(cert), encoded(certificate));
        writePem(pemKey, "PRIVATE KEY", pair.getPrivate().getEncoded());
        return new Issued(leaf.commonName, cert, pair.getPrivate(), keyStore, pemCert, pemKey);
    }

    /** Deletes every file this CA wrote. */
    @Override
    public void close() {
        Dirs.deleteTree(dir);
    }

    @Override
    public String toString() {
        return "TestCa[CN=" + name + ", " + dir + "]";
    }

    /** What a leaf certificate says: its subject, its alternative names and its validity. */
    public static final class Leaf {
        private final String commonName;
        private final List<String> dnsNames = new ArrayList<>();
        private final List<InetAddress> ipAddresses = new ArrayList<>();
        private Instant notBefore;
        private Instant notAfter;

        private Leaf(String commonName) {
            this.commonName = commonName;
        }

        /** Adds DNS subject alternative names (what host name verification matches). */
        public Leaf dns(String... names) {
            dnsNames.addAll(List.of(names));
            return this;
        }

        /** Adds IP address subject alternative names, e.g. {@code "127.0.0.1"}. */
        public Leaf ip(String... addresses) {
            for (String a : addresses) {
                try {
                    ipAddresses.add(InetAddress.getByName(a));
                } catch (IOException e) {
                    throw new IllegalArgumentException("not an IP address: " + a, e);
                }
            }
            return this;
        }

        /** The validity period (default: from an hour ago for 30 days); a past one makes it expired. */
        public Leaf validity(Instant notBefore, Instant notAfter) {
            this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
            this.notAfter = Objects.requireNonNull(notAfter, "notAfter");
            return this;
        }
    }

    /**
     * A certificate this CA issued, its private key and the files that hold them. The key store
     * and its key use {@link TestCa#storePassword()}.
     */
    public record Issued(
            String commonName,
            X509Certificate certificate,
            PrivateKey privateKey,
            Path keyStore,
            Path pemCertificate,
            Path pemPrivateKey) {
        @Override
        public String toString() {
            return "Issued[CN=" + commonName + ", serial " + certificate.getSerialNumber() + ", " + keyStore + "]";
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot make EC P-256 keys", e);
        }
    }

    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).toCharArray();
    }

    private static byte[] encoded(Certificate cert) {
        try {
            return cert.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writePem(Path file, String type, byte[]... blocks) {
        StringBuilder text = new StringBuilder();
        for (byte[] block : blocks) {
            text.append("-----BEGIN ").append(type).append("-----\n");
            text.append(Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(block));
            text.append("\n-----END ").append(type).append("-----\n");
        }
        try {
            Files.writeString(file, text, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void writeKeyStore(Path file, char[] password, PrivateKey key, Certificate[] chain) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("key", key, password, chain);
            save(store, file, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write key store " + file, e);
        }
    }

    private static void writeTrustStore(Path file, char[] password, List<X509Certificate> certs) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certs.size(); i++) {
                store.setCertificateEntry("ca-" + i, certs.get(i));
            }
            save(store, file, password);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write trust store " + file, e);
        }
    }

    private static void save(KeyStore store, Path file, char[] password) throws GeneralSecurityException, IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            store.store(out, password);
        }
    }
}
