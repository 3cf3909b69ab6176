package io.loomzk.protocol;

import java.io.IOException;

/**
 * Input that is not a well-formed ZooKeeper frame: a length or count that runs past the end of
 * the frame or past the maximum frame size, a negative length other than -1, an unknown
 * multi-op type, or a frame cut short.
 *
 * <p>A connection that reads one must be closed: after a malformed frame the byte stream can no
 * longer be trusted to be aligned on frame boundaries. The message says what was wrong and at
 * which offset of the frame.
 */
public final class ProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with a message that says what was wrong and where. */
    public ProtocolException(String message) {
        super(message);
    }

    /** Creates an exception with a message and the failure that revealed it. */
    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
