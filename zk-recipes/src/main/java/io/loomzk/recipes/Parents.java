package io.loomzk.recipes;

import io.loomzk.client.CreateOptions;
import io.loomzk.client.Created;
import io.loomzk.client.ZkClient;
import io.loomzk.client.ZkException;
import java.util.ArrayList;
import java.util.List;

/** Creates a recipe's nodes together with their missing ancestors, as container nodes (as Curator does). */
final class Parents {
    private static final int MAX_ROUNDS = 3;

    private Parents() {}

    /** Creates {@code path}; a missing parent is created (as a container, with its ancestors) first. */
    static Created create(ZkClient client, String path, byte[] data, CreateOptions options) {
        for (int round = 1; ; round++) {
            try {
                return client.create(path, data, options);
            } catch (ZkException.NoNode e) {
                if (round >= MAX_ROUNDS) {
                    throw e; // the parents keep vanishing under us
                }
                ensure(client, Names.parent(path));
            }
        }
    }

    /** Creates {@code path} and its missing ancestors as containers; an existing node is left alone. */
    static void ensure(ZkClient client, String path) {
        List<String> missing = new ArrayList<>();
        for (String p = path; !p.equals("/"); p = Names.parent(p)) {
            missing.add(0, p);
        }
        for (String p : missing) {
            try {
                client.create(p, null, CreateOptions.container());
            } catch (ZkException.NodeExists e) {
                // there already
            } catch (ZkException.Unimplemented e) {
                client.createIfAbsent(p, null, CreateOptions.persistent()); // a server without containers
            }
        }
    }
}
