package io.loomzk.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code loomzk shell} command: one command and exit (one-shot mode, for scripts), or an
 * interactive shell when no command is given. Exit codes are {@link ExitCode}s.
 */
@Command(
        name = "loomzk shell",
        mixinStandardHelpOptions = true,
        version = "loomzk shell 0.1.0",
        description = "A ZooKeeper shell on the LoomZK client. Without COMMAND: interactive.",
        sortOptions = false)
public final class Main implements Callable<Integer> {
    @Option(
            names = {"--connect", "-server"},
            paramLabel = "HOSTS",
            description = "host:port[,host:port…][/chroot]; default: $LOOMZK_CONNECT")
    String connect;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print one JSON document per result.")
    boolean json;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Deadline for connecting and for each request (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(
            names = "--auth",
            paramLabel = "SCHEME:CREDENTIALS",
            description = "Credentials for the session, e.g. digest:user:password.")
    List<String> auth = new ArrayList<>();

    /**
     * Every command by its name, made on demand: a one-shot run registers only the command it
     * runs, so picocli reflects over one class instead of all of them (start-up time).
     */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    /** Other names of commands. */
    private static final Map<String, String> ALIASES = Map.of("rmr", "deleteall", "exit", "quit");

    /** Root options that take a value, so the command word can be found without a full parse. */
    private static final java.util.Set<String> VALUED = java.util.Set.of("--connect", "-server", "--timeout", "--auth");

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("help", CommandLine.HelpCommand::new);
        m.put("ls", ZnodeCommands.Ls::new);
        m.put("get", ZnodeCommands.Get::new);
        m.put("set", ZnodeCommands.Set::new);
        m.put("create", ZnodeCommands.Create::new);
        m.put("delete", ZnodeCommands.Delete::new);
        m.put("deleteall", ZnodeCommands.DeleteAll::new);
        m.put("stat", ZnodeCommands.StatCmd::new);
        m.put("getAcl", ZnodeCommands.GetAcl::new);
        m.put("setAcl", ZnodeCommands.SetAcl::new);
        m.put("addauth", ZnodeCommands.AddAuth::new);
        m.put("sync", ZnodeCommands.Sync::new);
        m.put("whoami", ZnodeCommands.WhoAmI::new);
        m.put("getEphemerals", ZnodeCommands.GetEphemerals::new);
        m.put("getAllChildrenNumber", ZnodeCommands.GetAllChildrenNumber::new);
        m.put("config", ZnodeCommands.Config::new);
        m.put("addWatch", ZnodeCommands.AddWatch::new);
        m.put("removewatches", ZnodeCommands.RemoveWatches::new);
        m.put("tree", TreeCommands.Tree::new);
        m.put("du", TreeCommands.Du::new);
        m.put("watch", TreeCommands.Watch::new);
        m.put("locks", TreeCommands.Locks::new);
        m.put("dump", TreeCommands.Dump::new);
        m.put("restore", TreeCommands.Restore::new);
        m.put("diff", TreeCommands.Diff::new);
        m.put("srvr", ServerCommands.Srvr::new);
        m.put("ruok", ServerCommands.Ruok::new);
        m.put("mntr", ServerCommands.Mntr::new);
        m.put("conf", ServerCommands.Conf::new);
        m.put("cons", ServerCommands.Cons::new);
        m.put("envi", ServerCommands.Envi::new);
        m.put("wchs", ServerCommands.Wchs::new);
        m.put("trace", TraceCommand::new);
        m.put("connect", SessionCommands.Connect::new);
        m.put("close", SessionCommands.Close::new);
        m.put("history", SessionCommands.History::new);
        m.put("quit", SessionCommands.Quit::new);
        return m;
    }

    /** The registered name of the command {@code args} run, or null (none, unknown, or ambiguous). */
    static String commandWord(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (VALUED.contains(a)) {
                i++;
            } else if (!a.startsWith("-")) {
                for (String name : COMMANDS.keySet()) {
                    if (name.equalsIgnoreCase(a)) {
                        return name;
                    }
                }
                String alias = ALIASES.get(a.toLowerCase(Locale.ROOT));
                return alias;
            }
        }
        return null;
    }

    /** Owned by the run: one per process (or per test run). */
    private final Shell shell;
    /** Set while the interactive loop runs; commands then skip the start-up configuration. */
    Interactive interactive;

    Shell shell() {
        return shell;
    }

    @Override
    public Integer call() {
        if (interactive != null) {
            return ExitCode.OK.code(); // only options on an interactive line: nothing to do
        }
        return Interactive.run(this, commandLine);
    }

    private CommandLine commandLine;

    /** Runs the shell; returns the exit status. */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), false);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        int status = run(args, out, err);
        out.flush();
        err.flush();
        if (commandWord(args) != null) {
            FastExit.exit(status); // a one-shot command: nothing left to restore (no terminal taken)
        }
        System.exit(status);
    }

    /** Runs one command line with the given streams; for {@link #main} and the tests. */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        try (Shell shell = new Shell(out, err)) {
            String word = commandWord(args);
            boolean helpOnly = word != null && word.equals("help");
            return new Main(shell).commandLine(out, err, helpOnly ? null : word).execute(args);
        }
    }

    /** A root command over {@code shell}; several command lines may run on it, one at a time. */
    Main(Shell shell) {
        this.shell = shell;
    }

    CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return commandLine(out, err, null);
    }

    /** The command line with every command, or only {@code only} (for a one-shot run of it). */
    CommandLine commandLine(PrintWriter out, PrintWriter err, String only) {
        CommandLine cl = new CommandLine(this);
        if (only != null) {
            cl.addSubcommand(only, COMMANDS.get(only).get());
        } else {
            COMMANDS.forEach((name, command) -> cl.addSubcommand(name, command.get()));
        }
        commandLine = cl;
        cl.setSubcommandsCaseInsensitive(true);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionStrategy(parseResult -> {
            if (interactive == null) {
                String hosts = connect != null ? connect : System.getenv("LOOMZK_CONNECT");
                shell.configure(hosts, Duration.ofSeconds(Math.max(1, timeoutSeconds)), auth);
            }
            return new CommandLine.RunLast().execute(parseResult);
        });
        cl.setParameterExceptionHandler(this::badInput);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> failed(ex));
        return cl;
    }

    int failed(Throwable ex) {
        Failures.Failure f = Failures.of(ex);
        report(f.exitCode(), f.kind(), f.message());
        return f.exitCode().code();
    }

    private void report(ExitCode code, String kind, String message) {
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("error", kind);
            m.put("message", message);
            m.put("exit", code.code());
            shell.out.println(Json.write(m));
            shell.out.flush();
        }
        shell.err.println("error: " + message);
        shell.err.flush();
    }

    private int badInput(ParameterException ex, String[] args) {
        CommandLine where = ex.getCommandLine();
        String message;
        if (ex instanceof UnmatchedArgumentException u
                && where.getCommandSpec().parent() == null
                && isCommandPosition(u)) {
            String word = u.getUnmatched().get(0);
            String closest =
                    closest(word, new ArrayList<>(where.getSubcommands().keySet()));
            message = "unknown command '" + word + "'" + (closest == null ? "" : "; did you mean '" + closest + "'?")
                    + " ('help' lists the commands)";
        } else {
            String synopsis = where.getHelp().synopsis(0).trim().replace("loomzk shell ", "");
            message = ex.getMessage().replace("loomzk shell ", "") + " (usage: " + synopsis + ")";
        }
        report(ExitCode.USAGE, "usage", Failures.oneLine(message));
        return ExitCode.USAGE.code();
    }

    private static boolean isCommandPosition(UnmatchedArgumentException u) {
        List<String> unmatched = u.getUnmatched();
        return !unmatched.isEmpty() && !unmatched.get(0).startsWith("-");
    }

    /** The command name nearest to {@code word} (edit distance, case-insensitive), if near enough. */
    static String closest(String word, List<String> names) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        String w = word.toLowerCase(Locale.ROOT);
        for (String name : names) {
            int d = distance(w, name.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = name;
            }
        }
        return bestDistance <= Math.max(2, word.length() / 3) ? best : null;
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions, transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new java.io.OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
