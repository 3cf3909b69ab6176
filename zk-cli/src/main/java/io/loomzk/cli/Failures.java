package io.loomzk.cli;

import io.loomzk.client.ZkException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/** Turns any failure of a command into one line and an exit code. */
final class Failures {
    private Failures() {}

    /** The outcome of a failed command: what to print and how to exit. */
    record Failure(ExitCode exitCode, String kind, String message) {}

    static Failure of(Throwable t) {
        return switch (t) {
            case CliException e -> new Failure(e.exitCode(), kind(e.exitCode()), e.getMessage());
            case ZkException.NoNode e -> zk(ExitCode.NO_NODE, "no node " + e.path());
            case ZkException.NodeExists e -> zk(ExitCode.NODE_EXISTS, "node already exists: " + e.path());
            case ZkException.BadVersion e ->
                zk(ExitCode.BAD_VERSION, "version mismatch for " + e.path() + " (the node changed; read it again)");
            case ZkException.NoAuth e ->
                zk(
                        ExitCode.NO_AUTH,
                        "not authorized: " + e.path() + " (the ACL does not allow this; see getAcl and addauth)");
            case ZkException.AuthFailed e ->
                zk(ExitCode.NO_AUTH, "authentication failed: the server refused the" + " credentials");
            case ZkException.NotEmpty e ->
                zk(ExitCode.NOT_EMPTY, "node not empty: " + e.path() + " (deleteall removes a subtree)");
            case ZkException.InvalidAcl e -> zk(ExitCode.USAGE, "invalid ACL for " + e.path());
            case ZkException.NoChildrenForEphemerals e ->
                zk(ExitCode.USAGE, "ephemeral nodes cannot have children: " + e.path());
            case ZkException.ConnectionLoss e -> zk(ExitCode.CONNECTION, oneLine(e.getMessage()));
            case ZkException.RequestTimeout e -> zk(ExitCode.CONNECTION, oneLine(e.getMessage()));
            case ZkException.SessionExpired e -> zk(ExitCode.CONNECTION, "session expired");
            case ZkException.Closed e -> zk(ExitCode.CONNECTION, "not connected (the session is closed)");
            case ZkException.Interrupted e -> zk(ExitCode.INTERRUPTED, "interrupted");
            case ZkException.Unimplemented e ->
                zk(ExitCode.SERVER, "the server does not support this: " + oneLine(e.getMessage()));
            case ZkException e -> zk(ExitCode.SERVER, oneLine(e.getMessage()));
            case NoSuchFileException e -> new Failure(ExitCode.IO, "io", "no such file: " + e.getFile());
            case IOException e -> new Failure(ExitCode.IO, "io", oneLine(String.valueOf(e.getMessage())));
            case UncheckedIOException e -> of(e.getCause());
            case InterruptedException e -> new Failure(ExitCode.INTERRUPTED, "interrupted", "interrupted");
            case IllegalArgumentException e -> new Failure(ExitCode.USAGE, "usage", oneLine(e.getMessage()));
            default -> new Failure(ExitCode.SERVER, "internal", "unexpected error: " + oneLine(t.toString()));
        };
    }

    private static Failure zk(ExitCode code, String message) {
        return new Failure(code, kind(code), message);
    }

    static String kind(ExitCode code) {
        return code.name().toLowerCase(java.util.Locale.ROOT);
    }

    static String oneLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
