package io.loomzk.cli;

import io.loomzk.testing.ZkProxy;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code trace --listen PORT --forward HOST:PORT}: a proxy on the loopback port that forwards to
 * the server and prints one decoded line per frame (zk-testing's {@link ZkProxy} tracer). Runs
 * until Ctrl-C, or for {@code --for} seconds, or until {@code --frames} lines were printed.
 */
@Command(name = "trace", description = "Forward a loopback port to a server and print every frame, decoded.")
final class TraceCommand extends Cmd {
    @Option(
            names = "--listen",
            required = true,
            paramLabel = "PORT",
            description = "Loopback port to listen on (0: any free one).")
    int listen;

    @Option(names = "--forward", required = true, paramLabel = "HOST:PORT", description = "The server to forward to.")
    String forward;

    @Option(names = "--for", paramLabel = "SECONDS", description = "Stop after this many seconds.")
    long seconds = -1;

    @Option(names = "--frames", paramLabel = "N", description = "Stop after N lines (frames, opens and closes).")
    long frames = Long.MAX_VALUE;

    @Override
    ExitCode run() {
        if (listen < 0 || listen > 65535) {
            throw new CliException(ExitCode.USAGE, "trace: --listen takes a port number (0-65535)");
        }
        io.loomzk.client.FourLetterWords.servers(forward); // validates host:port
        ReentrantLock lock = new ReentrantLock();
        Condition enough = lock.newCondition();
        AtomicLong printed = new AtomicLong();
        ZkProxy proxy;
        try {
            proxy = ZkProxy.builder(forward)
                    .listenPort(listen)
                    .trace(line -> {
                        lock.lock();
                        try {
                            if (printed.get() >= frames) {
                                return;
                            }
                            if (json()) {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("frame", line);
                                shell().out.println(Json.write(m));
                            } else {
                                shell().out.println(line);
                            }
                            shell().out.flush();
                            if (printed.incrementAndGet() >= frames) {
                                enough.signalAll();
                            }
                        } finally {
                            lock.unlock();
                        }
                    })
                    .start();
        } catch (UncheckedIOException e) {
            throw new CliException(ExitCode.IO, "trace: cannot listen on port " + listen + ": " + e.getMessage());
        }
        try (proxy) {
            shell().err.println("tracing 127.0.0.1:" + proxy.port() + " -> " + forward + "; Ctrl-C stops");
            shell().err.flush();
            long deadline = seconds < 0
                    ? Long.MAX_VALUE
                    : System.nanoTime() + Duration.ofSeconds(seconds).toNanos();
            lock.lock();
            try {
                while (printed.get() < frames) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    try {
                        enough.awaitNanos(Math.min(left, 1_000_000_000L));
                    } catch (InterruptedException e) {
                        break; // Ctrl-C in the interactive shell: stop tracing
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        return ExitCode.OK;
    }
}
