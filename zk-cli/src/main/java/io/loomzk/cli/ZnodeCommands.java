package io.loomzk.cli;

import io.loomzk.client.AclData;
import io.loomzk.client.Children;
import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.NodeData;
import io.loomzk.client.OneShotWatch;
import io.loomzk.client.PersistentWatch;
import io.loomzk.client.Watched;
import io.loomzk.client.WatchedEvent;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import io.loomzk.protocol.ACL;
import io.loomzk.protocol.AddWatchMode;
import io.loomzk.protocol.ClientInfo;
import io.loomzk.protocol.CreateMode;
import io.loomzk.protocol.Stat;
import io.loomzk.protocol.WatcherType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** zkCli.sh's commands, with its names and flags. */
final class ZnodeCommands {
    private ZnodeCommands() {}

    static byte[] bytes(String data, boolean base64) {
        if (data == null) {
            return new byte[0];
        }
        if (base64) {
            try {
                return Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCode.USAGE, "--base64 data is not base64");
            }
        }
        return data.getBytes(StandardCharsets.UTF_8);
    }

    static String event(WatchedEvent e) {
        return "WATCHER:: " + e.type() + " " + e.path();
    }

    static Map<String, Object> eventJson(WatchedEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("event", e.type().name());
        m.put("path", e.path());
        m.put("zxid", Format.hex(e.zxid()));
        return m;
    }

    /** In the interactive shell, prints the event of a one-shot watch when it fires. */
    static void report(Shell shell, OneShotWatch watch) {
        if (!shell.interactive()) {
            return;
        }
        shell.watchInBackground("oneshot", () -> {
            try {
                shell.notice(event(watch.await()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                // the session ended: the watch will not fire
            }
        });
    }

    @Command(name = "ls", description = "List the children of a node.")
    static final class Ls extends Cmd {
        @Option(names = "-s", description = "Also print the node's stat.")
        boolean stat;

        @Option(names = "-R", description = "List the whole subtree, one path per line.")
        boolean recursive;

        @Option(names = "-w", description = "Set a child watch (interactive: the event is printed).")
        boolean watch;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            ZkClient zk = zk();
            if (recursive) {
                List<String> paths = new ArrayList<>();
                Walk.preorder(zk, path, Integer.MAX_VALUE, (p, children, depth) -> paths.add(p));
                emit(Map.of("path", path, "paths", paths), String.join("\n", paths));
                return ExitCode.OK;
            }
            Children children;
            if (watch) {
                Watched<Children> w = zk.getChildrenAndWatch(path);
                children = w.value();
                report(shell(), w.watch());
            } else {
                children = zk.getChildren(path);
            }
            List<String> names = new ArrayList<>(children.names());
            names.sort(null);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("children", names);
            if (stat) {
                m.put("stat", Format.stat(children.stat()));
            }
            String text = String.join("\n", names);
            if (stat) {
                text = (text.isEmpty() ? "" : text + "\n") + Format.statText(children.stat());
            }
            emit(m, text);
            return ExitCode.OK;
        }
    }

    @Command(name = "get", description = "Print a node's data.")
    static final class Get extends Cmd {
        @Option(names = "-s", description = "Also print the node's stat.")
        boolean stat;

        @Option(names = "-w", description = "Set a data watch (interactive: the event is printed).")
        boolean watch;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            NodeData node;
            if (watch) {
                Watched<NodeData> w = zk().getDataAndWatch(path);
                node = w.value();
                report(shell(), w.watch());
            } else {
                node = zk().getData(path);
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.putAll(Format.data(node.data()));
            if (stat) {
                m.put("stat", Format.stat(node.stat()));
            }
            String text = Format.dataText(node.data());
            if (stat) {
                text = text + "\n" + Format.statText(node.stat());
            }
            if (json()) {
                emit(m, null);
            } else {
                shell().out.println(text);
                shell().out.flush();
            }
            return ExitCode.OK;
        }
    }

    @Command(name = "set", description = "Replace a node's data.")
    static final class Set extends Cmd {
        @Option(names = "-s", description = "Print the new stat.")
        boolean stat;

        @Option(names = "-v", paramLabel = "VERSION", description = "Only if the node has this version.")
        int version = -1;

        @Option(names = "--base64", description = "DATA is base64 (binary data).")
        boolean base64;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Parameters(index = "1", paramLabel = "DATA")
        String data;

        @Override
        ExitCode run() {
            Stat s = zk().setData(path, bytes(data, base64), version);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("stat", Format.stat(s));
            emit(m, stat ? Format.statText(s) : null);
            return ExitCode.OK;
        }
    }

    @Command(name = "create", description = "Create a node.")
    static final class Create extends Cmd {
        @Option(names = "-e", description = "Ephemeral (ends with this session).")
        boolean ephemeral;

        @Option(names = "-s", description = "Sequential: the server appends a counter.")
        boolean sequential;

        @Option(names = "-c", description = "Container: removed by the server once its last child is gone.")
        boolean container;

        @Option(
                names = "-t",
                paramLabel = "TTL_MS",
                description = "Time to live in milliseconds (needs extendedTypesEnabled).")
        long ttl = -1;

        @Option(names = "--base64", description = "DATA is base64 (binary data).")
        boolean base64;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Parameters(index = "1", arity = "0..1", paramLabel = "DATA")
        String data;

        @Parameters(
                index = "2",
                arity = "0..1",
                paramLabel = "ACL",
                description = "scheme:id:perms[,…]; default world:anyone:cdrwa")
        String acl;

        @Override
        ExitCode run() {
            CreateMode mode = mode();
            List<ACL> acls = acl == null ? io.loomzk.client.Acls.OPEN_UNSAFE : Format.parseAcls(acl);
            CreateOptions options = new CreateOptions(mode, acls, ttl > 0 ? ttl : 0);
            Created created;
            try {
                created = zk().create(path, bytes(data, base64), options);
            } catch (ZkException.Unimplemented e) {
                if (ttl > 0) {
                    throw new CliException(
                            ExitCode.SERVER,
                            "the server does not allow TTL nodes" + " (it needs zookeeper.extendedTypesEnabled=true)");
                }
                throw e;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", created.path());
            m.put("mode", mode.name());
            if (created.stat() != null) {
                m.put("stat", Format.stat(created.stat()));
            }
            emit(m, "Created " + created.path());
            if (ephemeral && !shell().interactive()) {
                shell().err.println("note: an ephemeral node ends with this one-shot session");
                shell().err.flush();
            }
            return ExitCode.OK;
        }

        private CreateMode mode() {
            int kinds = (ephemeral ? 1 : 0) + (container ? 1 : 0) + (ttl >= 0 ? 1 : 0);
            if (kinds > 1) {
                throw new CliException(ExitCode.USAGE, "create: -e, -c and -t exclude each other");
            }
            if (container && sequential) {
                throw new CliException(ExitCode.USAGE, "create: a container node cannot be sequential");
            }
            if (ttl == 0 || ttl < -1) {
                throw new CliException(ExitCode.USAGE, "create: -t takes a positive number of milliseconds");
            }
            if (ephemeral) {
                return sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
            }
            if (container) {
                return CreateMode.CONTAINER;
            }
            if (ttl > 0) {
                return sequential ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_WITH_TTL;
            }
            return sequential ? CreateMode.PERSISTENT_SEQUENTIAL : CreateMode.PERSISTENT;
        }
    }

    @Command(name = "delete", description = "Delete a node that has no children.")
    static final class Delete extends Cmd {
        @Option(names = "-v", paramLabel = "VERSION", description = "Only if the node has this version.")
        int version = -1;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            zk().delete(path, version);
            emit(Map.of("path", path, "deleted", true), null);
            return ExitCode.OK;
        }
    }

    @Command(name = "deleteall", aliases = "rmr", description = "Delete a node and its whole subtree.")
    static final class DeleteAll extends Cmd {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            if (path.equals("/")) {
                throw new CliException(ExitCode.USAGE, "deleteall refuses to delete the root");
            }
            boolean deleted = zk().deleteRecursive(path);
            if (!deleted) {
                throw new ZkException.NoNode(path);
            }
            emit(Map.of("path", path, "deleted", true), null);
            return ExitCode.OK;
        }
    }

    @Command(name = "stat", description = "Print a node's stat; without PATH, the servers' 'stat' four-letter word.")
    static final class StatCmd extends Cmd {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH")
        String path;

        @Option(names = "--server", paramLabel = "HOST:PORT", description = "(without PATH) only this server.")
        String server;

        @Override
        ExitCode run() throws Exception {
            if (path == null) {
                return ServerCommands.word(this, "stat", server);
            }
            Stat s = zk().exists(path).orElseThrow(() -> new ZkException.NoNode(path));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("stat", Format.stat(s));
            emit(m, Format.statText(s));
            return ExitCode.OK;
        }
    }

    @Command(name = "getAcl", description = "Print a node's ACL.")
    static final class GetAcl extends Cmd {
        @Option(names = "-s", description = "Also print the node's stat.")
        boolean stat;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            AclData acl = zk().getAcl(path);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("acl", Format.acls(acl.acl()));
            if (stat) {
                m.put("stat", Format.stat(acl.stat()));
            }
            List<String> lines = new ArrayList<>();
            acl.acl().forEach(a -> lines.add(Format.aclText(a)));
            if (stat) {
                lines.add(Format.statText(acl.stat()));
            }
            emit(m, String.join("\n", lines));
            return ExitCode.OK;
        }
    }

    @Command(name = "setAcl", description = "Replace a node's ACL (scheme:id:perms[,…]).")
    static final class SetAcl extends Cmd {
        @Option(names = "-s", description = "Print the new stat.")
        boolean stat;

        @Option(names = "-v", paramLabel = "ACL_VERSION", description = "Only if the ACL has this version.")
        int version = -1;

        @Option(names = "-R", description = "Also set it on every node of the subtree.")
        boolean recursive;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Parameters(index = "1", paramLabel = "ACL")
        String acl;

        @Override
        ExitCode run() {
            List<ACL> acls = Format.parseAcls(acl);
            ZkClient zk = zk();
            Stat s = zk.setAcl(path, acls, version);
            int count = 1;
            if (recursive) {
                List<String> paths = new ArrayList<>();
                Walk.preorder(zk, path, Integer.MAX_VALUE, (p, c, d) -> paths.add(p));
                for (String p : paths.subList(1, paths.size())) {
                    zk.setAcl(p, acls, -1);
                    count++;
                }
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("nodes", count);
            m.put("stat", Format.stat(s));
            emit(m, stat ? Format.statText(s) : null);
            return ExitCode.OK;
        }
    }

    @Command(name = "addauth", description = "Add credentials to the session (e.g. addauth digest user:password).")
    static final class AddAuth extends Cmd {
        @Parameters(index = "0", paramLabel = "SCHEME")
        String scheme;

        @Parameters(index = "1", paramLabel = "AUTH")
        String auth;

        @Override
        ExitCode run() {
            shell().addAuth(scheme, auth);
            emit(Map.of("scheme", scheme, "added", true), null); // never the credentials
            return ExitCode.OK;
        }
    }

    @Command(name = "sync", description = "Bring the connected server up to date with the leader for PATH.")
    static final class Sync extends Cmd {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            zk().sync(path);
            emit(Map.of("path", path, "synced", true), "Sync is OK");
            return ExitCode.OK;
        }
    }

    @Command(name = "whoami", description = "The identities the server associates with this session.")
    static final class WhoAmI extends Cmd {
        @Override
        ExitCode run() {
            List<ClientInfo> infos = zk().whoAmI();
            List<Object> list = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            for (ClientInfo info : infos) {
                list.add(Map.of("scheme", info.authScheme(), "user", info.user()));
                lines.add("scheme: " + info.authScheme() + ", user: " + info.user());
            }
            emit(Map.of("identities", list), String.join("\n", lines));
            return ExitCode.OK;
        }
    }

    @Command(name = "getEphemerals", description = "The ephemeral nodes of this session (under PATH).")
    static final class GetEphemerals extends Cmd {
        @Parameters(index = "0", arity = "0..1", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            List<String> paths = new ArrayList<>(path == null ? zk().getEphemerals() : zk().getEphemerals(path));
            paths.sort(null);
            emit(Map.of("ephemerals", paths), String.join("\n", paths));
            return ExitCode.OK;
        }
    }

    @Command(name = "getAllChildrenNumber", description = "The number of nodes under PATH (all levels).")
    static final class GetAllChildrenNumber extends Cmd {
        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            int n = zk().getAllChildrenNumber(path);
            emit(Map.of("path", path, "count", n), Integer.toString(n));
            return ExitCode.OK;
        }
    }

    @Command(name = "config", description = "The ensemble's dynamic configuration (/zookeeper/config).")
    static final class Config extends Cmd {
        @Option(names = "-s", description = "Also print the stat.")
        boolean stat;

        @Override
        ExitCode run() {
            NodeData config = zk().getConfig();
            String text = new String(config.data(), StandardCharsets.UTF_8);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("config", text);
            List<String> servers = new ArrayList<>();
            for (String line : text.split("\n")) {
                if (line.startsWith("server.")) {
                    servers.add(line);
                }
            }
            m.put("servers", servers);
            if (stat) {
                m.put("stat", Format.stat(config.stat()));
            }
            emit(m, stat ? text + "\n" + Format.statText(config.stat()) : text);
            return ExitCode.OK;
        }
    }

    @Command(name = "addWatch", description = "Add a persistent watch (interactive: events are printed until close).")
    static final class AddWatch extends Cmd {
        @Option(names = "-m", paramLabel = "MODE", description = "PERSISTENT or PERSISTENT_RECURSIVE (default).")
        String mode = "PERSISTENT_RECURSIVE";

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            AddWatchMode m = switch (mode.toUpperCase(Locale.ROOT).replace("-", "_")) {
                case "PERSISTENT" -> AddWatchMode.PERSISTENT;
                case "PERSISTENT_RECURSIVE", "RECURSIVE" -> AddWatchMode.PERSISTENT_RECURSIVE;
                default ->
                    throw new CliException(
                            ExitCode.USAGE,
                            "addWatch: unknown mode '" + mode + "' (PERSISTENT or PERSISTENT_RECURSIVE)");
            };
            PersistentWatch watch = zk().addWatch(path, m);
            Shell shell = shell();
            if (shell.interactive()) {
                shell.watchInBackground("persistent", () -> {
                    try (watch) {
                        for (WatchedEvent e : watch) {
                            shell.notice(event(e));
                        }
                    } catch (RuntimeException e) {
                        // the session ended or the watch was removed
                    }
                });
            }
            // Otherwise it stays armed until the session ends (removewatches removes it earlier).
            emit(Map.of("path", path, "mode", m.name()), null);
            return ExitCode.OK;
        }
    }

    @Command(
            name = "removewatches",
            description = "Remove the watches on PATH (-c child, -d data, -a any; default any).")
    static final class RemoveWatches extends Cmd {
        @Option(names = "-c", description = "Child watches.")
        boolean children;

        @Option(names = "-d", description = "Data watches.")
        boolean data;

        @Option(names = "-a", description = "Any watches (the default).")
        boolean any;

        @Option(names = "-p", description = "Persistent watches.")
        boolean persistent;

        @Option(names = "-r", description = "Persistent recursive watches.")
        boolean recursive;

        @Parameters(index = "0", paramLabel = "PATH")
        String path;

        @Override
        ExitCode run() {
            int given =
                    (children ? 1 : 0) + (data ? 1 : 0) + (any ? 1 : 0) + (persistent ? 1 : 0) + (recursive ? 1 : 0);
            if (given > 1) {
                throw new CliException(ExitCode.USAGE, "removewatches: give one of -c, -d, -a, -p, -r");
            }
            WatcherType type = children
                    ? WatcherType.CHILDREN
                    : data
                            ? WatcherType.DATA
                            : persistent
                                    ? WatcherType.PERSISTENT
                                    : recursive ? WatcherType.PERSISTENT_RECURSIVE : WatcherType.ANY;
            zk().removeWatches(path, type);
            emit(Map.of("path", path, "type", type.name(), "removed", true), null);
            return ExitCode.OK;
        }
    }
}
