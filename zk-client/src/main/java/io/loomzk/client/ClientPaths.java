package io.loomzk.client;

import io.loomzk.client.internal.Paths;
import io.loomzk.protocol.CreateMode;

/**
 * Maps a client's paths (relative to its chroot) to the server's and back, validating them first:
 * a bad path is an {@link IllegalArgumentException} before anything is sent. Immutable.
 */
final class ClientPaths {
    private final String chroot;

    ClientPaths(String chroot) {
        this.chroot = chroot;
    }

    String chroot() {
        return chroot;
    }

    /** The server's path for a read or a write other than create and delete. */
    String server(String path) {
        Paths.validate(path);
        return Paths.toServer(chroot, path);
    }

    /** A delete's server path: never the chroot node itself (see {@link Paths#toServerForDelete}). */
    String forDelete(String path) {
        Paths.validate(path);
        return Paths.toServerForDelete(chroot, path);
    }

    /** A create's server path: a sequential create of the root stays inside the chroot. */
    String forCreate(String path, CreateMode mode) {
        Paths.validate(path, mode.isSequential());
        return mode.isSequential() ? Paths.toServerForSequential(chroot, path) : Paths.toServer(chroot, path);
    }

    /** The client's path for a server path. */
    String client(String serverPath) {
        return Paths.toClient(chroot, serverPath);
    }
}
