package io.github.iottelemetry.localcloud;

import io.github.iottelemetry.localcloud.kinesis.KinesisEngine;
import org.junit.jupiter.api.extension.RegisterExtension;

class KinesaliteIT extends LocalCloudContract {

    @RegisterExtension
    static final LocalCloudExtension CLOUD = LocalCloudExtension.withKinesisEngine(KinesisEngine.KINESALITE);
}
