package io.github.iottelemetry.processor.replay;

/** Why part of the raw archive could not be replayed. Each is reported with its object key (and line) and counted. */
public enum RawInputProblem {
    /** The object could not be fetched or decompressed (counted per object; complete lines before a break are kept). */
    UNREADABLE_OBJECT,
    /** The line is not one JSON object. */
    NOT_JSON,
    /** {@code kinesisShardId}, {@code kinesisSequenceNumber} or {@code kinesisArrivalTs} is absent. */
    MISSING_KINESIS_FIELD,
    /** One of those fields is there but not of its form (a string, a string of digits, a whole number). */
    BAD_KINESIS_FIELD
}
