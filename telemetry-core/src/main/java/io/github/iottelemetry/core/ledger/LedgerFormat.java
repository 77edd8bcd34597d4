package io.github.iottelemetry.core.ledger;

import io.github.iottelemetry.core.validation.ReasonCode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The ledger file format, version 1: a gzip stream of
 * <pre>
 *   magic "ITPLEDGER" version(1)
 *   record*            each starts with a type byte:
 *     DEVICE   id:varint name:string        defines a device reference (ids count from 0)
 *     METRIC   id:varint name:string        defines a metric-name reference
 *     MESSAGE  device:varint seq:varlong sentAtDelta:zigzag flags:byte [reason:byte]
 *              readings:varint { tsMinusSentAt:zigzag metrics:varint { metric:varint value } }
 *     END      messages:varlong             written by close(); absent when the writer died
 *   value:     scale:byte(0..9) unscaled:zigzag  when value == unscaled / 10^scale exactly
 *              | 0x0F ieee754:8 bytes            otherwise
 *   string:    length:varint utf8 bytes
 * </pre>
 * Names are written once and referenced by number; timestamps are deltas; sensor values with few
 * decimals take two or three bytes. About 40 bytes a 10-reading, 4-metric message before gzip.
 */
final class LedgerFormat {
    static final byte[] MAGIC = {'I', 'T', 'P', 'L', 'E', 'D', 'G', 'E', 'R'};
    static final int VERSION = 1;

    static final int DEVICE = 1;
    static final int METRIC = 2;
    static final int MESSAGE = 3;
    static final int END = 4;

    static final int FLAG_ACKED = 1;
    static final int OUTCOME_SHIFT = 1; // two bits: the outcome's code
    static final int FLAG_HAS_REASON = 8;

    static final int VALUE_RAW = 0x0F;
    static final int MAX_SCALE = 9;
    static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    /**
     * The number each reason code is written as, fixed for good: ledgers outlive releases, so a new reason gets the
     * next free number and an old number is never reused or renumbered (an enum's ordinal would shift).
     */
    static final Map<ReasonCode, Integer> REASON_CODES = codes(
            ReasonCode.class,
            Map.of(
                    ReasonCode.MALFORMED_JSON, 0,
                    ReasonCode.SCHEMA_VIOLATION, 1,
                    ReasonCode.IDENTITY_MISMATCH, 2,
                    ReasonCode.TIMESTAMP_OUT_OF_RANGE, 3,
                    ReasonCode.TOO_LARGE, 4,
                    ReasonCode.LATE, 5));

    /** The two-bit code of each outcome, fixed for good like the reason codes. */
    static final Map<ExpectedOutcome, Integer> OUTCOME_CODES = codes(
            ExpectedOutcome.class,
            Map.of(
                    ExpectedOutcome.COUNTED, 0,
                    ExpectedOutcome.DUPLICATE, 1,
                    ExpectedOutcome.QUARANTINED, 2));

    private LedgerFormat() {}

    static <E extends Enum<E>> int code(Map<E, Integer> codes, E value) {
        Integer code = codes.get(value);
        if (code == null) {
            throw new IllegalStateException(value.getDeclaringClass().getSimpleName() + "." + value
                    + " has no ledger code: give it the next free number in LedgerFormat");
        }
        return code;
    }

    static <E extends Enum<E>> E decode(Map<E, Integer> codes, int code, String what) throws java.io.IOException {
        for (Map.Entry<E, Integer> entry : codes.entrySet()) {
            if (entry.getValue() == code) {
                return entry.getKey();
            }
        }
        throw new java.io.IOException("unknown " + what + " code " + code + " (a ledger written by a newer version?)");
    }

    private static <E extends Enum<E>> Map<E, Integer> codes(Class<E> type, Map<E, Integer> codes) {
        if (codes.values().stream().distinct().count() != codes.size()) {
            throw new IllegalStateException("two " + type.getSimpleName() + " values share a ledger code: " + codes);
        }
        return new EnumMap<>(codes);
    }
}
