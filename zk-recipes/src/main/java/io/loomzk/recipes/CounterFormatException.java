package io.loomzk.recipes;

/**
 * A {@link SharedCounter}'s node holds data of a length its format cannot read (for example a
 * 32-bit counter's node read as a 64-bit one). Nothing is written when this is thrown.
 */
public final class CounterFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;
    private final int length;

    CounterFormatException(String path, int length, int expected) {
        super(path + " holds " + length + " bytes; this counter's format needs " + expected);
        this.path = path;
        this.length = length;
    }

    /** The counter's path. */
    public String path() {
        return path;
    }

    /** The length of the data found. */
    public int length() {
        return length;
    }
}
