package io.loomzk.protocol;

/** The permission bits of {@link ACL#perms()}. */
public final class Perms {
    public static final int READ = 1;
    public static final int WRITE = 1 << 1;
    public static final int CREATE = 1 << 2;
    public static final int DELETE = 1 << 3;
    public static final int ADMIN = 1 << 4;
    public static final int ALL = READ | WRITE | CREATE | DELETE | ADMIN;

    private Perms() {}

    /** The bits as letters in ZooKeeper's CLI order, e.g. {@code "cdrwa"}; unknown bits as {@code +0x..}. */
    public static String toString(int perms) {
        StringBuilder sb = new StringBuilder(5);
        if ((perms & CREATE) != 0) sb.append('c');
        if ((perms & DELETE) != 0) sb.append('d');
        if ((perms & READ) != 0) sb.append('r');
        if ((perms & WRITE) != 0) sb.append('w');
        if ((perms & ADMIN) != 0) sb.append('a');
        int unknown = perms & ~ALL;
        if (unknown != 0) sb.append("+0x").append(Integer.toHexString(unknown));
        return sb.toString();
    }
}
