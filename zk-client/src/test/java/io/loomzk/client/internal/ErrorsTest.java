package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.loomzk.client.ZkException;
import io.loomzk.protocol.ErrorCode;
import java.io.EOFException;
import org.junit.jupiter.api.Test;

class ErrorsTest {

    @Test
    void serverCodesMapToTheirSubtypesAndWereNotApplied() {
        assertThat(Errors.toException(Failure.server(-101), "/a", true))
                .isInstanceOf(ZkException.NoNode.class)
                .satisfies(e -> {
                    assertThat(e.path()).isEqualTo("/a");
                    assertThat(e.code()).isEqualTo(ErrorCode.NO_NODE);
                    assertThat(e.mayHaveBeenApplied()).isFalse();
                    assertThat(e.isTerminal()).isFalse();
                    assertThat(e).hasMessage("no node: /a");
                });
        assertThat(ZkException.of(-110, "/a")).isInstanceOf(ZkException.NodeExists.class);
        assertThat(ZkException.of(-103, "/a")).isInstanceOf(ZkException.BadVersion.class);
        assertThat(ZkException.of(-111, "/a")).isInstanceOf(ZkException.NotEmpty.class);
        assertThat(ZkException.of(-102, "/a")).isInstanceOf(ZkException.NoAuth.class);
        assertThat(ZkException.of(-114, "/a")).isInstanceOf(ZkException.InvalidAcl.class);
        assertThat(ZkException.of(-108, "/a")).isInstanceOf(ZkException.NoChildrenForEphemerals.class);
        assertThat(ZkException.of(-118, "/a")).isInstanceOf(ZkException.SessionMoved.class);
        assertThat(ZkException.of(-119, "/a")).isInstanceOf(ZkException.NotReadOnly.class);
        assertThat(ZkException.of(-6, "/a")).isInstanceOf(ZkException.Unimplemented.class);
        assertThat(ZkException.of(-112, "/a")).isInstanceOf(ZkException.SessionExpired.class);
        assertThat(ZkException.of(-115, null).isTerminal()).isTrue();
        assertThat(ZkException.of(-124, null)).isInstanceOf(ZkException.AuthFailed.class);
    }

    @Test
    void unknownCodesAreKeptNotCoerced() {
        ZkException e = ZkException.of(-999, "/x");
        assertThat(e).isInstanceOf(ZkException.Other.class);
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN);
        assertThat(e.rawCode()).isEqualTo(-999);
        assertThat(e.getMessage()).contains("-999").contains("/x");
    }

    @Test
    void onlyASentWriteWithoutAReplyMayHaveBeenApplied() {
        EOFException eof = new EOFException("server closed the connection");
        assertThat(Errors.toException(Failure.connectionLoss(true, eof), "/a", true)
                        .mayHaveBeenApplied())
                .isTrue();
        assertThat(Errors.toException(Failure.connectionLoss(true, eof), "/a", false)
                        .mayHaveBeenApplied())
                .isFalse();
        assertThat(Errors.toException(Failure.connectionLoss(false, eof), "/a", true)
                        .mayHaveBeenApplied())
                .isFalse();
        assertThat(Errors.toException(Failure.timeout(true), "/a", true))
                .isInstanceOf(ZkException.RequestTimeout.class)
                .satisfies(e -> assertThat(e.mayHaveBeenApplied()).isTrue());
        assertThat(Errors.toException(Failure.interrupted(true), "/a", true))
                .isInstanceOf(ZkException.Interrupted.class)
                .satisfies(e -> assertThat(e.mayHaveBeenApplied()).isTrue());
        ZkException loss = Errors.toException(Failure.connectionLoss(true, eof), "/a", true);
        assertThat(loss).isInstanceOf(ZkException.ConnectionLoss.class).hasCause(eof);
        assertThat(loss.getMessage()).contains("may have been applied").contains("server closed the connection");
    }

    @Test
    void endedSessionsAreTerminal() {
        assertThat(Errors.toException(Failure.SessionEnded.expired(), "/a", false))
                .isInstanceOf(ZkException.SessionExpired.class)
                .satisfies(e -> assertThat(e.isTerminal()).isTrue());
        assertThat(Errors.toException(Failure.SessionEnded.closed(), null, false))
                .isInstanceOf(ZkException.Closed.class)
                .satisfies(e -> assertThat(e.isTerminal()).isTrue());
        assertThat(Errors.toException(Failure.SessionEnded.byServer(ErrorCode.AUTH_FAILED.code()), null, false))
                .isInstanceOf(ZkException.AuthFailed.class);
    }
}
