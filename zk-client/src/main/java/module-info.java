/**
 * LoomZK's client: {@link io.loomzk.client.ZkClient} and its types. The {@code internal}
 * package is not exported.
 */
module io.loomzk.client {
    requires transitive io.loomzk.protocol;

    exports io.loomzk.client;
}
