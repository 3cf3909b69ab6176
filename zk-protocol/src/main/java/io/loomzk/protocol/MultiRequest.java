package io.loomzk.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The body of a {@link OpCode#MULTI} (all-or-nothing writes) or {@link OpCode#MULTI_READ} request:
 * each op as a {@link MultiHeader} ({@code type}, {@code done=false}, {@code err=-1}) followed by
 * its body, then a terminating header ({@code -1, true, -1}).
 *
 * <p>Not a jute class: Apache ZooKeeper writes this shape by hand ({@code MultiOperationRecord}),
 * and so does this record. The list is not copied.
 */
public record MultiRequest(List<MultiRequest.Op> ops) implements Request {
    private static final int END_TYPE = -1;

    /**
     * One op of a multi: its op code and body.
     *
     * @param type create, create2, createContainer, createTTL, delete, setData, check (in a
     *     {@code multi}); getData, getChildren (in a {@code multiRead})
     * @param body the body {@link OpCode#requestType()} says {@code type} takes
     */
    public record Op(OpCode type, Request body) {
        /** Checks that the op code can appear in a multi and that the body fits it. */
        public Op {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(body, "body");
            switch (type) {
                case CREATE,
                        CREATE2,
                        CREATE_CONTAINER,
                        CREATE_TTL,
                        DELETE,
                        SET_DATA,
                        CHECK,
                        GET_DATA,
                        GET_CHILDREN -> {}
                default -> throw new IllegalArgumentException(type + " cannot be part of a multi");
            }
            if (type.requestType() != body.getClass()) {
                throw new IllegalArgumentException(
                        type + " takes a " + type.requestType().getSimpleName() + ", not a "
                                + body.getClass().getSimpleName());
            }
        }
    }

    /** Checks that there is a list of ops. */
    public MultiRequest {
        Objects.requireNonNull(ops, "ops");
    }

    @Override
    public int encodedSize() {
        int size = MultiHeader.SIZE;
        for (int i = 0, n = ops.size(); i < n; i++) {
            size += MultiHeader.SIZE + ops.get(i).body().encodedSize();
        }
        return size;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        for (int i = 0, n = ops.size(); i < n; i++) {
            Op op = ops.get(i);
            off = Encoding.putInt(buf, off, op.type().code());
            off = Encoding.putBool(buf, off, false);
            off = Encoding.putInt(buf, off, -1);
            off = op.body().writeTo(buf, off);
        }
        off = Encoding.putInt(buf, off, END_TYPE);
        off = Encoding.putBool(buf, off, true);
        return Encoding.putInt(buf, off, -1);
    }

    /**
     * Reads ops up to the terminating header.
     *
     * @throws ProtocolException on an op type that cannot be part of a multi, or malformed bytes
     */
    public static MultiRequest read(Decoder in) throws ProtocolException {
        List<Op> ops = new ArrayList<>();
        while (true) {
            int at = in.position();
            MultiHeader h = MultiHeader.read(in);
            if (h.done()) {
                return new MultiRequest(ops);
            }
            OpCode type = OpCode.of(h.type());
            Request body = switch (type) {
                case CREATE, CREATE2, CREATE_CONTAINER -> CreateRequest.read(in);
                case CREATE_TTL -> CreateTTLRequest.read(in);
                case DELETE -> DeleteRequest.read(in);
                case SET_DATA -> SetDataRequest.read(in);
                case CHECK -> CheckVersionRequest.read(in);
                case GET_DATA -> GetDataRequest.read(in);
                case GET_CHILDREN -> GetChildrenRequest.read(in);
                default ->
                    throw new ProtocolException(
                            "MultiRequest: op type " + h.type() + " at offset " + at + " cannot be part of a multi");
            };
            ops.add(new Op(type, body));
        }
    }
}
