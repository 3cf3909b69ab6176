package io.loomzk.testing;

import java.util.Optional;

/**
 * Run as its own JVM by {@link ChildProcessCleanupIT}: starts a child-process server, optionally
 * pauses it, prints the server's pid, then waits to be killed.
 */
public final class OrphanCheckMain {
    private OrphanCheckMain() {}

    public static void main(String[] args) throws Exception {
        ZkServer server = ZkServer.builder().childProcess().start();
        if (args.length > 0 && args[0].equals("pause")) {
            server.pause();
        }
        Optional<ProcessHandle> child = ProcessHandle.current()
                .children()
                .filter(p -> p.info().commandLine().orElse("").contains("ChildMain"))
                .findFirst();
        System.out.println("server-pid=" + child.orElseThrow().pid());
        System.out.flush();
        Thread.sleep(60_000);
    }
}
