/**
 * The load tool: LoomZK, the official client's sync API on virtual threads, its async API with as
 * many requests in flight, and Curator (lock), side by side against the same ZooKeeper; and a
 * reference row that is not a client, the bare wire ({@link io.loomzk.bench.load.BareWireContender}):
 * what the server gives one connection when the client costs next to nothing.
 *
 * <h2>What is measured, and how</h2>
 * <ul>
 *   <li>The server runs elsewhere: an existing ensemble ({@code --connect}), or zk-testing's
 *       {@code ZkServer} in a child JVM ({@link io.loomzk.bench.load.EmbeddedServer}), so this
 *       process holds the clients and the tool only.
 *   <li>Client CPU per op: this process's CPU time ({@code getProcessCpuTime}) over the measured
 *       window, divided by the ops completed in it. Per-thread CPU would miss virtual threads
 *       (they run on carrier threads) and the work clients cause on GC and JIT threads.
 *   <li>Bytes allocated per op: {@code ThreadMXBean.getTotalThreadAllocatedBytes} over the same
 *       window. Virtual threads allocate in their carriers' TLABs, so the total counts them.
 *   <li>Latency: an HdrHistogram {@code Recorder} fed by every caller; p50/p99/p99.9 of the ops
 *       that completed inside the window.
 *   <li>Clients are measured one at a time, in interleaved slices whose order rotates
 *       ({@link io.loomzk.bench.load.Runner}), so noise from other processes spreads evenly.
 *       The tool's own share (recorder, progress line) is the same for every client.
 *   <li>Memory mode ({@link io.loomzk.bench.load.MemoryMode}): heap after full GCs before and
 *       after N callers block in getData behind a black-holed {@code ZkProxy}, with a class
 *       histogram of what grew.
 * </ul>
 * Every loop is bounded by a deadline; everything listens and connects on loopback only.
 */
package io.loomzk.bench.load;
