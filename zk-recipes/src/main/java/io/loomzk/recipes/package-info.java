/**
 * ZooKeeper recipes that stay safe under faults: {@link io.loomzk.recipes.ProtectedCreate},
 * {@link io.loomzk.recipes.ZkMutex} and {@link io.loomzk.recipes.ZkReadWriteLock} with
 * {@link io.loomzk.recipes.LockLease}, {@link io.loomzk.recipes.ZkSemaphore} with
 * {@link io.loomzk.recipes.SemaphoreLease}, and {@link io.loomzk.recipes.LeaderElection} with
 * {@link io.loomzk.recipes.Leadership}; {@link io.loomzk.recipes.LeasePolicy} says how long their
 * leases are trusted through connection trouble. The coordination catalogue:
 * {@link io.loomzk.recipes.SharedCounter}, {@link io.loomzk.recipes.ZkBarrier},
 * {@link io.loomzk.recipes.DoubleBarrier}, {@link io.loomzk.recipes.ZkQueue},
 * {@link io.loomzk.recipes.Group}, {@link io.loomzk.recipes.PersistentNode} and
 * {@link io.loomzk.recipes.LeaderTask}. The caches: {@link io.loomzk.recipes.TreeCache},
 * {@link io.loomzk.recipes.NodeWatcher} and {@link io.loomzk.recipes.ChildrenWatcher}. They use
 * only the public {@code io.loomzk.client} API.
 *
 * <h2>Design note</h2>
 *
 * <h3>Ownership is a handle</h3>
 * Holding a lock or leading an election is a {@code LockLease} or a {@code Leadership}: an object
 * any thread may check or close, never a property of the thread that acquired it. A lease answers
 * one question without blocking, {@code isValid()}, and one by blocking, {@code awaitLoss()}.
 * Once lost, a lease stays lost and lets go of its node; the rule for its holder is: stop the
 * protected work, close the lease, acquire again if needed.
 *
 * <h3>Unknown outcomes are settled, not guessed</h3>
 * Every node a recipe creates carries a random id in its name ({@code _c_<uuid>-}, Curator's
 * protected names). When a create's reply is lost, {@link io.loomzk.recipes.ProtectedCreate}
 * syncs the connected server with the leader and lists the parent: ZooKeeper applies a session's
 * requests in order and refuses those of a connection the session has left, so after the sync the
 * listing shows whatever the lost request did. An ephemeral node found is adopted only if its
 * {@code ephemeralOwner} is the current session. Deletes are repeated until the node is gone or its
 * session is over; names are unique, so a repeat can only find the node gone. When ZooKeeper is
 * out of reach, cleanup continues on a named background thread ({@code zk-job-cleanup-*}, a job the client owns and its {@code close()} joins)
 * until it succeeds or the session ends.
 *
 * <h3>Queues wait on one predecessor</h3>
 * Lock and election contenders are ephemeral-sequential nodes ordered as Curator orders them (by
 * the sequence after {@code lock-} / {@code latch-}). A contender lists the queue and waits on
 * the node just ahead of it with a data watch (which, unlike an exists watch, leaves nothing
 * behind when the node is already gone); when that node goes, it lists the queue again (one read,
 * however many nodes went meanwhile). It claims when a listing shows its own node at the head and
 * that node was created by the client's current session, which covers every reconnect and session
 * change in between; the lease's monitor then arms the watch on the node and checks its owner. A {@code ZkMutex} lets at most a few of its own
 * callers into the ZooKeeper queue at once (they share one session), so thousands of local waiters
 * cost a few nodes and short listings.
 *
 * <h3>How long a lease is trusted</h3>
 * A lease is invalid as soon as its session is over or replaced, its node's deletion has been
 * notified, or no server has answered for half the negotiated session timeout
 * ({@code ZkClient.sinceLastHeard()}, which counts replies and ping replies, not notifications).
 * The ensemble cannot expire a session until a full timeout after a server last heard from it,
 * and what this client last heard was the answer to something a server had just heard from it;
 * healthy sessions hear from a server at least every
 * third of the timeout (pings); the client declares a silent connection dead only after two
 * thirds. Half is therefore above every healthy gap and leaves half a timeout before anyone else
 * can be granted the lock. The full argument is on {@link io.loomzk.recipes.Lease}. The check is evaluated on every {@code isValid()} call,
 * from facts the client keeps current on its own threads, so it never depends on a recipe thread
 * having been scheduled. Fencing tokens (the node's creation zxid) and guarded writes (a
 * {@code multi} that first checks the lease's node) protect downstream state in the one case no
 * client-side clock can catch: a session closed from outside.
 *
 * <h3>Threads and locks</h3>
 * Acquiring runs on the caller's thread. Each lease has one monitor virtual thread
 * ({@code zk-lease-<node>}) that keeps its watch armed; after every reconnect a short-lived
 * {@code zk-job-lease-verify-<node>}, a job the client owns thread re-reads the node and checks its owner. No
 * {@code synchronized}, no {@code wait/notify}: {@code ReentrantLock}, {@code Condition} and
 * {@code Semaphore} only, and no lock is held across a ZooKeeper call. No recipe thread interrupts
 * another (a cache's or watcher's {@code close()} does so only as a last resort, when a thread has
 * not ended within seconds of being told to), so virtual threads never pin (not even briefly
 * inside the JDK's interrupt handling).
 *
 * <h3>Caches: a watch plus a resync</h3>
 * A {@code TreeCache} is one persistent recursive watch plus reads: every event makes it re-read
 * the node it names, re-reads of one path never overlap, and a read is applied only if its
 * {@code czxid}/{@code mzxid} are newer than what is held, so each node moves forward through
 * states the server had and no change is reported twice. A re-armed watch does not replay what
 * happened while disconnected, so every reconnect triggers a full re-read whose difference is
 * reported; a cached node the re-read did not find is removed only if no event touched it since
 * the re-read began (the event path has newer news of it). Loads and re-reads batch their reads
 * with {@code multiRead} (one request per 64 nodes, sized well under the frame limit by the
 * largest node seen) and list children only of nodes whose stat says they have any; a child
 * created later arrives as an event. On 3.5 the same cache arms one-shot data and child watches
 * per node. The watchers ({@code NodeWatcher}, {@code ChildrenWatcher}) are one loop each: read
 * with a one-shot watch, call the function if the value moved, wait for the watch.
 *
 * <h3>The coordination catalogue</h3>
 * Each recipe keeps its Curator counterpart's node layout where one exists (SharedCount and
 * DistributedAtomicLong bytes, DistributedBarrier, DistributedDoubleBarrier's {@code <uuid>} and
 * {@code ready} nodes, SimpleDistributedQueue's {@code qn-} nodes, GroupMember's
 * {@code <path>/<id>}). What grants something decides on a fresh read after every wake-up, never on
 * the event that woke it: a watch event, a reconnect or a timeout only says "look again". The queue's
 * exactly-once acknowledgement rests on one fact, that ZooKeeper deletes a node once: the ack deletes
 * the item in the same transaction as the claim and the caller's writes. Recipes that keep something
 * alive ({@code PersistentNode}, {@code LeaderTask}) own one virtual thread each and join it in
 * {@code close()}, with a bound; {@code LeaderTask} is the one recipe that interrupts a thread, the
 * task's own, because that is its contract.
 *
 * <h3>Interruption and timeouts</h3>
 * Waiting methods ({@code acquire}, {@code awaitLeadership}, {@code awaitLoss}) throw
 * {@link java.lang.InterruptedException} as {@code java.util.concurrent} does. An acquire that is
 * interrupted or times out removes its node before it returns (or hands that to a cleanup thread
 * when ZooKeeper is unreachable). Cleanup itself ignores interrupts (clearing and restoring the
 * flag), because leaving a node behind would block every other contender.
 */
package io.loomzk.recipes;
