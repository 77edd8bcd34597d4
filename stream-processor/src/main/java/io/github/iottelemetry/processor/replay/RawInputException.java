package io.github.iottelemetry.processor.replay;

/** A raw object or line that cannot be replayed: {@link #problem()} and a detail a person can act on. */
public final class RawInputException extends Exception {
    private final RawInputProblem problem;
    private final String detail;

    public RawInputException(RawInputProblem problem, String detail) {
        super(problem + ": " + detail);
        this.problem = problem;
        this.detail = detail;
    }

    public RawInputProblem problem() {
        return problem;
    }

    public String detail() {
        return detail;
    }
}
