package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.curator.framework.imps.ProtectedUtils;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.junit.jupiter.api.Test;

/** Node names and queue order, checked against Apache Curator's own code. */
class NamesTest {

    @Test
    void protectedNamesAreCuratorsProtectedNames() {
        for (int i = 0; i < 100; i++) {
            String id = UUID.randomUUID().toString();
            String ours = Names.protectedPrefix(id) + "lock-";
            assertThat(ours).isEqualTo(ProtectedUtils.toProtectedZNode("lock-", id));
            String created = ours + String.format("%010d", i);
            assertThat(Names.isProtected(created)).isTrue();
            assertThat(ProtectedUtils.isProtectedZNode(created)).isTrue();
            assertThat(Names.protectedId(created)).isEqualTo(ProtectedUtils.extractProtectedId(created));
            assertThat(Names.protectedId(created)).contains(id);
        }
    }

    @Test
    void unprotectedNamesAreRecognisedAsCuratorDoes() {
        for (String name : List.of(
                "lock-0000000001",
                "_c_",
                "_c_short-lock-1",
                "_c_" + UUID.randomUUID(),
                "_c_" + UUID.randomUUID() + "-",
                "_c_" + UUID.randomUUID() + "Xlock-0000000001",
                "x_c_" + UUID.randomUUID() + "-lock-0000000001")) {
            assertThat(Names.isProtected(name)).as(name).isEqualTo(ProtectedUtils.isProtectedZNode(name));
            assertThat(Names.protectedId(name)).as(name).isEqualTo(ProtectedUtils.extractProtectedId(name));
        }
    }

    @Test
    void sortKeyIsCuratorsSortKey() {
        for (String name : List.of(
                "_c_" + UUID.randomUUID() + "-lock-0000000042",
                "lock-0000000007",
                "latch-0000000003",
                "lock-lock-0000000001",
                "no-sequence",
                "lock-")) {
            for (String lockName : List.of("lock-", "latch-")) {
                assertThat(Names.sortKey(name, lockName))
                        .as(name + " / " + lockName)
                        .isEqualTo(StandardLockInternalsDriver.standardFixForSorting(name, lockName));
            }
        }
    }

    @Test
    void theInPlaceQueueOrderIsTheOrderOfTheSortKeysThenTheNames() {
        Random random = new Random(11);
        String[] parts = {"lock-", "latch-", "__READ__", "__WRIT__", "_c_", "0", "00", "1", "9", "x", ""};
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            StringBuilder name = new StringBuilder();
            for (int p = random.nextInt(5); p >= 0; p--) {
                name.append(parts[random.nextInt(parts.length)]);
            }
            names.add(name.toString());
        }
        for (String lockName : List.of("lock-", "latch-")) {
            Comparator<String> byKeys = Comparator.comparing((String n) -> Names.sortKey(n, lockName))
                    .thenComparing(Comparator.naturalOrder());
            Comparator<String> inPlace = Names.queueOrder(n -> Names.keyStart(n, 0, lockName));
            for (String a : names) {
                for (String b : names) {
                    assertThat(Integer.signum(inPlace.compare(a, b)))
                            .as(a + " vs " + b + " / " + lockName)
                            .isEqualTo(Integer.signum(byKeys.compare(a, b)));
                }
            }
        }
        Comparator<String> rwByKeys =
                Comparator.comparing(ZkReadWriteLock::sortKey).thenComparing(Comparator.naturalOrder());
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(rwByKeys);
        List<String> shuffled = new ArrayList<>(names);
        Collections.shuffle(shuffled, random);
        assertThat(ZkReadWriteLock.RULE.queue(shuffled))
                .isEqualTo(sorted.stream()
                        .filter(n -> n.contains(ZkReadWriteLock.READ_NAME) || n.contains(ZkReadWriteLock.WRITE_NAME))
                        .toList());
    }

    @Test
    void contendersAreOrderedBySequenceWhateverTheirPrefix() {
        Random random = new Random(6);
        List<String> expected = new ArrayList<>();
        for (int seq = 0; seq < 200; seq++) {
            String prefix = random.nextBoolean()
                    ? Names.protectedPrefix(UUID.randomUUID().toString())
                    : "";
            expected.add(prefix + "lock-" + String.format("%010d", seq));
        }
        List<String> shuffled = new ArrayList<>(expected);
        Collections.shuffle(shuffled, random);
        shuffled.add("leases"); // not a contender
        shuffled.add("_c_" + UUID.randomUUID() + "-latch-0000000001"); // another queue
        assertThat(Names.contenders(shuffled, "lock-")).containsExactlyElementsOf(expected);
    }

    @Test
    void pathsSplitAndJoin() {
        assertThat(Names.parent("/a/b/c")).isEqualTo("/a/b");
        assertThat(Names.parent("/a")).isEqualTo("/");
        assertThat(Names.name("/a/b/c")).isEqualTo("c");
        assertThat(Names.name("/a/b/")).isEmpty();
        assertThat(Names.child("/", "x")).isEqualTo("/x");
        assertThat(Names.child("/a", "x")).isEqualTo("/a/x");
    }

    @Test
    void recipePathsAreCheckedBeforeAnythingIsSent() {
        for (String bad : new String[] {null, "", "/", "relative", "/a/", "/a//b"}) {
            assertThatThrownBy(() -> Names.checkRecipePath(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(Names.checkRecipePath("/locks/a")).isEqualTo("/locks/a");
    }
}
