package io.loomzk.bench;

import io.loomzk.protocol.ACL;
import io.loomzk.protocol.MultiRequest;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.zookeeper.Op;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Request encoding, each case twice: {@code <case>_loomzk} and {@code <case>_jute} do the same
 * work (build the request, produce a complete frame ready for the socket) with LoomZK's codec and
 * with jute the way the official client does. See {@link LoomzkCodec} and {@link JuteCodec}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class EncodeBenchmark {
    private String path;
    private byte[] data;
    private List<ACL> loomzkAcl;
    private List<org.apache.zookeeper.data.ACL> juteAcl;
    private List<MultiRequest.Op> loomzkOps;
    private List<Op> juteOps;
    private int xid;
    private final byte[] batch = new byte[64 * 1024];

    @Setup
    public void setup() {
        path = Fixtures.PATH;
        data = Fixtures.DATA_100;
        loomzkAcl = Fixtures.loomzkAcl();
        juteAcl = Fixtures.juteAcl();
        loomzkOps = Fixtures.loomzkMultiOps();
        juteOps = Fixtures.juteMultiOps();
    }

    /** getData, 48-character path. */
    @Benchmark
    public byte[] getData_loomzk() {
        return LoomzkCodec.encodeGetData(++xid, path);
    }

    @Benchmark
    public ByteBuffer getData_jute() throws IOException {
        return JuteCodec.encodeGetData(++xid, path);
    }

    /**
     * getData as the client sends it: the connection's writer encodes each request straight into
     * its reused batch buffer in one pass, from the path itself ({@code Frames.writePathRequest}),
     * with no request record and no frame array at all. The jute twin is the official client's
     * path, the same work as {@code getData_jute}.
     */
    @Benchmark
    public int getDataBatched_loomzk() {
        return LoomzkCodec.encodeGetDataInto(batch, ++xid, path);
    }

    @Benchmark
    public ByteBuffer getDataBatched_jute() throws IOException {
        return JuteCodec.encodeGetData(++xid, path);
    }

    /** create, 48-character path, 100 bytes of data, one ACL. */
    @Benchmark
    public byte[] create_loomzk() {
        return LoomzkCodec.encodeCreate(++xid, path, data, loomzkAcl);
    }

    @Benchmark
    public ByteBuffer create_jute() throws IOException {
        return JuteCodec.encodeCreate(++xid, path, data, juteAcl);
    }

    /** setData, 48-character path, 100 bytes of data. */
    @Benchmark
    public byte[] setData_loomzk() {
        return LoomzkCodec.encodeSetData(++xid, path, data);
    }

    @Benchmark
    public ByteBuffer setData_jute() throws IOException {
        return JuteCodec.encodeSetData(++xid, path, data);
    }

    /** A 10-op multi: 3 creates and 3 setData of 100 bytes, 2 deletes, 2 version checks. */
    @Benchmark
    public byte[] multi10_loomzk() {
        return LoomzkCodec.encodeMulti(++xid, loomzkOps);
    }

    @Benchmark
    public ByteBuffer multi10_jute() throws IOException {
        return JuteCodec.encodeMulti(++xid, juteOps);
    }
}
