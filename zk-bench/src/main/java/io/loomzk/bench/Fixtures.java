package io.loomzk.bench;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.CheckVersionRequest;
import io.loomzk.protocol.CreateRequest;
import io.loomzk.protocol.DeleteRequest;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.GetChildren2Response;
import io.loomzk.protocol.GetDataResponse;
import io.loomzk.protocol.Id;
import io.loomzk.protocol.MultiRequest;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.SetDataRequest;
import io.loomzk.protocol.Stat;
import io.loomzk.protocol.WatcherEvent;
import io.loomzk.protocol.Xids;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;

/**
 * The inputs of the codec benchmarks, built once, identical for both sides of every pair: a
 * 48-character path, 100 bytes of data, one {@code world:anyone} ACL, a 10-op multi, and reply
 * frames exactly as a server sends them (length prefix included).
 */
public final class Fixtures {
    /** A 48-character path, the size of a typical service-registry node. */
    public static final String PATH = "/services/payments/instances/member-000000000042";

    /** 100 bytes of node data. */
    public static final byte[] DATA_100 = bytes(100);

    /** The xid every benchmark reply carries (and its request uses). */
    public static final int XID = 4242;

    /** The zxid every benchmark reply carries. */
    public static final long ZXID = 0x1_0000_2a3bL;

    /** A realistic stat: every field non-zero. */
    public static final Stat STAT = new Stat(
            0x1_0000_0001L,
            0x1_0000_2a3bL,
            1_763_700_000_000L,
            1_763_700_123_456L,
            7,
            3,
            0,
            0L,
            100,
            2,
            0x1_0000_2a3aL);

    private Fixtures() {}

    static {
        if (PATH.length() != 48) {
            throw new ExceptionInInitializerError("PATH must be 48 characters, is " + PATH.length());
        }
    }

    /** One {@code world:anyone} ACL with all permissions, as LoomZK sends it. */
    public static List<ACL> loomzkAcl() {
        return List.of(new ACL(ZooDefs.Perms.ALL, new Id("world", "anyone")));
    }

    /** One {@code world:anyone} ACL with all permissions, as the official client sends it. */
    public static List<org.apache.zookeeper.data.ACL> juteAcl() {
        return ZooDefs.Ids.OPEN_ACL_UNSAFE;
    }

    /** The 10 ops of the multi benchmark, as LoomZK's records: 3 creates, 3 setData, 2 deletes, 2 checks. */
    public static List<MultiRequest.Op> loomzkMultiOps() {
        List<ACL> acl = loomzkAcl();
        List<MultiRequest.Op> ops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ops.add(new MultiRequest.Op(OpCode.CREATE, new CreateRequest(multiPath(i), DATA_100, acl, 0)));
        }
        for (int i = 3; i < 6; i++) {
            ops.add(new MultiRequest.Op(OpCode.SET_DATA, new SetDataRequest(multiPath(i), DATA_100, -1)));
        }
        for (int i = 6; i < 8; i++) {
            ops.add(new MultiRequest.Op(OpCode.DELETE, new DeleteRequest(multiPath(i), -1)));
        }
        for (int i = 8; i < 10; i++) {
            ops.add(new MultiRequest.Op(OpCode.CHECK, new CheckVersionRequest(multiPath(i), 5)));
        }
        return List.copyOf(ops);
    }

    /** The same 10 ops as the official client's {@link Op}s. */
    public static List<Op> juteMultiOps() {
        List<Op> ops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ops.add(Op.create(multiPath(i), DATA_100, juteAcl(), CreateMode.PERSISTENT));
        }
        for (int i = 3; i < 6; i++) {
            ops.add(Op.setData(multiPath(i), DATA_100, -1));
        }
        for (int i = 6; i < 8; i++) {
            ops.add(Op.delete(multiPath(i), -1));
        }
        for (int i = 8; i < 10; i++) {
            ops.add(Op.check(multiPath(i), 5));
        }
        return List.copyOf(ops);
    }

    /** A 48-character path per multi op. */
    static String multiPath(int i) {
        return PATH.substring(0, PATH.length() - 2) + (char) ('a' + i) + "0";
    }

    /** A reply frame to a getData carrying {@code size} bytes of data. */
    public static byte[] getDataReplyFrame(int size) {
        return Frames.reply(new ReplyHeader(XID, ZXID, 0), new GetDataResponse(bytes(size), STAT));
    }

    /** A reply frame to a getChildren2 listing {@code count} sequential children. */
    public static byte[] getChildren2ReplyFrame(int count) {
        return Frames.reply(new ReplyHeader(XID, ZXID, 0), new GetChildren2Response(children(count), STAT));
    }

    /** A data-changed notification frame for {@link #PATH}. */
    public static byte[] watcherEventFrame() {
        return Frames.reply(
                new ReplyHeader(Xids.NOTIFICATION, ZXID, 0),
                new WatcherEvent(3 /* NodeDataChanged */, 3 /* SyncConnected */, PATH));
    }

    /** Names as a lock or queue directory has them: {@code lock-0000000000}, … */
    public static List<String> children(int count) {
        String[] names = new String[count];
        for (int i = 0; i < count; i++) {
            names[i] = String.format("lock-%010d", i);
        }
        return Arrays.asList(names);
    }

    /** {@code size} bytes of varied content. */
    public static byte[] bytes(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + 7);
        }
        return b;
    }
}
