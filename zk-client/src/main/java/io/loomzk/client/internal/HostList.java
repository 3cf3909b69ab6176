package io.loomzk.client.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The servers of a connect string ({@code host:port,host:port/chroot}), in an order shuffled
 * once, handed out round-robin. Names are resolved again on every {@link #next()}, so a server
 * replaced under the same name is found at its new address (within the JVM's DNS cache time).
 *
 * <p>Only the session loop calls {@link #next()}. A session's list is replaced whole
 * ({@code Session.updateHosts}), never changed in place.
 */
public final class HostList {
    /** The port used when a host names none. */
    public static final int DEFAULT_PORT = 2181;

    private final List<Host> hosts;
    private final String chroot;
    private int cursor;

    /** One server as written in the connect string. */
    public record Host(String name, int port) {
        @Override
        public String toString() {
            return (name.indexOf(':') >= 0 ? "[" + name + "]" : name) + ":" + port;
        }
    }

    private HostList(List<Host> hosts, String chroot) {
        this.hosts = hosts;
        this.chroot = chroot;
    }

    /**
     * Parses a connect string.
     *
     * @throws IllegalArgumentException if it names no host, has a bad port, or a bad chroot
     */
    public static HostList parse(String connectString, Random random) {
        if (connectString == null || connectString.isBlank()) {
            throw new IllegalArgumentException("connect string must name at least one host");
        }
        String hostPart = connectString.trim();
        String chroot = "";
        int slash = hostPart.indexOf('/');
        if (slash >= 0) {
            chroot = hostPart.substring(slash);
            hostPart = hostPart.substring(0, slash);
            if (chroot.equals("/")) {
                chroot = "";
            } else {
                try {
                    Paths.validate(chroot);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("bad chroot in connect string: " + e.getMessage(), e);
                }
            }
        }
        List<Host> hosts = new ArrayList<>();
        for (String entry : hostPart.split(",")) {
            entry = entry.trim();
            if (!entry.isEmpty()) {
                hosts.add(parseHost(entry));
            }
        }
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("connect string must name at least one host: \"" + connectString + "\"");
        }
        Collections.shuffle(hosts, random);
        return new HostList(List.copyOf(hosts), chroot);
    }

    private static Host parseHost(String entry) {
        String name;
        String port = null;
        if (entry.startsWith("[")) {
            int close = entry.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed '[' in host \"" + entry + "\"");
            }
            name = entry.substring(1, close);
            if (close + 1 < entry.length()) {
                if (entry.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("expected ':' after ']' in host \"" + entry + "\"");
                }
                port = entry.substring(close + 2);
            }
        } else {
            int colon = entry.lastIndexOf(':');
            if (colon >= 0 && entry.indexOf(':') == colon) {
                name = entry.substring(0, colon);
                port = entry.substring(colon + 1);
            } else {
                name = entry;
            }
        }
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty host name in \"" + entry + "\"");
        }
        int p = DEFAULT_PORT;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad port in host \"" + entry + "\"", e);
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range in host \"" + entry + "\"");
            }
        }
        return new Host(name, p);
    }

    /** The chroot, or "" for none. */
    public String chroot() {
        return chroot;
    }

    /** The hosts, in their shuffled order. */
    public List<Host> hosts() {
        return hosts;
    }

    /** The number of hosts. */
    public int size() {
        return hosts.size();
    }

    /**
     * Whether this list names the server {@code address} stands for: the same port, and the
     * host name as written or the address it resolved to.
     */
    boolean contains(InetSocketAddress address) {
        for (Host h : hosts) {
            if (h.port() == address.getPort()
                    && (h.name().equalsIgnoreCase(address.getHostString())
                            || (address.getAddress() != null
                                    && h.name().equals(address.getAddress().getHostAddress())))) {
                return true;
            }
        }
        return false;
    }

    /** The hosts of this list that {@code other} does not name (by name, ignoring case, and port). */
    List<Host> newcomers(HostList other) {
        List<Host> added = new ArrayList<>();
        for (Host h : hosts) {
            boolean known = false;
            for (Host o : other.hosts) {
                known |= o.port() == h.port() && o.name().equalsIgnoreCase(h.name());
            }
            if (!known) {
                added.add(h);
            }
        }
        return added;
    }

    /** The same hosts in the same order, handing out {@code first} next. */
    HostList startingAt(Host first) {
        HostList list = new HostList(hosts, chroot);
        list.cursor = Math.max(0, hosts.indexOf(first));
        return list;
    }

    /** The next host, resolved now (unresolved if the name does not resolve). */
    InetSocketAddress next() {
        Host host = hosts.get(cursor);
        cursor = (cursor + 1) % hosts.size();
        return new InetSocketAddress(host.name(), host.port());
    }
}
