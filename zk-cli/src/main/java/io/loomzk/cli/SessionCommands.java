package io.loomzk.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** The interactive shell's own commands: connect, close, history, quit. */
final class SessionCommands {
    private SessionCommands() {}

    @Command(name = "connect", description = "Close the session and connect to HOSTS.")
    static final class Connect extends Cmd {
        @Parameters(index = "0", paramLabel = "HOSTS")
        String hosts;

        @Override
        ExitCode run() {
            shell().reconnect(hosts);
            var zk = zk();
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("connect", hosts);
            m.put("session", Format.hex(zk.sessionId()));
            m.put("server", String.valueOf(zk.connectedServer()));
            emit(m, "connected to " + zk.connectedServer() + ", session " + Format.hex(zk.sessionId()));
            return ExitCode.OK;
        }
    }

    @Command(name = "close", description = "Close the session (the next command opens a new one).")
    static final class Close extends Cmd {
        @Override
        ExitCode run() {
            shell().closeClient();
            emit(Map.of("closed", true), "closed");
            return ExitCode.OK;
        }
    }

    @Command(name = "history", description = "The commands typed before (kept across runs).")
    static final class History extends Cmd {
        @Override
        ExitCode run() {
            if (main.interactive == null) {
                throw new CliException(ExitCode.USAGE, "history is kept by the interactive shell only");
            }
            List<String> lines = new ArrayList<>();
            List<Object> entries = new ArrayList<>();
            for (var entry : main.interactive.history()) {
                lines.add(String.format("%5d  %s", entry.index() + 1, entry.line()));
                entries.add(entry.line());
            }
            emit(Map.of("history", entries), String.join("\n", lines));
            return ExitCode.OK;
        }
    }

    @Command(name = "quit", aliases = "exit", description = "Leave the shell.")
    static final class Quit extends Cmd {
        @Override
        ExitCode run() {
            if (main.interactive != null) {
                main.interactive.quit();
            }
            return ExitCode.OK;
        }
    }
}
