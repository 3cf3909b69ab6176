package io.loomzk.cli;

import io.loomzk.client.NodeData;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.ACL;
import io.loomzk.protocol.Id;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A subtree's nodes with their data and ACLs, keyed by path relative to its root ({@code ""} is
 * the root), in pre-order: read from a server, or from a dump file ({@code loomzk-dump}, version
 * 1). The dump's JSON: {@code {"format":"loomzk-dump","version":1,"root":…,"nodes":[{"path":…,
 * "data":base64,"acl":[{"scheme","id","perms"}],"ephemeral":bool}]}}.
 */
record Snapshot(String root, Map<String, Node> nodes) {
    static final String FORMAT = "loomzk-dump";
    /** The most data bytes a snapshot holds in memory. */
    static final long MAX_BYTES = 256L << 20;

    record Node(byte[] data, List<ACL> acl, boolean ephemeral) {
        boolean sameData(Node other) {
            return Arrays.equals(data, other.data);
        }

        boolean sameAcl(Node other) {
            return new java.util.HashSet<>(acl).equals(new java.util.HashSet<>(other.acl))
                    && acl.size() == other.acl.size();
        }
    }

    /** Reads the subtree at {@code root}; below {@code /}, the {@code /zookeeper} system tree is left out. */
    static Snapshot read(ZkClient zk, String root) {
        Map<String, Node> nodes = new LinkedHashMap<>();
        long[] bytes = {0};
        Walk.preorder(zk, root, Integer.MAX_VALUE, (path, children, depth) -> {
            if (path.equals("/zookeeper") || path.startsWith("/zookeeper/")) {
                return;
            }
            NodeData data;
            List<ACL> acl;
            try {
                data = zk.getData(path);
                acl = zk.getAcl(path).acl();
            } catch (ZkException.NoNode e) {
                if (depth == 0) {
                    throw e;
                }
                return; // deleted while we walked
            }
            bytes[0] += data.data().length;
            if (bytes[0] > MAX_BYTES) {
                throw new CliException(ExitCode.USAGE, "subtree holds more than " + (MAX_BYTES >> 20) + " MiB of data");
            }
            nodes.put(
                    Walk.relative(root, path),
                    new Node(data.data(), acl, data.stat().ephemeralOwner() != 0));
        });
        return new Snapshot(root, nodes);
    }

    String toJson() {
        List<Object> list = new ArrayList<>();
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Map<String, Object> n = new LinkedHashMap<>();
            n.put("path", e.getKey());
            n.put("data", Base64.getEncoder().encodeToString(e.getValue().data()));
            n.put("acl", Format.acls(e.getValue().acl()));
            n.put("ephemeral", e.getValue().ephemeral());
            list.add(n);
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", FORMAT);
        m.put("version", 1);
        m.put("root", root);
        m.put("created", Instant.now().toString());
        m.put("nodes", list);
        return Json.write(m);
    }

    /**
     * Parses a dump.
     *
     * @throws CliException (io) if the text is not a version-1 dump
     */
    static Snapshot fromJson(String text, String file) {
        try {
            Object parsed = Json.parse(text);
            if (!(parsed instanceof Map<?, ?> m) || !FORMAT.equals(m.get("format"))) {
                throw new IllegalArgumentException("no \"format\":\"" + FORMAT + "\"");
            }
            if (!Long.valueOf(1).equals(m.get("version"))) {
                throw new IllegalArgumentException("unknown version " + m.get("version"));
            }
            String root = (String) m.get("root");
            Map<String, Node> nodes = new LinkedHashMap<>();
            for (Object o : (List<?>) m.get("nodes")) {
                Map<?, ?> n = (Map<?, ?>) o;
                String path = (String) n.get("path");
                if (path == null || !(path.isEmpty() || path.startsWith("/"))) {
                    throw new IllegalArgumentException("bad node path " + path);
                }
                List<ACL> acl = new ArrayList<>();
                for (Object a : (List<?>) n.get("acl")) {
                    Map<?, ?> am = (Map<?, ?>) a;
                    String scheme = (String) am.get("scheme");
                    String perms = (String) am.get("perms");
                    acl.add(new ACL(Format.parsePerms(perms, scheme), new Id(scheme, (String) am.get("id"))));
                }
                byte[] data = Base64.getDecoder().decode((String) n.get("data"));
                nodes.put(path, new Node(data, acl, Boolean.TRUE.equals(n.get("ephemeral"))));
            }
            if (!nodes.containsKey("")) {
                throw new IllegalArgumentException("the dump has no root node");
            }
            return new Snapshot(root, nodes);
        } catch (IllegalArgumentException | ClassCastException | NullPointerException e) {
            throw new CliException(ExitCode.IO, file + " is not a loomzk dump: " + e.getMessage());
        }
    }
}
