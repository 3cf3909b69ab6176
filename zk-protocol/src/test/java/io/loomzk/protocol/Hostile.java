package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Helpers for feeding records bytes they should refuse. */
final class Hostile {
    private static final HexFormat HEX = HexFormat.of();

    /** {@code Record.field: ...}: how every decoder message starts. */
    static final Pattern FIELD_MESSAGE = Pattern.compile("^([A-Z][A-Za-z0-9]*)\\.([a-z][A-Za-z0-9]*): .+");

    /** A multi record refusing an op or result type. */
    static final Pattern MULTI_TYPE_MESSAGE = Pattern.compile(
            "^Multi(Request|Response): (op|result) type (-?\\d+) at offset (\\d+) cannot be part of a multi( reply)?$");

    private Hostile() {}

    /** The outcome of decoding: the record, or the {@link ProtocolException}. Anything else fails the test. */
    record Outcome(Object record, ProtocolException error, int consumed) {
        boolean failed() {
            return error != null;
        }

        String message() {
            return error == null ? null : error.getMessage();
        }
    }

    /**
     * Decodes {@code len} bytes of {@code buf} from {@code off} with {@code reader} and a decoder of
     * {@code maxFrameBytes}; returns the record or the {@link ProtocolException}. Any other
     * throwable (an {@code IndexOutOfBoundsException}, {@code NegativeArraySizeException},
     * {@code OutOfMemoryError}, ...) becomes an {@link AssertionError} that carries {@code context}
     * and the bytes.
     */
    static Outcome decode(ReplyReader<?> reader, byte[] buf, int off, int len, int maxFrameBytes, String context) {
        Decoder in = new Decoder(maxFrameBytes);
        try {
            in.reset(buf, off, len);
            Object record = reader.read(in);
            if (in.position() > len || in.remaining() < 0) {
                throw new AssertionError(context + ": decoder ran past the frame: position " + in.position() + " of "
                        + len + "; input " + hex(buf, off, len));
            }
            return new Outcome(record, null, in.position());
        } catch (ProtocolException e) {
            if (e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(context + ": ProtocolException without a message", e);
            }
            return new Outcome(null, e, in.position());
        } catch (Throwable t) {
            throw new AssertionError(
                    context + ": expected a record or a ProtocolException, got " + t + "; input " + hex(buf, off, len),
                    t);
        }
    }

    static String hex(byte[] buf, int off, int len) {
        int shown = Math.min(len, 512);
        return HEX.formatHex(buf, off, off + shown) + (shown < len ? "... (" + len + " bytes)" : "");
    }

    /**
     * Checks that a message names a real field: {@code Record.field} where {@code Record} is a
     * record of the package with a component {@code field}, or is a multi record's type message.
     */
    static void assertNamesAField(String message, String context) {
        if (MULTI_TYPE_MESSAGE.matcher(message).matches()) {
            return;
        }
        Matcher m = FIELD_MESSAGE.matcher(message);
        assertThat(m.matches())
                .as("%s: message should start with Record.field: %s", context, message)
                .isTrue();
        Class<?> record;
        try {
            record = Class.forName("io.loomzk.protocol." + m.group(1));
        } catch (ClassNotFoundException e) {
            throw new AssertionError(context + ": message names no record of the package: " + message, e);
        }
        assertThat(record.isRecord()).as("%s: %s is a record", context, record).isTrue();
        assertThat(Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName))
                .as("%s: message names a component of %s: %s", context, record.getSimpleName(), message)
                .contains(m.group(2));
        assertThat(message).as(context).contains("offset");
    }

    /** A copy of {@code bytes} with the big-endian int {@code value} written at {@code at}. */
    static byte[] withInt(byte[] bytes, int at, int value) {
        byte[] copy = bytes.clone();
        Encoding.putInt(copy, at, value);
        return copy;
    }
}
