package io.github.iottelemetry.core.lake;

/** A line of a raw archive object that is not what the ingest function writes: {@link #problem()} and a detail to act on. */
public final class RawLineException extends Exception {

    /** What is wrong with the line. */
    public enum Problem {
        /** The line is not one JSON object. */
        NOT_JSON,
        /** {@code kinesisShardId}, {@code kinesisSequenceNumber} or {@code kinesisArrivalTs} is absent. */
        MISSING_KINESIS_FIELD,
        /** One of those fields is there but not of its form (a string, a string of digits, a whole number). */
        BAD_KINESIS_FIELD
    }

    private final Problem problem;
    private final String detail;

    public RawLineException(Problem problem, String detail) {
        super(problem + ": " + detail);
        this.problem = problem;
        this.detail = detail;
    }

    public Problem problem() {
        return problem;
    }

    public String detail() {
        return detail;
    }
}
