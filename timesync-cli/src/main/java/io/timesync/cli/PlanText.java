package io.timesync.cli;

import io.timesync.text.NanosText;
import io.timesync.correct.Plan;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plan as people and scripts read it: numbered steps with every file's content and every argument list. */
final class PlanText {

    private PlanText() {
    }

    /** Prints the plan, e.g. for a dry run. */
    static void print(Plan plan, PrintWriter out) {
        out.println(plan.isEmpty() ? "Plan (" + plan.service() + "): nothing to do" : "Plan (" + plan.service() + "):");
        int i = 1;
        for (Map<String, Object> step : steps(plan)) {
            out.println("  " + i++ + ". " + step.get("description"));
            if (step.get("sets") instanceof Map<?, ?> sets) {
                out.println("       sets " + sets.get("name") + " in " + sets.get("key") + " (" + sets.get("store") + ") to "
                        + sets.get("type") + " " + sets.get("value"));
            }
            if (step.get("content") != null) {
                for (String line : ((String) step.get("content")).split("\n")) {
                    out.println("       " + line);
                }
            }
        }
    }

    /**
     * The steps for JSON: each with its {@code kind} and what it does (path and content, argv, nanos); a command that sets
     * a value also has {@code sets} with the value's store, key, name, type and value.
     */
    static List<Map<String, Object>> steps(Plan plan) {
        List<Map<String, Object>> steps = new ArrayList<>();
        for (Plan.Step step : plan.steps()) {
            Map<String, Object> s = new LinkedHashMap<>();
            if (step instanceof Plan.WriteFile w) {
                s.put("kind", "write-file");
                s.put("path", w.path().toString());
                s.put("content", w.content());
                s.put("description", "write " + w.path() + " (atomically; validated where the service has a checker):");
            } else if (step instanceof Plan.DeleteFile d) {
                s.put("kind", "delete-file");
                s.put("path", d.path().toString());
                s.put("description", "delete " + d.path());
            } else if (step instanceof Plan.RunCommand c) {
                s.put("kind", "run-command");
                s.put("argv", c.argv());
                s.put("description", "run " + String.join(" ", c.argv()));
            } else if (step instanceof Plan.SetValue v) {
                // A command step to scripts that read argv, with the value it sets beside it.
                s.put("kind", "run-command");
                s.put("argv", v.argv());
                Map<String, Object> sets = new LinkedHashMap<>();
                sets.put("store", v.store());
                sets.put("key", v.key());
                sets.put("name", v.name());
                sets.put("type", v.type());
                sets.put("value", v.value());
                s.put("sets", sets);
                s.put("description", "run " + String.join(" ", v.argv()));
            } else if (step instanceof Plan.StepClock st) {
                s.put("kind", "step");
                s.put("nanos", st.nanos());
                if (!st.argv().isEmpty()) {
                    s.put("argv", st.argv());
                }
                s.put("description", "step by " + NanosText.of(st.nanos(), true) + (st.argv().isEmpty()
                        ? " (made by the service as this plan restarts or resyncs it)" : ": run " + String.join(" ", st.argv())));
            } else if (step instanceof Plan.SlewClock sl) {
                s.put("kind", "slew");
                s.put("nanos", sl.nanos());
                s.put("description", "slew " + NanosText.of(sl.nanos(), true) + " (the service corrects gradually)");
            } else if (step instanceof Plan.RestartService r) {
                s.put("kind", "restart-service");
                s.put("service", r.name());
                s.put("description", "restart " + r.name());
            } else {
                throw new IllegalArgumentException("no rendering for a plan step " + step);
            }
            steps.add(s);
        }
        return steps;
    }
}
