package io.timesync.agent;

import io.timesync.correct.CorrectionException;
import io.timesync.correct.CorrectionPolicy;
import io.timesync.correct.Corrector;
import io.timesync.correct.Plan;
import io.timesync.select.Decision;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A corrector for a service that is not there: plans the selection as a file only when it changed
 * (as the real ones do) and the clock step or slew; records what it is asked to apply; can be told
 * to fail.
 */
final class RecordingCorrector implements Corrector {

    final List<Plan> applied = new ArrayList<>();
    volatile boolean failing;
    // Every call of apply, failed or not.
    int attempts;
    private List<String> configured = List.of();

    @Override
    public String service() {
        return "recorded";
    }

    @Override
    public Plan plan(Decision decision, CorrectionPolicy.Action action) {
        List<Plan.Step> steps = new ArrayList<>();
        if (decision.hasSelection() && !decision.selection().servers().equals(configured)) {
            steps.add(new Plan.WriteFile(Path.of("servers"), String.join("\n", decision.selection().servers())));
        }
        switch (action.kind()) {
            case STEP -> steps.add(new Plan.StepClock(action.nanos()));
            case SLEW -> steps.add(new Plan.SlewClock(action.nanos()));
            default -> { }
        }
        return new Plan(service(), steps, action.reason());
    }

    @Override
    public Applied apply(Plan plan) throws CorrectionException {
        attempts++;
        if (failing) {
            throw new CorrectionException("the service said no; the old file is back", true, null);
        }
        applied.add(plan);
        for (Plan.Step s : plan.steps()) {
            if (s instanceof Plan.WriteFile w) {
                configured = List.of(w.content().split("\n"));
            }
        }
        return new Applied(plan, true, plan.steps().size() + " step(s)");
    }

    @Override
    public Path rollback() throws CorrectionException {
        throw new CorrectionException("no backup", false, null);
    }

    List<Class<?>> clockSteps() {
        return applied.stream().flatMap(p -> p.steps().stream())
                .filter(s -> s instanceof Plan.StepClock || s instanceof Plan.SlewClock)
                .<Class<?>>map(Object::getClass).toList();
    }
}
