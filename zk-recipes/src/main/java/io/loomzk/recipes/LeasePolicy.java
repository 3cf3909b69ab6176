package io.loomzk.recipes;

/**
 * How long a {@link Lease} is trusted through trouble with the connection. Chosen per recipe
 * instance ({@code leasePolicy(...)} on its builder); every lease that instance grants follows it.
 *
 * <h2>The trade-off</h2>
 * {@link #SESSION} (the default) keeps a lease through a short disconnection: while the session
 * lives its node stays, nobody else can take its place, and the client usually reconnects within
 * milliseconds. The lease ends only when the session ends, the node goes, or no server has
 * answered for half the session timeout (see {@link Lease}). Its one blind spot is a session
 * expired from outside (an operator, a tool) while this client cannot hear about it: the next
 * holder may then be granted before this lease turns invalid. The README gives measured figures.
 *
 * <p>{@link #STRICT} also ends a lease at the first sign of a disconnection, the moment the client
 * leaves {@code CONNECTED} (for {@code SUSPENDED}, {@code CONNECTING} or {@code READ_ONLY}),
 * which is what Curator advises its users to do on {@code SUSPENDED}. It closes most of that blind
 * spot (a session expired from outside after a connection was cut), at the price of losing the
 * lease on every dropped connection, including those a reconnect would have survived: a server
 * restart or a rolling upgrade then costs every holder on that server its lease, and the work it
 * protects has to stop and start again. A silent connection is caught by the silence check in
 * both policies; the client learns about it later than that.
 */
public enum LeasePolicy {
    /** Valid through short disconnections while the session lives (the default). */
    SESSION,
    /** Invalid as soon as the connection is not {@code CONNECTED}, however briefly. */
    STRICT
}
