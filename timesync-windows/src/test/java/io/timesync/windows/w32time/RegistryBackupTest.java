package io.timesync.windows.w32time;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static io.timesync.windows.w32time.W32TimeCommands.CONFIG_KEY;
import static io.timesync.windows.w32time.W32TimeCommands.PARAMETERS_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RegistryBackupTest {

    @Test
    void aBackupReadsBackAsTheTypedValuesItWasWrittenFrom() throws Exception {
        Map<RegistryName, RegistryValues.Value> values = new LinkedHashMap<>();
        values.put(new RegistryName(CONFIG_KEY, "MaxPollInterval"), new RegistryValues.Value("REG_DWORD", "0xa"));
        values.put(new RegistryName(PARAMETERS_KEY, "NtpServer"), new RegistryValues.Value("REG_SZ", "time.windows.com,0x9"));
        values.put(new RegistryName(CONFIG_KEY, "MaxNegPhaseCorrection"), null);

        String text = RegistryBackup.format(values);

        assertThat(text.lines().toList()).contains(CONFIG_KEY + "\\MaxNegPhaseCorrection\t-\t");
        assertThat(RegistryBackup.parse(text)).containsExactlyEntriesOf(values);
    }

    @Test
    void aFileThatIsNoBackupIsRefused() {
        assertThatThrownBy(() -> RegistryBackup.parse("MaxPollInterval REG_DWORD 10\n"))
                .hasMessage("not a backup of w32time's registry values: 'MaxPollInterval REG_DWORD 10'");
    }
}
