package io.loomzk.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void writtenJsonParsesBackToTheSameValues() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "a \"quoted\" \\ name\n");
        m.put("count", 3);
        m.put("ratio", 1.25);
        m.put("flags", List.of(true, false));
        m.put("nothing", null);
        m.put("nested", List.of(Map.of("x", 1)));

        Object back = Json.parse(Json.write(m));

        assertThat(back).isInstanceOf(Map.class);
        Map<?, ?> r = (Map<?, ?>) back;
        assertThat(r.get("name")).isEqualTo("a \"quoted\" \\ name\n");
        assertThat(r.get("count")).isEqualTo(3.0);
        assertThat(r.get("ratio")).isEqualTo(1.25);
        assertThat(r.get("flags")).isEqualTo(List.of(true, false));
        assertThat(r.containsKey("nothing")).isTrue();
        assertThat(r.get("nested")).isEqualTo(List.of(Map.of("x", 1.0)));
    }

    @Test
    void nonFiniteNumbersAreWrittenAsNull() {
        assertThat(Json.write(List.of(Double.NaN, 2.0))).isEqualTo("[null, 2]\n");
    }

    @Test
    void malformedInputIsRejected() {
        assertThatThrownBy(() -> Json.parse("{\"a\": }")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Json.parse("[1, 2] x")).isInstanceOf(IllegalArgumentException.class);
    }
}
