package io.loomzk.testing.internal;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and signs an X.509 v3 certificate (RFC 5280) with ECDSA-SHA256, from DER written by
 * hand: the JDK verifies certificates but has no public API to make one. The result is parsed
 * back by the JDK's {@link CertificateFactory}, so a malformed encoding fails here, not in a
 * handshake. Not thread-safe; one builder per certificate.
 */
public final class X509Builder {
    private static final String ECDSA_SHA256 = "1.2.840.10045.4.3.2";
    private static final String COMMON_NAME = "2.5.4.3";
    private static final String BASIC_CONSTRAINTS = "2.5.29.19";
    private static final String KEY_USAGE = "2.5.29.15";
    private static final String SUBJECT_ALT_NAME = "2.5.29.17";
    private static final String EXT_KEY_USAGE = "2.5.29.37";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DIGITAL_SIGNATURE = 0;
    private static final int KEY_ENCIPHERMENT = 2;
    private static final int KEY_CERT_SIGN = 5;
    private static final int CRL_SIGN = 6;

    private long serial = 1;
    private String issuer;
    private String subject;
    private Instant notBefore;
    private Instant notAfter;
    private PublicKey publicKey;
    private boolean ca;
    private final List<String> dnsNames = new ArrayList<>();
    private final List<InetAddress> ipAddresses = new ArrayList<>();

    public X509Builder serial(long serial) {
        this.serial = serial;
        return this;
    }

    /** The issuer's common name (the only attribute of its name). */
    public X509Builder issuer(String commonName) {
        this.issuer = commonName;
        return this;
    }

    /** The subject's common name (the only attribute of its name). */
    public X509Builder subject(String commonName) {
        this.subject = commonName;
        return this;
    }

    public X509Builder validity(Instant notBefore, Instant notAfter) {
        this.notBefore = notBefore;
        this.notAfter = notAfter;
        return this;
    }

    public X509Builder publicKey(PublicKey key) {
        this.publicKey = key;
        return this;
    }

    /** A CA certificate: basic constraints CA, key usage certificate and CRL signing. */
    public X509Builder certificateAuthority() {
        this.ca = true;
        return this;
    }

    /** An end-entity certificate for TLS servers and clients (both extended key usages). */
    public X509Builder endEntity() {
        this.ca = false;
        return this;
    }

    public X509Builder dnsNames(List<String> names) {
        dnsNames.addAll(names);
        return this;
    }

    public X509Builder ipAddresses(List<InetAddress> addresses) {
        ipAddresses.addAll(addresses);
        return this;
    }

    /** Signs with the issuer's key and returns the certificate as the JDK parses it. */
    public X509Certificate sign(PrivateKey issuerKey) {
        byte[] algorithm = Der.sequence(Der.oid(ECDSA_SHA256));
        byte[] tbs = Der.sequence(
                Der.tagged(0, true, Der.integer(BigInteger.TWO)), // v3
                Der.integer(BigInteger.valueOf(serial)),
                algorithm,
                name(issuer),
                Der.sequence(Der.time(notBefore), Der.time(notAfter)),
                name(subject),
                publicKey.getEncoded(), // SubjectPublicKeyInfo, already DER
                Der.tagged(3, true, Der.sequence(extensions())));
        try {
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(issuerKey);
            signer.update(tbs);
            byte[] der = Der.sequence(tbs, algorithm, Der.bits(signer.sign()));
            return (X509Certificate)
                    CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a certificate for " + subject, e);
        }
    }

    private byte[][] extensions() {
        List<byte[]> list = new ArrayList<>();
        if (ca) {
            list.add(extension(BASIC_CONSTRAINTS, true, Der.sequence(Der.bool(true))));
            list.add(extension(KEY_USAGE, true, Der.namedBits(KEY_CERT_SIGN, CRL_SIGN)));
        } else {
            list.add(extension(BASIC_CONSTRAINTS, true, Der.sequence()));
            list.add(extension(KEY_USAGE, true, Der.namedBits(DIGITAL_SIGNATURE, KEY_ENCIPHERMENT)));
            list.add(extension(EXT_KEY_USAGE, false, Der.sequence(Der.oid(SERVER_AUTH), Der.oid(CLIENT_AUTH))));
            if (!dnsNames.isEmpty() || !ipAddresses.isEmpty()) {
                List<byte[]> names = new ArrayList<>();
                for (String dns : dnsNames) {
                    names.add(Der.tagged(2, false, dns.getBytes(StandardCharsets.US_ASCII)));
                }
                for (InetAddress ip : ipAddresses) {
                    names.add(Der.tagged(7, false, ip.getAddress()));
                }
                list.add(extension(SUBJECT_ALT_NAME, false, Der.sequence(names.toArray(byte[][]::new))));
            }
        }
        return list.toArray(byte[][]::new);
    }

    private static byte[] extension(String oid, boolean critical, byte[] value) {
        return critical
                ? Der.sequence(Der.oid(oid), Der.bool(true), Der.octets(value))
                : Der.sequence(Der.oid(oid), Der.octets(value));
    }

    private static byte[] name(String commonName) {
        return Der.sequence(Der.set(Der.sequence(Der.oid(COMMON_NAME), Der.utf8(commonName))));
    }
}
