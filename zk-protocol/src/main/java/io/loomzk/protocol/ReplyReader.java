package io.loomzk.protocol;

/**
 * Reads one record from a {@link Decoder}: {@code GetDataResponse::read} and friends.
 *
 * <p>A reply carries no op code, so whoever sent the request keeps the reader of its reply.
 *
 * @param <T> the record read
 */
@FunctionalInterface
public interface ReplyReader<T> {

    /**
     * Reads the record at the decoder's position.
     *
     * @throws ProtocolException if the bytes are not a well-formed record
     */
    T read(Decoder in) throws ProtocolException;
}
