package io.timesync.correct;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PlanTest {

    @Test
    void aValueStepKeepsItsTypedFieldsAndTheCommandAsGiven() {
        List<String> argv = new ArrayList<>(List.of("reg", "add", "HKLM\\K", "/v", "N", "/t", "REG_DWORD", "/d", "6", "/f"));
        Plan.SetValue step = new Plan.SetValue("registry", "HKLM\\K", "N", "REG_DWORD", "6", argv);
        argv.clear();

        assertThat(step.argv()).hasSize(10).startsWith("reg", "add");
        assertThat(step).isEqualTo(new Plan.SetValue("registry", "HKLM\\K", "N", "REG_DWORD", "6",
                List.of("reg", "add", "HKLM\\K", "/v", "N", "/t", "REG_DWORD", "/d", "6", "/f")));
    }

    @Test
    void aValueStepNeedsTheCommandThatSetsIt() {
        assertThatThrownBy(() -> new Plan.SetValue("registry", "HKLM\\K", "N", "REG_SZ", "x", List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("argv must name the program that sets HKLM\\K N");
        assertThatThrownBy(() -> new Plan.SetValue("registry", "HKLM\\K", null, "REG_SZ", "x", List.of("reg")))
                .isInstanceOf(NullPointerException.class).hasMessage("name");
    }
}
