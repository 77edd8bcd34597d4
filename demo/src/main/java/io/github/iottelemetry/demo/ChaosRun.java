package io.github.iottelemetry.demo;

import io.github.iottelemetry.localcloud.lambda.KinesisEventSourceMapping;
import io.github.iottelemetry.localcloud.lambda.KinesisEventSourceMapping.InvocationFault;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/**
 * What goes wrong on AWS, done to the local pipeline while the fleet runs (`pipeline demo --chaos`), each at a set
 * fraction of the run and logged with its time:
 * <ol>
 *   <li>the ingest function fails a batch (a crash: Lambda bisects it);</li>
 *   <li>the stream splits a shard (as on-demand streams do under load);</li>
 *   <li>a stream-processor worker freezes past its lease's expiry (SIGSTOP: a long GC pause, a frozen container), its
 *       leases move, and it is woken again (SIGCONT) and runs on as a zombie until it notices;</li>
 *   <li>the ingest function times out after part of its writes went through (Lambda retries the batch);</li>
 *   <li>the stream merges the split's two children;</li>
 *   <li>another worker is killed (kill -9) and a new one starts, as ECS replaces a task.</li>
 * </ol>
 */
final class ChaosRun implements AutoCloseable {

    /** Freezing a worker for this long outlives its lease (the workers run KCL with 3 s fail-over in the demo). */
    static final Duration FREEZE = Duration.ofSeconds(12);

    private final KinesisClient kinesis;
    private final String stream;
    private final Collection<KinesisEventSourceMapping> lambdas;
    private final Workers workers;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "chaos");
        thread.setDaemon(true);
        return thread;
    });
    private final List<String> log = new ArrayList<>();
    private long startNanos;

    /** The stream-processor workers as processes the chaos run may freeze, kill and replace. */
    interface Workers {
        List<String> names();

        ProcessHandle jvm(String name);

        void replace(String name) throws IOException;
    }

    ChaosRun(KinesisClient kinesis, String stream, Collection<KinesisEventSourceMapping> lambdas, Workers workers) {
        this.kinesis = kinesis;
        this.stream = stream;
        this.lambdas = lambdas;
        this.workers = workers;
    }

    /** Schedules every fault over a fleet run of {@code run}, starting now. */
    void start(Duration run) {
        startNanos = System.nanoTime();
        long ms = run.toMillis();
        at(ms * 15 / 100, () -> injectIngestFault(InvocationFault.FUNCTION_ERROR));
        at(ms * 25 / 100, this::splitFirstShard);
        at(ms * 35 / 100, this::freezeAndWakeAWorker);
        at(ms * 50 / 100, () -> injectIngestFault(InvocationFault.TIMEOUT_AFTER_PARTIAL_WRITES));
        at(ms * 60 / 100, this::mergeTheSplitsChildren);
        at(ms * 75 / 100, this::killAndReplaceAWorker);
    }

    /** What was done and when, in order. */
    synchronized List<String> log() {
        return List.copyOf(log);
    }

    private void at(long delayMillis, ChaosStep step) {
        clock.schedule(
                () -> {
                    try {
                        step.run();
                    } catch (Exception e) {
                        note("FAILED to apply: " + e);
                    }
                },
                delayMillis,
                TimeUnit.MILLISECONDS);
    }

    private interface ChaosStep {
        void run() throws Exception;
    }

    private void injectIngestFault(InvocationFault fault) {
        lambdas.forEach(mapping -> mapping.injectFault(fault));
        note("ingest function: next invocation "
                + (fault == InvocationFault.FUNCTION_ERROR
                        ? "fails (function error, Lambda bisects the batch)"
                        : "times out after the writes of half its batch (function error, Lambda retries the batch)"));
    }

    private void splitFirstShard() {
        Shard shard = openShards().get(0);
        BigInteger start = new BigInteger(shard.hashKeyRange().startingHashKey());
        BigInteger end = new BigInteger(shard.hashKeyRange().endingHashKey());
        BigInteger middle = start.add(end).add(BigInteger.ONE).shiftRight(1);
        kinesis.splitShard(request ->
                request.streamName(stream).shardToSplit(shard.shardId()).newStartingHashKey(middle.toString()));
        awaitActive();
        note("stream: split " + shard.shardId() + " into " + children(shard.shardId()));
    }

    private void mergeTheSplitsChildren() {
        List<Shard> open = openShards();
        Shard first = open.stream()
                .filter(s -> s.parentShardId() != null && s.adjacentParentShardId() == null)
                .min(Comparator.comparing(s -> new BigInteger(s.hashKeyRange().startingHashKey())))
                .orElseThrow();
        Shard second = open.stream()
                .filter(s -> new BigInteger(s.hashKeyRange().startingHashKey())
                        .equals(new BigInteger(first.hashKeyRange().endingHashKey()).add(BigInteger.ONE)))
                .findFirst()
                .orElseThrow();
        kinesis.mergeShards(request ->
                request.streamName(stream).shardToMerge(first.shardId()).adjacentShardToMerge(second.shardId()));
        awaitActive();
        note("stream: merged " + first.shardId() + " and " + second.shardId() + " into " + children(first.shardId()));
    }

    private void freezeAndWakeAWorker() throws Exception {
        String name = workers.names().get(0);
        ProcessHandle jvm = workers.jvm(name);
        signal("STOP", jvm);
        note("worker " + name + " (pid " + jvm.pid() + "): frozen with SIGSTOP for " + FREEZE.toSeconds()
                + " s, past its lease's expiry");
        Thread.sleep(FREEZE.toMillis());
        signal("CONT", jvm);
        note("worker " + name + ": woken with SIGCONT; it runs on with leases it no longer holds until it notices");
    }

    private void killAndReplaceAWorker() throws Exception {
        String name = workers.names().get(workers.names().size() - 1);
        ProcessHandle jvm = workers.jvm(name);
        jvm.destroyForcibly();
        jvm.onExit().get(30, TimeUnit.SECONDS);
        note("worker " + name + " (pid " + jvm.pid() + "): killed with SIGKILL");
        workers.replace(name);
        note("worker " + name + ": a new process started in its place (pid "
                + workers.jvm(name).pid() + ")");
    }

    private static void signal(String signal, ProcessHandle process) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
                .inheritIO()
                .start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + signal + " " + process.pid() + " failed (exit " + kill.exitValue() + ")");
        }
    }

    private List<Shard> openShards() {
        return kinesis.listShards(request -> request.streamName(stream)).shards().stream()
                .filter(shard -> shard.sequenceNumberRange().endingSequenceNumber() == null)
                .sorted(Comparator.comparing(
                        s -> new BigInteger(s.hashKeyRange().startingHashKey())))
                .toList();
    }

    private List<String> children(String parent) {
        return kinesis.listShards(request -> request.streamName(stream)).shards().stream()
                .filter(s -> parent.equals(s.parentShardId()) || parent.equals(s.adjacentParentShardId()))
                .map(Shard::shardId)
                .toList();
    }

    private void awaitActive() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (kinesis.describeStreamSummary(request -> request.streamName(stream))
                        .streamDescriptionSummary()
                        .streamStatus()
                != StreamStatus.ACTIVE) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("stream " + stream + " did not become ACTIVE again within 30 s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the stream", e);
            }
        }
    }

    private synchronized void note(String what) {
        String line = String.format("%6.1f s  %s", (System.nanoTime() - startNanos) / 1e9, what);
        log.add(line);
        System.out.println("  chaos " + line);
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
