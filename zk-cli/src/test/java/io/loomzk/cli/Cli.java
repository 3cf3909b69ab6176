package io.loomzk.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

/**
 * Runs shell command lines in this JVM, as the one-shot mode does, capturing output: either a
 * fresh shell per line ({@link #once}) or several lines on one shell and session ({@link #run}).
 */
final class Cli implements AutoCloseable {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Shell shell = new Shell(new PrintWriter(out, true), new PrintWriter(err, true));
    private final String connect;

    Cli(String connect) {
        this.connect = connect;
    }

    record Result(int exit, String out, String err) {
        @SuppressWarnings("unchecked")
        Map<String, Object> json() {
            return (Map<String, Object>) Json.parse(out.strip());
        }

        @SuppressWarnings("unchecked")
        List<Object> jsonList() {
            return (List<Object>) Json.parse(out.strip());
        }

        @Override
        public String toString() {
            return "exit " + exit + "\nout: " + out + "\nerr: " + err;
        }
    }

    /** One command on a fresh shell, as {@code loomzk shell --connect C ARGS…} would run it. */
    static Result once(String connect, String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "--connect";
        full[1] = connect;
        System.arraycopy(args, 0, full, 2, args.length);
        int exit = Main.run(full, new PrintWriter(o, true), new PrintWriter(e, true));
        return new Result(exit, o.toString(), e.toString());
    }

    /** One command on this shell's session (opened by the first command). */
    Result run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        String[] full = new String[args.length + 2];
        full[0] = "--connect";
        full[1] = connect;
        System.arraycopy(args, 0, full, 2, args.length);
        int exit = new Main(shell).commandLine(shell.out, shell.err).execute(full);
        return new Result(exit, out.toString(), err.toString());
    }

    long sessionIdForTest() {
        return shell.client().sessionId();
    }

    /** The shell's current client (opens one if none). */
    io.loomzk.client.ZkClient clientForTest() {
        return shell.client();
    }

    @Override
    public void close() {
        shell.close();
    }
}
