package io.loomzk.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs a JUnit 5 test class with {@link ZkExtension}: real ZooKeeper servers injected into its
 * tests, a fresh chroot per test, everything closed afterwards, and every test failed on virtual
 * thread pinning in {@code io.loomzk} code.
 *
 * <pre>{@code
 * @ZkTest
 * class LockIT {
 *     @Test
 *     void twoClientsShareALock(@ZkConnectString String connectString, ZkProxy proxy) {
 *         // connectString: 127.0.0.1:<port>/LockIT.twoClientsShareALock-1, a fresh chroot
 *         // proxy: in front of the same server, with the same chroot in proxy.connectString()
 *     }
 * }
 * }</pre>
 *
 * <p>What can be injected, as a test, lifecycle-method or constructor parameter, or into a field
 * annotated {@link ZkInject} (static fields get class-wide objects before {@code @BeforeAll}):
 * <ul>
 *   <li>{@link ZkServer}: one server per test class (the outermost class annotated with this),
 *       started on first use, closed after the class. If a test leaves it stopped, killed or
 *       paused, it is brought back before the next test.
 *   <li>{@link ZkEnsemble}: one ensemble of {@link #ensembleSize()} servers per test class,
 *       started on first use, closed after the class; servers a test left down are brought back
 *       before the next test.
 *   <li>{@link ZkProxy}: a proxy in front of the class's server, for one test (or, injected at
 *       class level, for the class), closed after it; its {@code connectString()} carries the
 *       test's chroot.
 *   <li>{@code @ZkConnectString String}: the class's server's (or ensemble's) connect string
 *       with a chroot created fresh for this test (at class level: for this class).
 * </ul>
 *
 * <p>Needs JUnit Jupiter 5.13 or later (resources are closed as {@link AutoCloseable} store
 * values).
 */
@Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ZkExtension.class)
public @interface ZkTest {
    /** The line the class's server and ensemble run. */
    ZkVersion version() default ZkVersion.V3_9;

    /** Whether the class's server runs in a child JVM (so that tests can kill and pause it). */
    boolean childProcess() default false;

    /** The number of servers of the class's ensemble. */
    int ensembleSize() default 3;

    /** Whether a test fails when a virtual thread is pinned with a frame in {@link #pinningPackages()}. */
    boolean failOnPinning() default true;

    /** The class-name prefixes whose pins fail a test. */
    String[] pinningPackages() default {"io.loomzk."};
}
