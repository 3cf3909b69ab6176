package io.loomzk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.Acls;
import io.loomzk.client.CreateOptions;
import io.loomzk.client.ZkClient;
import io.loomzk.testing.ZkConnectString;
import io.loomzk.testing.ZkTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every zkCli command in one-shot mode, with --json output parsed and checked, against a real server. */
@ZkTest
class OneShotIT {

    private static Cli.Result ok(Cli.Result r) {
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
        return r;
    }

    @Test
    void createGetSetStatDeleteWithJson(@ZkConnectString String cs) {
        Map<String, Object> created =
                ok(Cli.once(cs, "--json", "create", "/a", "hello")).json();
        assertThat(created).containsEntry("path", "/a").containsEntry("mode", "PERSISTENT");

        Map<String, Object> got = ok(Cli.once(cs, "--json", "get", "-s", "/a")).json();
        assertThat(got).containsEntry("data", "hello").containsEntry("base64", "aGVsbG8=");
        assertThat(stat(got)).containsEntry("version", 0L).containsEntry("dataLength", 5L);

        Map<String, Object> set =
                ok(Cli.once(cs, "set", "-v", "0", "/a", "world", "--json")).json();
        assertThat(stat(set)).containsEntry("version", 1L);
        assertThat(ok(Cli.once(cs, "get", "/a")).out()).isEqualTo("world\n");

        Map<String, Object> st = ok(Cli.once(cs, "--json", "stat", "/a")).json();
        assertThat(stat(st)).containsEntry("version", 1L).containsEntry("numChildren", 0L);
        assertThat(ok(Cli.once(cs, "stat", "/a")).out()).contains("dataVersion = 1");

        ok(Cli.once(cs, "set", "--base64", "/a", Base64.getEncoder().encodeToString(new byte[] {(byte) 0xff, 0, 1})));
        Map<String, Object> binary = ok(Cli.once(cs, "--json", "get", "/a")).json();
        assertThat(binary.get("data")).isNull();
        assertThat(Base64.getDecoder().decode((String) binary.get("base64"))).containsExactly(0xff, 0, 1);

        assertThat(ok(Cli.once(cs, "--json", "delete", "-v", "2", "/a")).json()).containsEntry("deleted", true);
        assertThat(Cli.once(cs, "get", "/a").exit()).isEqualTo(ExitCode.NO_NODE.code());
    }

    @Test
    void createModes(@ZkConnectString String cs) {
        ok(Cli.once(cs, "create", "/p"));
        String seq = (String)
                ok(Cli.once(cs, "--json", "create", "-s", "/p/n-", "x")).json().get("path");
        assertThat(seq).matches("/p/n-\\d{10}");
        Map<String, Object> eph =
                ok(Cli.once(cs, "--json", "create", "-e", "/p/e")).json();
        assertThat(eph).containsEntry("mode", "EPHEMERAL");
        assertThat(Cli.once(cs, "stat", "/p/e").exit())
                .as("gone with its one-shot session")
                .isEqualTo(3);
        assertThat(ok(Cli.once(cs, "--json", "create", "-c", "/p/c")).json()).containsEntry("mode", "CONTAINER");
        // The test server does not enable extended types: TTL nodes are refused, in one clear line.
        expect(Cli.once(cs, "create", "-t", "60000", "/p/t", "x"), ExitCode.SERVER, "does not allow TTL nodes");
        ok(Cli.once(cs, "create", "/p/acl", "d", "world:anyone:r"));
        List<Object> acl =
                list(ok(Cli.once(cs, "--json", "getAcl", "/p/acl")).json().get("acl"));
        assertThat(acl).containsExactly(Map.of("scheme", "world", "id", "anyone", "perms", "r"));
        assertThat(Cli.once(cs, "set", "/p/acl", "x").exit()).isEqualTo(ExitCode.NO_AUTH.code());
    }

    @Test
    void lsRecursiveStatAndCounts(@ZkConnectString String cs) {
        ok(Cli.once(cs, "create", "/t"));
        ok(Cli.once(cs, "create", "/t/b", "12"));
        ok(Cli.once(cs, "create", "/t/a"));
        ok(Cli.once(cs, "create", "/t/a/x", "123"));
        Map<String, Object> ls = ok(Cli.once(cs, "--json", "ls", "-s", "/t")).json();
        assertThat(list(ls.get("children"))).containsExactly("a", "b");
        assertThat(stat(ls)).containsEntry("numChildren", 2L);
        assertThat(ok(Cli.once(cs, "ls", "/t")).out()).isEqualTo("a\nb\n");
        assertThat(list(ok(Cli.once(cs, "--json", "ls", "-R", "/t")).json().get("paths")))
                .containsExactly("/t", "/t/a", "/t/a/x", "/t/b");
        assertThat(ok(Cli.once(cs, "--json", "getAllChildrenNumber", "/t")).json())
                .containsEntry("count", 3L);
        assertThat(ok(Cli.once(cs, "ls", "-w", "/t")).out()).contains("a");

        Map<String, Object> tree =
                ok(Cli.once(cs, "--json", "tree", "-d", "1", "/t")).json();
        assertThat(tree).containsEntry("path", "/t").containsEntry("numChildren", 2L);
        List<Object> children = list(tree.get("children"));
        assertThat(children).hasSize(2);
        assertThat(map(children.get(0))).containsEntry("path", "/t/a").containsEntry("numChildren", 1L);
        assertThat(list(map(children.get(0)).get("children")))
                .as("depth-limited")
                .isEmpty();
        assertThat(ok(Cli.once(cs, "tree", "/t")).out())
                .contains("/t  [0 B, 2 children]", "  a  [0 B, 1 child]", "    x  [3 B]");

        List<Object> du = ok(Cli.once(cs, "--json", "du", "/t")).jsonList();
        assertThat(du)
                .containsExactly(
                        Map.of("path", "/t", "bytes", 5L, "nodes", 4L),
                        Map.of("path", "/t/a", "bytes", 3L, "nodes", 2L),
                        Map.of("path", "/t/b", "bytes", 2L, "nodes", 1L));

        ok(Cli.once(cs, "deleteall", "/t"));
        assertThat(Cli.once(cs, "stat", "/t").exit()).isEqualTo(3);
    }

    @Test
    void aclsAuthAndSession(@ZkConnectString String cs) {
        ok(Cli.once(cs, "create", "/s", "x"));
        ok(Cli.once(cs, "--json", "setAcl", "/s", "digest:" + Acls.digestId("u", "p") + ":cdrwa,world:anyone:r"));
        List<Object> acl =
                list(ok(Cli.once(cs, "--json", "getAcl", "/s")).json().get("acl"));
        assertThat(acl).hasSize(2).contains(Map.of("scheme", "world", "id", "anyone", "perms", "r"));
        assertThat(Cli.once(cs, "set", "/s", "y").exit()).isEqualTo(ExitCode.NO_AUTH.code());
        ok(Cli.once(cs, "--auth", "digest:u:p", "set", "/s", "y"));
        Cli.Result bad = Cli.once(cs, "--auth", "digest:u:wrong", "set", "/s", "z");
        assertThat(bad.exit()).isEqualTo(ExitCode.NO_AUTH.code());
        assertThat(bad.err()).doesNotContain("wrong");

        try (Cli cli = new Cli(cs)) {
            assertThat(cli.run("set", "/s", "z").exit()).isEqualTo(ExitCode.NO_AUTH.code());
            Cli.Result added = ok(cli.run("--json", "addauth", "digest", "u:p"));
            assertThat(added.out()).doesNotContain("u:p");
            ok(cli.run("set", "/s", "z"));
            List<Object> ids = list(ok(cli.run("--json", "whoami")).json().get("identities"));
            assertThat(ids).contains(Map.of("scheme", "digest", "user", "u"));
            ok(cli.run("create", "-e", "/s/e1"));
            ok(cli.run("create", "-e", "/s/e2"));
            assertThat(list(ok(cli.run("--json", "getEphemerals", "/s")).json().get("ephemerals")))
                    .containsExactly("/s/e1", "/s/e2");
            assertThat(ok(cli.run("--json", "sync", "/s")).json()).containsEntry("synced", true);
            assertThat(ok(cli.run("--json", "addWatch", "-m", "PERSISTENT", "/s"))
                            .json())
                    .containsEntry("mode", "PERSISTENT");
            assertThat(ok(cli.run("--json", "removewatches", "/s", "-p")).json())
                    .containsEntry("removed", true);
            assertThat(cli.run("setAcl", "-R", "/s", "world:anyone:cdrwa").exit())
                    .isZero();
        }
        Map<String, Object> config = ok(Cli.once(cs, "--json", "config")).json();
        assertThat(config).containsKey("config");
    }

    @Test
    void connectCloseAndHelp(@ZkConnectString String cs) {
        try (Cli cli = new Cli("127.0.0.1:1")) {
            Map<String, Object> connected = ok(cli.run("--json", "connect", cs)).json();
            assertThat(connected).containsEntry("connect", cs);
            long first = cli.sessionIdForTest();
            assertThat(connected).containsEntry("session", "0x" + Long.toHexString(first));
            ok(cli.run("create", "-e", "/mine"));
            assertThat(ok(cli.run("--json", "close")).json()).containsEntry("closed", true);
            assertThat(Cli.once(cs, "stat", "/mine").exit())
                    .as("ephemeral gone with the closed session")
                    .isEqualTo(3);
            ok(cli.run("ls", "/"));
            assertThat(cli.sessionIdForTest())
                    .as("the next command opened a new session")
                    .isNotEqualTo(first);
            assertThat(cli.run("connect", "127.0.0.1:x").exit()).isEqualTo(ExitCode.USAGE.code());
        }
        Cli.Result help = ok(Cli.once(cs, "help"));
        assertThat(help.out()).contains("getAllChildrenNumber", "locks", "srvr", "trace", "restore");
        assertThat(ok(Cli.once(cs, "help", "locks")).out()).contains("Usage: loomzk shell locks");
    }

    @Test
    void anExpiredSessionIsReplacedByTheNextCommand(@ZkConnectString String cs) throws Exception {
        try (Cli cli = new Cli(cs)) {
            ok(cli.run("create", "-e", "/short-lived"));
            ZkClient zk = cli.clientForTest();
            long first = zk.sessionId();
            io.loomzk.testing.Sessions.expire(cs, first, zk.sessionPassword());
            assertThat(zk.awaitState(java.time.Duration.ofSeconds(60), io.loomzk.client.SessionState.EXPIRED))
                    .isEqualTo(io.loomzk.client.SessionState.EXPIRED);
            Cli.Result after = ok(cli.run("--json", "ls", "/"));
            assertThat(list(after.json().get("children"))).doesNotContain("short-lived");
            assertThat(cli.sessionIdForTest()).isNotEqualTo(first);
        }
    }

    @Test
    void badInputGetsOneLineAndItsExitCode(@ZkConnectString String cs) {
        ok(Cli.once(cs, "create", "/b", "x"));
        ok(Cli.once(cs, "create", "/b/c"));
        expect(Cli.once(cs, "lss", "/"), ExitCode.USAGE, "unknown command 'lss'; did you mean 'ls'?");
        expect(Cli.once(cs, "getacl2", "/"), ExitCode.USAGE, "did you mean 'getAcl'?");
        expect(Cli.once(cs, "get"), ExitCode.USAGE, "Missing required parameter: 'PATH'");
        expect(Cli.once(cs, "get", "b"), ExitCode.USAGE, "path must start with '/'");
        expect(Cli.once(cs, "get", "/b/"), ExitCode.USAGE, "/b/");
        expect(Cli.once(cs, "get", "/nope"), ExitCode.NO_NODE, "no node /nope");
        expect(Cli.once(cs, "ls", "/nope"), ExitCode.NO_NODE, "no node /nope");
        expect(Cli.once(cs, "create", "/b"), ExitCode.NODE_EXISTS, "node already exists: /b");
        expect(Cli.once(cs, "create", "/nope/x"), ExitCode.NO_NODE, "no node /nope/x");
        expect(Cli.once(cs, "set", "-v", "9", "/b", "y"), ExitCode.BAD_VERSION, "version mismatch for /b");
        expect(Cli.once(cs, "set", "-v", "x", "/b", "y"), ExitCode.USAGE, "'x'");
        expect(Cli.once(cs, "delete", "-v", "9", "/b/c"), ExitCode.BAD_VERSION, "version mismatch");
        expect(Cli.once(cs, "delete", "/b"), ExitCode.NOT_EMPTY, "node not empty: /b");
        expect(Cli.once(cs, "deleteall", "/nope"), ExitCode.NO_NODE, "no node /nope");
        expect(Cli.once(cs, "setAcl", "/b", "world:anyone"), ExitCode.USAGE, "bad ACL");
        expect(Cli.once(cs, "setAcl", "/b", "world:anyone:xyz"), ExitCode.USAGE, "bad permission 'x'");
        expect(Cli.once(cs, "create", "-e", "-c", "/b/z"), ExitCode.USAGE, "exclude each other");
        expect(Cli.once(cs, "addWatch", "-m", "sometimes", "/b"), ExitCode.USAGE, "unknown mode");
        expect(Cli.once(cs, "restore", "/no/such/file.json", "/r"), ExitCode.IO, "no such file");
        expect(Cli.once(cs, "diff", "/b"), ExitCode.USAGE, "give a second PATH or --dump FILE");
        expect(Cli.once(cs, "tree", "-d", "-1", "/b"), ExitCode.USAGE, "--depth");
        expect(Cli.once(cs, "history"), ExitCode.USAGE, "interactive");
        expect(Cli.once("127.0.0.1:1", "--timeout", "1", "get", "/b"), ExitCode.CONNECTION, "cannot connect");
        expect(Cli.once("127.0.0.1:1", "--timeout", "1", "srvr"), ExitCode.CONNECTION, "1 of 1 servers did not answer");
        expect(Cli.once("127.0.0.1:x", "get", "/b"), ExitCode.USAGE, "");

        Cli.Result json = Cli.once(cs, "--json", "get", "/nope");
        assertThat(json.json()).containsEntry("error", "no_node").containsEntry("exit", 3L);
    }

    private static void expect(Cli.Result r, ExitCode code, String message) {
        assertThat(r.exit()).as(r.toString()).isEqualTo(code.code());
        assertThat(r.err().strip())
                .as("one line")
                .doesNotContain("\n")
                .startsWith("error: ")
                .contains(message);
        assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void watchStreamsEventsUntilItsCount(@ZkConnectString String cs) throws Exception {
        ok(Cli.once(cs, "create", "/w"));
        Thread writer = Thread.ofPlatform().name("watch-writer").start(() -> {
            try (ZkClient zk = ZkClient.builder(cs).build()) {
                for (int i = 0; i < 50 && !Thread.currentThread().isInterrupted(); i++) {
                    zk.create("/w/n" + i, new byte[0], CreateOptions.persistent());
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            Cli.Result r = ok(Cli.once(cs, "--json", "watch", "-R", "--count", "2", "--for", "60", "/w"));
            String[] lines = r.out().strip().split("\n");
            assertThat(lines).hasSize(2);
            for (String line : lines) {
                @SuppressWarnings("unchecked")
                Map<String, Object> event = (Map<String, Object>) Json.parse(line);
                assertThat(event).containsEntry("event", "NODE_CREATED");
                assertThat((String) event.get("path")).startsWith("/w/n");
            }
        } finally {
            writer.interrupt();
            writer.join();
        }
    }

    @Test
    void serverStatsForEveryServer(@ZkConnectString String cs) {
        List<Object> srvr = ok(Cli.once(cs, "--json", "srvr")).jsonList();
        assertThat(srvr).hasSize(1);
        assertThat(map(srvr.get(0)))
                .containsEntry("ok", true)
                .containsEntry("mode", "standalone")
                .containsKey("zxid");
        assertThat((Long) map(srvr.get(0)).get("nodeCount")).isPositive();
        assertThat(ok(Cli.once(cs, "srvr")).out()).contains("MODE", "standalone");
        assertThat(map(ok(Cli.once(cs, "--json", "ruok")).jsonList().get(0))).containsEntry("ok", true);
        Map<String, Object> mntr =
                map(ok(Cli.once(cs, "--json", "mntr")).jsonList().get(0));
        assertThat(map(mntr.get("values"))).containsEntry("zk_server_state", "standalone");
        assertThat(map(map(ok(Cli.once(cs, "--json", "conf")).jsonList().get(0)).get("values")))
                .containsKey("clientPort");
        assertThat(map(map(ok(Cli.once(cs, "--json", "envi")).jsonList().get(0)).get("values")))
                .containsKey("java.version");
        assertThat(map(ok(Cli.once(cs, "--json", "stat")).jsonList().get(0))
                        .get("text")
                        .toString())
                .contains("Mode: standalone");
        assertThat(map(ok(Cli.once(cs, "--json", "wchs")).jsonList().get(0))
                        .get("text")
                        .toString())
                .contains("watch");
        try (Cli cli = new Cli(cs)) {
            ok(cli.run("get", "/"));
            long session = cli.sessionIdForTest();
            List<Object> cons =
                    list(map(ok(cli.run("--json", "cons")).jsonList().get(0)).get("connections"));
            assertThat(cons).anySatisfy(c -> assertThat(map(c)).containsEntry("sid", "0x" + Long.toHexString(session)));
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    static Map<String, Object> stat(Map<String, Object> m) {
        return map(m.get("stat"));
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
