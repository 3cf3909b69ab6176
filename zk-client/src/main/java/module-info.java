/**
 * LoomZK's client: {@link io.loomzk.client.ZkClient} and its types. The {@code internal}
 * package is not exported.
 */
module io.loomzk.client {
    requires transitive io.loomzk.protocol;
    requires java.security.sasl; // SASL (DIGEST-MD5, GSSAPI); JDK modules only
    requires java.security.jgss; // Kerberos tickets of a JAAS login
    // the flight recorder's events (a JDK module: no dependency); a runtime image made with
    // jlink must include it
    requires jdk.jfr;

    exports io.loomzk.client;
}
