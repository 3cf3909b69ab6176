package io.loomzk.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.protocol.ConnectRequest;
import io.loomzk.protocol.ConnectResponse;
import io.loomzk.protocol.Frames;
import io.loomzk.protocol.OpCode;
import io.loomzk.protocol.ReplyHeader;
import io.loomzk.protocol.SetWatches2;
import io.loomzk.protocol.Xids;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameTracerTest {
    private static String request(FrameTracer tracer, byte[] frame) {
        return tracer.requestFrame(frame, 4, frame.length - 4, true).line();
    }

    private static String reply(FrameTracer tracer, byte[] frame) {
        return tracer.replyFrame(frame, 4, frame.length - 4, true).line();
    }

    @Test
    void repliesToRepeatedReservedXidsAreMatchedInOrder() {
        FrameTracer tracer = new FrameTracer(Frames.DEFAULT_MAX_FRAME_BYTES);
        request(tracer, Frames.connectRequest(new ConnectRequest(0, 0, 10_000, 0, new byte[16], false)));
        reply(tracer, Frames.connectResponse(new ConnectResponse(0, 10_000, 1, new byte[16], false)));
        SetWatches2 body = new SetWatches2(5, List.of("/a"), List.of(), List.of(), List.of(), List.of());
        for (int i = 0; i < 3; i++) {
            assertThat(request(tracer, Frames.request(Xids.SET_WATCHES, OpCode.SET_WATCHES2, body)))
                    .contains("xid=-8 SET_WATCHES2");
        }
        for (int i = 0; i < 3; i++) {
            assertThat(reply(tracer, Frames.reply(new ReplyHeader(Xids.SET_WATCHES, 5, 0), null)))
                    .contains("xid=-8")
                    .contains("SET_WATCHES2");
        }
        assertThat(reply(tracer, Frames.reply(new ReplyHeader(Xids.SET_WATCHES, 5, 0), null)))
                .contains("unknown request");
    }
}
