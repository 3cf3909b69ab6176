package io.loomzk.cli;

import io.loomzk.client.ZkClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.ParentCommand;

/** What every shell command shares: the {@link Shell}, the output mode, the exit status. */
abstract class Cmd implements Callable<Integer> {
    @ParentCommand
    Main main;

    Shell shell() {
        return main.shell();
    }

    ZkClient zk() {
        return shell().client();
    }

    boolean json() {
        return main.json;
    }

    /** Prints {@code value} as one JSON line with {@code --json}, else {@code text} (if any). */
    void emit(Object value, String text) {
        if (json()) {
            shell().out.println(Json.write(value));
        } else if (text != null && !text.isEmpty()) {
            shell().out.println(text);
        }
        shell().out.flush();
    }

    @Override
    public final Integer call() throws Exception {
        return run().code();
    }

    abstract ExitCode run() throws Exception;
}
