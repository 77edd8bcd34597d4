package io.github.iottelemetry.ingest.batch;

/**
 * One Kinesis record as the handler receives it.
 *
 * @param index position in the batch (records of a shard arrive in sequence order)
 */
public record IngestRecord(int index, String shardId, String sequenceNumber, long arrivalMillis, byte[] data) {

    /** "shardId-000000000001:4959..." (Lambda's eventID) to its shard id. */
    public static String shardIdOfEventId(String eventId) {
        if (eventId == null) {
            return "unknown-shard";
        }
        int colon = eventId.indexOf(':');
        return colon < 0 ? eventId : eventId.substring(0, colon);
    }

    public String where() {
        return "record " + sequenceNumber + " on " + shardId;
    }
}
