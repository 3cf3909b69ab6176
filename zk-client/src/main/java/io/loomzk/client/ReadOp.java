package io.loomzk.client;

import java.util.Objects;

/** One read of a {@link ZkClient#multiRead}: reads that are served together, each with its own result. */
public sealed interface ReadOp {

    /** The path the read is about. */
    String path();

    /** Read a node's data and stat. */
    record GetData(String path) implements ReadOp {
        /** Checks the argument. */
        public GetData {
            Objects.requireNonNull(path, "path");
        }
    }

    /** List a node's children. */
    record GetChildren(String path) implements ReadOp {
        /** Checks the argument. */
        public GetChildren {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A get-data read. */
    static GetData getData(String path) {
        return new GetData(path);
    }

    /** A get-children read. */
    static GetChildren getChildren(String path) {
        return new GetChildren(path);
    }
}
