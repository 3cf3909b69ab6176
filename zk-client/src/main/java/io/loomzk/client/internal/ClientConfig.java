package io.loomzk.client.internal;

import io.loomzk.protocol.AuthPacket;
import java.time.Duration;
import java.util.List;

/**
 * Everything a client was built with. Immutable.
 *
 * @param hosts the servers and chroot
 * @param sessionTimeout the session timeout to ask for (the server may negotiate it)
 * @param connectTimeout how long {@code build()} waits for the first session
 * @param requestTimeout how long one call waits for a connection and its reply
 * @param maxFrameBytes the largest frame body sent or accepted
 * @param auths credentials to add to every connection of the session
 * @param canBeReadOnly whether a read-only server may serve this session
 * @param watchBufferCapacity how many events a persistent watch buffers
 * @param watchBufferBytes how many bytes (estimated) a persistent watch's buffered events hold
 * @param initialXid the first xid (tests use it to reach the wrap-around)
 * @param failFastWhenDisconnected whether calls fail at once, instead of waiting, while there is
 *     no connection
 * @param sasl how to authenticate with SASL on every connection, or null for no SASL
 * @param followEnsembleConfig whether the client follows the ensemble's dynamic configuration
 * @param transport how connections are opened: the dialer, and TLS or not
 * @param yieldOnTakeover whether the session is given up when it looks taken over by another client
 * @param slowConsumerWarning how long a consumer's backlog may go without draining before it is
 *     reported
 */
public record ClientConfig(
        HostList hosts,
        Duration sessionTimeout,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxFrameBytes,
        List<AuthPacket> auths,
        boolean canBeReadOnly,
        int watchBufferCapacity,
        long watchBufferBytes,
        int initialXid,
        boolean failFastWhenDisconnected,
        SaslConfig sasl,
        boolean followEnsembleConfig,
        Transport transport,
        boolean yieldOnTakeover,
        Duration slowConsumerWarning) {}
