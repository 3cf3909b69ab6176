/**
 * Optional: a LoomZK client's calls, connection attempts, session states and watches as
 * Micrometer meters ({@link io.loomzk.micrometer.ZkClientMetrics}).
 */
module io.loomzk.micrometer {
    requires transitive io.loomzk.client;
    requires transitive micrometer.core;

    exports io.loomzk.micrometer;
}
