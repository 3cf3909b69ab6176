package io.loomzk.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.TreeMap;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.junit.jupiter.api.Test;

/**
 * Every enum's wire values against Apache ZooKeeper 3.9's own constants, both ways, and
 * {@code of()} over every int near the codes: a constant with that exact code, or UNKNOWN
 * (never another code). Names are compared with case and underscores ignored
 * ({@code NO_NODE} and {@code NONODE}, {@code GET_CHILDREN2} and {@code getChildren2}).
 */
class EnumsTest {

    private static String norm(String name) {
        return name.replace("_", "").toUpperCase(java.util.Locale.ROOT);
    }

    /** Ints from -1000 to 1000 and the extremes. */
    private static int[] probes() {
        int[] out = new int[2001 + 3];
        for (int i = 0; i <= 2000; i++) {
            out[i] = i - 1000;
        }
        out[2001] = Integer.MIN_VALUE;
        out[2002] = Integer.MAX_VALUE;
        out[2003] = Integer.MIN_VALUE + 1;
        return out;
    }

    @Test
    void errorCodesAreApacheKeeperExceptionCodes() {
        Map<String, Integer> apache = new TreeMap<>();
        for (KeeperException.Code c : KeeperException.Code.values()) {
            apache.put(norm(c.name()), c.intValue());
        }
        Map<String, Integer> ours = new TreeMap<>();
        for (ErrorCode e : ErrorCode.values()) {
            if (e != ErrorCode.UNKNOWN) {
                ours.put(norm(e.name()), e.code());
            }
        }
        assertThat(ours).isEqualTo(apache);
        for (int code : probes()) {
            ErrorCode e = ErrorCode.of(code);
            assertThat(e == ErrorCode.UNKNOWN ? !apache.containsValue(code) : e.code() == code)
                    .as("code %d -> %s", code, e)
                    .isTrue();
            assertThat(e.description()).isNotBlank();
        }
    }

    /** Apache keeps op codes as {@code public static final int} fields, so they are enumerated reflectively. */
    @Test
    void opCodesAreApacheOpCodes() throws IllegalAccessException {
        Map<String, Integer> apache = new TreeMap<>();
        for (Field f : ZooDefs.OpCode.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == int.class) {
                apache.put(norm(f.getName()), f.getInt(null));
            }
        }
        Map<String, Integer> ours = new TreeMap<>();
        for (OpCode op : OpCode.values()) {
            if (op != OpCode.UNKNOWN) {
                ours.put(norm(op.name()), op.code());
            }
        }
        assertThat(ours).isEqualTo(apache);
        for (int code : probes()) {
            OpCode op = OpCode.of(code);
            assertThat(op == OpCode.UNKNOWN ? !apache.containsValue(code) : op.code() == code)
                    .as("code %d -> %s", code, op)
                    .isTrue();
        }
    }

    @Test
    void eventTypesAreApacheEventTypes() {
        Map<String, Integer> apache = new TreeMap<>();
        for (Watcher.Event.EventType t : Watcher.Event.EventType.values()) {
            apache.put(norm(t.name()), t.getIntValue());
        }
        Map<String, Integer> ours = new TreeMap<>();
        for (EventType t : EventType.values()) {
            if (t != EventType.UNKNOWN) {
                ours.put(norm(t.name()), t.code());
            }
        }
        assertThat(ours).isEqualTo(apache);
        for (int code : probes()) {
            EventType t = EventType.of(code);
            assertThat(t == EventType.UNKNOWN ? !apache.containsValue(code) : t.code() == code)
                    .as("code %d", code)
                    .isTrue();
        }
    }

    /** Apache's KeeperState has its own Unknown(-1), and so does LoomZK: it is compared like any other. */
    @Test
    @SuppressWarnings("deprecation") // Apache's deprecated states are still on the wire
    void keeperStatesAreApacheKeeperStates() {
        Map<String, Integer> apache = new TreeMap<>();
        for (Watcher.Event.KeeperState s : Watcher.Event.KeeperState.values()) {
            apache.put(norm(s.name()), s.getIntValue());
        }
        Map<String, Integer> ours = new TreeMap<>();
        for (KeeperState s : KeeperState.values()) {
            ours.put(norm(s.name()), s.code());
        }
        assertThat(ours).isEqualTo(apache);
        for (int code : probes()) {
            KeeperState s = KeeperState.of(code);
            assertThat(s == KeeperState.UNKNOWN ? code == -1 || !apache.containsValue(code) : s.code() == code)
                    .as("code %d", code)
                    .isTrue();
        }
    }

    @Test
    void addWatchModesAndWatcherTypesAreApaches() {
        for (org.apache.zookeeper.AddWatchMode a : org.apache.zookeeper.AddWatchMode.values()) {
            AddWatchMode m = AddWatchMode.of(a.getMode());
            assertThat(m.name()).isEqualTo(a.name());
            assertThat(m.mode()).isEqualTo(a.getMode());
        }
        assertThat(AddWatchMode.values()).hasSameSizeAs(org.apache.zookeeper.AddWatchMode.values());
        for (Watcher.WatcherType a : Watcher.WatcherType.values()) {
            WatcherType t = WatcherType.of(a.getIntValue());
            assertThat(norm(t.name())).isEqualTo(norm(a.name()));
            assertThat(t.code()).isEqualTo(a.getIntValue());
        }
        assertThat(WatcherType.values()).hasSameSizeAs(Watcher.WatcherType.values());
        assertThatThrownBy(() -> AddWatchMode.of(2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WatcherType.of(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WatcherType.of(6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createModesAreApaches() {
        for (org.apache.zookeeper.CreateMode a : org.apache.zookeeper.CreateMode.values()) {
            CreateMode m = CreateMode.of(a.toFlag());
            assertThat(m.name()).isEqualTo(a.name());
            assertThat(m.flag()).isEqualTo(a.toFlag());
            assertThat(m.isEphemeral()).as("%s ephemeral", m).isEqualTo(a.isEphemeral());
            assertThat(m.isSequential()).as("%s sequential", m).isEqualTo(a.isSequential());
            assertThat(m.isContainer()).as("%s container", m).isEqualTo(a.isContainer());
            assertThat(m.isTtl()).as("%s TTL", m).isEqualTo(a.isTTL());
        }
        assertThat(CreateMode.values()).hasSameSizeAs(org.apache.zookeeper.CreateMode.values());
        assertThatThrownBy(() -> CreateMode.of(7)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CreateMode.of(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void permissionBitsAreApaches() {
        assertThat(Perms.READ).isEqualTo(ZooDefs.Perms.READ);
        assertThat(Perms.WRITE).isEqualTo(ZooDefs.Perms.WRITE);
        assertThat(Perms.CREATE).isEqualTo(ZooDefs.Perms.CREATE);
        assertThat(Perms.DELETE).isEqualTo(ZooDefs.Perms.DELETE);
        assertThat(Perms.ADMIN).isEqualTo(ZooDefs.Perms.ADMIN);
        assertThat(Perms.ALL).isEqualTo(ZooDefs.Perms.ALL);
        assertThat(Perms.toString(Perms.ALL)).isEqualTo("cdrwa");
        assertThat(Perms.toString(Perms.READ | Perms.ADMIN)).isEqualTo("ra");
        assertThat(Perms.toString(0)).isEmpty();
        assertThat(Perms.toString(Perms.READ | 0x40)).isEqualTo("r+0x40");
        assertThat(Perms.toString(-1)).isEqualTo("cdrwa+0xffffffe0");
    }
}
