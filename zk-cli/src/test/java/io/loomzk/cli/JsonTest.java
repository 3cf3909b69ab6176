package io.loomzk.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void roundTripsValuesAndEscapes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("s", "a\"b\\c\n\t\u0001é");
        m.put("n", 42L);
        m.put("d", 1.5);
        m.put("b", true);
        m.put("z", null);
        m.put("l", List.of(1L, "x", List.of()));
        m.put("o", Map.of());
        String text = Json.write(m);
        assertThat(text).contains("\\u0001").doesNotContain("\n");
        assertThat(Json.parse(text)).isEqualTo(m);
        assertThat(Json.parse(" {\"a\" : [ 1 , 2 ] } ")).isEqualTo(Map.of("a", List.of(1L, 2L)));
        assertThat(Json.parse("\"\\u00e9\\/\"")).isEqualTo("é/");
    }

    @Test
    void rejectsWhatIsNotJson() {
        for (String bad : List.of("", "{", "[1,]", "{\"a\" 1}", "tru", "\"x", "1 2", "{a:1}", "\"\\q\"", "-")) {
            assertThatThrownBy(() -> Json.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("not JSON at offset");
        }
        char[] deep = new char[1000];
        Arrays.fill(deep, '[');
        assertThatThrownBy(() -> Json.parse(new String(deep))).hasMessageContaining("nested too deeply");
    }

    @Test
    void closestCommandAndCommandWord() {
        List<String> names = List.of("ls", "get", "getAcl", "getAllChildrenNumber", "set", "setAcl", "srvr");
        assertThat(Main.closest("lss", names)).isEqualTo("ls");
        assertThat(Main.closest("gte", names)).isEqualTo("get");
        assertThat(Main.closest("getacl", names)).isEqualTo("getAcl");
        assertThat(Main.closest("svrr", names)).isEqualTo("srvr");
        assertThat(Main.closest("frobnicate", names)).isNull();
        assertThat(Main.commandWord(new String[] {"--connect", "h:1", "--json", "GET", "/a"}))
                .isEqualTo("get");
        assertThat(Main.commandWord(new String[] {"-server", "h:1", "rmr", "/a"}))
                .isEqualTo("deleteall");
        assertThat(Main.commandWord(new String[] {"--connect", "h:1", "nope"})).isNull();
        assertThat(Main.commandWord(new String[] {"--json"})).isNull();
    }

    @Test
    void locksReadTheSequenceSuffix() {
        assertThat(TreeCommands.Locks.sequence("_c_6f1c0a1e-6f7b-4b0c-9d5c-1f2a3b4c5d6e-lock-0000000012"))
                .isEqualTo(12);
        assertThat(TreeCommands.Locks.sequence("lock-")).isEqualTo(-1);
        assertThat(TreeCommands.Locks.sequence("config")).isEqualTo(-1);
    }
}
