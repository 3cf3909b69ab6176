package io.loomzk.cli;

import io.loomzk.client.FourLetterWords;
import io.loomzk.client.ServerStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The four-letter words, asked of every server of the connect string (or of one, with
 * {@code --server}): {@code srvr} as a table, the others as each server's answer. They need no
 * session. Exit code {@link ExitCode#CONNECTION} if a server did not answer.
 */
final class ServerCommands {
    private ServerCommands() {}

    private static final Pattern CONS_LINE = Pattern.compile("^\\s*/?(\\S+?)\\[\\d+\\]\\((.*)\\)\\s*$");
    private static final Pattern SID = Pattern.compile("(?:^|,)sid=0x([0-9a-fA-F]+)");

    /** The servers a stats command talks to. */
    static List<InetSocketAddress> targets(Cmd cmd, String server) {
        return server != null ? FourLetterWords.servers(server) : cmd.shell().servers();
    }

    static String name(InetSocketAddress server) {
        return server.getHostString() + ":" + server.getPort();
    }

    /** Asks every target {@code word}; prints each answer (text) or a map server → answer (JSON). */
    static ExitCode word(Cmd cmd, String word, String server) {
        Map<String, Object> answers = new LinkedHashMap<>();
        StringBuilder text = new StringBuilder();
        ExitCode exit = ExitCode.OK;
        List<InetSocketAddress> targets = targets(cmd, server);
        for (InetSocketAddress target : targets) {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("server", name(target));
            if (targets.size() > 1) {
                text.append("== ").append(name(target)).append(" ==\n");
            }
            try {
                String answer = FourLetterWords.ask(target, word, cmd.shell().timeout());
                entry.put("ok", true);
                switch (word) {
                    case "mntr" -> entry.put("values", keyValues(answer, '\t'));
                    case "conf", "envi" -> entry.put("values", keyValues(answer, '='));
                    case "cons" -> entry.put("connections", connections(answer));
                    default -> {}
                }
                entry.put("text", answer);
                text.append(answer.endsWith("\n") ? answer : answer + "\n");
            } catch (IOException e) {
                entry.put("ok", false);
                entry.put("error", e.getMessage());
                text.append("error: ").append(e.getMessage()).append('\n');
                exit = e instanceof FourLetterWords.NotAllowed ? ExitCode.SERVER : ExitCode.CONNECTION;
            }
            answers.put(name(target), entry);
        }
        cmd.emit(List.copyOf(answers.values()), text.toString().stripTrailing());
        long failed = answers.values().stream()
                .filter(e -> Boolean.FALSE.equals(((Map<?, ?>) e).get("ok")))
                .count();
        return failedServers(cmd, exit, targets.size(), failed);
    }

    /** After a table or answers were printed: one error line if some servers failed. */
    private static ExitCode failedServers(Cmd cmd, ExitCode exit, int servers, long failed) {
        if (failed > 0) {
            cmd.shell().err.println("error: " + failed + " of " + servers + " servers did not answer");
            cmd.shell().err.flush();
        }
        return exit;
    }

    static Map<String, String> keyValues(String answer, char separator) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : answer.split("\n")) {
            int at = line.indexOf(separator);
            if (at > 0) {
                values.put(line.substring(0, at).trim(), line.substring(at + 1).trim());
            }
        }
        return values;
    }

    /** The connections of a {@code cons} answer: client address, session id and counters. */
    static List<Map<String, Object>> connections(String answer) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (String line : answer.split("\n")) {
            Matcher m = CONS_LINE.matcher(line);
            if (!m.matches()) {
                continue;
            }
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("client", m.group(1));
            for (String kv : m.group(2).split(",")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    c.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            list.add(c);
        }
        return list;
    }

    /**
     * Session id → client address, from {@code cons} of every server of the connect string;
     * servers that do not answer (or do not allow {@code cons}) are skipped.
     */
    static Map<Long, String> clientsBySession(Shell shell) {
        Map<Long, String> clients = new HashMap<>();
        for (InetSocketAddress server : shell.servers()) {
            String answer;
            try {
                answer = FourLetterWords.ask(server, "cons", shell.timeout());
            } catch (IOException e) {
                continue;
            }
            for (String line : answer.split("\n")) {
                Matcher m = CONS_LINE.matcher(line);
                if (!m.matches()) {
                    continue;
                }
                Matcher sid = SID.matcher(m.group(2));
                if (sid.find()) {
                    clients.put(Long.parseUnsignedLong(sid.group(1), 16), m.group(1));
                }
            }
        }
        return clients;
    }

    @Command(name = "srvr", description = "Each server's role, zxid, latency, load and znode count, as a table.")
    static final class Srvr extends Cmd {
        @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only this server.")
        String server;

        @Override
        ExitCode run() {
            List<Object> rows = new ArrayList<>();
            List<String[]> table = new ArrayList<>();
            table.add(new String[] {
                "SERVER", "MODE", "ZXID", "LATENCY min/avg/max", "OUTSTANDING", "CONNECTIONS", "ZNODES", "VERSION"
            });
            ExitCode exit = ExitCode.OK;
            for (InetSocketAddress target : targets(this, server)) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("server", name(target));
                try {
                    ServerStats s = FourLetterWords.srvr(target, shell().timeout());
                    row.put("ok", true);
                    row.put("mode", s.mode());
                    row.put("zxid", s.zxidHex());
                    row.put("latencyMinMs", s.latencyMinMillis());
                    row.put("latencyAvgMs", s.latencyAvgMillis());
                    row.put("latencyMaxMs", s.latencyMaxMillis());
                    row.put("received", s.received());
                    row.put("sent", s.sent());
                    row.put("connections", s.connections());
                    row.put("outstanding", s.outstanding());
                    row.put("nodeCount", s.nodeCount());
                    row.put("version", s.version());
                    String version = s.version();
                    int dash = version.indexOf('-');
                    table.add(new String[] {
                        name(target),
                        s.mode(),
                        s.zxidHex(),
                        trim(s.latencyMinMillis()) + "/" + trim(s.latencyAvgMillis()) + "/"
                                + trim(s.latencyMaxMillis()),
                        Long.toString(s.outstanding()),
                        Integer.toString(s.connections()),
                        Long.toString(s.nodeCount()),
                        dash > 0 ? version.substring(0, dash) : version
                    });
                } catch (IOException e) {
                    row.put("ok", false);
                    row.put("error", e.getMessage());
                    table.add(new String[] {
                        name(target), "down", "-", "-", "-", "-", "-", Failures.oneLine(e.getMessage())
                    });
                    exit = ExitCode.CONNECTION;
                }
                rows.add(row);
            }
            emit(rows, Table.render(table));
            return failedServers(
                    this,
                    exit,
                    rows.size(),
                    table.stream().filter(r -> r[1].equals("down")).count());
        }

        private static String trim(double d) {
            return d == Math.rint(d) ? Long.toString((long) d) : String.format("%.3f", d);
        }
    }

    @Command(name = "ruok", description = "Whether each server answers 'imok' (exit 1 if one does not).")
    static final class Ruok extends Cmd {
        @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only this server.")
        String server;

        @Override
        ExitCode run() {
            List<Object> rows = new ArrayList<>();
            List<String> lines = new ArrayList<>();
            boolean allOk = true;
            for (InetSocketAddress target : targets(this, server)) {
                boolean ok = FourLetterWords.ruok(target, shell().timeout());
                allOk &= ok;
                rows.add(Map.of("server", name(target), "ok", ok));
                lines.add(name(target) + " " + (ok ? "imok" : "no answer"));
            }
            emit(rows, String.join("\n", lines));
            return allOk ? ExitCode.OK : ExitCode.DIFFERENT;
        }
    }

    @Command(name = "mntr", description = "Each server's monitoring values (mntr).")
    static final class Mntr extends Cmd {
        @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only this server.")
        String server;

        @Override
        ExitCode run() {
            return word(this, "mntr", server);
        }
    }

    @Command(name = "conf", description = "Each server's configuration (conf).")
    static final class Conf extends Cmd {
        @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only this server.")
        String server;

        @Override
        ExitCode run() {
            return word(this, "conf", server);
        }
    }

    @Command(name = "cons", description = "Each server's client connections and their sessions (cons).")
    static final class Cons extends Cmd {
        @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only this server.")
        String server;

        @Override
        ExitCode run() {
            return word(this, "cons", server);
        }
    }

    @Command(name = "envi", description = "Each server's environment (envi).")
    static final class Envi extends Cmd {
        @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only this server.")
        String server;

        @Override
        ExitCode run() {
            return word(this, "envi", server);
        }
    }

    @Command(name = "wchs", description = "Each server's watch summary (wchs).")
    static final class Wchs extends Cmd {
        @Option(names = "--server", paramLabel = "HOST:PORT", description = "Only this server.")
        String server;

        @Override
        ExitCode run() {
            return word(this, "wchs", server);
        }
    }
}
