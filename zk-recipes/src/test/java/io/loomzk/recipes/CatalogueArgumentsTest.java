package io.loomzk.recipes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The catalogue's name rules, which need no server. */
class CatalogueArgumentsTest {
    @Test
    void memberIdsComeFromNodeNamesWithOrWithoutAProtectedPrefix() {
        assertThat(Group.memberId("host-a")).isEqualTo("host-a");
        assertThat(Group.memberId("_c_1b4e28ba-2fa1-11d2-883f-0016d3cca427-host-a"))
                .isEqualTo("host-a");
        assertThat(Group.memberId("_c_short-host-a")).isEqualTo("_c_short-host-a");
    }
}
