package io.loomzk.client.internal;

import io.loomzk.protocol.Encoding;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.Request;
import io.loomzk.protocol.RequestHeader;
import io.loomzk.protocol.SetWatches;
import io.loomzk.protocol.SetWatches2;
import io.loomzk.protocol.Xids;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Re-arms a session's watches on a new connection: {@code SetWatches2} packets (plain
 * {@code SetWatches} when no persistent watch exists, which every server understands), each under
 * the frame limit. Stateless.
 */
final class WatchRearm {
    private static final WatchKind[] ORDER = {
        WatchKind.DATA, WatchKind.EXIST, WatchKind.CHILD, WatchKind.PERSISTENT, WatchKind.PERSISTENT_RECURSIVE
    };

    private WatchRearm() {}

    /**
     * Queues the re-arming packets on {@code c}, relative to {@code lastZxid}: the server fires at
     * once every watch whose node changed after it. Called before the connection is published,
     * so the packets precede every caller's request.
     */
    static int rearm(Connection c, Map<WatchKind, List<String>> paths, long lastZxid, int maxFrameBytes) {
        boolean persistent = !paths.get(WatchKind.PERSISTENT).isEmpty()
                || !paths.get(WatchKind.PERSISTENT_RECURSIVE).isEmpty();
        OpCode op = persistent ? OpCode.SET_WATCHES2 : OpCode.SET_WATCHES;
        List<Request> requests = requests(paths, lastZxid, persistent, maxFrameBytes);
        for (Request body : requests) {
            c.submit(Call.reserved(op, body, Xids.SET_WATCHES, Call.NO_DEADLINE));
        }
        return requests.size();
    }

    /**
     * Splits watch paths into {@code SetWatches2} (or, without persistent watches,
     * {@code SetWatches}) requests whose frames fit in {@code maxFrameBytes}.
     */
    static List<Request> requests(
            Map<WatchKind, List<String>> paths, long relativeZxid, boolean persistent, int maxFrameBytes) {
        int kinds = persistent ? 5 : 3;
        int fixed = RequestHeader.SIZE + 8 + 4 * kinds;
        int budget = maxFrameBytes - fixed;
        List<Request> requests = new ArrayList<>();
        List<List<String>> batch = newBatch();
        int size = 0;
        for (WatchKind kind : ORDER) {
            for (String path : paths.get(kind)) {
                int bytes = Encoding.sizeOf(path);
                if (size + bytes > budget && size > 0) {
                    requests.add(setWatches(batch, relativeZxid, persistent));
                    batch = newBatch();
                    size = 0;
                }
                batch.get(kind.ordinal()).add(path);
                size += bytes;
            }
        }
        if (size > 0) {
            requests.add(setWatches(batch, relativeZxid, persistent));
        }
        return requests;
    }

    private static List<List<String>> newBatch() {
        List<List<String>> batch = new ArrayList<>(5);
        for (int i = 0; i < 5; i++) {
            batch.add(new ArrayList<>());
        }
        return batch;
    }

    private static Request setWatches(List<List<String>> b, long zxid, boolean persistent) {
        return persistent
                ? new SetWatches2(zxid, b.get(0), b.get(1), b.get(2), b.get(3), b.get(4))
                : new SetWatches(zxid, b.get(0), b.get(1), b.get(2));
    }
}
