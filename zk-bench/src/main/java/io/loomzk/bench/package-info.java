/**
 * LoomZK's benchmarks: JMH codec benchmarks against Apache jute, and (in {@code load}) the
 * end-to-end load tool. {@link io.loomzk.bench.Main} dispatches: {@code java -jar zk-bench.jar}
 * runs the load tool, {@code java -jar zk-bench.jar jmh} the codec suite.
 *
 * <h2>Codec benchmarks</h2>
 * Every case exists twice, {@code <case>_loomzk} and {@code <case>_jute}, doing the same work in
 * the same JMH run: {@link io.loomzk.bench.LoomzkCodec} does what {@code zk-client} does per call;
 * {@link io.loomzk.bench.JuteCodec} does what Apache's {@code ClientCnxn} does
 * ({@code BinaryOutputArchive} over a {@code ByteArrayOutputStream} with the length placeholder
 * and back-patch; {@code BinaryInputArchive} over the frame, {@code ReplyHeader} then the
 * response). {@code CodecTwinsTest} checks that each pair yields identical bytes or equal records.
 * Results are ratios, because this machine is shared and absolute numbers move; the table
 * compares medians of all measurement iterations, which shrug off disturbed iterations. The GC
 * profiler is always on: bytes per op are exact and are the first number to read.
 *
 * <p>A smoke run (one fork, one 200 ms iteration, the getData cases) is part of {@code verify},
 * so the suite and its table never rot; it checks that they run, never how fast.
 */
package io.loomzk.bench;
