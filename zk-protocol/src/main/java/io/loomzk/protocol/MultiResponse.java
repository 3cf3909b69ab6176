package io.loomzk.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The reply body of a {@link OpCode#MULTI} or {@link OpCode#MULTI_READ}: one result per op, each
 * a {@link MultiHeader} ({@code type}, {@code done=false}, {@code err}) and a body, then a
 * terminating header ({@code -1, true, -1}).
 *
 * <p>When a {@code multi} fails, every result is an {@link OpCode#ERROR} result: the op that
 * failed carries its code, the others {@link ErrorCode#OK} (before it) or
 * {@link ErrorCode#RUNTIME_INCONSISTENCY} (after it). A {@code multiRead} mixes successful and
 * error results freely.
 *
 * <p>Not a jute class: Apache ZooKeeper writes this shape by hand; this record writes the same
 * bytes. The list is not copied.
 */
public record MultiResponse(List<MultiResponse.Result> results) implements WireRecord {

    /**
     * One op's result.
     *
     * @param type {@link OpCode#CREATE} ({@link CreateResponse}), {@link OpCode#CREATE2}
     *     ({@link Create2Response}, also for container and TTL creates), {@link OpCode#DELETE} and
     *     {@link OpCode#CHECK} (no body), {@link OpCode#SET_DATA} ({@link SetDataResponse}),
     *     {@link OpCode#GET_DATA} ({@link GetDataResponse}), {@link OpCode#GET_CHILDREN}
     *     ({@link GetChildrenResponse}) or {@link OpCode#ERROR} ({@link ErrorResponse})
     * @param err the header's code: 0 for a successful op, the error code of an error result
     * @param body the result record, or null for delete and check
     */
    public record Result(OpCode type, int err, WireRecord body) {
        /** Checks that the body is the one {@code type} carries. */
        public Result {
            Objects.requireNonNull(type, "type");
            Class<?> expected = bodyType(type);
            if (expected == null ? body != null : !expected.isInstance(body)) {
                throw new IllegalArgumentException(type + " result takes "
                        + (expected == null ? "no body" : "a " + expected.getSimpleName()) + ", not "
                        + (body == null ? "none" : "a " + body.getClass().getSimpleName()));
            }
        }

        /** The result code as an enum. */
        public ErrorCode error() {
            return ErrorCode.of(err);
        }

        private static Class<?> bodyType(OpCode type) {
            return switch (type) {
                case CREATE -> CreateResponse.class;
                case CREATE2 -> Create2Response.class;
                case DELETE, CHECK -> null;
                case SET_DATA -> SetDataResponse.class;
                case GET_DATA -> GetDataResponse.class;
                case GET_CHILDREN -> GetChildrenResponse.class;
                case ERROR -> ErrorResponse.class;
                default -> throw new IllegalArgumentException(type + " is not a multi result type");
            };
        }
    }

    /** Checks that there is a list of results. */
    public MultiResponse {
        Objects.requireNonNull(results, "results");
    }

    @Override
    public int encodedSize() {
        int size = MultiHeader.SIZE;
        for (int i = 0, n = results.size(); i < n; i++) {
            WireRecord body = results.get(i).body();
            size += MultiHeader.SIZE + (body == null ? 0 : body.encodedSize());
        }
        return size;
    }

    @Override
    public int writeTo(byte[] buf, int off) {
        for (int i = 0, n = results.size(); i < n; i++) {
            Result r = results.get(i);
            off = Encoding.putInt(buf, off, r.type().code());
            off = Encoding.putBool(buf, off, false);
            off = Encoding.putInt(buf, off, r.err());
            if (r.body() != null) {
                off = r.body().writeTo(buf, off);
            }
        }
        off = Encoding.putInt(buf, off, -1);
        off = Encoding.putBool(buf, off, true);
        return Encoding.putInt(buf, off, -1);
    }

    /**
     * Reads results up to the terminating header.
     *
     * @throws ProtocolException on a result type that cannot be part of a multi, or malformed bytes
     */
    public static MultiResponse read(Decoder in) throws ProtocolException {
        List<Result> results = new ArrayList<>();
        while (true) {
            int at = in.position();
            MultiHeader h = MultiHeader.read(in);
            if (h.done()) {
                return new MultiResponse(results);
            }
            OpCode type = OpCode.of(h.type());
            WireRecord body = switch (type) {
                case CREATE -> CreateResponse.read(in);
                case CREATE2 -> Create2Response.read(in);
                case DELETE, CHECK -> null;
                case SET_DATA -> SetDataResponse.read(in);
                case GET_DATA -> GetDataResponse.read(in);
                case GET_CHILDREN -> GetChildrenResponse.read(in);
                case ERROR -> ErrorResponse.read(in);
                default ->
                    throw new ProtocolException("MultiResponse: result type " + h.type() + " at offset " + at
                            + " cannot be part of a multi reply");
            };
            results.add(new Result(type, h.err(), body));
        }
    }
}
