package io.github.iottelemetry.localcloud.lambda;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The event source mapping's position per shard: the sequence number of the last record that is done (the
 * function succeeded on it, or it went to the on-failure destination), or {@link #SHARD_END} once a closed shard
 * is done entirely. Kept in memory and written through to one JSON file, so a restarted mapping continues after it.
 */
final class ShardCheckpoints {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** The position of a closed shard whose every record is done: its children may be read. */
    static final String SHARD_END = "SHARD_END";

    private final Path file;
    private final Map<String, String> positions;

    private ShardCheckpoints(Path file, Map<String, String> positions) {
        this.file = file;
        this.positions = positions;
    }

    static ShardCheckpoints open(Path file) {
        try {
            Map<String, String> positions = Files.exists(file)
                    ? JSON.readValue(file.toFile(), new TypeReference<TreeMap<String, String>>() {})
                    : new TreeMap<>();
            return new ShardCheckpoints(file, positions);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the checkpoints " + file, e);
        }
    }

    /** The last record done, if any; never {@link #SHARD_END} (see {@link #ended}). */
    synchronized Optional<String> position(String shardId) {
        return Optional.ofNullable(positions.get(shardId)).filter(position -> !position.equals(SHARD_END));
    }

    synchronized boolean ended(String shardId) {
        return SHARD_END.equals(positions.get(shardId));
    }

    /** The shard is closed and every record of it is done. */
    void end(String shardId) {
        advance(shardId, SHARD_END);
    }

    /** The durable point: from here on a restart starts after {@code sequenceNumber}. */
    synchronized void advance(String shardId, String sequenceNumber) {
        positions.put(shardId, sequenceNumber);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
            JSON.writerWithDefaultPrettyPrinter().writeValue(temporary.toFile(), positions);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoints " + file, e);
        }
    }
}
