package io.loomzk.client;

import io.loomzk.protocol.ErrorCode;
import io.loomzk.protocol.Stat;
import java.util.List;

/** The result of one op of a {@link ZkClient#multi} or {@link ZkClient#multiRead}. */
public sealed interface OpResult {

    /**
     * A node was created, at {@code path} (relative to the chroot) with {@code stat}; the stat is
     * null for an {@link Op#create} (ask with {@link Op#createWithStat}), and always present for
     * container and TTL creates.
     */
    record CreateResult(String path, Stat stat) implements OpResult {}

    /** A node was deleted. */
    record DeleteResult() implements OpResult {}

    /** A node's data was set; {@code stat} is its new stat. */
    record SetDataResult(Stat stat) implements OpResult {}

    /** A version check passed. */
    record CheckResult() implements OpResult {}

    /** A node's data was read. */
    record GetDataResult(NodeData node) implements OpResult {}

    /** A node's children were listed. */
    record GetChildrenResult(List<String> names) implements OpResult {}

    /**
     * The op failed with {@code rawCode}, or, in a failed {@code multi}, was not applied because
     * another op failed ({@link ErrorCode#RUNTIME_INCONSISTENCY} or {@link ErrorCode#OK}).
     */
    record ErrorResult(int rawCode) implements OpResult {
        /** The code as an enum. */
        public ErrorCode code() {
            return ErrorCode.of(rawCode);
        }
    }
}
