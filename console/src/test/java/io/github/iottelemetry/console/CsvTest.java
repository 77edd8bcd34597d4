package io.github.iottelemetry.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.iottelemetry.query.engine.QueryResult;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvTest {

    @Test
    void quotesWhatNeedsQuotingAndDefusesFormulas() {
        QueryResult r = new QueryResult(
                List.of("device_id", "note", "value"),
                List.of(Arrays.asList("sim-1", "a, \"b\"\nc", 1.5), Arrays.asList("=HYPERLINK(\"x\")", null, -2)));
        assertThat(Csv.write(r))
                .isEqualTo("device_id,note,value\r\n"
                        + "sim-1,\"a, \"\"b\"\"\nc\",1.5\r\n"
                        + "\"'=HYPERLINK(\"\"x\"\")\",,-2\r\n");
    }
}
