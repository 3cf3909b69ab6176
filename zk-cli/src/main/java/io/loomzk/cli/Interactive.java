package io.loomzk.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jline.reader.EndOfFileException;
import org.jline.reader.History;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;

/**
 * The interactive shell: JLine line editing, history in {@code ~/.loomzk/history} across runs,
 * tab completion of commands, options and znode paths. Commands run on the calling thread;
 * Ctrl-C interrupts a running command (e.g. {@code watch}), or clears the line at the prompt.
 * Connection changes are printed above the prompt as they happen.
 */
final class Interactive {
    private static final int HISTORY_SIZE = 2000;

    private final LineReader reader;
    /** Written by {@code quit} on the loop's own thread. */
    private boolean quit;

    private Interactive(LineReader reader) {
        this.reader = reader;
    }

    record Entry(int index, String line) {}

    List<Entry> history() {
        List<Entry> entries = new ArrayList<>();
        for (History.Entry e : reader.getHistory()) {
            entries.add(new Entry(e.index(), e.line()));
        }
        return entries;
    }

    void quit() {
        quit = true;
    }

    static Path historyFile() {
        String override = System.getenv("LOOMZK_HISTORY");
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return Path.of(System.getProperty("user.home"), ".loomzk", "history");
    }

    static int run(Main main, CommandLine cl) {
        Shell shell = main.shell();
        Path history = historyFile();
        try (Terminal terminal =
                TerminalBuilder.builder().name("loomzk").system(true).build()) {
            Files.createDirectories(history.toAbsolutePath().getParent());
            DefaultParser parser = new DefaultParser();
            parser.setEscapeChars(new char[0]); // backslashes are data, not escapes
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("loomzk")
                    .parser(parser)
                    .completer(new ShellCompleter(cl, shell))
                    .history(new DefaultHistory())
                    .variable(LineReader.HISTORY_FILE, history)
                    .variable(LineReader.HISTORY_SIZE, HISTORY_SIZE)
                    .variable(LineReader.HISTORY_FILE_SIZE, HISTORY_SIZE)
                    .option(LineReader.Option.HISTORY_IGNORE_DUPS, true)
                    .option(LineReader.Option.AUTO_FRESH_LINE, true)
                    .build();
            Interactive loop = new Interactive(reader);
            main.interactive = loop;
            PrintWriter writer = terminal.writer();
            shell.interactive(writer, line -> {
                if (reader.isReading()) {
                    reader.printAbove(line);
                } else {
                    writer.println(line);
                    writer.flush();
                }
            });
            cl.setOut(writer);
            cl.setErr(writer);
            return loop.loop(main, cl, terminal);
        } catch (IOException e) {
            shell.err.println("error: cannot open the terminal or history file: " + e.getMessage());
            shell.err.flush();
            return ExitCode.IO.code();
        }
    }

    private int loop(Main main, CommandLine cl, Terminal terminal) {
        Shell shell = main.shell();
        Thread self = Thread.currentThread();
        terminal.handle(Terminal.Signal.INT, signal -> self.interrupt());
        writeLine(terminal, "loomzk shell: 'help' lists the commands, Tab completes, 'quit' leaves.");
        try {
            connectIfConfigured(main, shell);
            while (!quit) {
                String line;
                try {
                    line = reader.readLine(prompt(shell));
                } catch (UserInterruptException e) {
                    continue;
                } catch (EndOfFileException e) {
                    break;
                }
                List<String> words = new ArrayList<>(reader.getParsedLine().words());
                words.removeIf(String::isEmpty);
                if (words.isEmpty()) {
                    continue;
                }
                Thread.interrupted(); // a Ctrl-C at the prompt must not end this command
                cl.execute(words.toArray(String[]::new));
                Thread.interrupted(); // a Ctrl-C that ended a command must not end the next one
                shell.out.flush();
            }
            return ExitCode.OK.code();
        } finally {
            try {
                reader.getHistory().save();
            } catch (IOException e) {
                writeLine(terminal, "warning: history not saved: " + e.getMessage());
            }
        }
    }

    private static void connectIfConfigured(Main main, Shell shell) {
        if (!shell.hasConnectString()) {
            return;
        }
        try {
            var zk = shell.client();
            shell.notice("connected to " + zk.connectedServer() + ", session " + Format.hex(zk.sessionId()));
        } catch (RuntimeException e) {
            main.failed(e);
        }
    }

    private static String prompt(Shell shell) {
        return "loomzk " + (shell.hasConnectString() ? shell.connectString() : "(not connected)") + "> ";
    }

    private static void writeLine(Terminal terminal, String line) {
        terminal.writer().println(line);
        terminal.writer().flush();
    }
}
