package io.loomzk.client;

import java.util.Objects;

/**
 * One write of a {@link ZkClient#multi} transaction. Paths are relative to the chroot and are
 * checked before anything is sent.
 */
public sealed interface Op {

    /** The path the op is about. */
    String path();

    /** Create a node. */
    record Create(String path, byte[] data, CreateOptions options) implements Op {
        /** Checks the arguments. */
        public Create {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(options, "options");
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

    /** A create op. */
    static Create create(String path, byte[] data, CreateOptions options) {
        return new Create(path, data, options);
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
