package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkException.TlsFailure.Reason;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** How a TLS failure's cause chain is named (the chains the JDK builds, rebuilt by hand). */
class TlsFailuresTest {
    private static SSLHandshakeException handshake(String message, Throwable cause) {
        SSLHandshakeException e = new SSLHandshakeException(message);
        e.initCause(cause);
        return e;
    }

    @Test
    void typedCausesDecideWhateverTheMessagesSay() {
        CertificateException validator = new CertificateException(
                "PKIX path validation failed",
                new CertPathValidatorException(
                        "validity check failed",
                        new CertificateExpiredException("NotAfter: yesterday"),
                        null,
                        -1,
                        CertPathValidatorException.BasicReason.EXPIRED));
        assertThat(TlsFailures.classify(handshake("Received fatal alert: bad_certificate", validator)))
                .isEqualTo(Reason.EXPIRED_CERTIFICATE);
        assertThat(TlsFailures.classify(handshake("x", new CertificateNotYetValidException("later"))))
                .isEqualTo(Reason.NOT_YET_VALID_CERTIFICATE);
        assertThat(TlsFailures.classify(handshake(
                        "x",
                        new CertificateException(
                                "PKIX path building failed",
                                new CertPathBuilderException("unable to find valid certification path")))))
                .isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        assertThat(TlsFailures.classify(handshake(
                        "x", new CertPathValidatorException("no anchor", null, null, -1, PKIXReason.NO_TRUST_ANCHOR))))
                .isEqualTo(Reason.UNTRUSTED_CERTIFICATE);
        assertThat(TlsFailures.classify(
                        handshake("x", new TlsFailures.HostnameMismatch("zk1", new CertificateException("whatever")))))
                .isEqualTo(Reason.HOSTNAME_MISMATCH);
    }

    @Test
    void alertsFromThePeerAreReadByTheirProtocolNames() {
        assertThat(TlsFailures.classify(new SSLHandshakeException("Received fatal alert: protocol_version")))
                .isEqualTo(Reason.PROTOCOL_MISMATCH);
        assertThat(TlsFailures.classify(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isEqualTo(Reason.PROTOCOL_MISMATCH);
        assertThat(TlsFailures.classify(new SSLException("Received fatal alert: certificate_required")))
                .isEqualTo(Reason.CLIENT_CERTIFICATE_REJECTED);
        assertThat(TlsFailures.classify(
                        new IOException("wrapped", new SSLException("Received fatal alert: unknown_ca"))))
                .isEqualTo(Reason.CLIENT_CERTIFICATE_REJECTED);
    }

    @Test
    void aPeerThatIsNotTlsOrHangsUpInTheHandshakeIsNotTls() {
        assertThat(TlsFailures.classify(new SSLException("Unsupported or unrecognized SSL message")))
                .isEqualTo(Reason.NOT_TLS);
        assertThat(TlsFailures.classify(
                        handshake("Remote host terminated the handshake", new EOFException("SSL peer shut down"))))
                .isEqualTo(Reason.NOT_TLS);
        assertThat(TlsFailures.classify(new SSLException("something new"))).isEqualTo(Reason.OTHER);
    }

    @Test
    void onlyFailuresWithAnSslExceptionInTheirChainAreTls() {
        assertThat(TlsFailures.isTls(new SocketException("Connection reset"))).isFalse();
        assertThat(TlsFailures.isTls(new IOException("x", new SSLException("y"))))
                .isTrue();
        // a cause chain with a loop ends
        IOException a = new IOException("a");
        IOException b = new IOException("b", a);
        a.initCause(b);
        assertThat(TlsFailures.isTls(a)).isFalse();
        assertThat(TlsFailures.classify(a)).isEqualTo(Reason.OTHER);
    }

    @Test
    void sniGoesToHostNamesNotToIpLiterals() {
        assertThat(Transport.isIpLiteral("127.0.0.1")).isTrue();
        assertThat(Transport.isIpLiteral("::1")).isTrue();
        assertThat(Transport.isIpLiteral("fe80::1%eth0")).isTrue();
        assertThat(Transport.isIpLiteral("localhost")).isFalse();
        assertThat(Transport.isIpLiteral("zk1.example.com")).isFalse();
        assertThat(Transport.isIpLiteral("1.2.3.com")).isFalse();
        assertThat(Transport.isIpLiteral("1.2.3")).isFalse();
    }
}
