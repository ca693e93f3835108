package io.timesync.windows.w32time;

import io.timesync.correct.CommandRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** w32time's registry values, read and written one at a time with {@code reg} through the command runner. */
final class Registry {

    private static final Logger log = LoggerFactory.getLogger(Registry.class);

    private final CommandRunner runner;
    private final Duration timeout;

    Registry(CommandRunner runner, Duration timeout) {
        this.runner = Objects.requireNonNull(runner, "runner");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    /**
     * The values now of {@code names} (null: absent).
     *
     * @throws CommandFailure when Windows refuses to show one
     */
    Map<RegistryName, RegistryValues.Value> read(List<RegistryName> names) throws IOException {
        Map<RegistryName, RegistryValues.Value> values = new LinkedHashMap<>();
        for (RegistryName name : names) {
            CommandRunner.Result result = run(W32TimeCommands.regQuery(name.key(), name.name()));
            Optional<RegistryValues.Value> value = RegistryValues.parse(result.stdout()).get(name.name());
            if (!result.succeeded() && value.isEmpty() && CommandFailure.of(result).accessDenied()) {
                throw CommandFailure.of(result);
            }
            // reg exits 1 with "unable to find" for a value that does not exist: it is restored by deleting it.
            values.put(name, value.orElse(null));
        }
        return values;
    }

    /** One value's data now, or "" when it is absent. */
    String data(RegistryName name) throws IOException {
        RegistryValues now = RegistryValues.parse(CommandFailure.check(run(W32TimeCommands.regQuery(name.key(), name.name()))).stdout());
        return now.get(name.name()).map(RegistryValues.Value::data).orElse("");
    }

    /** Writes the values back (deleting the absent ones) and tells the service. */
    void writeBack(Map<RegistryName, RegistryValues.Value> values) throws IOException {
        for (Map.Entry<RegistryName, RegistryValues.Value> e : values.entrySet()) {
            String key = e.getKey().key();
            String name = e.getKey().name();
            RegistryValues.Value old = e.getValue();
            if (old == null) {
                CommandRunner.Result result = run(W32TimeCommands.regDelete(key, name));
                // Deleting what is already gone is fine; anything else is a failure.
                if (!result.succeeded() && RegistryValues.parse(run(W32TimeCommands.regQuery(key, name)).stdout()).get(name).isPresent()) {
                    throw CommandFailure.of(result);
                }
            } else {
                String data = old.type().equals("REG_DWORD") || old.type().equals("REG_QWORD") ? Long.toString(old.number()) : old.data();
                CommandFailure.check(run(W32TimeCommands.regAdd(key, name, old.type(), data)));
            }
        }
        CommandRunner.Result update = run(W32TimeCommands.UPDATE);
        if (CommandFailure.failed(update)) {
            // The values are back; a stopped service reads them when it starts.
            log.warn("the registry values are restored but w32time was not told: {}", CommandFailure.of(update).getMessage());
        }
    }

    private CommandRunner.Result run(List<String> argv) throws IOException {
        return runner.runReportingInterrupt(argv, timeout);
    }
}
