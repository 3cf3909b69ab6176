package io.loomzk.testing;

import io.loomzk.testing.internal.ServerClasspath;

/**
 * A ZooKeeper release line that {@link ZkServer} and {@link ZkEnsemble} can run: the newest patch
 * release of each line that resolves from Maven Central, chosen by zk-testing's build.
 *
 * <p>{@link #V3_9} (the version on zk-testing's class path) can run in this JVM; every line can
 * run as a child JVM from its own jars (see {@link #version()} for the exact release). Use
 * {@code @EnumSource(ZkVersion.class)} to run a test against every line.
 */
public enum ZkVersion {
    /** ZooKeeper 3.5 (3.5.10): the oldest line a LoomZK client supports. */
    V3_5("3.5"),
    /** ZooKeeper 3.6 (3.6.4): adds persistent watches. */
    V3_6("3.6"),
    /** ZooKeeper 3.7 (3.7.2): adds whoAmI. */
    V3_7("3.7"),
    /** ZooKeeper 3.8 (3.8.6). */
    V3_8("3.8"),
    /** ZooKeeper 3.9 (3.9.5): the default, and the only line that can run in-process. */
    V3_9("3.9");

    /** The line used when none is asked for. */
    public static final ZkVersion DEFAULT = V3_9;

    private final String line;

    ZkVersion(String line) {
        this.line = line;
    }

    /** The line, e.g. {@code "3.6"}. */
    public String line() {
        return line;
    }

    /**
     * The exact release zk-testing runs for this line, e.g. {@code "3.6.4"}.
     *
     * @throws IllegalStateException if this line's descriptor jar is not on the class path
     */
    public String version() {
        return ServerClasspath.version(line);
    }

    /**
     * The line named {@code "3.6"} or {@code "3.6.4"}.
     *
     * @throws IllegalArgumentException if no supported line matches
     */
    public static ZkVersion of(String version) {
        for (ZkVersion v : values()) {
            if (version.equals(v.line) || version.startsWith(v.line + ".")) {
                return v;
            }
        }
        throw new IllegalArgumentException(
                "unsupported ZooKeeper version " + version + "; supported lines: 3.5 to 3.9");
    }

    @Override
    public String toString() {
        return "ZooKeeper " + line;
    }
}
