package io.loomzk.cli;

import io.loomzk.client.Acls;
import io.loomzk.client.CreateOptions;
import io.loomzk.client.PersistentWatch;
import io.loomzk.client.WatchedEvent;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.ACL;
import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.Stat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What zkCli lacks: tree, du, watch, locks, dump, restore, diff. */
final class TreeCommands {
    private TreeCommands() {}

    @Command(name = "tree", description = "The subtree, indented, with data sizes and child counts.")
    static final class Tree extends Cmd {
        @Option(
                names = {"-d", "--depth"},
                paramLabel = "DEPTH",
                description = "Levels below PATH (default 3).")
        int depth = 3;

        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH")
        String path = "/";

        @Override
        ExitCode run() {
            if (depth < 0) {
                throw new CliException(ExitCode.USAGE, "tree: --depth must be 0 or more");
            }
            List<String> lines = new ArrayList<>();
            List<Map<String, Object>> stack = new ArrayList<>();
            Map<String, Object>[] rootHolder = newArray();
            Walk.preorder(zk(), path, depth, (p, children, level) -> {
                Stat s = children.stat();
                String name = level == 0 ? p : p.substring(p.lastIndexOf('/') + 1);
                String kids = s.numChildren() == 0
                        ? ""
                        : ", " + s.numChildren() + (s.numChildren() == 1 ? " child" : " children");
                String more = level == depth && s.numChildren() > 0 ? " …" : "";
                String eph = s.ephemeralOwner() != 0 ? ", ephemeral" : "";
                lines.add("  ".repeat(level) + name + "  [" + Format.size(s.dataLength()) + kids + eph + "]" + more);
                Map<String, Object> node = new LinkedHashMap<>();
                node.put("path", p);
                node.put("dataLength", s.dataLength());
                node.put("numChildren", s.numChildren());
                node.put("ephemeral", s.ephemeralOwner() != 0);
                node.put("children", new ArrayList<>());
                while (stack.size() > level) {
                    stack.remove(stack.size() - 1);
                }
                if (level == 0) {
                    rootHolder[0] = node;
                } else {
                    @SuppressWarnings("unchecked")
                    List<Object> siblings = (List<Object>) stack.get(level - 1).get("children");
                    siblings.add(node);
                }
                stack.add(node);
            });
            emit(rootHolder[0], String.join("\n", lines));
            return ExitCode.OK;
        }

        @SuppressWarnings("unchecked")
        private static Map<String, Object>[] newArray() {
            return (Map<String, Object>[]) new Map<?, ?>[1];
        }
    }

    @Command(name = "du", description = "Data bytes and node counts of PATH and of its subtrees.")
    static final class Du extends Cmd {
        @Option(
                names = {"-d", "--depth"},
                paramLabel = "DEPTH",
                description = "Report subtrees down to this depth (default 1).")
        int depth = 1;

        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH")
        String path = "/";

        @Override
        ExitCode run() {
            record Row(String path, int depth, long[] totals) {}
            List<Row> rows = new ArrayList<>();
            List<Row> stack = new ArrayList<>();
            Walk.preorder(zk(), path, Integer.MAX_VALUE, (p, children, level) -> {
                while (stack.size() > level) {
                    stack.remove(stack.size() - 1);
                }
                Row row = new Row(p, level, new long[2]);
                stack.add(row);
                if (level <= depth) {
                    rows.add(row);
                }
                for (Row ancestor : stack) {
                    ancestor.totals()[0] += children.stat().dataLength();
                    ancestor.totals()[1]++;
                }
            });
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"BYTES", "NODES", "PATH"});
            List<Object> json = new ArrayList<>();
            for (Row r : rows) {
                table.add(new String[] {Long.toString(r.totals()[0]), Long.toString(r.totals()[1]), r.path()});
                json.add(Map.of("path", r.path(), "bytes", r.totals()[0], "nodes", r.totals()[1]));
            }
            emit(json, Table.render(table));
            return ExitCode.OK;
        }
    }

    @Command(name = "watch", description = "Print the events on PATH (or its subtree with -R) until Ctrl-C.")
    static final class Watch extends Cmd {
        @Option(
                names = {"-R", "--recursive"},
                description = "The whole subtree.")
        boolean recursive;

        @Option(
                names = {"-n", "--count"},
                paramLabel = "N",
                description = "Stop after N events.")
        long count = Long.MAX_VALUE;

        @Option(names = "--for", paramLabel = "SECONDS", description = "Stop after this many seconds.")
        long seconds = -1;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            long deadline = seconds < 0
                    ? Long.MAX_VALUE
                    : System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            long seen = 0;
            try (PersistentWatch watch =
                    zk().addWatch(path, recursive ? AddWatchMode.PERSISTENT_RECURSIVE : AddWatchMode.PERSISTENT)) {
                if (!json()) {
                    shell().err.println("watching " + path + (recursive ? " and its subtree" : "") + "; Ctrl-C stops");
                    shell().err.flush();
                }
                while (seen < count) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Optional<WatchedEvent> event;
                    try {
                        event = watch.poll(Duration.ofNanos(Math.min(left, 1_000_000_000L)));
                    } catch (InterruptedException e) {
                        break; // Ctrl-C in the interactive shell: stop watching, quietly
                    }
                    if (event.isPresent()) {
                        WatchedEvent e = event.get();
                        seen++;
                        emit(ZnodeCommands.eventJson(e), e.type() + " " + e.path() + " " + Format.hex(e.zxid()));
                    }
                }
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "locks", description = "Holders and waiters of a lock or election (LoomZK or Curator) at PATH.")
    static final class Locks extends Cmd {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            ZkClient zk = zk();
            record Contender(String name, long sequence, String kind, Stat stat) {}
            List<Contender> contenders = new ArrayList<>();
            for (String name : zk.getChildren(path).names()) {
                long seq = sequence(name);
                if (seq < 0) {
                    continue;
                }
                Optional<Stat> stat = zk.exists(Walk.child(path, name));
                if (stat.isEmpty()) {
                    continue; // released while we looked
                }
                String kind = name.contains("__READ__") ? "read" : name.contains("__WRIT__") ? "write" : "exclusive";
                contenders.add(new Contender(name, seq, kind, stat.get()));
            }
            contenders.sort(Comparator.comparingLong(Contender::sequence));
            Map<Long, String> clients = contenders.isEmpty() ? Map.of() : ServerCommands.clientsBySession(shell());
            long now = System.currentTimeMillis();
            boolean writerSeen = false;
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {"ROLE", "KIND", "SESSION", "CLIENT", "AGE", "NODE"});
            List<Object> json = new ArrayList<>();
            for (int i = 0; i < contenders.size(); i++) {
                Contender c = contenders.get(i);
                boolean holds = c.kind().equals("read") ? !writerSeen : i == 0;
                writerSeen |= !c.kind().equals("read");
                long owner = c.stat().ephemeralOwner();
                String client = clients.getOrDefault(owner, "?");
                String role = holds ? "holder" : "waiter";
                table.add(new String[] {
                    role,
                    c.kind(),
                    Format.hex(owner),
                    client,
                    Format.age(now - c.stat().ctime()),
                    c.name()
                });
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("node", c.name());
                m.put("role", role);
                m.put("kind", c.kind());
                m.put("sequence", c.sequence());
                m.put("session", Format.hex(owner));
                m.put("client", clients.get(owner));
                m.put("ageMillis", now - c.stat().ctime());
                json.add(m);
            }
            emit(
                    Map.of("path", path, "contenders", json),
                    contenders.isEmpty() ? "(no contenders)" : Table.render(table));
            return ExitCode.OK;
        }

        /** The 10-digit sequence suffix ZooKeeper appends, or -1. */
        static long sequence(String name) {
            if (name.length() < 10) {
                return -1;
            }
            String tail = name.substring(name.length() - 10);
            for (int i = 0; i < tail.length(); i++) {
                if (!Character.isDigit(tail.charAt(i))) {
                    return -1;
                }
            }
            return Long.parseLong(tail);
        }
    }

    @Command(name = "dump", description = "Write the subtree at PATH (data and ACLs) to FILE as JSON ('-': stdout).")
    static final class Dump extends Cmd {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Parameters(index = "1", paramLabel = "FILE")
        String file;

        @Override
        ExitCode run() throws IOException {
            Snapshot snapshot = Snapshot.read(zk(), path);
            String text = snapshot.toJson();
            if (file.equals("-")) {
                shell().out.println(text);
                shell().out.flush();
                return ExitCode.OK;
            }
            Path target = Path.of(file).toAbsolutePath();
            Path tmp = Files.createTempFile(target.getParent(), ".loomzk-dump", ".tmp");
            try {
                Files.writeString(tmp, text + "\n", StandardCharsets.UTF_8);
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            emit(
                    Map.of("path", path, "file", file, "nodes", snapshot.nodes().size()),
                    "dumped " + snapshot.nodes().size() + " nodes of " + path + " to " + file);
            return ExitCode.OK;
        }
    }

    @Command(
            name = "restore",
            description = "Create the subtree of a dump FILE at PATH; refuses to overwrite without --force.")
    static final class Restore extends Cmd {
        @Option(names = "--force", description = "Overwrite the data and ACLs of nodes that exist.")
        boolean force;

        @Parameters(index = "0", paramLabel = "FILE")
        String file;

        @Parameters(index = "1", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() throws IOException {
            Snapshot snapshot = Snapshot.fromJson(Files.readString(Path.of(file), StandardCharsets.UTF_8), file);
            ZkClient zk = zk();
            if (!force && zk.exists(path).isPresent() && !path.equals("/")) {
                throw new CliException(ExitCode.NODE_EXISTS, path + " exists; restore --force overwrites it");
            }
            if (!force && path.equals("/")) {
                for (String rel : snapshot.nodes().keySet()) {
                    if (!rel.isEmpty() && zk.exists(rel).isPresent()) {
                        throw new CliException(ExitCode.NODE_EXISTS, rel + " exists; restore --force overwrites it");
                    }
                }
            }
            // Nodes are made (or opened) with a temporary ACL first, so that the dump's ACLs cannot
            // lock us out of their children; the dump's ACLs are set last. With credentials the
            // temporary ACL is the creator's only, else it is open.
            List<ACL> temporary = shell().hasAuth() ? Acls.CREATOR_ALL : Acls.OPEN_UNSAFE;
            int created = 0;
            int updated = 0;
            int skipped = 0;
            List<String> restored = new ArrayList<>();
            for (Map.Entry<String, Snapshot.Node> e : snapshot.nodes().entrySet()) {
                Snapshot.Node node = e.getValue();
                String target = Walk.absolute(path, e.getKey());
                if (node.ephemeral()) {
                    skipped++; // it belonged to a session; its owner recreates it
                    continue;
                }
                if (target.equals("/")) {
                    if (force) {
                        zk.setData("/", node.data());
                        updated++;
                    }
                    continue; // the root always exists; its ACL is left alone
                }
                boolean made;
                if (e.getKey().isEmpty()) {
                    made = createRoot(zk, target, node.data(), temporary);
                } else {
                    made = zk.createIfAbsent(
                            target, node.data(), CreateOptions.persistent().withAcl(temporary));
                }
                if (made) {
                    created++;
                } else if (force) {
                    try {
                        zk.setData(target, node.data());
                    } catch (ZkException.NoAuth denied) {
                        zk.setAcl(target, temporary, -1); // needs ADMIN on it; else NoAuth stands
                        zk.setData(target, node.data());
                    }
                    updated++;
                } else {
                    throw new CliException(ExitCode.NODE_EXISTS, target + " exists; restore --force overwrites it");
                }
                restored.add(e.getKey());
            }
            for (int i = restored.size() - 1; i >= 0; i--) {
                String rel = restored.get(i);
                zk.setAcl(Walk.absolute(path, rel), snapshot.nodes().get(rel).acl(), -1);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("created", created);
            m.put("updated", updated);
            m.put("skippedEphemeral", skipped);
            emit(
                    m,
                    "restored " + (created + updated) + " nodes to " + path + " (" + created + " created, " + updated
                            + " overwritten" + (skipped > 0 ? ", " + skipped + " ephemeral skipped" : "") + ")");
            return ExitCode.OK;
        }

        private static boolean createRoot(ZkClient zk, String target, byte[] data, List<ACL> acl) {
            if (target.equals("/")) {
                return false;
            }
            try {
                zk.createWithParents(target, data, CreateOptions.persistent().withAcl(acl));
                return true;
            } catch (ZkException.NodeExists e) {
                return false;
            }
        }
    }

    @Command(
            name = "diff",
            description =
                    "Compare two subtrees (or a subtree and a dump, -f FILE): data and ACLs. Exit 1 if they differ.")
    static final class Diff extends Cmd {
        @Parameters(index = "0", paramLabel = "PATH")
        String left;

        @Parameters(index = "1", arity = "0..1", paramLabel = "PATH2", description = "The subtree to compare with.")
        String rightPath;

        @Option(
                names = {"-f", "--dump"},
                paramLabel = "FILE",
                description = "Compare with this dump instead.")
        String dumpFile;

        @Override
        ExitCode run() throws IOException {
            if ((rightPath == null) == (dumpFile == null)) {
                throw new CliException(ExitCode.USAGE, "diff: give a second PATH or --dump FILE (one of them)");
            }
            String right = rightPath != null ? rightPath : dumpFile;
            Snapshot a = Snapshot.read(zk(), left);
            Snapshot b = rightPath != null
                    ? Snapshot.read(zk(), rightPath)
                    : Snapshot.fromJson(Files.readString(Path.of(dumpFile), StandardCharsets.UTF_8), dumpFile);
            TreeSet<String> all = new TreeSet<>(a.nodes().keySet());
            all.addAll(b.nodes().keySet());
            List<String> onlyLeft = new ArrayList<>();
            List<String> onlyRight = new ArrayList<>();
            List<String> data = new ArrayList<>();
            List<String> acl = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (String rel : all) {
                Snapshot.Node x = a.nodes().get(rel);
                Snapshot.Node y = b.nodes().get(rel);
                String shown = rel.isEmpty() ? "/" : rel;
                if (y == null) {
                    onlyLeft.add(shown);
                    lines.add("- " + shown);
                } else if (x == null) {
                    onlyRight.add(shown);
                    lines.add("+ " + shown);
                } else {
                    if (!x.sameData(y)) {
                        data.add(shown);
                        lines.add("~ " + shown + " data: " + Format.dataText(x.data()) + " -> "
                                + Format.dataText(y.data()));
                    }
                    if (!x.sameAcl(y)) {
                        acl.add(shown);
                        lines.add("~ " + shown + " acl: " + acls(x) + " -> " + acls(y));
                    }
                }
            }
            boolean same = lines.isEmpty();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("left", left);
            m.put("right", right);
            m.put("same", same);
            m.put("onlyLeft", onlyLeft);
            m.put("onlyRight", onlyRight);
            m.put("dataDiffers", data);
            m.put("aclDiffers", acl);
            emit(m, same ? "no differences" : String.join("\n", lines));
            return same ? ExitCode.OK : ExitCode.DIFFERENT;
        }

        private static String acls(Snapshot.Node n) {
            List<String> s = new ArrayList<>();
            n.acl().forEach(a -> s.add(Format.aclText(a)));
            return String.join(",", s);
        }
    }
}
