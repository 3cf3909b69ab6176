package io.loomzk.client;

import io.loomzk.protocol.CheckVersionRequest;
import io.loomzk.protocol.Create2Response;
import io.loomzk.protocol.CreateMode;
import io.loomzk.protocol.CreateRequest;
import io.loomzk.protocol.CreateResponse;
import io.loomzk.protocol.CreateTTLRequest;
import io.loomzk.protocol.DeleteRequest;
import io.loomzk.protocol.ErrorResponse;
import io.loomzk.protocol.GetChildrenRequest;
import io.loomzk.protocol.GetChildrenResponse;
import io.loomzk.protocol.GetDataRequest;
import io.loomzk.protocol.GetDataResponse;
import io.loomzk.protocol.MultiRequest;
import io.loomzk.protocol.MultiResponse;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.SetDataRequest;
import io.loomzk.protocol.SetDataResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Translates {@link Op}s and {@link ReadOp}s into a {@code MultiRequest}, and a
 * {@code MultiResponse} into {@link OpResult}s, mapping paths through the chroot. Immutable.
 */
final class MultiTranslation {
    private final ClientPaths paths;

    MultiTranslation(ClientPaths paths) {
        this.paths = paths;
    }

    /** The request of a {@code multi}: plain creates carry no stat in the reply unless asked for. */
    MultiRequest writes(List<Op> ops) {
        List<MultiRequest.Op> wire = new ArrayList<>(ops.size());
        for (Op op : ops) {
            wire.add(toWire(op));
        }
        return new MultiRequest(wire);
    }

    /** The request of a {@code multiRead}. */
    MultiRequest reads(List<ReadOp> ops) {
        List<MultiRequest.Op> wire = new ArrayList<>(ops.size());
        for (ReadOp op : ops) {
            wire.add(
                    switch (op) {
                        case ReadOp.GetData g ->
                            new MultiRequest.Op(OpCode.GET_DATA, new GetDataRequest(paths.server(g.path()), false));
                        case ReadOp.GetChildren g ->
                            new MultiRequest.Op(
                                    OpCode.GET_CHILDREN, new GetChildrenRequest(paths.server(g.path()), false));
                    });
        }
        return new MultiRequest(wire);
    }

    private MultiRequest.Op toWire(Op op) {
        return switch (op) {
            case Op.Create c -> {
                CreateMode mode = c.options().mode();
                String p = paths.forCreate(c.path(), mode);
                yield mode.isTtl()
                        ? new MultiRequest.Op(
                                OpCode.CREATE_TTL,
                                new CreateTTLRequest(
                                        p,
                                        c.data(),
                                        c.options().acl(),
                                        mode.flag(),
                                        c.options().ttlMillis()))
                        : new MultiRequest.Op(
                                mode.isContainer()
                                        ? OpCode.CREATE_CONTAINER
                                        : c.returnStat() ? OpCode.CREATE2 : OpCode.CREATE,
                                new CreateRequest(p, c.data(), c.options().acl(), mode.flag()));
            }
            case Op.Delete d ->
                new MultiRequest.Op(OpCode.DELETE, new DeleteRequest(paths.forDelete(d.path()), d.version()));
            case Op.SetData s ->
                new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest(paths.server(s.path()), s.data(), s.version()));
            case Op.Check c ->
                new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest(paths.server(c.path()), c.version()));
        };
    }

    /** One result per op, in order; paths relative to the chroot. */
    List<OpResult> results(MultiResponse r) {
        List<OpResult> results = new ArrayList<>(r.results().size());
        for (MultiResponse.Result result : r.results()) {
            results.add(
                    switch (result.type()) {
                        case CREATE ->
                            new OpResult.CreateResult(paths.client(((CreateResponse) result.body()).path()), null);
                        case CREATE2 -> {
                            Create2Response c = (Create2Response) result.body();
                            yield new OpResult.CreateResult(paths.client(c.path()), c.stat());
                        }
                        case DELETE -> new OpResult.DeleteResult();
                        case CHECK -> new OpResult.CheckResult();
                        case SET_DATA -> new OpResult.SetDataResult(((SetDataResponse) result.body()).stat());
                        case GET_DATA -> {
                            GetDataResponse g = (GetDataResponse) result.body();
                            yield new OpResult.GetDataResult(new NodeData(g.data(), g.stat()));
                        }
                        case GET_CHILDREN -> {
                            List<String> names = ((GetChildrenResponse) result.body()).children();
                            yield new OpResult.GetChildrenResult(names == null ? List.of() : names);
                        }
                        default -> new OpResult.ErrorResult(((ErrorResponse) result.body()).err());
                    });
        }
        return Collections.unmodifiableList(results);
    }
}
