package io.loomzk.bench;

import java.util.Arrays;

/**
 * {@code java -jar zk-bench.jar [load-tool options]} runs the load tool;
 * {@code java -jar zk-bench.jar jmh [options]} runs the codec benchmarks.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("jmh")) {
            JmhSuite.main(Arrays.copyOfRange(args, 1, args.length));
        } else {
            io.loomzk.bench.load.LoadTool.main(args);
        }
    }
}
