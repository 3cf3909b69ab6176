package io.loomzk.bench.load;

import java.io.PrintStream;

/**
 * The live progress line: rewritten in place on a terminal, and replaced by a permanent line
 * when a run ends. Off a terminal (a CI log) only the permanent lines are printed.
 */
final class Progress {
    private final PrintStream out;
    private final boolean terminal;
    private int shown;

    Progress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether standard output is a terminal. */
    static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            // JDK 22+: System.console() exists even when redirected; isTerminal() says which.
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console exists only on a terminal
        }
    }

    synchronized void show(String line) {
        if (!terminal) {
            return;
        }
        out.print('\r' + line + " ".repeat(Math.max(0, shown - line.length())));
        out.flush();
        shown = line.length();
    }

    synchronized void done(String line) {
        if (terminal) {
            out.print('\r' + line + " ".repeat(Math.max(0, shown - line.length())) + '\n');
            shown = 0;
        } else {
            out.println(line);
        }
        out.flush();
    }

    synchronized void println(String line) {
        if (terminal && shown > 0) {
            out.print('\r' + " ".repeat(shown) + '\r');
            shown = 0;
        }
        out.println(line);
        out.flush();
    }
}
