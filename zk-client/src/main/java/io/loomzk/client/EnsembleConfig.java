package io.loomzk.client;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An ensemble's dynamic configuration as {@code /zookeeper/config} holds it (ZooKeeper 3.5+):
 * its members and its version. Read it with {@link ZkClient#getConfig()} or
 * {@link ZkClient#getConfigAndWatch()} and {@link #parse}.
 *
 * @param members the servers, in the order of their {@code server.<id>} lines
 * @param version the configuration's version (hexadecimal in the node; -1 if it names none)
 */
public record EnsembleConfig(List<Member> members, long version) {
    public EnsembleConfig {
        members = List.copyOf(members);
    }

    /**
     * One server line: {@code server.<id>=<host>:<quorumPort>:<electionPort>[:<role>][;[<clientHost>:]<clientPort>]}.
     *
     * @param id the server's id
     * @param host the host of its quorum and election ports
     * @param role {@code participant} or {@code observer}
     * @param clientAddress where clients connect, {@code host:port}; null if the line names no
     *     client port (a server configured with a static {@code clientPort} only)
     */
    public record Member(long id, String host, String role, String clientAddress) {}

    /**
     * Parses the node's data.
     *
     * @throws IllegalArgumentException if a {@code server.} line or the version is malformed
     */
    public static EnsembleConfig parse(byte[] data) {
        List<Member> members = new ArrayList<>();
        long version = -1;
        String text = data == null ? "" : new String(data, StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            line = line.trim();
            int eq = line.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String key = line.substring(0, eq).trim();
            String value = line.substring(eq + 1).trim();
            if (key.equals("version")) {
                try {
                    version = Long.parseLong(value, 16);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(
                            "malformed version in the ensemble's configuration: " + value, e);
                }
            } else if (key.startsWith("server.")) {
                members.add(member(key, value));
            }
        }
        return new EnsembleConfig(members, version);
    }

    private static Member member(String key, String value) {
        long id;
        try {
            id = Long.parseLong(key.substring("server.".length()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed server id: " + key, e);
        }
        int semicolon = value.indexOf(';');
        String quorum = semicolon < 0 ? value : value.substring(0, semicolon);
        String client = semicolon < 0 ? null : value.substring(semicolon + 1).trim();
        String host = hostOf(quorum);
        String[] rest = quorum.substring(quorum.startsWith("[") ? quorum.indexOf(']') + 1 : host.length())
                .split(":");
        String role = rest.length > 3 ? rest[3] : "participant";
        String clientAddress = null;
        if (client != null && !client.isEmpty()) {
            int colon = client.lastIndexOf(':');
            boolean bracketed = client.startsWith("[");
            if (colon < 0 || (bracketed && colon < client.indexOf(']'))) {
                clientAddress = bracketOf(host) + ":" + client; // a port alone: the quorum host's
            } else {
                String clientHost = client.substring(0, colon);
                String bare = clientHost.replace("[", "").replace("]", "");
                if (bare.equals("0.0.0.0") || bare.equals("::") || bare.equals("0:0:0:0:0:0:0:0")) {
                    clientHost = bracketOf(host); // listens everywhere: reach it by its quorum host
                }
                clientAddress = clientHost + ":" + client.substring(colon + 1);
            }
        }
        return new Member(id, host, role, clientAddress);
    }

    private static String hostOf(String quorum) {
        if (quorum.startsWith("[")) {
            return quorum.substring(1, quorum.indexOf(']'));
        }
        int colon = quorum.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("malformed server line: " + quorum);
        }
        return quorum.substring(0, colon);
    }

    private static String bracketOf(String host) {
        return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    }

    /**
     * A connect string of every member's client address ({@code host:port,...}), for
     * {@link ZkClient#updateServerList}; empty if no member names one.
     */
    public String connectString() {
        return members.stream()
                .map(Member::clientAddress)
                .filter(a -> a != null)
                .collect(Collectors.joining(","));
    }
}
