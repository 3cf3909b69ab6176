package io.loomzk.testing;

import io.loomzk.testing.internal.Dirs;
import io.loomzk.testing.internal.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.kerby.kerberos.kerb.KrbException;
import org.apache.kerby.kerberos.kerb.server.SimpleKdcServer;

/**
 * A real Kerberos KDC in this JVM (Apache Kerby's {@code SimpleKdcServer}) on a free loopback TCP
 * port, with a throw-away realm, for SASL GSSAPI tests. Needs {@code org.apache.kerby:kerb-simplekdc}
 * on the test class path (an optional dependency of zk-testing).
 *
 * <pre>{@code
 * try (TestKdc kdc = TestKdc.start("EXAMPLE.COM")) {
 *     Path serverKeytab = kdc.createPrincipal("zookeeper/localhost");   // one principal per keytab
 *     Path clientKeytab = kdc.createPrincipal("alice");
 *     ZkServer server = ZkServer.builder()
 *             .kerberos(kdc.qualify("zookeeper/localhost"), serverKeytab, kdc.krb5Conf())
 *             .start();
 *     ...
 * }
 * }</pre>
 *
 * <p>Each keytab holds exactly one principal, so a test that hands a client the wrong keytab
 * really fails to log in. A process that acts as a Kerberos client must point
 * {@code java.security.krb5.conf} at {@link #krb5Conf()} before its first Kerberos call (the JDK
 * reads it once per JVM). Thread-safe; methods block only on the KDC's own work.
 */
public final class TestKdc implements AutoCloseable {
    private final SimpleKdcServer kdc;
    private final String realm;
    private final Path dir;
    private final ReentrantLock lock = new ReentrantLock();

    private TestKdc(SimpleKdcServer kdc, String realm, Path dir) {
        this.kdc = kdc;
        this.realm = realm;
        this.dir = dir;
    }

    /**
     * Starts a KDC for {@code realm} on 127.0.0.1 and a free TCP port (no UDP).
     *
     * @throws IllegalStateException if Kerby cannot start it
     */
    public static TestKdc start(String realm) {
        Objects.requireNonNull(realm, "realm");
        Path dir = Dirs.newTempDir("kdc-");
        try {
            SimpleKdcServer kdc = new SimpleKdcServer();
            kdc.setWorkDir(dir.toFile());
            kdc.setKdcRealm(realm);
            kdc.setKdcHost("127.0.0.1");
            kdc.setAllowUdp(false);
            kdc.setAllowTcp(true);
            kdc.setKdcTcpPort(Ports.free(1)[0]);
            kdc.init();
            kdc.start();
            return new TestKdc(kdc, realm, dir);
        } catch (KrbException e) {
            Dirs.deleteTree(dir);
            throw new IllegalStateException("cannot start a Kerberos KDC for " + realm + ": " + e.getMessage(), e);
        }
    }

    /** The realm, e.g. {@code EXAMPLE.COM}. */
    public String realm() {
        return realm;
    }

    /** {@code name@REALM}. */
    public String qualify(String name) {
        return name.contains("@") ? name : name + "@" + realm;
    }

    /** The {@code krb5.conf} that points at this KDC (for servers and clients alike). */
    public Path krb5Conf() {
        return dir.resolve("krb5.conf");
    }

    /**
     * Creates {@code name} (in this realm) with a random key and exports it, alone, to a new
     * keytab.
     *
     * @return the keytab holding just this principal
     */
    public Path createPrincipal(String name) {
        lock.lock();
        try {
            String principal = qualify(name);
            kdc.createPrincipal(principal);
            Path keytab = dir.resolve(name.replaceAll("[^A-Za-z0-9._-]", "_") + ".keytab");
            Files.deleteIfExists(keytab);
            kdc.getKadmin().exportKeytab(keytab.toFile(), principal);
            return keytab;
        } catch (KrbException | java.io.IOException e) {
            throw new IllegalStateException("cannot create principal " + name + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Creates {@code name} with a password (for password logins); the password is not kept. */
    public void createPrincipal(String name, char[] password) {
        lock.lock();
        try {
            kdc.createPrincipal(qualify(name), new String(password));
        } catch (KrbException e) {
            throw new IllegalStateException("cannot create principal " + name + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    /** Stops the KDC and deletes its files, keytabs included. */
    @Override
    public void close() {
        lock.lock();
        try {
            kdc.stop();
        } catch (KrbException e) {
            throw new IllegalStateException("cannot stop the KDC: " + e.getMessage(), e);
        } finally {
            Dirs.deleteTree(dir);
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return "TestKdc[" + realm + ", " + dir + "]";
    }
}
