package io.github.iottelemetry.core.ledger;

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
    static final int OUTCOME_SHIFT = 1; // two bits: ExpectedOutcome ordinal
    static final int FLAG_HAS_REASON = 8;

    static final int VALUE_RAW = 0x0F;
    static final int MAX_SCALE = 9;
    static final double[] POW10 = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};

    private LedgerFormat() {
    }
}
