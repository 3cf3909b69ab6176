package io.loomzk.bench.load;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;

/**
 * The official client's synchronous API, one virtual thread per caller, all sharing one
 * {@link ZooKeeper}. (On JDK 24 and later its {@code synchronized}/{@code wait} no longer pins
 * the carrier thread; on JDK 21 it would.)
 */
final class OfficialSyncContender extends Contender {
    private final OfficialSessions.Socket socket;
    private volatile ZooKeeper zk;

    /** @param socket the official client's socket implementation this contender uses */
    OfficialSyncContender(OfficialSessions.Socket socket) {
        this.socket = socket;
    }

    @Override
    String id() {
        return "official-sync" + socket.idSuffix;
    }

    @Override
    String label() {
        return "official sync" + socket.labelSuffix;
    }

    @Override
    boolean supports(Workload w) {
        return !w.isRecipe() && w != Workload.CACHE;
    }

    @Override
    void open(String connectString, Duration sessionTimeout) throws Exception {
        zk = OfficialSessions.open(connectString, sessionTimeout, socket);
    }

    @Override
    void close() {
        OfficialSessions.close(zk);
    }

    @Override
    BlockingOp blockingOp(Workload w, BenchTree tree, int caller, RunControl ctl) {
        ZooKeeper z = zk;
        byte[] data = tree.data();
        return switch (w) {
            case GET_DATA -> () -> z.getData(tree.readPath(), false, null);
            case SET_DATA -> () -> z.setData(tree.writePath(), data, -1);
            case CREATE_DELETE ->
                () -> {
                    String path = z.create(
                            tree.createPrefix(), data, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.EPHEMERAL_SEQUENTIAL);
                    z.delete(path, -1);
                };
            case MIX ->
                () -> {
                    if (ThreadLocalRandom.current().nextInt(10) == 0) {
                        z.setData(tree.readPath(), data, -1);
                    } else {
                        z.getData(tree.readPath(), false, null);
                    }
                };
            case LOCK, RWLOCK, SEMAPHORE ->
                throw new UnsupportedOperationException("no lock recipe in the official client");
            case CACHE -> throw new UnsupportedOperationException("the cache workload runs in CacheMode");
        };
    }
}
