package io.loomzk.client;

import java.util.Objects;

/**
 * One write of a {@link ZkClient#multi} transaction. Paths are relative to the chroot and are
 * checked before anything is sent.
 */
public sealed interface Op {

    /** The path the op is about. */
    String path();

    /**
     * Create a node.
     *
     * @param returnStat whether the result carries the new node's {@link io.loomzk.protocol.Stat}
     *     (sent as {@code CREATE2}, whose reply is 68 bytes longer per op); otherwise it is sent as
     *     a plain {@code CREATE} and {@link OpResult.CreateResult#stat()} is null. Container and
     *     TTL creates always return the stat.
     */
    record Create(String path, byte[] data, CreateOptions options, boolean returnStat) implements Op {
        /** Checks the arguments. */
        public Create {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(options, "options");
        }

        /** A create whose result carries no stat. */
        public Create(String path, byte[] data, CreateOptions options) {
            this(path, data, options, false);
        }
    }

    /** Delete a node if its version matches ({@code -1}: any). */
    record Delete(String path, int version) implements Op {
        /** Checks the arguments. */
        public Delete {
            Objects.requireNonNull(path, "path");
        }
    }

    /** Set a node's data if its version matches ({@code -1}: any). */
    record SetData(String path, byte[] data, int version) implements Op {
        /** Checks the arguments. */
        public SetData {
            Objects.requireNonNull(path, "path");
        }
    }

    /** Fail the transaction unless the node's version matches ({@code -1}: exists at all). */
    record Check(String path, int version) implements Op {
        /** Checks the arguments. */
        public Check {
            Objects.requireNonNull(path, "path");
        }
    }

    /**
     * A create op; its {@link OpResult.CreateResult} has the created path and no stat (like the
     * official client's {@code Op.create}), which keeps the reply of a large transaction small.
     */
    static Create create(String path, byte[] data, CreateOptions options) {
        return new Create(path, data, options, false);
    }

    /** A create op whose {@link OpResult.CreateResult} also carries the new node's stat. */
    static Create createWithStat(String path, byte[] data, CreateOptions options) {
        return new Create(path, data, options, true);
    }

    /** A delete op. */
    static Delete delete(String path, int version) {
        return new Delete(path, version);
    }

    /** A set-data op. */
    static SetData setData(String path, byte[] data, int version) {
        return new SetData(path, data, version);
    }

    /** A version check op. */
    static Check check(String path, int version) {
        return new Check(path, version);
    }
}
