package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.Decoder;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.RequestHeader;
import io.loomzk.protocol.SetWatches;
import io.loomzk.protocol.SetWatches2;
import io.loomzk.protocol.Xids;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SetWatchesFramesTest {

    private static Map<WatchKind, List<String>> paths(int perKind, boolean persistent) {
        Map<WatchKind, List<String>> paths = new EnumMap<>(WatchKind.class);
        for (WatchKind kind : WatchKind.values()) {
            List<String> list = new ArrayList<>();
            if (persistent || !kind.name().startsWith("PERSISTENT")) {
                for (int i = 0; i < perKind; i++) {
                    list.add("/watches/" + kind.name().toLowerCase() + "/node-" + i);
                }
            }
            paths.put(kind, list);
        }
        return paths;
    }

    /** The frames the writer would send, exactly as it encodes them. */
    private static List<byte[]> frames(List<io.loomzk.protocol.Request> requests, boolean persistent) {
        OpCode op = persistent ? OpCode.SET_WATCHES2 : OpCode.SET_WATCHES;
        return requests.stream()
                .map(r -> Frames.request(Xids.SET_WATCHES, op, r))
                .toList();
    }

    @Test
    void hundredThousandWatchesSplitIntoFramesUnderTheLimitWithNothingLostOrRepeated() throws Exception {
        Map<WatchKind, List<String>> paths = paths(20_000, true);
        List<byte[]> frames = frames(WatchRearm.requests(paths, 42, true, Frames.DEFAULT_MAX_FRAME_BYTES), true);

        assertThat(frames).hasSizeGreaterThan(1);
        Map<WatchKind, List<String>> seen = new EnumMap<>(WatchKind.class);
        for (WatchKind kind : WatchKind.values()) {
            seen.put(kind, new ArrayList<>());
        }
        for (byte[] frame : frames) {
            int length = Frames.readLength(frame, 0, Integer.MAX_VALUE);
            assertThat(length).isLessThanOrEqualTo(Frames.DEFAULT_MAX_FRAME_BYTES);
            assertThat(frame).hasSize(length + 4);
            Decoder in = new Decoder().reset(frame, 4, length);
            RequestHeader header = RequestHeader.read(in);
            assertThat(header.xid()).isEqualTo(Xids.SET_WATCHES);
            assertThat(header.type()).isEqualTo(OpCode.SET_WATCHES2.code());
            SetWatches2 body = SetWatches2.read(in);
            assertThat(in.remaining()).isZero();
            assertThat(body.relativeZxid()).isEqualTo(42);
            seen.get(WatchKind.DATA).addAll(body.dataWatches());
            seen.get(WatchKind.EXIST).addAll(body.existWatches());
            seen.get(WatchKind.CHILD).addAll(body.childWatches());
            seen.get(WatchKind.PERSISTENT).addAll(body.persistentWatches());
            seen.get(WatchKind.PERSISTENT_RECURSIVE).addAll(body.persistentRecursiveWatches());
        }
        assertThat(seen).isEqualTo(paths);
    }

    @Test
    void withoutPersistentWatchesUsesPlainSetWatchesThatEveryServerKnows() throws Exception {
        Map<WatchKind, List<String>> paths = paths(10, false);
        List<byte[]> frames = frames(WatchRearm.requests(paths, 7, false, Frames.DEFAULT_MAX_FRAME_BYTES), false);
        assertThat(frames).hasSize(1);
        Decoder in = Decoder.of(frames.get(0));
        in.readInt("length");
        assertThat(RequestHeader.read(in).type()).isEqualTo(OpCode.SET_WATCHES.code());
        SetWatches body = SetWatches.read(in);
        assertThat(body.dataWatches()).isEqualTo(paths.get(WatchKind.DATA));
        assertThat(body.existWatches()).isEqualTo(paths.get(WatchKind.EXIST));
        assertThat(body.childWatches()).isEqualTo(paths.get(WatchKind.CHILD));
    }

    @Test
    void smallFrameLimitsStillFitEveryPacket() throws Exception {
        Map<WatchKind, List<String>> paths = paths(300, true);
        List<byte[]> frames = frames(WatchRearm.requests(paths, 1, true, 1024), true);
        assertThat(frames.size()).isGreaterThan(20);
        for (byte[] frame : frames) {
            assertThat(Frames.readLength(frame, 0, Integer.MAX_VALUE)).isLessThanOrEqualTo(1024);
        }
    }

    @Test
    void noWatchesNoFrames() {
        assertThat(WatchRearm.requests(paths(0, true), 1, true, 1024)).isEmpty();
    }
}
