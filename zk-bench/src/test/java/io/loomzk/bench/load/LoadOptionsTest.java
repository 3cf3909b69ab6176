package io.loomzk.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadOptionsTest {
    @Test
    void defaultsAreTheDefaultRun() {
        LoadOptions o = LoadOptions.parse(new String[0]);
        assertThat(o.connect()).isNull();
        assertThat(o.workloads()).containsExactly(Workload.GET_DATA);
        assertThat(o.concurrency()).containsExactly(1, 32, 1000);
        assertThat(o.size()).isEqualTo(100);
        assertThat(o.duration()).isEqualTo(Duration.ofSeconds(4));
        assertThat(o.memory()).isFalse();
        assertThat(o.serverCnxn()).isEqualTo(EmbeddedServer.CnxnFactory.NETTY);
    }

    @Test
    void theEmbeddedServerTakesEitherConnectionFactory() {
        assertThat(LoadOptions.parse(new String[] {"--server-cnxn", "nio"}).serverCnxn())
                .isEqualTo(EmbeddedServer.CnxnFactory.NIO);
        assertThat(LoadOptions.parse(new String[] {"--server-cnxn=Netty"}).serverCnxn())
                .isEqualTo(EmbeddedServer.CnxnFactory.NETTY);
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--server-cnxn", "epoll"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nio or netty");
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--connect", "h:2181", "--server-cnxn", "nio"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("embedded server");
    }

    @Test
    void theDefaultClientsAreAllButTheOfficialSyncApiOverNetty() {
        List<String> ids = LoadTool.contenders(LoadOptions.parse(new String[0])).stream()
                .map(Contender::id)
                .toList();
        assertThat(ids)
                .containsExactly(
                        "loomzk", "official-sync", "official-async", "official-async-netty", "curator", "bare-wire");
        assertThat(LoadTool.contenders(LoadOptions.parse(new String[] {"--clients", "all"})).stream()
                        .map(Contender::id))
                .contains("official-sync-netty")
                .hasSize(7);
        assertThatThrownBy(() -> LoadTool.contenders(LoadOptions.parse(new String[] {"--clients", "official"})))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("official-async-netty");
    }

    @Test
    void parsesEveryOption() {
        LoadOptions o = LoadOptions.parse(new String[] {
            "--connect",
            "h1:2181,h2:2181",
            "--workload",
            "getData,mix,create-delete",
            "--concurrency=1,32,1_000,10000",
            "--size",
            "1024",
            "--duration",
            "2.5",
            "--warmup",
            "0",
            "--rounds",
            "1",
            "--clients",
            "loomzk,official-async",
            "--memory",
            "5000"
        });
        assertThat(o.connect()).isEqualTo("h1:2181,h2:2181");
        assertThat(o.workloads()).containsExactly(Workload.GET_DATA, Workload.MIX, Workload.CREATE_DELETE);
        assertThat(o.concurrency()).containsExactly(1, 32, 1000, 10000);
        assertThat(o.size()).isEqualTo(1024);
        assertThat(o.duration()).isEqualTo(Duration.ofMillis(2500));
        assertThat(o.warmup()).isZero();
        assertThat(o.rounds()).isEqualTo(1);
        assertThat(o.clients()).containsExactlyInAnyOrder("loomzk", "official-async");
        assertThat(o.memory()).isTrue();
        assertThat(o.memoryOnly()).isFalse();
        assertThat(o.blockedCallers()).isEqualTo(5000);
    }

    @Test
    void allMeansEveryWorkload() {
        assertThat(LoadOptions.parse(new String[] {"--workload", "all"}).workloads())
                .containsExactly(Workload.values());
    }

    @Test
    void memoryOnlyTakesAnOptionalCount() {
        LoadOptions o = LoadOptions.parse(new String[] {"--memory-only"});
        assertThat(o.memoryOnly()).isTrue();
        assertThat(o.blockedCallers()).isEqualTo(100_000);
    }

    @Test
    void repeatAndTheRecipeWindowHaveDefaultsAndTakeValues() {
        LoadOptions defaults = LoadOptions.parse(new String[0]);
        assertThat(defaults.repeat()).isEqualTo(1);
        assertThat(defaults.handovers()).isEqualTo(2000);
        assertThat(defaults.recipeDeadline()).isEqualTo(Duration.ofSeconds(60));

        LoadOptions o =
                LoadOptions.parse(new String[] {"--repeat", "3", "--handovers=1_000", "--recipe-deadline", "7.5"});
        assertThat(o.repeat()).isEqualTo(3);
        assertThat(o.handovers()).isEqualTo(1000);
        assertThat(o.recipeDeadline()).isEqualTo(Duration.ofMillis(7500));
        assertThat(LoadOptions.parse(new String[] {"--repeat=100"}).repeat()).isEqualTo(100);
    }

    @Test
    void rejectsARepeatCountThatIsNotAPositiveWholeNumber() {
        for (String bad : List.of("0", "-1", "101", "abc", "2.5", "", "99999999999")) {
            assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--repeat", bad}))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("--repeat")
                    .hasMessageContaining("1..100");
        }
        assertThatThrownBy(() -> LoadOptions.parse(new String[] {"--repeat"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--repeat needs a value");
    }

    @Test
    void rejectsABadRecipeWindow() {
        for (List<String> bad : List.of(
                List.of("--handovers", "0"),
                List.of("--handovers", "-5"),
                List.of("--handovers", "many"),
                List.of("--recipe-deadline", "0"),
                List.of("--recipe-deadline", "-1"),
                List.of("--recipe-deadline", "soon"),
                List.of("--recipe-deadline", "NaN"))) {
            assertThatThrownBy(() -> LoadOptions.parse(bad.toArray(String[]::new)))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(bad.getFirst());
        }
    }

    @Test
    void rejectsNonsense() {
        for (List<String> bad : List.of(
                List.of("--concurrency", "0"),
                List.of("--workload", "dance"),
                List.of("--size", "-1"),
                List.of("--duration", "0"),
                List.of("--frobnicate"),
                List.of("--size"))) {
            assertThatThrownBy(() -> LoadOptions.parse(bad.toArray(String[]::new)))
                    .as(bad.toString())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
