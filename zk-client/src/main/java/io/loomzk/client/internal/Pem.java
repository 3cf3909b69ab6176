package io.loomzk.client.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Reads PEM files with the JDK alone: certificates, and PKCS#8 private keys, unencrypted
 * ({@code PRIVATE KEY}) or encrypted ({@code ENCRYPTED PRIVATE KEY}, with whatever password-based
 * scheme the JDK's providers know, PBES2 with AES included). Traditional OpenSSL keys
 * ({@code RSA PRIVATE KEY}, {@code EC PRIVATE KEY}) are refused with the command that converts
 * them. Error messages name what is wrong, never the key or the password. Stateless.
 */
final class Pem {
    private static final String[] KEY_ALGORITHMS = {"RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS", "DSA"};

    private Pem() {}

    /** Whether {@code bytes} look like PEM text. */
    static boolean isPem(byte[] bytes) {
        String head = new String(bytes, 0, Math.min(bytes.length, 256), StandardCharsets.US_ASCII);
        return head.contains("-----BEGIN ");
    }

    /** Every certificate in a PEM file, in order. */
    static List<X509Certificate> certificates(byte[] bytes, String file) throws GeneralSecurityException {
        List<X509Certificate> certs = new ArrayList<>();
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        for (byte[] der : blocks(bytes, "CERTIFICATE")) {
            certs.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(der)));
        }
        if (certs.isEmpty()) {
            throw new GeneralSecurityException("no CERTIFICATE block in " + file);
        }
        return certs;
    }

    /** The one PKCS#8 private key in a PEM file, decrypted with {@code password} if encrypted. */
    static PrivateKey privateKey(byte[] bytes, char[] password, String file) throws GeneralSecurityException {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN RSA PRIVATE KEY-----") || text.contains("-----BEGIN EC PRIVATE KEY-----")) {
            throw new GeneralSecurityException(file + " holds a traditional OpenSSL key; convert it to PKCS#8 with"
                    + " 'openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem' (add -nocrypt for no password)");
        }
        List<byte[]> plain = blocks(bytes, "PRIVATE KEY");
        List<byte[]> encrypted = blocks(bytes, "ENCRYPTED PRIVATE KEY");
        if (plain.size() + encrypted.size() != 1) {
            throw new GeneralSecurityException(
                    file + " must hold exactly one PRIVATE KEY or ENCRYPTED PRIVATE KEY block");
        }
        byte[] pkcs8;
        if (!encrypted.isEmpty()) {
            if (password == null) {
                throw new GeneralSecurityException(file + " is encrypted: give its password");
            }
            pkcs8 = decrypt(encrypted.get(0), password, file);
        } else {
            pkcs8 = plain.get(0);
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
        for (String algorithm : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException notThisOne) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("the key in " + file + " is of no algorithm this JDK reads");
    }

    private static byte[] decrypt(byte[] der, char[] password, String file) throws GeneralSecurityException {
        try {
            EncryptedPrivateKeyInfo info = new EncryptedPrivateKeyInfo(der);
            // PBES2 names its real scheme in its parameters, e.g. PBEWithHmacSHA256AndAES_256
            String algorithm =
                    info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
            PBEKeySpec keySpec = new PBEKeySpec(password);
            try {
                SecretKeyFactory factory = SecretKeyFactory.getInstance(algorithm);
                Cipher cipher = Cipher.getInstance(algorithm);
                cipher.init(Cipher.DECRYPT_MODE, factory.generateSecret(keySpec), info.getAlgParameters());
                return info.getKeySpec(cipher).getEncoded();
            } finally {
                keySpec.clearPassword();
            }
        } catch (IOException e) {
            throw new GeneralSecurityException("the encrypted key in " + file + " is malformed", e);
        } catch (GeneralSecurityException e) {
            throw new GeneralSecurityException(
                    "cannot decrypt the key in " + file + " (wrong password, or a scheme this JDK lacks)", e);
        }
    }

    /** The DER bytes of every {@code -----BEGIN type-----} block. */
    private static List<byte[]> blocks(byte[] bytes, String type) throws GeneralSecurityException {
        String text = new String(bytes, StandardCharsets.US_ASCII);
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        List<byte[]> out = new ArrayList<>();
        int at = 0;
        while ((at = text.indexOf(begin, at)) >= 0) {
            int from = at + begin.length();
            int to = text.indexOf(end, from);
            if (to < 0) {
                throw new GeneralSecurityException("a " + type + " block has no END line");
            }
            try {
                out.add(Base64.getMimeDecoder().decode(text.substring(from, to)));
            } catch (IllegalArgumentException e) {
                throw new GeneralSecurityException("a " + type + " block is not valid base64");
            }
            at = to + end.length();
        }
        return out;
    }
}
