package io.loomzk.protocol;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;

/**
 * Random field values for one generated record, from one seed, so any instance can be replayed
 * from the seed printed in a failure message.
 *
 * <p>The {@link Style} forces a shape on every field: the first instances of each record are all
 * nulls, all empties, all maximum values and all minimum values; the rest are random mixtures
 * weighted towards edges (null, empty, -1, 0, {@code MIN_VALUE}, {@code MAX_VALUE}, non-ASCII
 * text, null elements inside string vectors). {@link Style#RICH} makes every optional part present
 * and non-empty, so a walk over the encoding meets every length field of the record.
 */
final class Gen {
    /** The shape forced on every field of one instance. */
    enum Style {
        /** Every string, buffer and vector null; numbers zero; booleans false. */
        NULLS,
        /** Every string, buffer and vector empty; numbers -1. */
        EMPTIES,
        /** Numbers at their maximum, booleans true, short non-ASCII strings. */
        MAX,
        /** Numbers at their minimum. Strings and buffers random. */
        MIN,
        /** Everything present and non-empty (vectors of 1..3 non-null elements). */
        RICH,
        /** A random mixture, weighted towards edge values. */
        RANDOM
    }

    private static final int[] EDGE_INTS = {
        Integer.MIN_VALUE,
        Integer.MIN_VALUE + 1,
        -2,
        -1,
        0,
        1,
        2,
        127,
        128,
        255,
        256,
        65535,
        Integer.MAX_VALUE - 1,
        Integer.MAX_VALUE
    };
    private static final long[] EDGE_LONGS = {
        Long.MIN_VALUE,
        Long.MIN_VALUE + 1,
        (long) Integer.MIN_VALUE - 1,
        -2,
        -1,
        0,
        1,
        2,
        0xFFFFFFFFL,
        0x100000000L,
        Long.MAX_VALUE - 1,
        Long.MAX_VALUE
    };

    /** Characters at the edges of jute's one-, two- and three-byte encodings. */
    private static final char[] EDGE_CHARS = {
        '\u0000', '\u0001', '\u007F', '\u0080', '\u00FF', '\u0100', '\u07FF', '\u0800', '\u0FFF', '\u1000', '\uD7FF',
        '\uE000', '\uFFFD', '\uFFFE', '\uFFFF'
    };

    private static final String[] SAMPLES = {
        "/",
        "/zookeeper/config",
        "/a/b-0000000001",
        "world",
        "anyone",
        "digest",
        "ip",
        "sasl",
        "héllo wörld",
        "Ελληνικά",
        "日本語のノード",
        "/путь/к/узлу",
        "emoji-free ✓ ☃",
        "tab\tnew\nline",
        "nul\u0000inside"
    };

    private final Random random;
    private final Style style;
    private final boolean surrogates;
    private final int variant;

    /**
     * @param seed the seed of this instance
     * @param style the shape forced on its fields
     * @param surrogates whether strings may hold surrogate chars (paired and lone), which jute
     *     does not round-trip: only for byte-equality checks
     * @param variant a small number generators may use to pick a sub-shape deterministically
     */
    Gen(long seed, Style style, boolean surrogates, int variant) {
        this.random = new Random(seed);
        this.style = style;
        this.surrogates = surrogates;
        this.variant = variant;
    }

    /** The style of instance {@code index}: the first four are forced, the rest random. */
    static Style styleOf(int index) {
        return switch (index) {
            case 0 -> Style.NULLS;
            case 1 -> Style.EMPTIES;
            case 2 -> Style.MAX;
            case 3 -> Style.MIN;
            case 4, 5 -> Style.RICH;
            default -> Style.RANDOM;
        };
    }

    Style style() {
        return style;
    }

    int variant() {
        return variant;
    }

    Random random() {
        return random;
    }

    boolean chance(int percent) {
        return random.nextInt(100) < percent;
    }

    int below(int bound) {
        return random.nextInt(bound);
    }

    int i32() {
        return switch (style) {
            case NULLS -> 0;
            case EMPTIES -> -1;
            case MAX -> Integer.MAX_VALUE;
            case MIN -> Integer.MIN_VALUE;
            case RICH, RANDOM -> chance(35) ? EDGE_INTS[below(EDGE_INTS.length)] : random.nextInt();
        };
    }

    long i64() {
        return switch (style) {
            case NULLS -> 0L;
            case EMPTIES -> -1L;
            case MAX -> Long.MAX_VALUE;
            case MIN -> Long.MIN_VALUE;
            case RICH, RANDOM -> chance(35) ? EDGE_LONGS[below(EDGE_LONGS.length)] : random.nextLong();
        };
    }

    boolean bool() {
        return switch (style) {
            case NULLS, EMPTIES, MIN -> false;
            case MAX -> true;
            case RICH, RANDOM -> random.nextBoolean();
        };
    }

    /** An int picked from {@code values}, for fields whose peers only accept some values. */
    int oneOf(int... values) {
        return values[below(values.length)];
    }

    /** A nullable string. */
    String string() {
        return switch (style) {
            case NULLS -> null;
            case EMPTIES -> "";
            case MAX -> "\uFFFF\u07FF\u007F" + (surrogates ? "\uD83D\uDE00\uDBFF\uDFFF" : "");
            case MIN -> text(1 + below(8));
            case RICH -> text(1 + below(24));
            case RANDOM -> {
                int pick = below(100);
                if (pick < 10) {
                    yield null;
                } else if (pick < 20) {
                    yield "";
                } else if (pick < 30) {
                    yield SAMPLES[below(SAMPLES.length)];
                } else if (pick < 33) {
                    yield text(200 + below(1800));
                } else {
                    yield text(1 + below(40));
                }
            }
        };
    }

    /** A string that is never null (for fields a peer's object model cannot hold null in). */
    String nonNullString() {
        String s = string();
        return s == null ? "" : s;
    }

    /** Random text of {@code length} chars: ASCII, two- and three-byte chars, edges, surrogates if allowed. */
    String text(int length) {
        StringBuilder sb = new StringBuilder(length + 1);
        int mode = below(4); // 0: ASCII only, 1: mostly ASCII, 2: wide BMP, 3: anything
        while (sb.length() < length) {
            int pick = mode == 0 ? 0 : below(mode == 1 ? 12 : 10);
            switch (pick) {
                case 0, 1, 2, 3, 4, 5 -> sb.append((char) (0x20 + below(0x5F)));
                case 6 -> sb.append((char) (0x80 + below(0x800 - 0x80)));
                case 7 -> sb.append(bmpNonSurrogate());
                case 8 -> sb.append(EDGE_CHARS[below(EDGE_CHARS.length)]);
                default -> {
                    if (surrogates) {
                        switch (below(3)) {
                            case 0 -> sb.appendCodePoint(0x10000 + below(0x110000 - 0x10000)); // a valid pair
                            case 1 -> sb.append((char) (0xD800 + below(0x400))); // a lone high surrogate
                            default -> sb.append((char) (0xDC00 + below(0x400))); // a lone low surrogate
                        }
                    } else {
                        sb.append(bmpNonSurrogate());
                    }
                }
            }
        }
        return sb.toString();
    }

    private char bmpNonSurrogate() {
        // 0x800..0xFFFF without the 0xD800..0xDFFF surrogate block.
        int c = 0x800 + below(0x10000 - 0x800 - 0x800);
        return (char) (c >= 0xD800 ? c + 0x800 : c);
    }

    /** A nullable buffer. */
    byte[] buffer() {
        return switch (style) {
            case NULLS -> null;
            case EMPTIES -> new byte[0];
            case MAX -> bytes(1 + below(16), (byte) 0xFF);
            case MIN -> bytes(1 + below(16), (byte) 0x80);
            case RICH -> randomBytes(1 + below(32));
            case RANDOM -> {
                int pick = below(100);
                if (pick < 10) {
                    yield null;
                } else if (pick < 20) {
                    yield new byte[0];
                } else if (pick < 23) {
                    yield randomBytes(1000 + below(4000));
                } else {
                    yield randomBytes(1 + below(64));
                }
            }
        };
    }

    private static byte[] bytes(int n, byte fill) {
        byte[] b = new byte[n];
        Arrays.fill(b, fill);
        return b;
    }

    private byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** A nullable vector of strings; elements may be null too (jute writes them as length -1). */
    List<String> strings() {
        return switch (style) {
            case NULLS -> null;
            case EMPTIES -> new ArrayList<>();
            case MAX -> Arrays.asList(string(), null, string());
            case MIN, RANDOM -> {
                List<String> list = list(this::string);
                if (list != null && !list.isEmpty() && chance(30)) {
                    list.set(below(list.size()), null);
                }
                yield list;
            }
            case RICH -> list(this::string);
        };
    }

    /**
     * A nullable vector of non-null elements (jute cannot write a null record element).
     * {@link Style#RICH} gives 1..3 elements.
     */
    <T> List<T> list(Supplier<T> element) {
        int n;
        switch (style) {
            case NULLS -> {
                return null;
            }
            case EMPTIES -> n = 0;
            case RICH -> n = 1 + below(3);
            default -> {
                int pick = below(100);
                if (pick < 10) {
                    return null;
                }
                n = pick < 20 ? 0 : pick < 23 ? 20 + below(60) : 1 + below(6);
            }
        }
        List<T> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(element.get());
        }
        return out;
    }

    Stat stat() {
        return new Stat(i64(), i64(), i64(), i64(), i32(), i32(), i32(), i64(), i32(), i32(), i64());
    }

    Id id() {
        return new Id(string(), string());
    }

    ACL acl() {
        return new ACL(i32(), id());
    }

    List<ACL> acls() {
        return list(this::acl);
    }

    ClientInfo clientInfo() {
        return new ClientInfo(string(), string());
    }
}
