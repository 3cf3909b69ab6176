/**
 * Real Apache ZooKeeper servers for tests, and ways to break them on purpose.
 *
 * <h2>What is here</h2>
 * <ul>
 *   <li>{@link io.loomzk.testing.ZkServer}: a standalone server, in this JVM (ZooKeeper 3.9 through
 *       its public embedded API) or as a child JVM of any line from 3.5 to 3.9
 *       ({@link io.loomzk.testing.ZkVersion}); stop, restart on the same port and data, kill,
 *       pause.
 *   <li>{@link io.loomzk.testing.ZkEnsemble}: 3 or 5 {@code QuorumPeerMain} child JVMs; kill, stop,
 *       start, pause, resume one server and wait for the quorum to settle.
 *   <li>{@link io.loomzk.testing.ZkProxy}: a frame-aware TCP proxy that traces every frame and cuts,
 *       refuses, blackholes, delays, or cuts right after the reply to a chosen op code.
 *   <li>{@link io.loomzk.testing.Sessions#expire}: a real server-side session expiry.
 *   <li>{@link io.loomzk.testing.ZkTest} / {@link io.loomzk.testing.ZkExtension}: the JUnit 5
 *       extension, with {@link io.loomzk.testing.PinningDetector} around every test.
 *   <li>{@link io.loomzk.testing.ZkContainer}: the official Docker image, when Docker is there.
 * </ul>
 *
 * <h2>Design notes</h2>
 * <ul>
 *   <li><b>No {@code module-info.java}.</b> This module needs the ZooKeeper server jar, and
 *       {@code zookeeper} and {@code zookeeper-jute} both contain the packages
 *       {@code org.apache.zookeeper.server.persistence} and {@code org.apache.zookeeper.server.quorum}.
 *       A named module cannot read two modules that split a package, so zk-testing is an
 *       unnamed-module jar meant for the class path, where tests run anyway.
 *   <li><b>Which jars a child runs.</b> Each line's server class path is resolved by Maven in a
 *       hidden module ({@code zk-testing/servers/zookeeper-<line>}) and recorded, relative to the
 *       local repository, in a small descriptor jar; see
 *       {@link io.loomzk.testing.internal.ServerClasspath}. Those jars never reach a test's class
 *       path. Children use this JVM's {@code java} binary.
 *   <li><b>No orphans.</b> A child JVM starts under {@link io.loomzk.testing.internal.ChildMain},
 *       which halts it when its stdin (held by the parent) reaches end-of-file; a shutdown hook
 *       kills children on a normal exit; a one-line shell {@link io.loomzk.testing.internal.Reaper}
 *       SIGKILLs children that are stopped by SIGSTOP when the parent dies, since those run no code.
 *   <li><b>Readiness</b> is asked, never slept for: four-letter words ({@code srvr}, {@code conf},
 *       {@code mntr}, all whitelisted on servers started here) on the client port.
 *   <li><b>Threads.</b> The proxy runs one virtual reader thread per connection and direction; all
 *       locks are {@code ReentrantLock}s, none is held by a reader while it blocks on a socket.
 *   <li><b>Files.</b> Child servers log (through slf4j-simple, INFO) to files under
 *       {@code target/zk-testing/<time>-<pid>/}, which are kept; data directories sit in its
 *       {@code data/} and are deleted when their server closes. In-process servers log through
 *       the test's own slf4j binding.
 * </ul>
 */
package io.loomzk.testing;
