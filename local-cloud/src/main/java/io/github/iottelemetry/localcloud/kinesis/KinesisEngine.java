package io.github.iottelemetry.localcloud.kinesis;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The npm Kinesis emulators local-cloud can run; versions are pinned in src/main/kinesis-engines/package-lock.json. */
public enum KinesisEngine {

    /** kinesalite 3.3.3: fast (about 8,000 records/s from Java here), LevelDB persistence; SDK clients need CBOR off. */
    KINESALITE("kinesalite"),

    /** kinesis-mock (npm kinesis-local 0.6.2), LocalStack's engine: wider API coverage, a few hundred records/s. */
    KINESIS_MOCK("kinesis-mock");

    private final String cliName;

    KinesisEngine(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    /** Whether SDK clients must run with {@code -Daws.cborEnabled=false} (kinesalite truncates big CBOR batches). */
    public boolean requiresCborOff() {
        return this == KINESALITE;
    }

    public static KinesisEngine fromCliName(String name) {
        return Arrays.stream(values())
                .filter(engine -> engine.cliName.equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown Kinesis engine '" + name + "'; choose one of "
                        + Arrays.stream(values()).map(KinesisEngine::cliName).collect(Collectors.joining(", "))));
    }

    @Override
    public String toString() {
        return cliName;
    }
}
