package io.loomzk.bench.load;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The median and range of one figure over repeated runs. Values that are not finite (a ratio with
 * nothing to divide by, a run that completed no op) are left out; with none left the spread is
 * empty and every figure NaN.
 *
 * @param median the middle value (the mean of the two middle ones for an even count)
 * @param min the smallest value
 * @param max the largest value
 * @param count how many finite values there were
 */
record Spread(double median, double min, double max, int count) {
    static final Spread EMPTY = new Spread(Double.NaN, Double.NaN, Double.NaN, 0);

    static Spread of(double... values) {
        double[] v = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) {
            return EMPTY;
        }
        int mid = v.length / 2;
        double median = v.length % 2 == 1 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
        return new Spread(median, v[0], v[v.length - 1], v.length);
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** {@code 1.10x (1.03–1.17)}, or just {@code 1.10x} for one value; {@code -} when empty. */
    String ratio() {
        if (isEmpty()) {
            return "-";
        }
        String m = String.format(Locale.ROOT, "%.2fx", median);
        return count == 1 ? m : m + String.format(Locale.ROOT, " (%.2f–%.2f)", min, max);
    }

    /** The same with a format of the caller's, for example {@code "%,.0f"}. */
    String format(String f) {
        if (isEmpty()) {
            return "-";
        }
        String m = String.format(Locale.ROOT, f, median);
        return count == 1
                ? m
                : m + " (" + String.format(Locale.ROOT, f, min) + "–" + String.format(Locale.ROOT, f, max) + ")";
    }

    Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median", median);
        m.put("min", min);
        m.put("max", max);
        m.put("runs", count);
        return m;
    }
}
