package io.loomzk.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.zookeeper.common.PathUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PathsTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/a", "/a/b", "/a.b", "/..a", "/a..", "/.a/b.", "/zookeeper/config", "/ü/日本", "/a b"})
    void acceptsWhatTheServerAccepts(String path) {
        assertThatCode(() -> Paths.validate(path)).doesNotThrowAnyException();
        assertThatCode(() -> PathUtils.validatePath(path)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "a",
                "a/b",
                "/a/",
                "//",
                "/a//b",
                "/.",
                "/..",
                "/a/./b",
                "/a/../b",
                "/a/.",
                "/a/..",
                "/a\u0000b",
                "/a\u0001",
                "/a\u007f",
                "/a\u009f",
                "/a\ud800",
                "/a\uf8ff",
                "/a\ufff0",
                "/a\uffff"
            })
    void rejectsWhatTheServerRejects(String path) {
        assertThatThrownBy(() -> Paths.validate(path)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathUtils.validatePath(path)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void messagesSayWhatIsWrongAndWhere() {
        assertThatThrownBy(() -> Paths.validate("relative")).hasMessageContaining("must start with '/'");
        assertThatThrownBy(() -> Paths.validate("/a/")).hasMessageContaining("must not end with '/'");
        assertThatThrownBy(() -> Paths.validate("/a//b"))
                .hasMessageContaining("empty segment")
                .hasMessageContaining("index 3");
        assertThatThrownBy(() -> Paths.validate("/a/../b")).hasMessageContaining("relative segment ('..')");
        assertThatThrownBy(() -> Paths.validate("/a\u0001"))
                .hasMessageContaining("U+0001")
                .hasMessageContaining("\\u0001");
        assertThatThrownBy(() -> Paths.validate(null)).hasMessageContaining("null");
    }

    @Test
    void sequentialCreatesMayEndWithASlash() {
        assertThatCode(() -> Paths.validate("/queue/", true)).doesNotThrowAnyException();
        assertThatCode(() -> PathUtils.validatePath("/queue/", true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> Paths.validate("/queue//", true)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/p/.", "/p/..", "/.", "/..", "/p/", "/", "/p/x-"})
    void aSequentialPathIsCheckedWithTheCounterAppended(String path) {
        assertThatCode(() -> Paths.validate(path, true)).doesNotThrowAnyException();
        assertThatCode(() -> PathUtils.validatePath(path, true)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/./x", "/p/../", "/p//", "//", "/p/.\u0001"})
    void aSequentialPathStillFollowsEveryOtherRule(String path) {
        assertThatThrownBy(() -> Paths.validate(path, true)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PathUtils.validatePath(path, true)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void chrootTranslatesBothWays() {
        assertThat(Paths.toServer("", "/a")).isEqualTo("/a");
        assertThat(Paths.toServer("/app", "/")).isEqualTo("/app");
        assertThat(Paths.toServer("/app", "/a/b")).isEqualTo("/app/a/b");
        assertThat(Paths.toClient("/app", "/app")).isEqualTo("/");
        assertThat(Paths.toClient("/app", "/app/a/b")).isEqualTo("/a/b");
        assertThat(Paths.toClient("/app", "/apple")).isEqualTo("/apple");
        assertThat(Paths.toClient("/app", "/other")).isEqualTo("/other");
        assertThat(Paths.toClient("", "/x")).isEqualTo("/x");
    }

    @Test
    void aDeleteOfTheRootNeverNamesTheChrootAndASequentialRootStaysInsideIt() {
        assertThat(Paths.toServerForDelete("/app", "/")).isEqualTo("/");
        assertThat(Paths.toServerForDelete("/app", "/a")).isEqualTo("/app/a");
        assertThat(Paths.toServerForDelete("", "/a")).isEqualTo("/a");
        assertThat(Paths.toServerForSequential("/app", "/")).isEqualTo("/app/");
        assertThat(Paths.toServerForSequential("/app", "/q/")).isEqualTo("/app/q/");
        assertThat(Paths.toServerForSequential("/app", "/q/item-")).isEqualTo("/app/q/item-");
        assertThat(Paths.toServerForSequential("", "/")).isEqualTo("/");
    }

    @Test
    void parentsAndChildren() {
        assertThat(Paths.parent("/a/b")).isEqualTo("/a");
        assertThat(Paths.parent("/a")).isEqualTo("/");
        assertThat(Paths.parent("/")).isNull();
        assertThat(Paths.child("/", "a")).isEqualTo("/a");
        assertThat(Paths.child("/a", "b")).isEqualTo("/a/b");
    }
}
