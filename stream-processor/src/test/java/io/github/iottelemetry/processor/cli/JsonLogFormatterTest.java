package io.github.iottelemetry.processor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class JsonLogFormatterTest {

    @Test
    void aRecordIsOneJsonLineWithThePowertoolsKeysAndItsError() throws Exception {
        LogRecord record = new LogRecord(Level.WARNING, "lease {0} lost: \"zombie\"\nwriter");
        record.setParameters(new Object[] {"shardId-000000000001"});
        record.setLoggerName("software.amazon.kinesis.leases");
        record.setThrown(new IllegalStateException("fenced"));
        String line = new JsonLogFormatter("stream-processor").format(record);

        assertThat(line).endsWith(System.lineSeparator());
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.get("level").asText()).isEqualTo("WARNING");
        assertThat(json.get("service").asText()).isEqualTo("stream-processor");
        assertThat(json.get("logger").asText()).isEqualTo("software.amazon.kinesis.leases");
        assertThat(json.get("message").asText()).isEqualTo("lease shardId-000000000001 lost: \"zombie\"\nwriter");
        assertThat(json.get("error").asText()).isEqualTo("java.lang.IllegalStateException: fenced");
        assertThat(json.get("stack_trace").asText()).contains("JsonLogFormatterTest");
        assertThat(json.get("timestamp").asText()).matches("\\d{4}-\\d{2}-\\d{2}T.*Z");
    }
}
