package io.github.iottelemetry.ingest.bench;

import com.amazonaws.services.lambda.runtime.events.KinesisEvent;
import io.github.iottelemetry.ingest.IngestHandler;
import io.github.iottelemetry.ingest.batch.IngestRecord;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;

/** Runs in a fresh JVM on the deployment package: constructs the handler as Lambda would and runs one batch. */
public final class ColdStartProbe {
    public static void main(String[] args) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        long t0 = System.currentTimeMillis();
        IngestHandler handler = new IngestHandler(); // reads the process environment, as in Lambda
        long t1 = System.currentTimeMillis();
        // Seqs newer than any earlier probe's, so every run writes 500 device states as a live batch does.
        int batch = (int) (System.currentTimeMillis() / 1000 % 100_000_000);
        KinesisEvent event = event(batch);
        long t2 = System.currentTimeMillis();
        var response = handler.handleRequest(event, null);
        long t3 = System.currentTimeMillis();
        if (!response.getBatchItemFailures().isEmpty()) {
            throw new IllegalStateException("cold batch reported failures: "
                    + response.getBatchItemFailures().size());
        }
        KinesisEvent next = event(batch + 1);
        long t4 = System.currentTimeMillis();
        handler.handleRequest(next, null);
        long t5 = System.currentTimeMillis();
        System.out.printf(
                "cold: JVM start to first 500-record batch done %d ms (JVM boot %d ms, handler init %d ms, batch %d ms;"
                        + " the next batch %d ms)%n",
                t3 - jvmStart - (t2 - t1), t0 - jvmStart, t1 - t0, t3 - t2, t5 - t4);
        // Lambda freezes the sandbox after the response and never waits for threads to end; a library's
        // non-daemon pool would keep this JVM alive, so the probe ends here like an invocation does.
        System.exit(0);
    }

    private static KinesisEvent event(int batch) {
        KinesisEvent event = new KinesisEvent();
        List<KinesisEvent.KinesisEventRecord> records = new ArrayList<>();
        for (IngestRecord r : IngestBenchmark.batch(batch, 500)) {
            KinesisEvent.Record k = new KinesisEvent.Record();
            k.setData(ByteBuffer.wrap(r.data()));
            k.setSequenceNumber(r.sequenceNumber());
            k.setApproximateArrivalTimestamp(new Date(r.arrivalMillis()));
            KinesisEvent.KinesisEventRecord e = new KinesisEvent.KinesisEventRecord();
            e.setKinesis(k);
            e.setEventID(r.shardId() + ":" + r.sequenceNumber());
            records.add(e);
        }
        event.setRecords(records);
        return event;
    }
}
