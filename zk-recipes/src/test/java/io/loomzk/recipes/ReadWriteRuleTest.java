package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.curator.framework.recipes.locks.StandardLockInternalsDriver;
import org.junit.jupiter.api.Test;

/** The read/write lock's line: Curator's order, and granted exactly when Curator's predicates grant. */
class ReadWriteRuleTest {
    private static final String READ = "__READ__";
    private static final String WRITE = "__WRIT__";

    /** Curator's sort key for the read/write lock: both names stripped, as its sorting driver does. */
    private static String curatorKey(String name) {
        return StandardLockInternalsDriver.standardFixForSorting(
                StandardLockInternalsDriver.standardFixForSorting(name, READ), WRITE);
    }

    @Test
    void lineOrderAndGrantsMatchCuratorsOnRandomLines() {
        Random random = new Random(18);
        for (int trial = 0; trial < 500; trial++) {
            List<String> children = new ArrayList<>();
            int n = 1 + random.nextInt(12);
            int seq = random.nextInt(1_000_000);
            for (int i = 0; i < n; i++) {
                String kind = random.nextInt(3) == 0 ? WRITE : READ;
                seq += 1 + random.nextInt(5); // the parent's counter: unique, growing
                children.add(Names.protectedPrefix(UUID.randomUUID().toString()) + kind + String.format("%010d", seq));
            }
            children.add("not-a-contender"); // Curator sorts it last; we leave it out
            Collections.shuffle(children, random);

            List<String> ours = ZkReadWriteLock.RULE.queue(children);
            List<String> theirs = new ArrayList<>(children);
            theirs.remove("not-a-contender");
            theirs.sort(Comparator.comparing(ReadWriteRuleTest::curatorKey));
            assertThat(ours).isEqualTo(theirs);

            for (int index = 0; index < ours.size(); index++) {
                String me = ours.get(index);
                boolean curatorGrants;
                if (me.contains(WRITE)) {
                    curatorGrants = index < 1; // the write side is a mutex of one lease
                } else {
                    int firstWrite = Integer.MAX_VALUE;
                    for (int k = 0; k < index; k++) {
                        if (ours.get(k).contains(WRITE)) {
                            firstWrite = Math.min(firstWrite, k);
                        }
                    }
                    curatorGrants = index < firstWrite;
                }
                int blocker = ZkReadWriteLock.RULE.blocker(ours, index);
                assertThat(blocker < 0).as("%s in %s", me, ours).isEqualTo(curatorGrants);
                if (blocker >= 0) {
                    assertThat(blocker).isLessThan(index);
                    if (!me.contains(WRITE)) {
                        assertThat(ours.get(blocker)).contains(WRITE); // a reader waits on a writer
                    }
                }
            }
        }
    }
}
