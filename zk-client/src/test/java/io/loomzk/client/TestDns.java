package io.loomzk.client;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A name service for tests (JEP 418): names under {@code .loomzk.test} resolve to whatever a test
 * sets; every other name goes to the JVM's built-in resolver. Installed through
 * {@code META-INF/services}; the test JVM runs with {@code -Dsun.net.inetaddr.ttl=0} so that
 * nothing is cached.
 */
public final class TestDns extends InetAddressResolverProvider {
    private static final String SUFFIX = ".loomzk.test";
    private static final Map<String, InetAddress> NAMES = new ConcurrentHashMap<>();
    private static final Map<String, Error> FAILURES = new ConcurrentHashMap<>();
    /** Every set and lookup, in order, for failure messages. */
    static final List<String> LOG = new CopyOnWriteArrayList<>();

    /** Points {@code name} (ending in {@code .loomzk.test}) at {@code address}. */
    static void set(String name, String address) throws UnknownHostException {
        NAMES.put(
                name,
                InetAddress.getByAddress(name, InetAddress.getByName(address).getAddress()));
        LOG.add("set " + name + " -> " + address);
    }

    /** Makes every later lookup of {@code name} throw {@code error}, as a broken JVM might. */
    static void fail(String name, Error error) {
        FAILURES.put(name, error);
        LOG.add("fail " + name + " with " + error);
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.endsWith(SUFFIX)) {
                    Error failure = FAILURES.get(host);
                    if (failure != null) {
                        LOG.add("lookup " + host + " -> " + failure);
                        throw failure;
                    }
                    InetAddress address = NAMES.get(host);
                    LOG.add("lookup " + host + " -> " + address);
                    if (address == null) {
                        throw new UnknownHostException(host);
                    }
                    return Stream.of(address);
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "loomzk-test-dns";
    }
}
