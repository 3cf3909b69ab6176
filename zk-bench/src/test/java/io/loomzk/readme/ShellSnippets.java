package io.loomzk.readme;

import io.loomzk.client.FourLetterWords;
import io.loomzk.client.ServerStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;

/** The README's "Shell" section's Java, compiled. */
final class ShellSnippets {
    private ShellSnippets() {}

    static void healthCheck() throws IOException {
        // readme:begin four-letter-words
        for (InetSocketAddress server : FourLetterWords.servers("zk1:2181,zk2:2181,zk3:2181/app")) {
            ServerStats stats = FourLetterWords.srvr(server, Duration.ofSeconds(2)); // IOException if down
            System.out.println(
                    server + " " + stats.mode() + " zxid " + stats.zxidHex() + " outstanding " + stats.outstanding());
        }
        boolean ok = FourLetterWords.ruok(new InetSocketAddress("zk1", 2181), Duration.ofSeconds(2));
        // readme:end four-letter-words
        System.out.println(ok);
    }
}
