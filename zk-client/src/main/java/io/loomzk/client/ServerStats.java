package io.loomzk.client;

import java.util.Locale;
import java.util.Optional;

/**
 * One server's answer to {@code srvr}: its role, its last zxid, its request latency and load.
 * Read with {@link FourLetterWords#srvr}.
 *
 * @param version the server's version line (e.g. {@code 3.9.5-…, built on …})
 * @param mode {@code leader}, {@code follower}, {@code observer}, {@code standalone} or
 *     {@code read-only}
 * @param zxid the last zxid the server has seen
 * @param latencyMinMillis the smallest request latency since the counters were reset
 * @param latencyAvgMillis the mean request latency
 * @param latencyMaxMillis the largest request latency
 * @param received packets received
 * @param sent packets sent
 * @param connections client connections open now
 * @param outstanding requests queued and not yet answered
 * @param nodeCount znodes in the server's tree
 */
public record ServerStats(
        String version,
        String mode,
        long zxid,
        double latencyMinMillis,
        double latencyAvgMillis,
        double latencyMaxMillis,
        long received,
        long sent,
        int connections,
        long outstanding,
        long nodeCount) {

    /** Whether the server is the ensemble's leader (or runs alone). */
    public boolean isLeader() {
        return mode.equals("leader") || mode.equals("standalone");
    }

    /** The zxid as ZooKeeper prints it: {@code 0x} and hex digits. */
    public String zxidHex() {
        return "0x" + Long.toHexString(zxid);
    }

    /**
     * Parses a {@code srvr} answer.
     *
     * @throws IllegalArgumentException if a line the record needs is missing or malformed
     */
    public static ServerStats parse(String answer) {
        String[] latency = required(answer, "Latency min/avg/max:").split("/");
        if (latency.length != 3) {
            throw new IllegalArgumentException("malformed latency line in srvr answer");
        }
        return new ServerStats(
                required(answer, "Zookeeper version:"),
                required(answer, "Mode:"),
                parseZxid(required(answer, "Zxid:")),
                number(latency[0]),
                number(latency[1]),
                number(latency[2]),
                (long) number(required(answer, "Received:")),
                (long) number(required(answer, "Sent:")),
                (int) number(required(answer, "Connections:")),
                (long) number(required(answer, "Outstanding:")),
                (long) number(required(answer, "Node count:")));
    }

    /** The value after {@code key} on the line that starts with it, trimmed. */
    static Optional<String> value(String answer, String key) {
        for (String line : answer.split("\n")) {
            if (line.startsWith(key)) {
                return Optional.of(line.substring(key.length()).trim());
            }
        }
        return Optional.empty();
    }

    private static String required(String answer, String key) {
        return value(answer, key)
                .orElseThrow(() -> new IllegalArgumentException("srvr answer has no '" + key + "' line"));
    }

    private static long parseZxid(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        try {
            return t.startsWith("0x") ? Long.parseUnsignedLong(t.substring(2), 16) : Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed zxid in srvr answer: " + text, e);
        }
    }

    private static double number(String text) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed number in srvr answer: " + text, e);
        }
    }
}
