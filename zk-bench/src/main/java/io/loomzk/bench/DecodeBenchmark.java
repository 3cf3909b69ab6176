package io.loomzk.bench;

import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.GetChildren2Response;
import io.loomzk.protocol.GetDataResponse;
import io.loomzk.protocol.WatcherEvent;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reply decoding, each case twice: {@code <case>_loomzk} and {@code <case>_jute} decode the same
 * frame (as the server sent it, length prefix included) into the reply header and the response
 * record, with LoomZK's codec and with jute the way the official client does. See
 * {@link LoomzkCodec} and {@link JuteCodec}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DecodeBenchmark {

    /** A getData reply frame; the decoder is reused, as a connection's reader reuses its own. */
    @State(Scope.Thread)
    public static class GetDataReply {
        @Param({"0", "100", "65536"})
        public int dataBytes;

        byte[] frame;
        Decoder decoder;

        @Setup
        public void setup() {
            frame = Fixtures.getDataReplyFrame(dataBytes);
            decoder = new Decoder();
        }
    }

    /** A getChildren2 reply frame. */
    @State(Scope.Thread)
    public static class Children2Reply {
        @Param({"10", "1000"})
        public int children;

        byte[] frame;
        Decoder decoder;

        @Setup
        public void setup() {
            frame = Fixtures.getChildren2ReplyFrame(children);
            decoder = new Decoder();
        }
    }

    /** A watch notification frame. */
    @State(Scope.Thread)
    public static class Notification {
        byte[] frame;
        Decoder decoder;

        @Setup
        public void setup() {
            frame = Fixtures.watcherEventFrame();
            decoder = new Decoder();
        }
    }

    @Benchmark
    public GetDataResponse getData_loomzk(GetDataReply s) throws IOException {
        return LoomzkCodec.decodeGetData(s.decoder, s.frame);
    }

    @Benchmark
    public org.apache.zookeeper.proto.GetDataResponse getData_jute(GetDataReply s) throws IOException {
        return JuteCodec.decodeGetData(s.frame);
    }

    @Benchmark
    public GetChildren2Response getChildren2_loomzk(Children2Reply s) throws IOException {
        return LoomzkCodec.decodeGetChildren2(s.decoder, s.frame);
    }

    @Benchmark
    public org.apache.zookeeper.proto.GetChildren2Response getChildren2_jute(Children2Reply s) throws IOException {
        return JuteCodec.decodeGetChildren2(s.frame);
    }

    @Benchmark
    public WatcherEvent watcherEvent_loomzk(Notification s) throws IOException {
        return LoomzkCodec.decodeWatcherEvent(s.decoder, s.frame);
    }

    @Benchmark
    public org.apache.zookeeper.proto.WatcherEvent watcherEvent_jute(Notification s) throws IOException {
        return JuteCodec.decodeWatcherEvent(s.frame);
    }
}
