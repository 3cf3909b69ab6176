package io.loomzk.protocol;

/** How records print their byte arrays: lengths only, and secrets not even that precisely. */
final class Strings {
    private Strings() {}

    static String length(byte[] bytes) {
        return bytes == null ? "null" : bytes.length + " bytes";
    }

    static String secret(byte[] bytes) {
        return bytes == null ? "null" : "<" + bytes.length + " bytes, hidden>";
    }
}
